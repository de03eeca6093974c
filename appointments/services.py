"""Writes on turnos: booking, cancelling, moving and status changes. Every function is
transactional and raises AppointmentError with a code and a Spanish message that the
bot and the admin can show as they are."""

import datetime as dt

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from appointments.booking_policy import check_booking
from appointments.errors import AppointmentError, AppointmentErrorCode
from appointments.models import (
    UPCOMING_STATUSES,
    Appointment,
    AppointmentStatus,
    Channel,
    Patient,
    normalize_document_number,
)
from appointments.phones import normalize_phone
from appointments.policy import Actor
from clinic.models import Coverage, Doctor, Specialty

Code = AppointmentErrorCode
REASON_MAX_LENGTH = Appointment._meta.get_field("cancellation_reason").max_length
DEADLOCK_SQLSTATE = "40P01"
DEADLOCK_RETRIES = 3


def actor_for(channel: str) -> Actor:
    """Reception books through the admin channel; every other channel is the assistant."""
    return Actor.DESK if channel == Channel.ADMIN else Actor.ASSISTANT


def _existing_booking(*, patient: Patient, doctor: Doctor, start: dt.datetime) -> Appointment | None:
    return Appointment.objects.filter(
        patient=patient, doctor=doctor, start_at=start, status__in=UPCOMING_STATUSES
    ).first()


def _lock_patient(patient: Patient) -> None:
    """Bookings of one patient run one after the other (the row lock lasts until the
    transaction ends), so two at the same time with two doctors cannot both pass the
    policy's patient-overlap check. The doctor's side is the database's exclusion constraint."""
    Patient.objects.select_for_update().filter(pk=patient.pk).exists()


def _insert_appointment(
    *,
    patient: Patient,
    doctor: Doctor,
    specialty: Specialty,
    start: dt.datetime,
    end: dt.datetime,
    channel: str,
    conversation=None,
    notes: str = "",
    rescheduled_from: Appointment | None = None,
    booked_by_number: str = "",
    booked_as_name: str = "",
) -> Appointment:
    for attempt in range(1, DEADLOCK_RETRIES + 1):
        try:
            # The savepoint keeps the outer transaction usable when PostgreSQL's exclusion
            # constraint refuses a concurrent overlapping insert.
            with transaction.atomic():
                return Appointment.objects.create(
                    patient=patient,
                    doctor=doctor,
                    specialty=specialty,
                    start_at=start,
                    end_at=end,
                    channel=channel,
                    conversation=conversation,
                    notes=notes,
                    rescheduled_from=rescheduled_from,
                    booked_by_number=booked_by_number,
                    booked_as_name=booked_as_name,
                )
        except IntegrityError as exc:
            raise AppointmentError(Code.SLOT_TAKEN) from exc
        except OperationalError as exc:
            # Two overlapping inserts at the same instant each find the other's uncommitted
            # row while checking the exclusion constraint and wait on each other; PostgreSQL
            # aborts one (deadlock). Its savepoint is rolled back, which frees the other; the
            # retry then waits for that one and is told the slot is taken or gets it.
            if getattr(exc.__cause__, "sqlstate", None) != DEADLOCK_SQLSTATE or attempt == DEADLOCK_RETRIES:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def book_appointment(
    *,
    patient: Patient,
    doctor: Doctor,
    specialty: Specialty,
    start: dt.datetime,
    channel: str = Channel.ADMIN,
    conversation=None,
    notes: str = "",
    booked_by_number: str = "",
    booked_as_name: str = "",
    actor: Actor | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """Book `start` with `doctor` if the booking policy lets `actor` (by default: who books
    on `channel`) do it. Idempotent: the same patient asking again for the same doctor and
    time (a retry, a lost reply) gets the turno already booked."""
    now = now or timezone.now()
    existing = _existing_booking(patient=patient, doctor=doctor, start=start)
    if existing:
        return existing
    try:
        with transaction.atomic():
            _lock_patient(patient)
            end = check_booking(
                doctor=doctor,
                specialty=specialty,
                start=start,
                now=now,
                actor=actor or actor_for(channel),
                patient=patient,
            )
            return _insert_appointment(
                patient=patient,
                doctor=doctor,
                specialty=specialty,
                start=start,
                end=end,
                channel=channel,
                conversation=conversation,
                notes=notes,
                booked_by_number=booked_by_number,
                booked_as_name=booked_as_name,
            )
    except AppointmentError as error:
        # Two copies of the same request racing: the loser returns the winner's turno.
        existing = _existing_booking(patient=patient, doctor=doctor, start=start)
        if existing and error.code in (Code.SLOT_TAKEN, Code.PATIENT_BUSY):
            return existing
        raise


def _ensure_owner(appointment: Appointment, by_patient: Patient | None) -> None:
    if by_patient is not None and appointment.patient_id != by_patient.pk:
        raise AppointmentError(Code.NOT_OWNER)


def _cancel(appointment: Appointment, *, by_user, reason: str, now: dt.datetime) -> None:
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = now
    appointment.cancelled_by = by_user
    appointment.cancellation_reason = reason.strip()[:REASON_MAX_LENGTH]
    appointment.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancellation_reason", "updated_at"])


def cancel_appointment(
    *,
    appointment: Appointment,
    by_patient: Patient | None = None,
    by_user=None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Appointment:
    """Cancel a booked or confirmed turno, recording who (`by_user`, a staff member; none
    when the patient cancels through the assistant), when and why. `by_patient` restricts it
    to that patient's own turnos. The desk must say why: the reason is what a colleague
    reads later when the patient calls back."""
    now = now or timezone.now()
    if by_user is not None and not reason.strip():
        raise AppointmentError(Code.REASON_REQUIRED)
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        _ensure_owner(appointment, by_patient)
        if appointment.status == AppointmentStatus.CANCELLED:
            return appointment
        if appointment.status not in UPCOMING_STATUSES:
            raise AppointmentError(Code.NOT_CANCELLABLE)
        if by_patient is not None and appointment.start_at <= now:
            raise AppointmentError(Code.IN_PAST, "Ese turno ya pasó; no se puede cancelar.")
        _cancel(appointment, by_user=by_user, reason=reason, now=now)
        return appointment


def restore_appointment(
    *, appointment: Appointment, actor: Actor = Actor.DESK, now: dt.datetime | None = None
) -> Appointment:
    """ "Deshacer" a cancellation: the turno is booked again, in its own slot, if the booking
    policy still allows it (nobody took the slot, the patient is not due elsewhere then). A
    turno cancelled by a move is not restored: its patient already holds the new one."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update()
            .select_related("patient", "doctor", "specialty__clinic")
            .get(pk=appointment.pk)
        )
        if appointment.status != AppointmentStatus.CANCELLED:
            raise AppointmentError(Code.NOT_CANCELLED)
        if Appointment.objects.filter(rescheduled_from=appointment).exists():
            raise AppointmentError(Code.MOVED)
        _lock_patient(appointment.patient)
        check_booking(
            doctor=appointment.doctor,
            specialty=appointment.specialty,
            start=appointment.start_at,
            now=now,
            actor=actor,
            patient=appointment.patient,
            exclude_pk=appointment.pk,
        )
        appointment.status = AppointmentStatus.BOOKED
        appointment.cancelled_at = None
        appointment.cancelled_by = None
        appointment.cancellation_reason = ""
        try:
            with transaction.atomic():
                appointment.save(
                    update_fields=["status", "cancelled_at", "cancelled_by", "cancellation_reason", "updated_at"]
                )
        except IntegrityError as exc:
            raise AppointmentError(Code.SLOT_TAKEN) from exc
        return appointment


def reschedule_appointment(
    *,
    appointment: Appointment,
    new_start: dt.datetime,
    new_doctor: Doctor | None = None,
    by_patient: Patient | None = None,
    by_user=None,
    channel: str | None = None,
    conversation=None,
    actor: Actor | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """Move a turno: the new one is booked and the old one cancelled in one transaction, so
    if the new time is refused the patient keeps the old turno. The old turno is kept (not
    overwritten) and the two are linked both ways: new.rescheduled_from / old.rescheduled_to.
    The new time follows the booking policy for `actor` (by default: the desk when a staff
    member moves it, else the assistant); the old turno's own time counts as free."""
    now = now or timezone.now()
    with transaction.atomic():
        old = (
            # of=self: PostgreSQL cannot lock the nullable side (conversation) of the join.
            Appointment.objects.select_for_update(of=("self",))
            .select_related("patient", "doctor", "specialty__clinic", "conversation")
            .get(pk=appointment.pk)
        )
        _ensure_owner(old, by_patient)
        if old.status not in UPCOMING_STATUSES:
            raise AppointmentError(Code.NOT_RESCHEDULABLE)
        doctor = new_doctor or old.doctor
        if doctor == old.doctor and new_start == old.start_at:
            return old
        _lock_patient(old.patient)
        end = check_booking(
            doctor=doctor,
            specialty=old.specialty,
            start=new_start,
            now=now,
            actor=actor or (Actor.DESK if by_user is not None else Actor.ASSISTANT),
            patient=old.patient,
            exclude_pk=old.pk,
        )
        # Cancel first: a move by a few minutes with the same doctor overlaps the old turno.
        local_new_start = new_start.astimezone(old.specialty.clinic.tzinfo)
        _cancel(old, by_user=by_user, reason=f"Reprogramado al {local_new_start:%d/%m/%Y %H:%M}", now=now)
        return _insert_appointment(
            patient=old.patient,
            doctor=doctor,
            specialty=old.specialty,
            start=new_start,
            end=end,
            channel=channel or old.channel,
            conversation=conversation or old.conversation,
            notes=old.notes,
            rescheduled_from=old,
            # Whoever could manage the old turno can manage the moved one.
            booked_by_number=old.booked_by_number,
            booked_as_name=old.booked_as_name,
        )


def _transition(
    *, appointment: Appointment, to: str, allowed_from: tuple, error_message: str, started_by: dt.datetime | None = None
) -> Appointment:
    """Status change under a row lock. With `started_by`, refused while the turno has not
    started at that instant: nobody can have attended (or missed) a turno in the future."""
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status == to:
            return appointment
        if appointment.status not in allowed_from:
            raise AppointmentError(Code.INVALID_TRANSITION, error_message)
        if started_by is not None and started_by < appointment.start_at:
            raise AppointmentError(Code.NOT_STARTED)
        appointment.status = to
        appointment.save(update_fields=["status", "updated_at"])
        return appointment


def confirm_appointment(*, appointment: Appointment) -> Appointment:
    return _transition(
        appointment=appointment,
        to=AppointmentStatus.CONFIRMED,
        allowed_from=(AppointmentStatus.BOOKED,),
        error_message="Solo se puede confirmar un turno reservado.",
    )


def mark_attended(*, appointment: Appointment, now: dt.datetime | None = None) -> Appointment:
    return _transition(
        appointment=appointment,
        to=AppointmentStatus.ATTENDED,
        allowed_from=UPCOMING_STATUSES + (AppointmentStatus.NO_SHOW,),
        error_message="Un turno cancelado no puede marcarse como atendido.",
        started_by=now or timezone.now(),
    )


def mark_no_show(*, appointment: Appointment, now: dt.datetime | None = None) -> Appointment:
    return _transition(
        appointment=appointment,
        to=AppointmentStatus.NO_SHOW,
        allowed_from=UPCOMING_STATUSES,
        error_message="Solo un turno reservado o confirmado puede marcarse como ausente.",
        started_by=now or timezone.now(),
    )


def get_or_create_patient(
    *,
    full_name: str,
    document_number: str,
    phone: str = "",
    whatsapp_id: str = "",
    coverage: Coverage | None = None,
    member_number: str = "",
) -> Patient:
    """The patient with this DNI, created if new, for the reception desk (staff have the
    patient in front of them). An existing patient's data is completed, never overwritten.
    The assistant does not use this: a caller's DNI proves nothing, and a stranger's number
    must never fill someone's empty phone (identity.services.book_for_caller)."""
    document_number = normalize_document_number(document_number)
    full_name = " ".join(full_name.split()).title()
    if not document_number or not full_name:
        raise AppointmentError(Code.INVALID_PATIENT)
    phone = normalize_phone(phone)
    with transaction.atomic():
        patient, created = Patient.objects.get_or_create(
            document_number=document_number,
            defaults={
                "full_name": full_name,
                "phone": phone,
                "whatsapp_id": whatsapp_id,
                "coverage": coverage,
                "member_number": member_number,
            },
        )
        if not created:
            changed = []
            for field, value in [
                ("phone", phone),
                ("whatsapp_id", whatsapp_id),
                ("coverage", coverage),
                ("member_number", member_number),
            ]:
                if value and not getattr(patient, field):
                    setattr(patient, field, value)
                    changed.append(field)
            if changed:
                patient.save(update_fields=[*changed, "updated_at"])
    return patient
