"""Small pieces both Twilio adapters share."""

import re

from django.http import QueryDict

from bot.formatting import without_control_chars


class BadWebhook(Exception):
    """A webhook that cannot be from Twilio as documented (missing or malformed fields):
    the view answers 400 without running anything."""


# Twilio SIDs: two letters and 32 hex digits (CallSid "CA…", MessageSid "SM…"/"MM…").
SID_RE = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")
# str.isdigit() accepts "²" and "٣", which int() then refuses: only ASCII digits are numbers here.
ASCII_NUMBER_RE = re.compile(r"^[0-9]{1,9}$")


def clean_sid(value: str | None, *, field: str, prefixes: tuple[str, ...]) -> str:
    value = (value or "").strip()
    if not SID_RE.match(value) or not value.startswith(prefixes):
        raise BadWebhook(f"{field} missing or malformed")
    return value


def parse_count(value: str | None) -> int | None:
    """A non-negative integer written in ASCII digits, or None for anything else."""
    value = (value or "").strip()
    return int(value) if ASCII_NUMBER_RE.match(value) else None


def clean_form(data: QueryDict) -> dict[str, str]:
    """The request's fields (the last value of a repeated one, as QueryDict.get gives) with
    control characters removed, after the signature was checked over the raw ones: a NUL
    in a Body or a name must not make a turn impossible to store."""
    return {key: without_control_chars(str(value)) for key, value in data.items()}
