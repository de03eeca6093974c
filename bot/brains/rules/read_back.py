"""The booking's last steps: the name said again or corrected, a datum the read-back got
wrong, and the write itself (book_appointment) with what its refusals mean for the form. Apart
from bot/brains/rules/booking.py, which walks the form's steps."""

from __future__ import annotations

import re
from abc import ABC

from appointments.errors import SLOT_UNAVAILABLE_CODES
from appointments.policy import part_of_day
from bot import flow, nlu, responses
from bot.brains.rules.people import WhoseTurnos
from bot.state import Step
from clinic.selectors import normalize_text


class BookingWrite(WhoseTurnos, ABC):
    """Corrections at the read-back and the booking written."""

    def asks_other_time(self) -> bool:
        """A day or time said at a read-back that is not a yes to it ("el jueves mejor", "sí,
        pero a las 11"; bot.flow.yes_to_write), or another part of the day than the slot read
        back ("la hora no me sirve, ¿tiene algo en la tarde?"): the patient chooses again,
        nothing is written."""
        if self.context.confirmed is not None or not self.when:
            return False
        return bool(self.when.date or self.when.time or self.other_part_of_day())

    def other_part_of_day(self) -> bool:
        """A part of the day asked for that the chosen slot is not in ("en la mañana está bien"
        about an 8:00 asks for nothing else)."""
        part = self.when.part_of_day
        slot = self.selected_slot()
        return bool(part and slot and part_of_day(self.slot_start(slot).time()) != part)

    def wrong_datum(self) -> str | None:
        """ "el documento está mal" / "el nombre está mal" without the right one: ask for that
        one only, and keep the rest of the booking."""
        wrong = nlu.corrected_datum(self.text)
        if wrong == "document":
            self.state.booking.document_number = ""
            self.state.go(Step.DOCUMENT)
            return responses.ASK_DOCUMENT_AGAIN
        if wrong == "name":
            self.state.booking.patient_name = ""
            self.state.go(Step.NAME)
            return responses.ASK_NAME_AGAIN
        return None

    def corrected_name(self) -> str | None:
        """ "está mal el apellido, es Juan Pereira", "no, el apellido es Pereira": the name
        inside a correction, whatever step the booking is at; "el apellido es con y griega:
        Pereyra" respells the word of the name it is close to."""
        spelled = nlu.spells_a_name(self.text)
        if (
            nlu.corrected_datum(self.text) != "name"
            and not spelled
            and not re.search(r"\bapellido\b", normalize_text(self.text))
        ):
            return None
        current = self.state.booking.patient_name
        return nlu.extract_corrected_name(self.text, current=current) or nlu.respelled_name(self.text, current=current)

    def book(self) -> str:
        slot = self.selected_slot()
        if slot is None:
            self.state.go(Step.SLOT)
            return responses.SLOT_LOST
        result = self.tool(
            "book_appointment",
            slot_id=slot.slot_id,
            full_name=self.state.booking.patient_name,
            document_number=self.state.booking.document_number,
        )
        if result.get("ok"):
            finished_for = self.state.booking.for_whom
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            address = result.get("address") or self.clinic.address
            confirmed = responses.booking_confirmed(result["booked"], address=address, today=self.today)
            if finished_for:
                self.set_for_whom("")  # the relative's data is not the caller's
            return self.then_queued_booking(confirmed)
        code = result.get("code")
        if code == flow.CONFIRM_FIRST:  # the yes did not reach exactly this booking
            return result["read_back"]
        error = result.get("error", responses.NOT_BOOKED)
        if code in SLOT_UNAVAILABLE_CODES:
            self.state.booking.selected_slot_id = None
            start = self.slot_start(slot)
            specialty = self.current_specialty()
            return f"{error} {self.offer_slots(specialty, nlu.When(date=start.date(), time=start.time()))}"
        if code == "invalid_arguments" and "documento" in error.lower():
            self.state.booking.document_number = ""
            self.state.go(Step.DOCUMENT)
            return responses.repeat_after(error)
        if code == "invalid_arguments" and "nombre" in error.lower():
            self.state.booking.patient_name = ""
            self.state.go(Step.NAME)
            return responses.FULL_NAME_NEEDED
        self.state.go(Step.SLOT)
        return responses.other_slot_after(error)

    def restated_name(self) -> str | None:
        """ "Perdón, es Marcela Gutiérrez Paz" after "Marcela Gutiérrez": the name said again,
        completed or corrected (it shares a word with the one given)."""
        current = normalize_text(self.state.booking.patient_name)
        said = nlu.extract_name(self.text, expecting=True)
        if not current or not said or len(said.split()) < 2 or normalize_text(said) == current:
            return None
        return said if set(normalize_text(said).split()) & set(current.split()) else None
