"""Whom the turnos are for: several asked in one message ("uno para mí y otro para mi hija"),
another one asked after a booking ("y otro para mi papá, el mismo día"), and the caller's own
name and document said along with the request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from abc import ABC

from appointments.policy import PartOfDay
from bot import nlu, responses
from bot.brains.rules.offer import SlotOffers
from bot.state import Flow, QueuedBooking, Step
from clinic.models import Specialty
from clinic.selectors import find_specialty

# "... y sacar uno con el dermatólogo", "... y también pedir una cita": a new turno asked after
# another task in the same message (read on nlu.understand's text).
AND_BOOK = re.compile(
    r"\by (?:tambien |ademas )?(?:quiero |quisiera |necesito )?"
    r"(?:sacar|sacarme|pedir|pedirme|agendar|reservar|dame|deme|darme|sacame|un|una)\b"
    r"(?:\s+(?:uno|una|otro|otra|un|nuevo|nueva|turno|cita|hora)\b)*"
)

SAME_DAY_AS_BOOKED = re.compile(r"\b(?:mismo dia|misma fecha|ese mismo dia|ese dia)\b")


def queued_booking(*, specialty: Specialty, when: nlu.When, for_whom: str = "") -> QueuedBooking:
    """A turno asked after the current one, with the day and part of the day said for it."""
    return QueuedBooking(
        specialty_id=specialty.pk,
        for_whom=for_whom,
        requested_date=when.date,
        requested_part_of_day=PartOfDay(when.part_of_day) if when.part_of_day else None,
    )


def requested_when(queued: QueuedBooking) -> nlu.When:
    """What queued_booking kept of the request, as the offer reads it."""
    part = queued.requested_part_of_day.value if queued.requested_part_of_day else None
    return nlu.When(date=queued.requested_date, part_of_day=part)


class WhoseTurnos(SlotOffers, ABC):
    """The person of each turno, and the turnos queued after the current one."""

    def plan_bookings(self, first: Specialty) -> None:
        """Several turnos in one message ("uno para mí con el clínico y otro para mi hija con la
        pediatra"): this one first, for whom it is; the others queued in the order said."""
        people = nlu.extract_people(self.text)
        others = [s for s in self.specialties_in_text() if s.pk != first.pk]
        self.set_for_whom(people[0] if people else "")
        rest = people[1:]
        if not others and rest:
            others = [first] * len(rest)
        when = self.when
        self.state.queued_bookings = [
            queued_booking(specialty=specialty, when=when, for_whom=rest[min(index, len(rest) - 1)] if rest else "")
            for index, specialty in enumerate(others)
        ]

    def keep_caller_data(self) -> None:
        """ "Soy Martín Aguirre, DNI 28777666, quiero turno ...": the name (introduced) and the
        document said with the request are not asked again. With a relative's turno only what
        is said as theirs: whose a bare document is, is not clear."""
        if self.state.booking.for_whom:
            # "para mi hija Valeria Soto Ramírez": the relative's own name is theirs to keep,
            # and a document said as theirs ("la cédula de ella es 17456789").
            self.keep_relatives_name()
            if nlu.says_relatives_document(self.text):
                self.state.booking.document_number = nlu.extract_document_number(self.text, expecting=True) or ""
            return
        name = nlu.extract_name(self.text)
        self.state.set_caller(
            name=name if name and len(name.split()) >= 2 else None,
            document_number=nlu.extract_document_number(self.text),
        )

    def keep_relatives_name(self) -> bool:
        """The full name of the relative whose turno this is, when said ("a nombre de Héctor
        Domínguez", "es el DNI de mi marido, Jordi Puig"); True when one was kept."""
        name = nlu.extract_relative_name(self.text) if self.state.booking.for_whom else None
        if name:
            self.state.booking.patient_name = name
            self.state.booking.partial_name = ""
        return bool(name)

    def keep_introduced_name(self) -> bool:
        """ "la primera, a nombre de Juan Pérez": the caller's full name said with another answer
        (only an introduced one; a bare name there may be anything)."""
        name = None if self.state.booking.for_whom else nlu.extract_name(self.text)
        if name and len(name.split()) >= 2:
            self.state.booking.patient_name = name
            return True
        return False

    def keep_name_after_colon(self) -> bool:
        """ "y otra para mi marido el mismo día: Andrés Gil, 51222444H": the relative's name and
        document after the colon are theirs."""
        _, colon, after = self.text.partition(":")
        # The document's letter ("51222444H") is no part of the name.
        words = re.sub(r"\S*\d\S*", " ", after)
        name = nlu.extract_name(words, expecting=True) if colon and self.state.booking.for_whom else None
        if not name or len(name.split()) < 2:
            return False
        self.state.booking.patient_name = name
        self.state.booking.document_number = nlu.extract_document_number(after) or ""
        return True

    def became_for_relative(self) -> bool:
        """ "ah no, la cita es para mi hijo ..." once the caller's name or data are given: they
        are not the relative's. The turno becomes the relative's; a name (two words) and a
        document said along with it are kept, the rest is asked again. False when no other
        person is said, or for a yes ("sí, y otro para mi hija" is another turno)."""
        relatives = [person for person in nlu.extract_people(self.text) if person]
        if not relatives or relatives[0] == self.state.booking.for_whom or self.yes_no is True:
            return False
        name = nlu.extract_relative_name(self.text) or nlu.extract_name(self.text)
        document = nlu.extract_document_number(self.text)
        self.set_for_whom(relatives[0])
        if name and len(name.split()) >= 2:
            self.state.booking.patient_name = name
        self.state.booking.document_number = document or ""
        return True

    def asks_for_the_booked_day(self) -> bool:
        """ "y otra cita con el dermatólogo ese mismo día" once a turno is booked."""
        said = SAME_DAY_AS_BOOKED.search(nlu.understand(self.text))
        return bool(said and self.state.patient.last_booked_appointment_id)

    def book_another(self) -> str | None:
        """ "y otro para mi papá, el mismo día" after a booking: a turno for that person, of the
        same specialty unless another is named, on the day said ("el mismo día": the day of
        the turno just booked). None when the words ask for no other turno."""
        # "y otra con el dermatólogo ese mismo día, también para mí": the caller is a person too.
        people = nlu.extract_people(self.text)
        specialty = self.specialty_in_text() or self.current_specialty()
        if not people or specialty is None or not re.search(r"\b(?:otro|otra|uno|una)\b", nlu.understand(self.text)):
            return None
        when = self.when
        if not when.date and SAME_DAY_AS_BOOKED.search(nlu.understand(self.text)):
            booked = next(
                (
                    a
                    for a in self.my_appointments()
                    if a["appointment_id"] == self.state.patient.last_booked_appointment_id
                ),
                None,
            )
            if booked:
                when = dataclasses.replace(when, date=dt.date.fromisoformat(booked["date"]))
        self.state.start(Flow.BOOK)
        self.set_for_whom(people[0])
        self.keep_relatives_name() or self.keep_name_after_colon()
        self.state.booking.specialty_id = specialty.pk
        return self.offer_slots(specialty, when)

    def booking_after_task(self) -> tuple[str, Specialty | None] | None:
        """The words of a new turno asked after another task ("cancelar el turno del jueves y
        sacar uno con el dermatólogo para la semana que viene") and the specialty they name;
        None when the message asks for no second turno."""
        understood = nlu.understand(self.text)
        match = AND_BOOK.search(understood)
        if match is None:
            return None
        tail = understood[match.start() :]
        return tail, find_specialty(clinic=self.clinic, text=tail)

    def queue_booking(self, tail: str, specialty: Specialty) -> None:
        """Keep the second task (its specialty and day) until the first one is done."""
        self.state.queued_bookings = [
            queued_booking(specialty=specialty, when=nlu.extract_when(tail, now=self.local_now))
        ]

    def then_queued_booking(self, told: str) -> str:
        """The first task told, then the turno asked after it in the same message."""
        if not self.state.queued_bookings:
            return told
        return f"{told.removesuffix(responses.ANYTHING_ELSE).strip()} {self.next_queued_booking()}"

    def next_queued_booking(self) -> str:
        """The next turno asked in the same message: "Ahora, para su hija: ..." with its slots."""
        queued = self.state.queued_bookings.pop(0)
        specialty = self.catalog.specialty(queued.specialty_id)
        self.state.start(Flow.BOOK)
        self.set_for_whom(queued.for_whom)
        if specialty is None:
            self.state.go(Step.SPECIALTY)
            return responses.ask_specialty_for(queued.for_whom)
        self.state.booking.specialty_id = specialty.pk
        return f"{responses.now_for(queued.for_whom)} {self.offer_slots(specialty, requested_when(queued))}"
