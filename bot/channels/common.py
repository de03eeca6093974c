"""Small pieces both Twilio adapters share."""

import re


class BadWebhook(Exception):
    """A webhook that cannot be from Twilio as documented (missing or malformed fields):
    the view answers 400 without running anything."""


# Twilio SIDs: two letters and 32 hex digits (CallSid "CA…", MessageSid "SM…"/"MM…").
SID_RE = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")


def clean_sid(value: str | None, *, field: str, prefixes: tuple[str, ...]) -> str:
    value = (value or "").strip()
    if not SID_RE.match(value) or not value.startswith(prefixes):
        raise BadWebhook(f"{field} missing or malformed")
    return value
