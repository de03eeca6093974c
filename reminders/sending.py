"""Sending due message rows through Twilio's Messages API.

Rows are claimed in a short transaction under `select_for_update(skip_locked=True)` and
marked "sending" with a lease, then sent outside any transaction (a network call must not
hold row locks). Two runs at once therefore never send the same row; a run that dies
mid-send leaves its rows to be retried once the lease expires (at-least-once only then)."""

import datetime as dt
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from twilio.base.exceptions import TwilioException

from appointments.models import UPCOMING_STATUSES
from appointments.phones import mask_phone
from bot import responses
from clinic_assistant.twilio_rest import twilio_client
from reminders import texts
from reminders.models import MessageChannel, MessageKind, MessageStatus, OfferStatus, OutboundMessage, WaitlistOffer
from reminders.services import messaging_settings

logger = logging.getLogger(__name__)

CLAIM_LEASE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 4
# Delivery errors after which WhatsApp will not reach this number, so SMS is tried:
# 63016 outside the 24 h window without a template, 63003/63024 not a WhatsApp user, 63049 blocked.
WHATSAPP_UNREACHABLE_ERRORS = {"63003", "63016", "63024", "63049"}


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 4, 16 minutes: a Twilio hiccup passes, a real outage reaches reception within the hour."""
    return dt.timedelta(minutes=4 ** max(attempts - 1, 0))


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def claim_due(*, now: dt.datetime, limit: int) -> list[OutboundMessage]:
    due = Q(status=MessageStatus.PENDING) | Q(status=MessageStatus.SENDING)  # a sending row past its lease
    with transaction.atomic():
        ids = list(
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(due, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        OutboundMessage.objects.filter(pk__in=ids).update(
            status=MessageStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE
        )
    return list(
        OutboundMessage.objects.filter(pk__in=ids)
        .select_related(
            "clinic__messaging",
            "appointment__patient",
            "appointment__doctor",
            "appointment__specialty",
            "offer__entry__patient",
            "offer__doctor",
            "offer__specialty",
        )
        .order_by("next_attempt_at", "id")
    )


def _obsolete(message: OutboundMessage, now: dt.datetime) -> str:
    """Why a claimed row should no longer go out (the turno changed since it was queued)."""
    appointment = message.appointment
    if message.kind == MessageKind.REMINDER and (
        appointment is None or appointment.status not in UPCOMING_STATUSES or appointment.start_at <= now
    ):
        return "El turno ya no está activo."
    if message.kind == MessageKind.WAITLIST_OFFER and (
        message.offer is None or message.offer.status != OfferStatus.OFFERED
    ):
        return "La oferta ya no está vigente."
    if message.kind == MessageKind.WAITLIST_TAKEN and not _offer_was_sent(message.offer):
        return "El paciente nunca recibió la oferta."
    return ""


def _offer_was_sent(offer: WaitlistOffer | None) -> bool:
    """Telling a patient an offer is gone only makes sense if the offer reached them."""
    return (
        offer is not None
        and offer.messages.filter(
            kind=MessageKind.WAITLIST_OFFER,
            status__in=[MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.ANSWERED],
        ).exists()
    )


def template_variables(message: OutboundMessage) -> tuple[str, dict[str, str], str]:
    """(ContentSid, ContentVariables, plain body) for one row. The plain body goes by SMS and
    when the clinic has no approved template (inside the 24 h window WhatsApp accepts it)."""
    clinic = message.clinic
    messaging = getattr(clinic, "messaging", None) or messaging_settings(clinic=clinic)
    tz = clinic.tzinfo
    if message.kind in {MessageKind.WAITLIST_OFFER, MessageKind.WAITLIST_TAKEN}:
        offer = message.offer
        doctor, specialty, start = offer.doctor, offer.specialty, offer.start_at
        greeted_as = offer.entry.requested_as_name or offer.entry.patient.full_name
        offer_templates: dict[str, tuple[str, str]] = {
            MessageKind.WAITLIST_OFFER: (messaging.waitlist_content_sid, responses.WAITLIST_OFFER),
            MessageKind.WAITLIST_TAKEN: (messaging.waitlist_taken_content_sid, responses.WAITLIST_TAKEN),
        }
        content_sid, template = offer_templates[message.kind]
    else:
        appointment = message.appointment
        doctor, specialty, start = appointment.doctor, appointment.specialty, appointment.start_at
        greeted_as = appointment.booked_as_name or appointment.patient.full_name
        templates: dict[str, tuple[str, str]] = {
            MessageKind.REMINDER: (
                messaging.reminder_content_sid or settings.TWILIO_REMINDER_CONTENT_SID,
                responses.REMINDER_SMS,
            ),
            MessageKind.CLINIC_CANCELLED: (messaging.notice_content_sid, responses.CLINIC_CANCELLED),
            MessageKind.CLINIC_MOVED: (messaging.notice_content_sid, responses.CLINIC_MOVED),
        }
        content_sid, template = templates[message.kind]
    details = texts.details_phrase(
        doctor_name=doctor.display_name, specialty_name=specialty.name, include=messaging.include_details
    )
    when = texts.when_phrase(start, tz)
    link = texts.whatsapp_link(settings.TWILIO_WHATSAPP_NUMBER)
    # The name the turno was asked under: the number that booked it hears back what it typed,
    # never the stored name of a patient whose DNI it knew (design.md, Identity).
    variables = {"1": texts.first_name(greeted_as), "2": when, "3": clinic.name, "4": details.strip()}
    if message.kind in {MessageKind.CLINIC_CANCELLED, MessageKind.CLINIC_MOVED}:
        variables["5"] = link
    body = template.format(clinic=clinic.name, when=when, details=details, link=link)
    return content_sid, variables, body


def _twilio_params(message: OutboundMessage) -> dict:
    content_sid, variables, body = template_variables(message)
    callback = f"{settings.PUBLIC_BASE_URL}/webhook/messages/status" if settings.PUBLIC_BASE_URL else None
    if message.channel == MessageChannel.SMS:
        sender = messaging_settings(clinic=message.clinic).sms_number or settings.TWILIO_SMS_NUMBER
        params = {"to": message.to_number, "from_": sender, "body": body}
    else:
        params = {"to": f"whatsapp:{message.to_number}", "from_": f"whatsapp:{settings.TWILIO_WHATSAPP_NUMBER}"}
        if content_sid:
            params |= {"content_sid": content_sid, "content_variables": json.dumps(variables, ensure_ascii=False)}
        else:
            params["body"] = body
    if callback:
        params["status_callback"] = callback
    return params


def _call_twilio(client, params: dict) -> str | Exception:
    """The network part of one send, run in a worker thread: no database access here."""
    try:
        return client.messages.create(**params).sid
    except (TwilioException, OSError) as error:
        return error


def _record_failure(message: OutboundMessage, result: Exception, *, now: dt.datetime, report: SendReport) -> None:
    text = str(result)[:300]
    logger.warning(
        "Message %s to %s failed (attempt %s): %s", message.pk, mask_phone(message.to_number), message.attempts, text
    )
    report.errors.append(text)
    if message.attempts >= MAX_ATTEMPTS:
        OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, last_error=text)
        report.failed += 1
    else:
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.PENDING, last_error=text, next_attempt_at=now + retry_delay(message.attempts)
        )
        report.retried += 1


def send_due_messages(
    *, now: dt.datetime | None = None, batch_size: int = 200, workers: int = 8, client=None
) -> SendReport:
    """Send every row due by `now`, batch by batch, until none is left. Each Twilio call
    takes ~100-300 ms, so a batch's calls run on `workers` threads; the rows are read and
    written by this thread only (one connection, and the claim already made them ours)."""
    now = now or timezone.now()
    client = client or twilio_client()
    report = SendReport()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="twilio-send") as pool:
        while batch := claim_due(now=now, limit=batch_size):
            sendable = []
            for message in batch:
                reason = _obsolete(message, now)
                if reason:
                    OutboundMessage.objects.filter(pk=message.pk).update(
                        status=MessageStatus.CANCELLED, last_error=reason
                    )
                    report.skipped += 1
                else:
                    sendable.append((message, _twilio_params(message)))  # may query: stays on this thread
            results = pool.map(lambda item: _call_twilio(client, item[1]), sendable)
            sent = []
            for (message, _params), result in zip(sendable, results, strict=True):
                if isinstance(result, str):
                    message.status, message.message_sid, message.sent_at = MessageStatus.SENT, result, now
                    message.last_error = ""
                    sent.append(message)
                else:
                    _record_failure(message, result, now=now, report=report)
            # One statement for the batch's successes: the common case costs no query per message.
            OutboundMessage.objects.bulk_update(sent, ["status", "message_sid", "sent_at", "last_error"])
            report.sent += len(sent)
    return report


def record_delivery_status(
    *, message_sid: str, status: str, error_code: str = "", now: dt.datetime | None = None
) -> None:
    """Twilio's status callback. A WhatsApp message that cannot reach the number falls back to
    SMS when the clinic has an SMS number; any other final failure is shown to reception."""
    now = now or timezone.now()
    message = OutboundMessage.objects.select_related("clinic__messaging").filter(message_sid=message_sid).first()
    if message is None:
        return
    if status in {"delivered", "read"} and message.status == MessageStatus.SENT:
        OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.DELIVERED)
        return
    if status not in {"failed", "undelivered"}:
        return
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.FAILED, last_error=f"Twilio {status} (error {error_code or '?'})"
    )
    sms_number = message.clinic.messaging.sms_number or settings.TWILIO_SMS_NUMBER
    if message.channel == MessageChannel.WHATSAPP and error_code in WHATSAPP_UNREACHABLE_ERRORS and sms_number:
        OutboundMessage.objects.create(
            clinic=message.clinic,
            kind=message.kind,
            appointment=message.appointment,
            offer=message.offer,
            to_number=message.to_number,
            channel=MessageChannel.SMS,
            due_at=now,
            next_attempt_at=now,
        )
