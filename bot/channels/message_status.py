"""Twilio's status callback for the messages the clinic sends first (reminders, offers,
notices): delivery, failure and the SMS fallback are decided in reminders.sending."""

import logging
import re

from bot.channels.common import BadWebhook, clean_sid
from reminders.sending import record_delivery_status

logger = logging.getLogger(__name__)

# Documented MessageStatus values; anything else is not from Twilio.
MESSAGE_STATUSES = {
    "accepted", "scheduled", "queued", "sending", "sent", "delivered", "undelivered", "failed", "read", "canceled",
}  # fmt: skip
ERROR_CODE_RE = re.compile(r"^\d{1,6}$")


def handle_status(params, query) -> str:
    """POST /webhook/messages/status. Twilio ignores the answer; an empty TwiML keeps it quiet.
    Idempotent by nature: the same status twice changes nothing more."""
    message_sid = clean_sid(params.get("MessageSid"), field="MessageSid", prefixes=("SM", "MM"))
    status = (params.get("MessageStatus") or "").strip().lower()
    if status not in MESSAGE_STATUSES:
        raise BadWebhook("MessageStatus missing or unknown")
    error_code = (params.get("ErrorCode") or "").strip()
    if error_code and not ERROR_CODE_RE.match(error_code):
        raise BadWebhook("ErrorCode malformed")
    if status in {"failed", "undelivered"}:
        logger.warning("Mensaje %s: %s (error %s)", message_sid, status, error_code or "?")
    record_delivery_status(message_sid=message_sid, status=status, error_code=error_code)
    return '<?xml version="1.0" encoding="UTF-8"?><Response/>'
