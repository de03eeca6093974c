"""Answers to questions about the clinic: coverages, specialties, opening hours, address,
phone and prices (which reception gives).
"""

from __future__ import annotations

import datetime as dt
import re

from bot import nlu, responses
from bot.brains.rules.base import TurnBase
from bot.formatting import format_time, join_spanish, weekday_name, with_doctor
from bot.state import Step
from clinic.models import Doctor, Specialty, Weekday
from clinic.selectors import doctor_schedules, find_specialty, normalize_text, suggest_names

INFO_INTENTS = (
    nlu.ASK_DOCTOR,
    nlu.ASK_COVERAGE,
    nlu.ASK_SPECIALTIES,
    nlu.ASK_HOURS,
    nlu.ASK_ADDRESS,
    nlu.ASK_CONTACT,
    nlu.ASK_PRICE,
    nlu.ASK_REQUIREMENTS,
)
# "¿Y los sábados?": the same question as the last answer, about another day.
DAY_FOLLOW_UP = re.compile(
    r"\s*y (?:los |el |las )?(?:\w+ )?(?:sabados?|domingos?|lunes|martes|miercoles|jueves|viernes|feriados?)\b"
)
# "¿atienden niños?": a question about the clinic's doctors for children.
CHILDREN = re.compile(r"\b(?:ninos|ninas|chicos|chicas|nenes|bebes|menores|adolescentes|criaturas)\b")
# Words that make an unknown "¿tienen X?" sound like a medical service rather than, say, parking.
MEDICAL_LOOKING = re.compile(r"(?:logia|logo|loga|iatra|iatria|ista|terapia|pedia|cirug|medic|doctor|especialista)")
GENERIC_COVERAGE_WORDS = {
    "obra",
    "obras",
    "social",
    "sociales",
    "prepaga",
    "prepagas",
    "cobertura",
    "coberturas",
    "seguro",
    "seguros",
    "medico",
    "de",
    "salud",
    "mutual",
    "ellos",
    "ellas",
    "eso",
    "esa",
    "esas",
    "esos",
    "mi",
    "que",
    "cual",
    "cuales",
}


class InfoAnswers(TurnBase):
    """Questions about the clinic, answered from get_clinic_info."""

    def answer_info(self, intent: str) -> str | None:
        if intent == nlu.ASK_DOCTOR:
            return self.answer_doctor()
        if intent == nlu.ASK_REQUIREMENTS:
            return responses.REQUIREMENTS
        if intent == nlu.ASK_COVERAGE:
            return self.answer_coverage()
        if intent == nlu.ASK_SPECIALTIES:
            return self.answer_specialties()
        if intent == nlu.ASK_HOURS:
            return self.answer_hours()
        if intent == nlu.ASK_ADDRESS:
            address = self.tool("get_clinic_info", topic="contact").get("address")
            return responses.address(address) if address else None
        if intent == nlu.ASK_CONTACT:
            phone = self.tool("get_clinic_info", topic="contact").get("phone")
            return responses.phone(phone) if phone else None
        if intent == nlu.ASK_PRICE:
            if not self.pending:
                self.state.go(Step.OFFER_TRANSFER)
                return responses.PRICES_OFFER
            return responses.PRICES
        return None

    def answer_coverage(self) -> str:
        result = self.tool("get_clinic_info", topic="coverages", coverage=self.text_without_clinic_name()[:100])
        accepted = result.get("coverages_accepted") or []
        listing = join_spanish(accepted)
        private = f" {responses.PRIVATE_PAY}" if result.get("private_pay") else ""
        found = result.get("coverage_found")
        if found and result.get("coverage_accepted"):
            notes = f" {result['coverage_notes'].rstrip('.')}." if result.get("coverage_notes") else ""
            if found not in accepted:  # "Particular"
                return responses.coverage_private(notes)
            return responses.coverage_accepted(found, notes=notes, listing=listing, private=private)
        if found:
            return responses.coverage_not_accepted(found, listing=listing, private=private)
        asked = nlu.find_common_coverage(self.text)
        subject = nlu.extract_offer_subject(self.text)
        if not asked and subject and _looks_like_a_coverage_name(subject):
            asked = subject.upper() if len(subject) <= 5 else subject.title()
        if asked:
            return responses.coverage_not_accepted(asked, listing=listing, private=private)
        return responses.coverages(listing, private=private)

    def answer_specialties(self) -> str:
        missing = self.missing_in_text()
        if missing:
            # "tienen kine? me lesioné el hombro": no, and what we have for it instead.
            answer = self.missing_answer(missing)
            instead = missing.suggested_specialty if missing.suggested_specialty else self.specialty_in_text()
            if instead and instead.is_active and not self.task:
                self.state.booking.specialty_id = instead.pk
                if not self.pending or self.pending in {Step.ANYTHING_ELSE, Step.SPECIALTY, Step.OFFER_BOOKING}:
                    self.state.go(Step.OFFER_BOOKING)
                    return f"{answer} {responses.offer_booking(instead.name)}"
            return answer
        specialty = self.specialty_in_text()
        if specialty:
            # "¿Hay cardiología el miércoles 16?": and who of it is away that day.
            have = " ".join(
                part
                for part in (
                    responses.specialty_offered(specialty.name),
                    self.absence_note(self.catalog.doctors_of(specialty)),
                )
                if part
            )
            if self.task:
                return have
            self.state.booking.specialty_id = specialty.pk
            if not self.pending or self.pending in {Step.ANYTHING_ELSE, Step.SPECIALTY, Step.OFFER_BOOKING}:
                self.state.go(Step.OFFER_BOOKING)
                # "pediatra el viernes a la mañana?": the day asked holds for the turno offered.
                self.state.request(date=self.when.date, time=self.when.time, part_of_day=self.when.part_of_day)
                # "¿hay pediatra para mi hijo?": the turno a "sí" starts is the son's.
                relatives = [person for person in nlu.extract_people(self.text) if person]
                if relatives:
                    self.set_for_whom(relatives[0])
                return f"{have} {responses.OFFER_A_TURNO}"
            return have
        names = self.specialty_names()
        asked = nlu.find_common_specialty(self.text)
        subject = nlu.extract_offer_subject(self.text)
        if not asked and subject and MEDICAL_LOOKING.search(normalize_text(subject)):
            asked = subject
        if asked:
            closest = suggest_names(text=asked, names=names)
            ordered = closest + [name for name in names if name not in closest]
            if not self.pending or self.pending in {Step.ANYTHING_ELSE, Step.OFFER_BOOKING}:
                self.state.go(Step.SPECIALTY)
                return responses.specialty_not_offered(asked, join_spanish(ordered), offer=True)
            return responses.specialty_not_offered(asked, join_spanish(ordered), offer=False)
        if self.when.date is not None and not self.has(nlu.BOOK):
            return self.answer_hours()  # "¿atienden el 8 de diciembre?" asks about a day, not a specialty
        if (
            subject
            and not self.has(nlu.BOOK)
            and not re.search(r"\bespecialid|\bespecialista|\bque ", nlu.understand(self.text))
        ):
            return responses.unknown_subject(subject)
        if self.task or (self.pending and self.pending not in {Step.ANYTHING_ELSE, Step.OFFER_BOOKING}):
            return responses.specialties(join_spanish(names), ask=False)
        self.state.go(Step.SPECIALTY)
        return responses.specialties(join_spanish(names), ask=True)

    def closed_on_date(self) -> dict:
        """get_clinic_info of the date asked ({} when none is): the clinic's closure and the
        doctors absent that day, which the weekly hours and schedules do not know about."""
        if self.when.date is None:
            return {}
        return self.tool("get_clinic_info", topic="hours", date=self.when.date.isoformat())

    def absence_note(self, doctors: list[Doctor], facts: dict | None = None) -> str:
        """ "El miércoles 16 de diciembre no atiende el Dr. Martín Gutiérrez." for those of
        `doctors` absent on the date asked ("" when none is)."""
        facts = self.closed_on_date() if facts is None else facts
        names = {doctor.display_name for doctor in doctors}
        absent = [name for name in facts.get("doctors_absent", []) if name in names]
        if not absent or self.when.date is None:
            return ""
        return responses.doctors_absent_on(self.day_phrase(self.when.date), absent)

    def answer_hours(self) -> str:
        facts = self.closed_on_date() or self.tool("get_clinic_info", topic="hours")
        schedule = "; ".join(facts.get("opening_hours") or [])
        day = self.when.date
        if day is None:
            named = next((w for w in nlu.WEEKDAYS if re.search(rf"\b{w}\b", nlu.understand(self.text))), None)
            if named:
                day = self.today + dt.timedelta(days=(nlu.WEEKDAYS[named] - self.today.weekday()) % 7)
        if day is not None and self.when.date and self.when.day_kind == "" and facts.get("clinic_closed"):
            # A calendar day ("¿atienden el 8 de diciembre?"): a holiday or closure on it first.
            return responses.closed_on(self.day_phrase(day), reason=facts["clinic_closed"]["reason"])
        specialty = self.specialty_in_text()
        doctors = self.catalog.doctors_of(specialty) if specialty else self.catalog.active_doctors
        absent = self.absence_note(doctors, facts)
        if day is not None:
            rows = [hours for hours in self.catalog.opening_hours if hours.weekday == day.weekday()]
            label = weekday_name(day)
            which = "hoy" if day == self.today else ("mañana" if day == self.today + dt.timedelta(days=1) else None)
            when_text = which or (f"los {label}" if label.endswith("s") else f"los {label}s")
            if not rows:
                return responses.closed_weekday(when_text, schedule)
            ranges = " y ".join(f"de {format_time(r.opens_at)} a {format_time(r.closes_at)}" for r in rows)
            return " ".join(part for part in (responses.open_weekday(when_text, ranges), absent) if part)
        return responses.opening_hours(schedule)

    # --- doctors ------------------------------------------------------------------------------

    def is_day_follow_up(self) -> bool:
        return bool(DAY_FOLLOW_UP.match(nlu.understand(self.text)))

    def doctor_follow_up(self) -> str | None:
        """ "¿Y los jueves?" right after an answer about a doctor: about that doctor."""
        doctor_id = self.state.booking.doctor_id
        if not doctor_id or self.selected_slot() or not self.is_day_follow_up():
            return None
        doctor = self.catalog.doctor(doctor_id)
        return self.answer_doctor(doctor) if doctor else None

    def answer_doctor(self, doctor: Doctor | None = None) -> str | None:
        """ "¿Qué días atiende la Dra. Herrera?", "¿el Dr. Romero atiende los martes?",
        "¿atienden niños?": from the doctors' weekly schedules and specialties."""
        doctor = doctor or self.doctor_in_text()
        if doctor is None:
            specialty = self.specialty_in_text()
            if specialty is None and CHILDREN.search(nlu.understand(self.text)):
                specialty = find_specialty(clinic=self.clinic, text="ninos")
            if specialty is None:
                return None
            doctors = self.catalog.doctors_of(specialty)
            names = join_spanish([d.display_name for d in doctors])
            self.offer_to_book(specialty)
            lead = responses.specialty_doctors(specialty.name, names)
            days = " ".join(self.doctor_days(d, specialty) for d in doctors)
            return " ".join(
                part for part in (f"{lead}.", days, self.absence_note(doctors), self.offer_question()) if part
            )
        specialties = self.catalog.specialties_of(doctor)
        facts = self.closed_on_date()
        if facts.get("clinic_closed") and self.when.date:
            return responses.closed_on(self.day_phrase(self.when.date), reason=facts["clinic_closed"]["reason"])
        if self.absence_note([doctor], facts) and self.when.date:
            # "¿El Dr. Gutiérrez atiende el miércoles 16?" on a day of his leave: no, and when he does.
            if len(specialties) == 1:
                self.offer_to_book(specialties[0], doctor=doctor)
            said = responses.doctor_absent_on(self.day_phrase(self.when.date), _the(doctor))
            return " ".join(part for part in (said, self.doctor_days(doctor), self.offer_question()) if part)
        asked_day = self.asked_weekday()
        if asked_day is not None:
            blocks = [b for b in doctor_schedules(doctor=doctor, on=self.today) if b.weekday == asked_day]
            plural = _plural(Weekday(asked_day).label.lower())
            if not blocks:
                if len(specialties) == 1:
                    self.offer_to_book(specialties[0], doctor=doctor)  # another day with them
                said = f"{responses.doctor_not_on(_the(doctor), plural)} {self.doctor_days(doctor)}"
                return f"{said} {self.offer_question()}".strip()
            specialty = blocks[0].specialty
            hours = " y ".join(f"de {format_time(b.start_time)} a {format_time(b.end_time)}" for b in blocks)
            self.offer_to_book(specialty, doctor=doctor)
            said = responses.doctor_on(_the(doctor), specialty=specialty.name, weekday=plural, hours=hours)
            return f"{said} {self.offer_question()}".strip()
        if len(specialties) == 1:
            self.offer_to_book(specialties[0], doctor=doctor)
            return f"{self.doctor_days(doctor)} {self.offer_question()}".strip()
        if not (self.task or self.pending):
            self.state.booking.doctor_id = doctor.pk  # "¿me da una cita con él el lunes?" next
        return self.doctor_days(doctor)

    def asked_weekday(self) -> int | None:
        understood = nlu.understand(self.text)
        named = next((w for w in nlu.WEEKDAYS if re.search(rf"\b{w}\b", understood)), None)
        if named:
            return nlu.WEEKDAYS[named]
        return self.when.date.weekday() if self.when.date else None

    def doctor_days(self, doctor: Doctor, specialty: Specialty | None = None) -> str:
        """ "El Dr. Martín Gutiérrez atiende Cardiología los lunes y miércoles de 8:00 a 12:00 y de 14:00 a 18:00." """
        by_specialty: dict[str, dict[tuple, list[int]]] = {}
        for block in doctor_schedules(doctor=doctor, on=self.today):
            if specialty is not None and block.specialty_id != specialty.pk:
                continue
            hours = by_specialty.setdefault(block.specialty.name, {})
            hours.setdefault((block.start_time, block.end_time), []).append(block.weekday)
        said = []
        for name, hours in by_specialty.items():
            by_days: dict[tuple[int, ...], list[str]] = {}
            for (start, end), weekdays in hours.items():
                by_days.setdefault(tuple(sorted(set(weekdays))), []).append(
                    f"de {format_time(start)} a {format_time(end)}"
                )
            parts = [
                f"los {join_spanish([_plural(Weekday(d).label.lower()) for d in days])} {' y '.join(ranges)}"
                for days, ranges in by_days.items()
            ]
            said.append((name, "; ".join(parts)))
        who = _the(doctor)
        return responses.doctor_days(who[0].upper() + who[1:], said)

    def offer_to_book(self, specialty: Specialty, *, doctor: Doctor | None = None) -> None:
        """After a fact about doctors, a yes books with them (unless in the middle of something)."""
        if self.task or (self.pending and self.pending not in {Step.ANYTHING_ELSE, Step.OFFER_BOOKING}):
            return
        self.state.booking.specialty_id = specialty.pk
        self.state.booking.doctor_id = doctor.pk if doctor else None
        self.state.go(Step.OFFER_BOOKING)

    def offer_question(self) -> str:
        return responses.OFFER_A_TURNO if self.state.step == Step.OFFER_BOOKING else ""


def _plural(day_name: str) -> str:
    return day_name if day_name.endswith("s") else f"{day_name}s"


def _the(doctor: Doctor) -> str:
    """ "el Dr. Alejandro Romero" / "la Dra. Carolina Herrera" (with_doctor without "con")."""
    return with_doctor(doctor.display_name).removeprefix("con ")


# Words that make "¿trabajan con la obra social de mi trabajo?" a description, not a name
# to repeat back ("No, no trabajamos con Obra Social De Mi Trabajo").
DESCRIPTION_WORDS = GENERIC_COVERAGE_WORDS | {
    "la",
    "el",
    "los",
    "las",
    "del",
    "con",
    "convenio",
    "plan",
    "mis",
    "su",
    "sus",
    "tu",
    "marido",
    "esposa",
    "esposo",
    "trabajo",
    "empresa",
    "docentes",
    "padre",
    "madre",
    "papa",
    "mama",
    "hijo",
    "hija",
    "familia",
    "nueva",
    "otra",
    "otro",
    "alguna",
    "algun",
    "una",
    "un",
    "tarde",
    "manana",
    "noche",
}


def _looks_like_a_coverage_name(subject: str) -> bool:
    words = subject.split()
    return 0 < len(words) <= 2 and not set(words) & DESCRIPTION_WORDS
