"""What every part of the offline brain's turn shares: the patient's words as understood,
the state, the tools, and the entities and descriptions the job modules all need.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from rapidfuzz import fuzz

from bot import nlu, responses
from bot.formatting import at_time, format_time, join_spanish, with_doctor
from bot.state import OfferedSlot, Step
from bot.tools import execute_tool
from bot.types import BotReply, ToolContext
from clinic.models import Doctor, MissingService, Specialty
from clinic.selectors import (
    Catalog,
    catalog_for,
    doctor_schedules,
    find_coverage,
    find_missing_service,
    find_specialties,
    find_specialty,
    normalize_text,
    without_clinic_name,
)

NAME = "rules"
REFERRED_BY = re.compile(r"\bde parte (?:de la|del|de) (?:(?:dra|dr|doctora|doctor) )?\w+")
TASKS = (nlu.RESCHEDULE, nlu.CANCEL, nlu.MY_APPOINTMENTS, nlu.BOOK)
# "¿Me da una cita con él el lunes?" after an answer about a doctor: "él"/"ella" is that doctor
# (voice writes "él" as "el": a pronoun when a day, a time or nothing follows, not a noun).
WITH_THEM = re.compile(
    r"\bcon (?:el|ella)(?=\s+(?:el|la|los|las|para|a|en|hoy|manana|pasado|este|esta|proximo|proxima)\b|\s*$)"
)
# Where "ok gracias" declines what was offered rather than answering yes.
CLOSABLE_STEPS = frozenset({Step.OFFER_BOOKING, Step.OFFER_TRANSFER, Step.SLOT, Step.SPECIALTY})
# The yes/no offers that "no, gracias" answers whole.
YES_NO_OFFERS = frozenset({Step.OFFER_BOOKING, Step.OFFER_TRANSFER})
NO_WORD = re.compile(r"\bno\b")
# "dejalo, después llamo", "déjelo así", "mejor lo pienso": the patient drops the booking for
# now, whatever was asked; nothing is written and the conversation ends.
GIVES_UP = re.compile(
    r"\b(?:dej(?:a|e)lo|dejemoslo|mejor lo pienso|lo (?:voy a )?pens(?:ar|o) (?:bien|mejor)|"
    r"lo dejo (?:asi|ahi|para (?:despues|otro dia|otro momento))|olvid(?:a|e)lo|ya no gracias|despues veo|lo veo despues|"
    r"(?:despues|luego|mas tarde) (?:te |le |les |los )?(?:llamo|escribo|aviso|vuelvo a (?:llamar|escribir)))\b"
)
# The booking form's steps, where giving up leaves nothing half done.
FORM_STEPS = CLOSABLE_STEPS | {Step.NAME, Step.DOCUMENT, Step.CONFIRM_BOOKING}
SAME_HOUR = re.compile(r"\b(?:(?:a|en) )?(?:la misma hora|el mismo horario|igual horario|mismo horario)\b")


class TurnBase:
    """One patient turn: what was understood, the state, and the answer being built. Nothing
    lives on the instance between turns."""

    def __init__(self, *, text: str, context: ToolContext, confirm_before_booking: bool):
        self.text = text or ""
        self.context = context
        self.state = context.state
        self.clinic = context.clinic
        self.tz = context.tz
        self.local_now = context.now.astimezone(self.tz)
        self.today = self.local_now.date()
        self.confirm_before_booking = confirm_before_booking
        self.intents = (
            self.with_clinic_names(nlu.detect_intents(self.words_beyond_name())) or self.intents_from_examples()
        )
        self.when = self.at_the_same_hour(self.within_requested_period(nlu.extract_when(self.text, now=self.local_now)))
        self.yes_no = nlu.yes_no(self.text)
        self.end = False
        self.transfer = False

    def words_beyond_name(self) -> str:
        """The words to read intents from. Asked for a name, the name itself asks for nothing:
        "Jhon Quispe Huaman" is not a request for a human ("huaman" is near "humano"), "Tomás
        Donde" no question about the address."""
        if self.pending not in {Step.NAME, Step.IDENTIFY}:
            return self.text
        name = nlu.extract_name(self.text, expecting=True)
        if not name:
            return self.text
        said = set(normalize_text(name).split())
        return " ".join(word for word in normalize_text(self.text).split() if word not in said)

    def with_clinic_names(self, intents: list[str]) -> list[str]:
        """ "¿Atienden IOMA?" asks about a coverage, not a specialty: the NLU cannot know this
        clinic's names, the catalog can."""
        if nlu.ASK_SPECIALTIES not in intents or nlu.ASK_COVERAGE in intents:
            return intents
        if self.specialty_in_text() or self.missing_in_text():
            return intents
        if self.coverage_in_text():
            return [nlu.ASK_COVERAGE if intent == nlu.ASK_SPECIALTIES else intent for intent in intents]
        return intents

    def intents_from_examples(self) -> list[str]:
        """The rules found nothing: a phrasing nobody wrote a rule for may still be near a
        labelled example. Not while a question is pending (the answer is a name, a DNI, a
        choice), nor when a specialty, doctor or coverage in the text already says what the
        patient wants (the brain's guess does that). Only when the rules found nothing: also
        consulting it when they found only small talk, or letting a confident one overrule
        them, broke more dev messages than it rescued (bench/understanding_dev.py --history);
        after a finished task, a stricter threshold (the proxy measured first messages)."""
        if self.pending not in {Step.NONE, Step.ANYTHING_ELSE}:
            return []
        if self.specialty_in_text() or self.doctor_in_text():
            return []
        if self.coverage_in_text():
            return []
        intent = nlu.intent_from_examples(self.text, later=self.pending == Step.ANYTHING_ELSE)
        return [intent] if intent else []

    def within_requested_period(self, when: nlu.When) -> nlu.When:
        """ "Para la semana que viene" ... "el martes": that week's Tuesday, not this one's."""
        booking = self.state.booking
        start = booking.requested_date
        if when.day_kind != "weekday" or not booking.requested_period or not start or not when.date:
            return when
        day = when.date
        while day < start:
            day += dt.timedelta(days=7)
        return dataclasses.replace(when, date=day)

    def at_the_same_hour(self, when: nlu.When) -> nlu.When:
        """ "El jueves a la misma hora": the hour of the slot chosen or asked for before."""
        hour = self.state.booking.requested_time
        if when.time or hour is None or not SAME_HOUR.search(nlu.understand(self.text)):
            return when
        return dataclasses.replace(when, time=hour)

    # --- plumbing ----------------------------------------------------------------------------

    def tool(self, name: str, **arguments) -> dict:
        return execute_tool(
            name=name, arguments={k: v for k, v in arguments.items() if v is not None}, context=self.context
        )

    def reply(self, *parts: str) -> BotReply:
        text = " ".join(part.strip() for part in parts if part and part.strip())
        return BotReply(text=text, end_conversation=self.end, transfer_to_human=self.transfer, brain=NAME)

    def clear_flow(self) -> None:
        self.state.clear_flow()

    @property
    def catalog(self) -> Catalog:
        return catalog_for(self.clinic)

    def has(self, intent: str) -> bool:
        return intent in self.intents

    @property
    def task(self) -> str | None:
        return next((intent for intent in self.intents if intent in TASKS), None)

    def declines_and_closes(self) -> bool:
        """ "ok gracias" to an offer (slots, a turno, the desk), or "no, gracias" to a yes/no
        offer: a polite no, and the patient is done, as once a question is answered. Not after
        an emergency: declining that transfer resumes what was pending (the engine's)."""
        if self.state.after_emergency:
            return False
        if self.pending in FORM_STEPS and GIVES_UP.search(normalize_text(self.text)):
            return True
        if not self.has(nlu.THANKS):
            return False
        if nlu.is_closing(self.text):
            return self.pending in CLOSABLE_STEPS
        bare = NO_WORD.sub(" ", normalize_text(self.text))
        return self.yes_no is False and self.pending in YES_NO_OFFERS and nlu.is_closing(bare)

    @property
    def pending(self) -> Step:
        # A brain that stopped right after offering slots (the model's tools leave them) may
        # leave no step: the patient's next words choose among the offered slots.
        return self.state.step or (Step.SLOT if self.offered() else Step.NONE)

    # --- entities ----------------------------------------------------------------------------

    def text_without_clinic_name(self) -> str:
        return without_clinic_name(clinic=self.clinic, text=self.text)

    def specialty_in_text(self) -> Specialty | None:
        text = self.text_without_clinic_name()
        if not text:
            return None
        specialty = find_specialty(clinic=self.clinic, text=text)
        if specialty is None:
            corrected = nlu.understand(text)
            if corrected != text:
                specialty = find_specialty(clinic=self.clinic, text=corrected)
        return specialty

    def doctor_referred_to(self) -> Doctor | None:
        """The doctor just talked about, when the patient says "con él" / "con ella"."""
        doctor_id = self.state.booking.doctor_id
        if not doctor_id or not WITH_THEM.search(nlu.understand(self.text)):
            return None
        return self.catalog.doctor(doctor_id)

    def doctor_specialty_on(self, doctor: Doctor, day: dt.date | None) -> Specialty | None:
        """The specialty a doctor is booked for: their only one, or the only one they attend on
        the day asked (Dr. Romero: Clínica médica on Mondays, Cardiología on Tuesdays)."""
        specialties = self.catalog.specialties_of(doctor)
        if len(specialties) == 1:
            return specialties[0]
        if day is None:
            return None
        that_day = {
            b.specialty_id for b in doctor_schedules(doctor=doctor, on=self.today) if b.weekday == day.weekday()
        }
        attended = [specialty for specialty in specialties if specialty.pk in that_day]
        return attended[0] if len(attended) == 1 else None

    def doctor_in_text(self, doctors=None) -> Doctor | None:
        # The patient's own surname is not a doctor: "me llamo Lucía Fernández" asks for no
        # Dra. Fernández.
        own_name = set(normalize_text(nlu.extract_name(self.text) or "").split())
        # Nor is the one who sent the patient: "vengo de parte de la Dra. Giménez".
        text = REFERRED_BY.sub(" ", normalize_text(self.text))
        words = [word for word in text.split() if word not in own_name]
        if not words:
            return None
        doctors = doctors if doctors is not None else self.catalog.active_doctors
        for doctor in doctors:
            surname = normalize_text(doctor.last_name)
            if not surname:
                continue
            # A typo keeps the surname's length give or take a letter: "medicina" is not "Medina";
            # and a word the rules know is no typo at all: "y media" is not "Medina".
            if surname in words or (
                len(surname) >= 5
                and any(
                    abs(len(w) - len(surname)) <= 1 and w not in nlu.VOCABULARY_SET and fuzz.ratio(surname, w) >= 85
                    for w in words
                )
            ):
                return doctor
        return None

    def coverage_in_text(self) -> str | None:
        """The coverage the text names, this clinic's or a well-known one of the region: a bare
        "tengo Famisanar" or "¿Osecac?" asks whether it is accepted, accepted or not."""
        text = self.text_without_clinic_name()
        coverage = find_coverage(clinic=self.clinic, text=text)
        return coverage.name if coverage else nlu.find_common_coverage(text)

    def specialties_in_text(self) -> list[Specialty]:
        """Every specialty asked for, in the order said ("para mí con el clínico y para mi hija
        con la pediatra")."""
        text = self.text_without_clinic_name()
        return find_specialties(clinic=self.clinic, text=text) if text else []

    def missing_in_text(self) -> MissingService | None:
        """A service the clinic does not offer that the patient asks for ("tienen kine?")."""
        text = self.text_without_clinic_name()
        return find_missing_service(clinic=self.clinic, text=text) if text else None

    def missing_answer(self, missing: MissingService) -> str:
        suggested = missing.suggested_specialty
        active = suggested if suggested and suggested.is_active else None
        return responses.missing_service(missing.name, suggested=active.name if active else "", reason=missing.reason)

    def current_specialty(self) -> Specialty | None:
        specialty_id = self.state.booking.specialty_id
        if not specialty_id:
            return None
        return self.catalog.specialty(specialty_id)

    def specialty_names(self) -> list[str]:
        return self.tool("get_clinic_info", topic="specialties").get("specialties") or []

    # --- offered slots -----------------------------------------------------------------------

    def offered(self) -> list[OfferedSlot]:
        return self.state.booking.offered_slots

    def slot_start(self, slot: OfferedSlot) -> dt.datetime:
        return slot.start.astimezone(self.tz)

    def doctor_name(self, doctor_id) -> str:
        doctor = self.catalog.doctor(doctor_id)
        return doctor.display_name if doctor else ""

    def day_phrase(self, day: dt.date) -> str:
        return responses.day_phrase(day, today=self.today)

    def describe_slot(self, slot: OfferedSlot, *, with_date: bool = True) -> str:
        start = self.slot_start(slot)
        when = f"{self.day_phrase(start.date())} {at_time(start.time())}" if with_date else at_time(start.time())
        return f"{when} {with_doctor(self.doctor_name(slot.doctor_id))}".strip()

    def describe_offered(self, slots: list[OfferedSlot] | None = None) -> str:
        """Grouped for the ear: "el lunes 7 de diciembre a las 9:00, 9:20 o 9:40 con el Dr.
        Gustavo Domínguez, o el martes ..." rather than the doctor's name three times."""
        groups: list[tuple[dt.date, object, list[dt.time]]] = []
        for slot in self.offered() if slots is None else slots:
            start = self.slot_start(slot)
            if groups and groups[-1][0] == start.date() and groups[-1][1] == slot.doctor_id:
                groups[-1][2].append(start.time())
            else:
                groups.append((start.date(), slot.doctor_id, [start.time()]))
        parts = []
        for day, doctor_id, times in groups:
            hours = join_spanish([format_time(t) for t in times], last="o")
            article = "a la" if len(times) == 1 and times[0].hour == 1 else "a las"
            parts.append(f"{self.day_phrase(day)} {article} {hours} {with_doctor(self.doctor_name(doctor_id))}".strip())
        return join_spanish(parts, last="o")

    def selected_slot(self) -> OfferedSlot | None:
        return self.state.selected_slot

    # --- the caller's turnos -----------------------------------------------------------------

    def set_for_whom(self, whom: str) -> None:
        """Whom the turno is for; another person's name and document are asked, never reused."""
        booking = self.state.booking
        if whom or booking.for_whom:
            booking.patient_name = booking.document_number = booking.partial_name = ""
        booking.for_whom = whom

    def my_appointments(self) -> list[dict]:
        result = self.tool("list_my_appointments")
        return (result.get("appointments") or []) if result.get("ok") else []

    def describe_appointment(self, appointment: dict) -> str:
        return responses.appointment_phrase(appointment, today=self.today)

    def target_appointment(self) -> dict | None:
        target_id = self.state.target.appointment_id
        return next((a for a in self.my_appointments() if a["appointment_id"] == target_id), None)

    def cancel_question(self, appointment: dict) -> str:
        return responses.cancel_question(self.describe_appointment(appointment))

    def reschedule_question(self) -> str | None:
        appointment = self.target_appointment()
        slot = self.selected_slot()
        if appointment is None or slot is None:
            return None
        return responses.reschedule_question(self.describe_appointment(appointment), self.describe_slot(slot))
