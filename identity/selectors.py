"""Reads that decide what a channel's number may see: its manageable turnos, whether it is
a verified number of a patient, whether a typed name is the patient's full name, and the
caps in force for a clinic."""

import datetime as dt
import re
from dataclasses import replace

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from unidecode import unidecode

from appointments.models import UPCOMING_STATUSES, Appointment, Patient
from appointments.phones import normalize_phone
from appointments.policy import BookingCaps, booking_caps
from clinic.models import Clinic
from identity.errors import IdentityError, IdentityErrorCode
from identity.models import DailyBookingCount, VerifiedNumber

# Words that join names ("María de los Ángeles", "Juan del Valle y Soto"): people drop or
# add them when they say a name, so they do not count as a name of their own.
NAME_PARTICLES = {"de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "das", "van", "von"}


def caller_number(participant: str) -> str:
    """The E.164 number a conversation comes from, or "" when there is none to trust: a
    withheld caller ("anon:<CallSid>"), the staff simulator, anything that is not a number.
    "" is nobody: it reaches no turnos and is verified for no one."""
    if not participant or not participant.lstrip().startswith("+"):
        return ""
    return normalize_phone(participant)


def is_verified_number(*, number: str, patient: Patient) -> bool:
    return bool(number) and VerifiedNumber.objects.filter(number=number, patient=patient).exists()


def manageable_appointments(*, number: str, now: dt.datetime | None = None) -> QuerySet[Appointment]:
    """Upcoming turnos `number` may list, cancel and move: those booked from it, and all of
    the patients it is a verified number of. Each row carries `caller_verified` (the number
    is verified for the turno's patient), which decides which name may be read back."""
    if not number:
        return Appointment.objects.none()
    verified = VerifiedNumber.objects.filter(number=number, patient_id=OuterRef("patient_id"))
    return (
        Appointment.objects.annotate(caller_verified=Exists(verified))
        .filter(Q(booked_by_number=number) | Q(caller_verified=True))
        .filter(status__in=UPCOMING_STATUSES, start_at__gte=now or timezone.now())
        .select_related("patient", "doctor", "specialty")
        .order_by("start_at")
    )


def name_for_caller(appointment: Appointment) -> str:
    """The patient's name as this caller may hear it: the stored one only for a verified
    number (annotated by manageable_appointments), else the name the caller typed."""
    if getattr(appointment, "caller_verified", False):
        return appointment.patient.full_name
    return appointment.booked_as_name


def name_words(name: str) -> list[str]:
    """ "María de los Ángeles  GÓMEZ-Paz" -> ["angeles", "gomez", "maria", "paz"]."""
    words = re.findall(r"[a-z0-9]+", unidecode(name or "").lower())
    return sorted(word for word in words if word not in NAME_PARTICLES)


def full_name_matches(*, stored: str, given: str) -> bool:
    """Every given name and surname of the stored name, no more and no less (in any order,
    accents, case, hyphens and particles aside). One surname, or a first name alone, is
    something a stranger can guess or read off a message; the full name is a real check."""
    stored_words = name_words(stored)
    return len(stored_words) >= 2 and stored_words == name_words(given)


def caps_for(clinic: Clinic | None) -> BookingCaps:
    """The deployment's caps (appointments.policy) with the clinic's own overrides."""
    caps = booking_caps()
    if clinic is None:
        return caps
    overrides = {
        "per_number_per_day": clinic.bookings_per_number_per_day,
        "active_per_patient": clinic.active_bookings_per_patient,
        "messages_per_minute": clinic.messages_per_number_per_minute,
    }
    return replace(caps, **{key: value for key, value in overrides.items() if value is not None})


def cap_refusal(*, caps: BookingCaps, booked_today: int, active: int, verified: bool) -> IdentityError | None:
    """The caps' one rule: the refusal of one more turno, or None. A caller who is not
    verified for the patient hears the number's cap whichever cap it was: "this patient
    already holds N turnos" would tell a stranger what a DNI holds."""
    if active >= caps.active_per_patient and verified:
        return IdentityError(IdentityErrorCode.ACTIVE_LIMIT, count=active)
    if active >= caps.active_per_patient:
        return IdentityError(IdentityErrorCode.BOOKING_LIMIT)
    if booked_today >= caps.per_number_per_day:
        return IdentityError(IdentityErrorCode.BOOKING_LIMIT)
    return None


def active_turno_count(*, patient: Patient, now: dt.datetime) -> int:
    """The patient's future turnos still to be attended: what the per-patient cap counts."""
    return Appointment.objects.filter(patient=patient, status__in=UPCOMING_STATUSES, start_at__gt=now).count()


def booking_cap_refusal(
    *, clinic: Clinic, number: str, quota_key: str, document_number: str, now: dt.datetime
) -> IdentityError | None:
    """`cap_refusal` read without locks, before the assistant reads a booking back: a patient
    over a cap is told so before being asked to confirm. `book_for_caller` decides again
    under its locks, so this early answer can never let a turno past a cap. A DNI nobody
    holds yet is a new patient of this caller's (verified, no turnos)."""
    day = now.astimezone(clinic.tzinfo).date()
    booked_today = (
        DailyBookingCount.objects.filter(number=number or quota_key, day=day).values_list("count", flat=True).first()
    )
    patient = Patient.objects.filter(document_number=document_number).first()
    return cap_refusal(
        caps=caps_for(clinic),
        booked_today=booked_today or 0,
        active=active_turno_count(patient=patient, now=now) if patient else 0,
        verified=patient is None or is_verified_number(number=number, patient=patient),
    )
