"""Rules the assistant (both brains) and the desk share, defined once.

- How long before a slot starts it can still be booked, by who books it (the assistant
  leaves the patient time to get there; reception may book a walk-in for right now).
- What "a la mañana / a la tarde / a la noche" mean as clock times.
- Which identity documents are accepted and how they are written (see `documents`).
- The booking caps (values only: `identity` enforces them).

Values come from settings (environment) with the defaults below, so a clinic tunes them
without a code change. Pure functions: no models, no queries.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings


class Actor(StrEnum):
    """Who books: the lead time differs."""

    ASSISTANT = "assistant"
    DESK = "desk"


def lead_time(actor: Actor) -> dt.timedelta:
    """Minimum time between now and a slot's start for `actor` to book it."""
    minutes = (
        settings.BOOKING_LEAD_MINUTES_ASSISTANT if actor == Actor.ASSISTANT else settings.BOOKING_LEAD_MINUTES_DESK
    )
    return dt.timedelta(minutes=minutes)


def earliest_bookable(*, now: dt.datetime, actor: Actor) -> dt.datetime:
    return now + lead_time(actor)


class PartOfDay(StrEnum):
    """The three parts of a clinic's day, as patients say them."""

    MORNING = "morning"  # "a la mañana", "temprano"
    AFTERNOON = "afternoon"  # "a la tarde", "después del mediodía"
    EVENING = "evening"  # "a la noche"


# Where each part starts (local time); a part ends where the next starts. Argentine
# clinics' morning shift runs until 13:00, so "mañana" ends at 13:00, not at noon.
PART_OF_DAY_STARTS = {
    PartOfDay.MORNING: dt.time(0, 0),
    PartOfDay.AFTERNOON: dt.time(13, 0),
    PartOfDay.EVENING: dt.time(19, 0),
}


def part_of_day(value: dt.time) -> PartOfDay:
    """The part of the day a local clock time belongs to."""
    if value >= PART_OF_DAY_STARTS[PartOfDay.EVENING]:
        return PartOfDay.EVENING
    if value >= PART_OF_DAY_STARTS[PartOfDay.AFTERNOON]:
        return PartOfDay.AFTERNOON
    return PartOfDay.MORNING


def part_of_day_ends(part: PartOfDay) -> dt.time:
    """When `part` is over ("el martes a la mañana" said on a Tuesday at 13:30 means next Tuesday)."""
    if part == PartOfDay.MORNING:
        return PART_OF_DAY_STARTS[PartOfDay.AFTERNOON]
    if part == PartOfDay.AFTERNOON:
        return PART_OF_DAY_STARTS[PartOfDay.EVENING]
    return dt.time.max


def in_part_of_day(value: dt.time, part: PartOfDay | str) -> bool:
    return part_of_day(value) == PartOfDay(part)


@dataclass(frozen=True)
class BookingCaps:
    """Limits that stop one number or one model answer from flooding the agenda."""

    per_turn: int  # bookings one patient turn may make, whatever the model asks
    per_number_per_day: int  # new turnos booked from one number in a day
    active_per_patient: int  # active future turnos one patient may hold
    messages_per_minute: int  # messages from one number answered per minute


def booking_caps() -> BookingCaps:
    """The caps from settings (BOOKING_CAP_* / MESSAGE_RATE_PER_MINUTE environment variables);
    per-clinic overrides are applied by `identity.selectors.caps_for(clinic)`."""
    return BookingCaps(
        per_turn=settings.BOOKING_CAP_PER_TURN,
        per_number_per_day=settings.BOOKING_CAP_PER_NUMBER_PER_DAY,
        active_per_patient=settings.BOOKING_CAP_ACTIVE_PER_PATIENT,
        messages_per_minute=settings.MESSAGE_RATE_PER_MINUTE,
    )


# --- identity documents ------------------------------------------------------------------


class DocumentKind(StrEnum):
    DNI_AR = "dni_ar"  # Argentina: 7 or 8 digits
    RUT_CL = "rut_cl"  # Chile: 7 or 8 digits and a verifier (0-9 or K), "12.345.678-5"
    DNI_ES = "dni_es"  # Spain: 8 digits and a control letter, "12345678Z"
    NIE_ES = "nie_es"  # Spain, foreigners: X/Y/Z, 7 digits and a control letter, "X1234567L"


class DocumentProblem(StrEnum):
    """Why a document number was refused (responses.py says it in Spanish)."""

    MISSING = "missing"
    FORMAT = "format"
    RUT_VERIFIER = "rut_verifier"
    CONTROL_LETTER = "control_letter"
    NOT_ACCEPTED = "not_accepted"


class InvalidDocument(ValueError):
    def __init__(self, problem: DocumentProblem):
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Document:
    kind: DocumentKind
    number: str  # as stored: letters and digits only, upper case ("12345678", "12345678K")


DNI_AR_DIGITS = (7, 8)  # shortest and longest Argentine DNI
_ES_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_NIE_PREFIX = {"X": "0", "Y": "1", "Z": "2"}
_RUT = re.compile(r"(\d{7,8})-?([\dK])")
_DNI_ES = re.compile(r"(\d{8})([A-Z])")
_NIE = re.compile(r"([XYZ])(\d{7})([A-Z])")


def normalize_document(raw: str) -> str:
    """ "12.345.678" -> "12345678", "12.345.678-k" -> "12345678K": the form stored on a
    Patient, however it was typed or dictated."""
    return "".join(ch for ch in str(raw or "") if ch.isalnum()).upper()


def rut_verifier(body: str) -> str:
    """Chile's modulo-11 check digit for a RUT body ("12345678" -> "5")."""
    total = sum(int(digit) * (2 + index % 6) for index, digit in enumerate(reversed(body)))
    check = 11 - total % 11
    return {11: "0", 10: "K"}.get(check, str(check))


def parse_document(raw: str, *, accepted: list[str] | None = None) -> Document:
    """The document a patient gave, checked: its kind, and the number as stored. Raises
    InvalidDocument with the reason. `accepted` defaults to settings.ACCEPTED_DOCUMENT_KINDS."""
    accepted = settings.ACCEPTED_DOCUMENT_KINDS if accepted is None else accepted
    text = str(raw or "").strip().upper()
    number = normalize_document(text)
    if not number:
        raise InvalidDocument(DocumentProblem.MISSING)
    low, high = DNI_AR_DIGITS
    compact = re.sub(r"[.\s]", "", text)
    written_rut = ("-" in compact or compact.endswith("K")) and _RUT.fullmatch(compact)
    if written_rut or (number.isdigit() and len(number) == high + 1):
        kind = DocumentKind.RUT_CL
        if rut_verifier(number[:-1]) != number[-1]:
            raise InvalidDocument(DocumentProblem.RUT_VERIFIER)
    elif number.isdigit() and low <= len(number) <= high:
        kind = DocumentKind.DNI_AR
    elif nie := _NIE.fullmatch(number):
        kind = DocumentKind.NIE_ES
        if _ES_LETTERS[int(_NIE_PREFIX[nie[1]] + nie[2]) % 23] != nie[3]:
            raise InvalidDocument(DocumentProblem.CONTROL_LETTER)
    elif dni := _DNI_ES.fullmatch(number):
        kind = DocumentKind.DNI_ES
        if _ES_LETTERS[int(dni[1]) % 23] != dni[2]:
            raise InvalidDocument(DocumentProblem.CONTROL_LETTER)
    else:
        raise InvalidDocument(DocumentProblem.FORMAT)
    if kind not in accepted:
        raise InvalidDocument(DocumentProblem.NOT_ACCEPTED)
    return Document(kind=kind, number=number)


# Written-out documents inside a sentence: a RUT with its dash or a Spanish DNI/NIE letter
# (plain digits are the NLU's job, dictated numbers included).
DOCUMENT_WITH_LETTER_RX = re.compile(
    r"\b(?:\d{1,2}\.?\d{3}\.?\d{3}-[\dkK]|\d{8}-?[a-zA-Z]|[xyzXYZ]-?\d{7}-?[a-zA-Z])\b"
)
