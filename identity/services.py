"""Writes of the identity rules: the assistant's booking entry point (with the caps), and
verified numbers. One-time codes are in identity.codes, the message rate in identity.ratelimit.

Booking with someone else's DNI is allowed (a mother books for her son) and grants nothing:
the existing patient's record is not touched, the caller's number is not attached to it,
and refusals are worded so that they never tell whether that DNI exists or holds a turno."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments import services as appointment_services
from appointments.models import UPCOMING_STATUSES, Appointment, Channel, Patient, normalize_document_number
from clinic.models import Clinic, Coverage, Doctor, Specialty
from identity.errors import IdentityError, IdentityErrorCode
from identity.models import DailyBookingCount, NumberSource, VerifiedNumber
from identity.selectors import active_turno_count, cap_refusal, caps_for, is_verified_number


def record_verified_number(
    *, patient: Patient, number: str, source: NumberSource, by_user=None, now: dt.datetime | None = None
) -> VerifiedNumber:
    """Make `number` a verified number of `patient` (idempotent: the first proof stays)."""
    verified, _created = VerifiedNumber.objects.get_or_create(
        patient=patient,
        number=number,
        defaults={"source": source, "verified_by": by_user, "verified_at": now or timezone.now()},
    )
    return verified


@dataclass(frozen=True)
class CallerBooking:
    appointment: Appointment
    patient: Patient
    name_read_back: str  # what the caller typed; the only name the reply may contain
    caller_verified: bool  # the number is (now) a verified number of the patient


def clean_name(full_name: str) -> str:
    return " ".join((full_name or "").split()).title()[:150]


def _locked_daily_count(*, key: str, day: dt.date) -> DailyBookingCount:
    """The number's counter for `day`, locked until the booking's transaction ends, so two
    bookings from one number on two web instances run one after the other."""
    row, _created = DailyBookingCount.objects.get_or_create(number=key, day=day)
    return DailyBookingCount.objects.select_for_update().get(pk=row.pk)


def patient_for_caller(
    *, document_number: str, full_name: str, number: str, channel: str, coverage: Coverage | None
) -> tuple[Patient, bool]:
    """The patient with this DNI (locked), or a new one carrying the caller's number (a new
    patient asking for themself). An existing patient is returned untouched: a caller who
    knows a DNI gets no name, number or turno of that patient (design.md, Identity)."""
    patient = Patient.objects.select_for_update().filter(document_number=document_number).first()
    if patient is not None:
        return patient, False
    try:
        with transaction.atomic():
            patient = Patient.objects.create(
                full_name=full_name,
                document_number=document_number,
                phone=number,
                whatsapp_id=number if channel == Channel.WHATSAPP else "",
                coverage=coverage,
            )
        return patient, True
    except IntegrityError:
        # The same DNI created by a concurrent booking: it is an existing patient now.
        return Patient.objects.select_for_update().get(document_number=document_number), False


def book_for_caller(
    *,
    clinic: Clinic,
    number: str,
    quota_key: str,
    channel: str,
    full_name: str,
    document_number: str,
    doctor: Doctor,
    specialty: Specialty,
    start: dt.datetime,
    coverage: Coverage | None = None,
    conversation=None,
    now: dt.datetime | None = None,
) -> CallerBooking:
    """Book a turno asked for by the assistant's caller from `number` ("" when withheld;
    `quota_key` then stands for it in the daily cap). Enforces the caps: new turnos per
    number per day and active future turnos per patient."""
    now = now or timezone.now()
    name = clean_name(full_name)
    document_number = normalize_document_number(document_number or "")
    if not name or not document_number:
        raise IdentityError(IdentityErrorCode.INVALID_PATIENT)
    caps = caps_for(clinic)
    with transaction.atomic():
        counter = _locked_daily_count(key=number or quota_key, day=now.astimezone(clinic.tzinfo).date())
        patient, created = patient_for_caller(
            document_number=document_number, full_name=name, number=number, channel=channel, coverage=coverage
        )
        verified = created or is_verified_number(number=number, patient=patient)
        existing = Appointment.objects.filter(
            patient=patient, doctor=doctor, start_at=start, status__in=UPCOMING_STATUSES
        ).first()
        if existing is not None:
            if verified or (number and existing.booked_by_number == number):
                return CallerBooking(existing, patient, name, verified)  # a retry: the turno already booked
            raise appointment_services.AppointmentError("slot_taken")
        active = active_turno_count(patient=patient, now=now)
        if refusal := cap_refusal(caps=caps, booked_today=counter.count, active=active, verified=verified):
            raise refusal
        try:
            appointment = appointment_services.book_appointment(
                patient=patient,
                doctor=doctor,
                specialty=specialty,
                start=start,
                channel=channel,
                conversation=conversation,
                booked_by_number=number,
                booked_as_name=name,
                now=now,
            )
        except appointment_services.AppointmentError as error:
            if error.code == "patient_busy" and not verified:
                # "You already have a turno then" would tell a stranger what this DNI holds.
                raise appointment_services.AppointmentError("slot_taken") from error
            raise
        counter.count += 1
        counter.save(update_fields=["count"])
        if created and number:
            record_verified_number(patient=patient, number=number, source=NumberSource.SELF_BOOKING, now=now)
    return CallerBooking(appointment, patient, name, verified)
