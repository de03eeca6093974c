"""Answers to questions about the clinic: coverages, specialties, opening hours, address,
phone and prices (which reception gives).
"""

from __future__ import annotations

import datetime as dt
import re

from bot import nlu
from bot.brains.rules.base import TurnBase
from bot.formatting import format_time, join_spanish, weekday_name
from bot.state import Step
from clinic.selectors import normalize_text, suggest_names

INFO_INTENTS = (nlu.ASK_COVERAGE, nlu.ASK_SPECIALTIES, nlu.ASK_HOURS, nlu.ASK_ADDRESS, nlu.ASK_CONTACT, nlu.ASK_PRICE)
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
        if intent == nlu.ASK_COVERAGE:
            return self.answer_coverage()
        if intent == nlu.ASK_SPECIALTIES:
            return self.answer_specialties()
        if intent == nlu.ASK_HOURS:
            return self.answer_hours()
        if intent == nlu.ASK_ADDRESS:
            address = self.tool("get_clinic_info", topic="contact").get("address")
            return f"Estamos en {address}." if address else None
        if intent == nlu.ASK_CONTACT:
            phone = self.tool("get_clinic_info", topic="contact").get("phone")
            return f"Puede llamarnos al {phone}." if phone else None
        if intent == nlu.ASK_PRICE:
            if not self.pending:
                self.state.go(Step.OFFER_TRANSFER)
                return "Los valores de las consultas se los informa recepción. ¿Quiere que lo comunique?"
            return "Los valores de las consultas se los informa recepción."
        return None

    def answer_coverage(self) -> str:
        result = self.tool("get_clinic_info", topic="coverages", coverage=self.text_without_clinic_name()[:100])
        accepted = result.get("coverages_accepted") or []
        listing = join_spanish(accepted)
        private = " También puede atenderse en forma particular." if result.get("private_pay") else ""
        found = result.get("coverage_found")
        if found and result.get("coverage_accepted"):
            notes = f" {result['coverage_notes'].rstrip('.')}." if result.get("coverage_notes") else ""
            if found not in accepted:  # "Particular"
                return f"Sí, puede atenderse en forma particular.{notes}"
            return f"Sí, trabajamos con {found}.{notes} Las coberturas que aceptamos son {listing}.{private}"
        if found:
            return f"No, no trabajamos con {found}. Aceptamos {listing}.{private}"
        asked = nlu.find_common_coverage(self.text)
        subject = nlu.extract_offer_subject(self.text)
        if not asked and subject and not set(subject.split()) <= GENERIC_COVERAGE_WORDS:
            asked = subject.upper() if len(subject) <= 5 else subject.title()
        if asked:
            return f"No, no trabajamos con {asked}. Aceptamos {listing}.{private}"
        return f"Trabajamos con {listing}.{private}"

    def answer_specialties(self) -> str:
        specialty = self.specialty_in_text()
        if specialty:
            if self.task:
                return f"Sí, tenemos {specialty.name}."
            self.state.booking.specialty_id = specialty.pk
            if not self.pending or self.pending in {Step.ANYTHING_ELSE, Step.SPECIALTY, Step.OFFER_BOOKING}:
                self.state.go(Step.OFFER_BOOKING)
                return f"Sí, tenemos {specialty.name}. ¿Quiere que le busque un turno?"
            return f"Sí, tenemos {specialty.name}."
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
                return f"No, no tenemos {asked}, pero tenemos {join_spanish(ordered)}. ¿Le busco un turno en alguna?"
            return f"No, no tenemos {asked}, pero tenemos {join_spanish(ordered)}."
        if (
            subject
            and not self.has(nlu.BOOK)
            and not re.search(r"\bespecialid|\bespecialista|\bque ", nlu.understand(self.text))
        ):
            return (
                f"No tengo información sobre «{subject}». Le puedo informar especialidades, obras sociales, "
                "horarios y dirección, o comunicarlo con recepción."
            )
        if self.task or (self.pending and self.pending not in {Step.ANYTHING_ELSE, Step.OFFER_BOOKING}):
            return f"Tenemos {join_spanish(names)}."
        self.state.go(Step.SPECIALTY)
        return f"Tenemos {join_spanish(names)}. ¿Para cuál necesita turno?"

    def answer_hours(self) -> str:
        lines = self.tool("get_clinic_info", topic="hours").get("opening_hours") or []
        schedule = "; ".join(lines)
        day = self.when.date
        if day is None:
            named = next((w for w in nlu.WEEKDAYS if re.search(rf"\b{w}\b", nlu.understand(self.text))), None)
            if named:
                day = self.today + dt.timedelta(days=(nlu.WEEKDAYS[named] - self.today.weekday()) % 7)
        if day is not None:
            rows = [hours for hours in self.catalog.opening_hours if hours.weekday == day.weekday()]
            label = weekday_name(day)
            which = "hoy" if day == self.today else ("mañana" if day == self.today + dt.timedelta(days=1) else None)
            when_text = which or (f"los {label}" if label.endswith("s") else f"los {label}s")
            if not rows:
                return f"No, {when_text} la clínica está cerrada. Nuestro horario es: {schedule}."
            ranges = " y ".join(f"de {format_time(r.opens_at)} a {format_time(r.closes_at)}" for r in rows)
            return f"Sí, {when_text} atendemos {ranges}."
        return (
            f"Nuestro horario de atención es: {schedule}." if schedule else "No tengo cargado el horario de atención."
        )
