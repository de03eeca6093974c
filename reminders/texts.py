"""The pieces the clinic's first messages are filled with (their sentences are in
bot.responses.reminders): the day and time, the optional details, the patient's first name
and the link that opens the clinic's chat."""

import datetime as dt

from bot import responses
from bot.formatting import at_time, format_date


def whatsapp_link(clinic_number: str) -> str:
    """A wa.me link that opens the clinic's chat with the reschedule request already typed."""
    from urllib.parse import quote

    return f"https://wa.me/{clinic_number.lstrip('+')}?text={quote(responses.RESCHEDULE_PROMPT)}"


def when_phrase(start: dt.datetime, tz) -> str:
    local = start.astimezone(tz)
    return f"{format_date(local.date())} {at_time(local.time())}"


def details_phrase(*, doctor_name: str, specialty_name: str, include: bool) -> str:
    return f" con {doctor_name} ({specialty_name})" if include else ""


def first_name(full_name: str) -> str:
    return (full_name.split() or [""])[0].title()
