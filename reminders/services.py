"""Writes of the no-show loop: reminder rows that follow their turno, the patient's answer to
a reminder, the confirmation deadline, and the waitlist that fills freed slots.

Sending lives in reminders/sending.py: these functions only create, cancel or answer rows,
so they are safe inside the booking transaction that triggers them."""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from appointments import services as appointment_services
from appointments.models import UPCOMING_STATUSES, Appointment, AppointmentStatus, Patient
from appointments.selectors import find_slot
from appointments.services import AppointmentError
from clinic.models import Clinic, Doctor, Specialty
from identity.services import patient_for_caller
from reminders.models import (
    MessageKind,
    MessageStatus,
    MessagingSettings,
    OfferStatus,
    OutboundMessage,
    UnconfirmedAction,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from reminders.selectors import destination_number, matching_waitlist_entries

logger = logging.getLogger(__name__)

# How many waitlisted patients hear of one freed slot at once: enough that someone answers
# quickly, few enough that most who answer still get it.
OFFERS_PER_SLOT = 3


def messaging_settings(*, clinic: Clinic) -> MessagingSettings:
    settings_row, _ = MessagingSettings.objects.get_or_create(clinic=clinic)
    return settings_row


def sync_reminders(*, appointment: Appointment, now: dt.datetime | None = None) -> None:
    """Pending reminder rows follow their turno: one per configured offset while the turno is
    upcoming (offsets already past when it was booked are skipped), none once it is cancelled,
    attended or moved. Runs inside the transaction that changed the turno."""
    now = now or timezone.now()
    pending = OutboundMessage.objects.filter(
        appointment=appointment, kind=MessageKind.REMINDER, status=MessageStatus.PENDING
    )
    number = destination_number(appointment=appointment)
    if appointment.status not in UPCOMING_STATUSES or appointment.start_at <= now or not number:
        pending.update(status=MessageStatus.CANCELLED, last_error="El turno ya no está activo.")
        return
    clinic = appointment.specialty.clinic
    offsets = messaging_settings(clinic=clinic).hours
    pending.exclude(hours_before__in=offsets).update(status=MessageStatus.CANCELLED, last_error="Ya no se usa.")
    existing = {
        row.hours_before: row for row in OutboundMessage.objects.filter(appointment=appointment, kind="reminder")
    }
    for hours in offsets:
        due = appointment.start_at - dt.timedelta(hours=hours)
        row = existing.get(hours)
        if row is None:
            if due > now:
                OutboundMessage.objects.create(
                    clinic=clinic,
                    kind=MessageKind.REMINDER,
                    appointment=appointment,
                    hours_before=hours,
                    to_number=number,
                    due_at=due,
                    next_attempt_at=due,
                )
        elif row.status == MessageStatus.PENDING and (row.due_at != due or row.to_number != number):
            row.due_at = row.next_attempt_at = due
            row.to_number = number
            row.save(update_fields=["due_at", "next_attempt_at", "to_number"])


def queue_message(
    *, clinic: Clinic, kind: str, to_number: str, appointment=None, offer=None, now: dt.datetime | None = None
) -> OutboundMessage:
    now = now or timezone.now()
    return OutboundMessage.objects.create(
        clinic=clinic,
        kind=kind,
        appointment=appointment,
        offer=offer,
        to_number=to_number,
        due_at=now,
        next_attempt_at=now,
    )


# --- The patient's answer to a reminder -------------------------------------------------


class ReminderAnswer:
    CONFIRM = "confirm"
    CANCEL = "cancel"
    CHANGE = "change"


def answer_reminder(*, message: OutboundMessage, answer: str, now: dt.datetime | None = None) -> Appointment:
    """Apply "Confirmo" / "No voy a poder ir" / "Necesito cambiarlo" to exactly the turno the
    reminder was about. Cancelling frees the slot, and the waitlist hears of it after commit."""
    now = now or timezone.now()
    appointment = message.appointment
    if appointment is None:
        raise AppointmentError("not_found", "No encuentro el turno de ese recordatorio.")
    with transaction.atomic():
        if answer == ReminderAnswer.CONFIRM:
            appointment = appointment_services.confirm_appointment(appointment=appointment)
        elif answer == ReminderAnswer.CANCEL:
            appointment = appointment_services.cancel_appointment(
                appointment=appointment, reason="El paciente avisó por el recordatorio que no puede ir.", now=now
            )
        OutboundMessage.objects.filter(appointment=appointment, kind=MessageKind.REMINDER).filter(
            status__in=[MessageStatus.SENT, MessageStatus.DELIVERED]
        ).update(status=MessageStatus.ANSWERED, answered_at=now, answer=answer)
        if answer != ReminderAnswer.CHANGE:
            sync_reminders(appointment=appointment, now=now)
    return appointment


def apply_confirmation_deadlines(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Turnos still unconfirmed at their clinic's deadline, although a reminder went out:
    released (the slot goes to the waitlist) or flagged for reception, as the clinic chose."""
    now = now or timezone.now()
    counts = {"released": 0, "flagged": 0}
    for clinic in Clinic.objects.all():
        settings_row = messaging_settings(clinic=clinic)
        deadline = now + dt.timedelta(hours=settings_row.confirm_deadline_hours)
        reminded = OutboundMessage.objects.filter(
            kind=MessageKind.REMINDER,
            status__in=[MessageStatus.SENT, MessageStatus.DELIVERED],
            appointment__status=AppointmentStatus.BOOKED,
            appointment__start_at__gt=now,
            appointment__start_at__lte=deadline,
            appointment__specialty__clinic=clinic,
            flagged_at__isnull=True,
        )
        for appointment_id in reminded.values_list("appointment_id", flat=True).distinct():
            with transaction.atomic():
                appointment = Appointment.objects.select_for_update().get(pk=appointment_id)
                if appointment.status != AppointmentStatus.BOOKED:
                    continue
                if settings_row.unconfirmed_action == UnconfirmedAction.RELEASE:
                    appointment_services.cancel_appointment(
                        appointment=appointment, reason="Liberado: el paciente no confirmó el recordatorio.", now=now
                    )
                    counts["released"] += 1
                else:
                    counts["flagged"] += 1
                OutboundMessage.objects.filter(appointment_id=appointment_id, kind=MessageKind.REMINDER).update(
                    flagged_at=now
                )
    return counts


# --- Waitlist ----------------------------------------------------------------------------


def join_waitlist(
    *,
    clinic: Clinic,
    patient: Patient,
    phone: str,
    specialty: Specialty,
    doctor: Doctor | None = None,
    weekdays: list[int] | None = None,
    part_of_day: str = "",
    source: str = "admin",
) -> WaitlistEntry:
    """Put a patient on the waitlist (one waiting entry per patient and specialty: asking twice
    updates the wishes instead of queueing twice)."""
    entry, _ = WaitlistEntry.objects.update_or_create(
        clinic=clinic,
        patient=patient,
        specialty=specialty,
        status=WaitlistStatus.WAITING,
        defaults={
            "phone": phone,
            "doctor": doctor,
            "weekdays": sorted(set(weekdays or [])),
            "part_of_day": part_of_day,
            "source": source,
        },
    )
    return entry


class WaitlistRefused(Exception):
    """The assistant could not put the caller on the waitlist; the message is for the patient."""


# A number may keep this many patients waiting at once (a family's, not a flood of DNIs).
WAITLIST_ENTRIES_PER_NUMBER = 3


def join_waitlist_for_caller(
    *,
    clinic: Clinic,
    number: str,
    channel: str,
    full_name: str,
    document_number: str,
    specialty: Specialty,
    doctor: Doctor | None = None,
    weekdays: list[int] | None = None,
    part_of_day: str = "",
) -> WaitlistEntry:
    """The assistant's caller asks to wait for a slot, for themself or a relative. Offers go
    to the caller's number and greet by the name the caller gave; an existing patient's
    record is not touched and nothing of it is read back (design.md, Identity)."""
    if not number:
        raise WaitlistRefused("Para avisarle cuando se libere un turno necesito un número de teléfono o WhatsApp.")
    with transaction.atomic():
        waiting = WaitlistEntry.objects.select_for_update().filter(phone=number, status=WaitlistStatus.WAITING)
        patient, _created = patient_for_caller(
            document_number=document_number, full_name=full_name, number=number, channel=channel, coverage=None
        )
        already = waiting.filter(patient=patient, specialty=specialty).exists()
        if not already and len(waiting) >= WAITLIST_ENTRIES_PER_NUMBER:
            raise WaitlistRefused(
                "Desde este número ya hay varias personas en lista de espera. Recepción puede ayudarlo con otra."
            )
        entry = join_waitlist(
            clinic=clinic,
            patient=patient,
            phone=number,
            specialty=specialty,
            doctor=doctor,
            weekdays=weekdays,
            part_of_day=part_of_day,
            source="asistente",
        )
        entry.requested_as_name = full_name
        entry.save(update_fields=["requested_as_name"])
    return entry


def offer_freed_slot(
    *, doctor: Doctor, specialty: Specialty, start: dt.datetime, now: dt.datetime | None = None
) -> list[WaitlistOffer]:
    """A slot came free: offer it to the first matching waitlisted patients, if it is still
    bookable (not in the past, not retaken, inside the schedule)."""
    now = now or timezone.now()
    if find_slot(specialty=specialty, doctor=doctor, start=start, now=now) is None:
        return []
    clinic = specialty.clinic
    offers = []
    with transaction.atomic():
        for entry in matching_waitlist_entries(specialty=specialty, doctor=doctor, start=start)[:OFFERS_PER_SLOT]:
            offer, created = WaitlistOffer.objects.get_or_create(
                entry=entry, doctor=doctor, start_at=start, defaults={"specialty": specialty}
            )
            if created:
                queue_message(
                    clinic=clinic, kind=MessageKind.WAITLIST_OFFER, to_number=entry.phone, offer=offer, now=now
                )
                offers.append(offer)
    return offers


def notify_clinic_change(*, appointment_id: int, now: dt.datetime | None = None) -> OutboundMessage | None:
    """After the desk (or a closure) cancels or moves a turno, tell the patient: the new time
    for a move, an apology and a way back for a cancellation. A patient's own cancellation
    (no `cancelled_by`) needs no notice: they asked for it."""
    now = now or timezone.now()
    cancelled = Appointment.objects.select_related("patient", "specialty__clinic").filter(pk=appointment_id).first()
    if cancelled is None or cancelled.cancelled_by_id is None:
        return None
    moved_to = (
        Appointment.objects.select_related("patient", "specialty__clinic").filter(rescheduled_from=cancelled).first()
    )
    target = moved_to or cancelled
    number = destination_number(appointment=target)
    if not number or target.start_at <= now:
        return None
    kind = MessageKind.CLINIC_MOVED if moved_to else MessageKind.CLINIC_CANCELLED
    return queue_message(clinic=target.specialty.clinic, kind=kind, to_number=number, appointment=target, now=now)


def after_cancellation(*, appointment_id: int, doctor_id: int, specialty_id: int, start: dt.datetime) -> None:
    """After-commit work of a cancellation: the patient's notice when the clinic cancelled,
    then the freed slot for the waitlist. Never raises: the cancellation already committed,
    and whoever cancelled must not see an error for a side effect."""
    try:
        notify_clinic_change(appointment_id=appointment_id)
    except Exception:
        logger.exception("Could not queue the clinic's notice for turno %s", appointment_id)
    offer_freed_slot_by_ids(doctor_id=doctor_id, specialty_id=specialty_id, start=start)


def offer_freed_slot_by_ids(*, doctor_id: int, specialty_id: int, start: dt.datetime) -> list[WaitlistOffer]:
    """After-commit entry point: loads fresh rows, and never lets a waitlist problem turn a
    cancellation that already committed into an error for whoever cancelled."""
    try:
        return offer_freed_slot(
            doctor=Doctor.objects.get(pk=doctor_id),
            specialty=Specialty.objects.select_related("clinic").get(pk=specialty_id),
            start=start,
        )
    except Exception:
        logger.exception("Could not offer the freed slot of doctor %s at %s to the waitlist", doctor_id, start)
        return []


def accept_offer(*, offer: WaitlistOffer, now: dt.datetime | None = None) -> WaitlistOffer:
    """The first to accept gets the turno; the database's no-overlap rule decides between two
    patients accepting at the same moment. The others' offers are marked taken (they are told
    so if they answer) and they stay on the list."""
    now = now or timezone.now()
    with transaction.atomic():
        offer = WaitlistOffer.objects.select_for_update().select_related("entry__patient").get(pk=offer.pk)
        if offer.status != OfferStatus.OFFERED:
            return offer
        try:
            appointment = appointment_services.book_appointment(
                patient=offer.entry.patient,
                doctor=offer.doctor,
                specialty=offer.specialty,
                start=offer.start_at,
                channel="whatsapp",
                notes="Turno tomado de la lista de espera.",
                booked_by_number=offer.entry.phone,
                booked_as_name=offer.entry.requested_as_name,
                now=now,
            )
        except AppointmentError as error:
            logger.info("Waitlist offer %s not booked: %s", offer.pk, error.code)
            offer.status, offer.answered_at = OfferStatus.TAKEN, now
            offer.save(update_fields=["status", "answered_at"])
            return offer
        offer.status, offer.answered_at, offer.appointment = OfferStatus.ACCEPTED, now, appointment
        offer.save(update_fields=["status", "answered_at", "appointment"])
        WaitlistEntry.objects.filter(pk=offer.entry_id).update(status=WaitlistStatus.FILLED, filled_by=appointment)
        # After commit: a rival accepting right now holds its own offer's lock while it waits
        # on our booking; touching its row inside this transaction would deadlock with it.
        transaction.on_commit(lambda: _tell_rivals_taken(accepted=offer, now=now))
    return offer


def _tell_rivals_taken(*, accepted: WaitlistOffer, now: dt.datetime) -> None:
    """The other patients offered the same slot hear that it is gone (they stay on the list),
    rather than finding out only when they answer."""
    with transaction.atomic():
        rivals = list(
            WaitlistOffer.objects.select_for_update()
            .filter(doctor_id=accepted.doctor_id, start_at=accepted.start_at, status=OfferStatus.OFFERED)
            .exclude(pk=accepted.pk)
            .select_related("entry__clinic")
        )
        for rival in rivals:
            rival.status, rival.answered_at = OfferStatus.TAKEN, now
            queue_message(
                clinic=rival.entry.clinic,
                kind=MessageKind.WAITLIST_TAKEN,
                to_number=rival.entry.phone,
                offer=rival,
                now=now,
            )
        WaitlistOffer.objects.bulk_update(rivals, ["status", "answered_at"])


def decline_offer(*, offer: WaitlistOffer, now: dt.datetime | None = None) -> WaitlistOffer:
    now = now or timezone.now()
    WaitlistOffer.objects.filter(pk=offer.pk, status=OfferStatus.OFFERED).update(
        status=OfferStatus.DECLINED, answered_at=now
    )
    offer.refresh_from_db()
    return offer
