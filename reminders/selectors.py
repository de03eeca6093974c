"""Reads of the no-show loop: where a turno's messages go, which reminder a patient is
answering, who on the waitlist fits a freed slot, and what needs reception's eyes."""

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse

from appointments.models import Appointment
from appointments.policy import part_of_day
from clinic.models import Clinic, Doctor, Specialty
from reminders.models import (
    MessageKind,
    MessageStatus,
    MessagingSettings,
    OutboundMessage,
    WaitlistEntry,
    WaitlistStatus,
)

# A reminder is answerable for this long after it went out; older ones are history.
ANSWER_WINDOW = dt.timedelta(days=4)


def privacy_notice_url(*, clinic: Clinic) -> str:
    """The clinic's own privacy notice when it set one, else the page this service publishes
    from the clinic's data (Ley 25.326 asks that patients can read it before they share health data)."""
    messaging = MessagingSettings.objects.filter(clinic=clinic).only("privacy_notice_url").first()
    if messaging is not None and messaging.privacy_notice_url:
        return messaging.privacy_notice_url
    # Without a public address (a local demo) there is no link a phone could open.
    return f"{settings.PUBLIC_BASE_URL}{reverse('privacy_notice')}" if settings.PUBLIC_BASE_URL else ""


def destination_number(*, appointment: Appointment) -> str:
    """The number that hears about a turno: the one it was booked from (a mother who booked
    for her son gets his reminders), else the patient's own."""
    patient = appointment.patient
    return appointment.booked_by_number or patient.whatsapp_id or patient.phone


def answerable_message(
    *, number: str, kinds: tuple[str, ...], now: dt.datetime, replied_sid: str = ""
) -> OutboundMessage | None:
    """The clinic's message a patient's reply is about: the one replied to when WhatsApp says
    so (a button press carries it), else the newest one sent to that number."""
    sent = OutboundMessage.objects.filter(
        to_number=number,
        kind__in=kinds,
        status__in=[MessageStatus.SENT, MessageStatus.DELIVERED],
        sent_at__gte=now - ANSWER_WINDOW,
    ).select_related("appointment__patient", "appointment__doctor", "appointment__specialty", "offer__entry")
    if replied_sid:
        replied = sent.filter(message_sid=replied_sid).first()
        if replied is not None:
            return replied
    return sent.order_by("-sent_at", "-id").first()


def matching_waitlist_entries(*, specialty: Specialty, doctor: Doctor, start: dt.datetime) -> QuerySet[WaitlistEntry]:
    """Waiting patients whose wishes fit this slot, first come first served. The weekday and
    part of day are compared in the clinic's wall clock."""
    local = start.astimezone(specialty.clinic.tzinfo)
    part = part_of_day(local.time()).value
    entries = WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, specialty=specialty).filter(
        Q(doctor__isnull=True) | Q(doctor=doctor), Q(part_of_day="") | Q(part_of_day=part)
    )
    entries = entries.exclude(offers__doctor=doctor, offers__start_at=start).select_related("patient")
    # JSON containment is not portable across SQLite and PostgreSQL: filter weekdays in Python
    # over the (short) waiting list of one specialty.
    fitting = [entry.pk for entry in entries if not entry.weekdays or local.weekday() in entry.weekdays]
    return WaitlistEntry.objects.filter(pk__in=fitting).select_related("patient").order_by("created_at", "id")


def needing_attention() -> QuerySet[OutboundMessage]:
    """What reception should look at: messages that failed after their retries, and turnos
    whose patient never confirmed."""
    return OutboundMessage.objects.filter(
        Q(status=MessageStatus.FAILED) | Q(kind=MessageKind.REMINDER, flagged_at__isnull=False)
    ).select_related("appointment__patient")
