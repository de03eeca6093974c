"""The waitlist form: when nothing offered suits (or nothing is free), the caller may wait
for a freed slot of the specialty; the reminders app offers it by WhatsApp when one frees up.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod

from bot import nlu, responses
from bot.brains.rules.base import TurnBase
from bot.state import Flow, Step
from clinic.models import Specialty
from clinic.selectors import normalize_text

# "ninguno me sirve", "no me queda bien ninguno", "ninguna de esas"
NONE_SUITS = re.compile(r"\bningun[oa]s?\b|\bnada de eso\b")
ASKS_FOR_WAITLIST = re.compile(r"\blista de espera\b|\banot(?:e|a|ar)me\b.*\b(?:espera|aviso|avise)\b")


class WaitlistForm(TurnBase, ABC):
    """Offering the waitlist and taking who waits (bot.flow's waitlist steps)."""

    @abstractmethod
    def offer_slots(self, specialty: Specialty | None, when: nlu.When, *, purpose: str = "book") -> str:
        """The booking form's offer, for a patient who names another day instead."""

    def asks_for_waitlist(self) -> bool:
        return bool(ASKS_FOR_WAITLIST.search(normalize_text(self.text)))

    def none_suits(self) -> bool:
        return bool(NONE_SUITS.search(normalize_text(self.text)))

    def offer_waitlist(self, specialty: Specialty, *, nothing_free: bool) -> str:
        """Ask before writing anything: the booking's slots (specialty, doctor, part of day)
        stay as the waitlist's wishes."""
        self.state.booking.specialty_id = specialty.pk
        self.state.flow = Flow.WAITLIST
        self.state.go(Step.OFFER_WAITLIST)
        question = responses.WAITLIST_QUESTION.format(specialty=specialty.name)
        if nothing_free:
            return f"{responses.NO_FREE_SLOTS.format(specialty=specialty.name)} {question}"
        return f"{responses.WAITLIST_OR_OTHER_DAY} {question}"

    def start_waitlist(self) -> str:
        specialty = self.specialty_in_text() or self.current_specialty()
        if specialty is None:
            self.state.start(Flow.BOOK)
            self.state.go(Step.SPECIALTY)
            return responses.WAITLIST_WHICH_SPECIALTY
        self.state.booking.specialty_id = specialty.pk
        self.state.flow = Flow.WAITLIST
        return self.ask_who_waits()

    def continue_offer_waitlist(self) -> str | None:
        if self.yes_no is True or self.asks_for_waitlist():
            return self.ask_who_waits()
        if self.when and self.current_specialty():
            self.state.flow = Flow.BOOK
            return self.offer_slots(self.current_specialty(), self.when)
        if self.yes_no is False:
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return responses.OK_ANYTHING_ELSE
        return None

    def ask_who_waits(self) -> str:
        booking = self.state.booking
        if booking.patient_name and booking.document_number:
            return self.join()
        self.state.go(Step.WAITLIST_PATIENT)
        return responses.WAITLIST_WHO

    def continue_waitlist_patient(self) -> str | None:
        booking = self.state.booking
        if self.asks_for_waitlist():  # the request again, not a name
            return responses.WAITLIST_WHO
        name = nlu.extract_name(self.text, expecting=True)
        document = nlu.extract_document_number(self.text, expecting=True)
        if name and len(name.split()) >= 2:
            booking.patient_name = name
        if document:
            booking.document_number = document
        if not (name or document):
            return None
        if not booking.patient_name:
            return responses.WAITLIST_NAME_MISSING
        if not booking.document_number:
            return responses.DOCUMENT_MISSING
        return self.join()

    def join(self) -> str:
        specialty = self.current_specialty()
        if specialty is None:
            self.state.go(Step.SPECIALTY)
            return responses.WAITLIST_WHICH_SPECIALTY
        booking = self.state.booking
        doctor = self.catalog.doctor(booking.doctor_id) if booking.doctor_id else None
        part = booking.requested_part_of_day
        result = self.tool(
            "join_waitlist",
            specialty=specialty.name,
            full_name=booking.patient_name,
            document_number=booking.document_number,
            doctor=doctor.last_name if doctor else None,
            part_of_day=part.value if part else None,
        )
        # Whoever waits next is asked again: a second entry is often for another family member.
        booking.patient_name = booking.document_number = ""
        if not result.get("ok"):
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return f"{result.get('error', responses.APOLOGY)} {responses.ANYTHING_ELSE}"
        return f"{responses.waitlist_joined(result['waitlisted'])} {responses.ANYTHING_ELSE}"
