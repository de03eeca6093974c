"""The caller's own turnos: listing them, choosing one, cancelling it or moving it to a new
slot (offered by the booking form's slot search).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from bot import flow, nlu, responses
from bot.brains.rules.booking import BookingForm
from bot.brains.rules.identify import IdentifyStep
from bot.formatting import join_spanish
from bot.state import Flow, Step
from clinic.selectors import normalize_text


class ManageTurnos(IdentifyStep, BookingForm):
    """List, cancel and move the turnos this number may manage."""

    # --- finding the turno -------------------------------------------------------------------

    def old_and_new(self) -> tuple[nlu.When, nlu.When]:
        """ "Cambiar el turno del martes para el jueves a las 10": which turno (martes) and
        where to (jueves 10:00). Without "para"/"al", a day is the new one when moving and
        the old one when cancelling."""
        text = normalize_text(self.text)
        split = list(re.finditer(r"\b(?:para|al|pasarlo a|moverlo a|cambiarlo a|a otro)\b", text))
        if split:
            # "¿me la cambia para las 11? a las 8 es temprano para la niña": the last "para"
            # followed by a day or time says where to, not a later "para la niña".
            tails = [(text[: m.start()], nlu.extract_when(text[m.start() :], now=self.local_now)) for m in split]
            head, new = next(((head, new) for head, new in reversed(tails) if new), tails[-1])
            return nlu.extract_when(head, now=self.local_now), new
        if self.state.flow == Flow.RESCHEDULE and not re.search(r"\bdel\b", text):
            return nlu.When(), self.when
        return self.when, nlu.When()

    def match_appointment(self, appointments: list[dict]) -> dict | None:
        if len(appointments) == 1:
            return appointments[0]
        old, _new = self.old_and_new()
        choice = nlu.extract_choice(self.text, len(appointments))
        if choice is not None and not old.date:
            return appointments[choice]
        candidates = appointments
        if old.date:
            candidates = [a for a in candidates if a["date"] == old.date.isoformat()]
        elif old.avoided_weekdays:
            # "el turno del viernes no puedo ir, cancelámelo": the day the patient cannot go is the turno's.
            candidates = [a for a in candidates if dt.date.fromisoformat(a["date"]).weekday() in old.avoided_weekdays]
        if old.time:
            candidates = [a for a in candidates if a["time"] == old.time.strftime("%H:%M")]
        specialty = self.specialty_in_text()
        if specialty:
            candidates = [a for a in candidates if a["specialty"] == specialty.name]
        doctor = self.doctor_in_text()
        if doctor:
            candidates = [a for a in candidates if a["doctor"] == doctor.display_name]
        owner = nlu.turno_owner(self.text)
        if owner is not None:
            candidates = self.turnos_of(owner, candidates)
        if (old or specialty or doctor or owner is not None) and len(candidates) == 1:
            return candidates[0]
        return None

    def turnos_of(self, owner: str, appointments: list[dict]) -> list[dict]:
        """ "la mía" (owner ""): the turnos not booked here for a relative; "la suya" (THEIRS):
        those booked here for one; "el de mi hija": those booked for her."""
        relatives = self.state.patient.relatives_turnos
        if owner == "":
            return [a for a in appointments if a["appointment_id"] not in relatives]
        theirs = [a for a in appointments if a["appointment_id"] in relatives]
        return theirs if owner == nlu.THEIRS else [a for a in theirs if relatives[a["appointment_id"]] == owner]

    def start_appointment_flow(self, flow: Flow, *, identified: bool = False) -> str:
        target_id = self.state.target.appointment_id
        self.state.start(flow)
        if not identified and nlu.extract_document_number(self.text):
            # A DNI in the request ("los turnos del DNI ..."): another patient's turnos, which
            # take the one-time code sent to that patient's registered number.
            return self.identify()
        appointments = self.my_appointments()
        if not appointments:
            self.state.go(Step.IDENTIFY)
            return responses.NO_TURNOS_HERE
        if flow == Flow.LIST:
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            listing = join_spanish([self.describe_appointment(a) for a in appointments])
            return responses.turnos_listed(len(appointments), listing)
        target = None
        if (
            target_id
            and any(a["appointment_id"] == target_id for a in appointments)
            and not (self.when or self.specialty_in_text())
        ):
            target = next(a for a in appointments if a["appointment_id"] == target_id)
        target = target or self.match_appointment(appointments)
        if target is None:
            self.state.go(Step.CHOOSE_APPOINTMENT)
            self.state.offer_targets([a["appointment_id"] for a in appointments])
            # "¿Lo puedo pasar al viernes?": where to, kept while the patient says which turno.
            _old, new = self.old_and_new()
            self.state.request(date=new.date, time=new.time, part_of_day=new.part_of_day)
            listing = join_spanish([self.describe_appointment(a) for a in appointments], last="o")
            return responses.which_to_manage(len(appointments), listing, cancel=flow == Flow.CANCEL)
        return self.with_target(target)

    def with_target(self, appointment: dict) -> str:
        self.state.choose_target(appointment["appointment_id"])
        if self.state.flow == Flow.CANCEL:
            self.state.go(Step.CONFIRM_CANCEL)
            return self.cancel_question(appointment)
        specialty = next((s for s in self.catalog.specialties if s.name == appointment["specialty"]), None)
        self.state.booking.specialty_id = specialty.pk if specialty else None
        _old, when = self.old_and_new()
        if not when and self.pending == Step.CHOOSE_APPOINTMENT:
            when = self.remembered_when()  # said with the request, before choosing the turno
        if when.date and when.date.isoformat() == appointment["date"] and not when.time:
            when = nlu.When()  # "cambiar el turno del martes": the old day, not the new one.
        when = self.on_the_turnos_day(when, appointment)
        if when or nlu.asks_earliest(self.text):  # "cambiarlo para lo antes posible": the earliest
            self.state.go(Step.NEW_TIME)
            return self.offer_slots(specialty, when, purpose="reschedule")
        self.state.go(Step.NEW_TIME)
        return responses.ask_new_time_for(self.describe_appointment(appointment))

    def on_the_turnos_day(self, when: nlu.When, appointment: dict) -> nlu.When:
        """ "¿Me la puede cambiar para las 11 ese mismo día?", "pasalo a la tarde": a time or a
        part of the day without a day moves the turno within its own day."""
        if when.date or not (when.time or when.part_of_day):
            return when
        day = dt.date.fromisoformat(appointment["date"])
        return dataclasses.replace(when, date=day) if day >= self.today else when

    def continue_choose_appointment(self) -> str | None:
        options = self.state.target.options
        appointments = [a for a in self.my_appointments() if a["appointment_id"] in options]
        target = self.match_appointment(appointments)
        if target:
            return self.with_target(target)
        if self.yes_no is False:
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return responses.NOTHING_CHANGED
        return None

    # --- cancelling and moving ---------------------------------------------------------------

    def continue_confirm_cancel(self) -> str | None:
        if self.yes_no is True or (self.has(nlu.CANCEL) and self.yes_no is not False):
            result = self.tool("cancel_appointment", appointment_id=self.state.target.appointment_id)
            if result.get("code") == flow.CONFIRM_FIRST:
                return result["read_back"]
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            if not result.get("ok"):
                return responses.cancel_failed(result.get("error", ""))
            return self.then_queued_booking(responses.cancel_confirmed(result["cancelled"], today=self.today))
        if self.yes_no is False:
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return self.then_queued_booking(responses.KEPT)
        return None

    def continue_new_time(self) -> str | None:
        slot = self.match_offered()
        if slot:
            return self.select_slot(slot)
        specialty = self.current_specialty()
        if (self.when or nlu.asks_earliest(self.text)) and specialty:
            # "a las diez" right after hearing next Tuesday's slots means next Tuesday.
            return self.offer_slots(specialty, self.when_on_discussed_day(), purpose="reschedule")
        if self.yes_no is False and self.offered():
            return responses.ASK_OTHER_NEW_TIME
        return None

    def continue_confirm_reschedule(self) -> str | None:
        if self.asks_other_time():
            self.state.go(Step.NEW_TIME)
            return self.continue_new_time()
        if self.yes_no is True:
            slot = self.selected_slot()
            result = self.tool(
                "reschedule_appointment",
                appointment_id=self.state.target.appointment_id,
                slot_id=slot.slot_id if slot else None,
            )
            if result.get("code") == flow.CONFIRM_FIRST:
                return result["read_back"]
            if not result.get("ok"):
                self.state.go(Step.NEW_TIME)
                return responses.move_failed(result.get("error", ""))
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return responses.reschedule_confirmed(result["new"], today=self.today)
        if self.yes_no is False:
            self.state.go(Step.NEW_TIME)
            self.state.booking.selected_slot_id = None
            return responses.KEPT_AS_IT_WAS
        return None
