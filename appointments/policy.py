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
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from stdnum.cl import rut as stdnum_cl_rut
from stdnum.do import cedula as stdnum_do_cedula
from stdnum.ec import ci as stdnum_ec_ci
from stdnum.es import dni as stdnum_es_dni
from stdnum.es import nie as stdnum_es_nie
from stdnum.mx import curp as stdnum_mx_curp
from stdnum.pe import cui as stdnum_pe_cui


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
    """The identity documents a clinic may accept. Which ones, and in which order, is the
    setting ACCEPTED_DOCUMENT_KINDS: many documents are bare digits, so a number that fits
    several kinds is the FIRST accepted kind it fits (then that kind's check applies)."""

    DNI_AR = "dni_ar"  # Argentina: 7 or 8 digits
    RUT_CL = "rut_cl"  # Chile: 7 or 8 digits and a verifier (0-9 or K), "12.345.678-5"
    DNI_ES = "dni_es"  # Spain: 8 digits and a control letter, "12345678Z"
    NIE_ES = "nie_es"  # Spain, foreigners: X/Y/Z, 7 digits and a control letter, "X1234567L"
    CC_CO = "cc_co"  # Colombia, cédula de ciudadanía: 6 to 10 digits, no check digit
    CI_VE = "ci_ve"  # Venezuela: V (nationals) or E (foreigners) and 6 to 9 digits, "V-12.345.678"
    CURP_MX = "curp_mx"  # México: 18 characters with a check digit, "BOXW310820HNERXN09"
    CEDULA_DO = "cedula_do"  # República Dominicana: 11 digits with a Luhn digit, "001-1234567-8"
    CI_UY = "ci_uy"  # Uruguay: 6 or 7 digits and a check digit, "1.234.567-2"
    CI_EC = "ci_ec"  # Ecuador: 10 digits, a province code and a modulo-10 verifier
    DNI_PE = "dni_pe"  # Perú: 8 digits, with or without its check character


class DocumentProblem(StrEnum):
    """Why a document number was refused (responses.py says it in Spanish)."""

    MISSING = "missing"
    FORMAT = "format"
    RUT_VERIFIER = "rut_verifier"
    CONTROL_LETTER = "control_letter"
    CHECK_DIGIT = "check_digit"
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


def normalize_document(raw: str) -> str:
    """ "12.345.678" -> "12345678", "12.345.678-k" -> "12345678K": the form stored on a
    Patient, however it was typed or dictated."""
    return "".join(ch for ch in str(raw or "") if ch.isalnum()).upper()


def uruguay_ci_check_digit(body: str) -> str:
    """Uruguay's cédula check digit ("1234567" -> "2"). python-stdnum, which checks every
    other kind here, has Uruguay's RUT but not its cédula."""
    digits = body.zfill(7)
    total = sum(int(digit) * weight for digit, weight in zip(digits, (2, 9, 8, 7, 6, 3, 4), strict=True))
    return str((10 - total % 10) % 10)


@dataclass(frozen=True)
class _DocumentFormat:
    """How a kind is written (`shape`, over the upper-cased text without dots and spaces)
    and the check its number must pass (`check`, on the stored form), with the problem a
    failed check reports."""

    shape: re.Pattern[str]
    check: Callable[[str], bool] | None = None
    problem: DocumentProblem = DocumentProblem.CHECK_DIGIT
    # Venezuela's V/E says nationality, not identity, and patients often leave it out: the
    # digits alone are stored, so "15444333" later finds the "V-15.444.333" patient.
    stored_without_prefix: bool = False


_DOCUMENT_FORMATS: dict[DocumentKind, _DocumentFormat] = {
    DocumentKind.DNI_AR: _DocumentFormat(re.compile(r"\d{7,8}")),
    # A RUT is a RUT when written with its dash or its K, or as 9 bare digits (8 are a DNI).
    DocumentKind.RUT_CL: _DocumentFormat(
        re.compile(r"\d{7,8}-[\dK]|\d{7,8}K|\d{9}"), stdnum_cl_rut.is_valid, DocumentProblem.RUT_VERIFIER
    ),
    DocumentKind.DNI_ES: _DocumentFormat(
        re.compile(r"\d{8}-?[A-Z]"), stdnum_es_dni.is_valid, DocumentProblem.CONTROL_LETTER
    ),
    DocumentKind.NIE_ES: _DocumentFormat(
        re.compile(r"[XYZ]-?\d{7}-?[A-Z]"), stdnum_es_nie.is_valid, DocumentProblem.CONTROL_LETTER
    ),
    DocumentKind.CC_CO: _DocumentFormat(re.compile(r"\d{6,10}")),
    DocumentKind.CI_VE: _DocumentFormat(re.compile(r"[VE]-?\d{6,9}"), stored_without_prefix=True),
    DocumentKind.CURP_MX: _DocumentFormat(re.compile(r"[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z\d]\d"), stdnum_mx_curp.is_valid),
    DocumentKind.CEDULA_DO: _DocumentFormat(re.compile(r"\d{3}-?\d{7}-?\d"), stdnum_do_cedula.is_valid),
    DocumentKind.CI_UY: _DocumentFormat(
        re.compile(r"\d{6,7}-?\d"), lambda number: uruguay_ci_check_digit(number[:-1]) == number[-1]
    ),
    DocumentKind.CI_EC: _DocumentFormat(re.compile(r"\d{10}"), stdnum_ec_ci.is_valid),
    DocumentKind.DNI_PE: _DocumentFormat(re.compile(r"\d{8}(?:-?[\dA-K])?"), stdnum_pe_cui.is_valid),
}


def accepted_document_kinds(*, clinic_kinds: str = "") -> list[str]:
    """The kinds a clinic accepts, in order: its own list ("cc_co,ci_ve", Clinic.
    accepted_document_kinds) when it has one, else the deployment's ACCEPTED_DOCUMENT_KINDS. A
    deployment serves clinics in several countries; each clinic refuses the others' numbers."""
    own = [kind.strip() for kind in clinic_kinds.split(",") if kind.strip()]
    return own or list(settings.ACCEPTED_DOCUMENT_KINDS)


def parse_document(raw: str, *, accepted: list[str] | None = None) -> Document:
    """The document a patient gave, checked: its kind, and the number as stored. Raises
    InvalidDocument with the reason. `accepted` (kinds in order of preference) defaults to
    settings.ACCEPTED_DOCUMENT_KINDS: the first accepted kind whose shape the text has
    decides, and its check must pass; a text only a kind not accepted fits is NOT_ACCEPTED."""
    accepted = settings.ACCEPTED_DOCUMENT_KINDS if accepted is None else accepted
    text = str(raw or "").strip().upper()
    number = normalize_document(text)
    if not number:
        raise InvalidDocument(DocumentProblem.MISSING)
    # Dots, spaces and slashes group digits; a dash does too, except the one before a
    # verifier ("12.345.678-5", "001-1234567-8").
    grouped = re.sub(r"[.\s/]", "", text)
    dashless = grouped.replace("-", "")
    verifier_dash = len(grouped) > 2 and grouped[-2] == "-"
    compact = f"{dashless[:-1]}-{dashless[-1]}" if verifier_dash else dashless
    fitting = [kind for kind, form in _DOCUMENT_FORMATS.items() if form.shape.fullmatch(compact)]
    chosen = next((DocumentKind(kind) for kind in accepted if kind in fitting), None)
    if chosen is None:
        raise InvalidDocument(DocumentProblem.NOT_ACCEPTED if fitting else DocumentProblem.FORMAT)
    form = _DOCUMENT_FORMATS[chosen]
    if form.check is not None and not form.check(number):
        raise InvalidDocument(form.problem)
    return Document(kind=chosen, number=number[1:] if form.stored_without_prefix else number)


# Documents written with a mark inside a sentence: a verifier after a dash (a Chilean RUT,
# a Uruguayan CI), a letter (a Spanish DNI/NIE, a Venezuelan V-/E-, a Mexican CURP), the
# dashes of a Dominican cédula. Plain digits are the NLU's job, dictated numbers included.
MARKED_DOCUMENT_RX = re.compile(
    r"\b(?:\d{1,2}\.?\d{3}\.?\d{3}-[\dkK]|\d{8}-?[a-zA-Z]|[xyzXYZ]-?\d{7}-?[a-zA-Z]"
    r"|[vVeE]-?\d{1,3}\.?\d{3}\.?\d{3}|[a-zA-Z]{4}\d{6}[hmHM][a-zA-Z]{5}[a-zA-Z\d]\d|\d{3}-\d{7}-\d)\b"
)
