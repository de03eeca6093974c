"""Phone numbers in E.164, parsed with Google's libphonenumber port."""

import phonenumbers

DEFAULT_REGION = "AR"


def normalize_phone(raw: str, *, region: str = DEFAULT_REGION) -> str:
    """E.164 form of `raw` ("whatsapp:+54 9 11 ..." included), or "" when it is not a valid number."""
    if not raw:
        return ""
    text = raw.strip()
    if ":" in text:
        text = text.split(":", 1)[1]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(raw: str) -> str:
    """ "+5491155551234" -> "+54911******34": enough to tell callers apart in logs, not to call them."""
    digits = raw.split(":", 1)[-1] if raw else ""
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:6]}{'*' * (len(digits) - 8)}{digits[-2:]}"
