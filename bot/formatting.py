"""Spanish dates and times as a receptionist says them: "miércoles 2 de diciembre a las 10:00".

Written by hand on purpose: Babel (CLDR) is not a dependency of the project (dateparser does
not bring it), and two small tables are cheaper than a new package for the one format the
assistant speaks. `strftime("%A")` is no option either: it depends on the server's locale,
which on Render is C/English.
"""

import datetime as dt
import re

from num2words import num2words

from clinic.models import Weekday

# NUL (which PostgreSQL text cannot store) and the other C0/C1 controls except tab and line breaks.
_CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_control_chars(text: str) -> str:
    return _CONTROL_CHARS_RE.sub("", text)


# The most a reply may say, per channel: about a minute of speech on a call; two WhatsApp
# messages. Whatever a brain produces, the patient never gets a wall of text.
REPLY_MAX_CHARS = {"phone": 700}
DEFAULT_REPLY_MAX_CHARS = 3_000


def cap_reply(text: str, *, channel: str) -> str:
    """`text` cut to the channel's limit at the last sentence (or word) that fits."""
    limit = REPLY_MAX_CHARS.get(channel, DEFAULT_REPLY_MAX_CHARS)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    end = max(cut.rfind(mark) for mark in (". ", "? ", "! ", "\n"))
    if end < limit // 2:
        end = cut.rfind(" ")
    return (cut[: end + 1] if end > 0 else cut).rstrip() + "…"


MONTH_NAMES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def weekday_name(day: dt.date) -> str:
    """ "miércoles": the clinic models' weekday labels, in running text."""
    return Weekday(day.weekday()).label.lower()


def format_date(day: dt.date, *, today: dt.date | None = None) -> str:
    """ "miércoles 2 de diciembre"; with `today`, "hoy miércoles 2 de diciembre" / "mañana
    jueves 3 de diciembre", and the year when it is not this year's."""
    text = f"{weekday_name(day)} {day.day} de {MONTH_NAMES[day.month - 1]}"
    if today is not None:
        if day.year != today.year:
            text += f" de {day.year}"
        if day == today:
            text = f"hoy {text}"
        elif day == today + dt.timedelta(days=1):
            text = f"mañana {text}"
    return text


def format_time(value: dt.time) -> str:
    """ "10:00", "8:30": no leading zero, which text-to-speech would read as "cero ocho"."""
    return f"{value.hour}:{value.minute:02d}"


def at_time(value: dt.time) -> str:
    """ "a las 10:00", but "a la 1:00"."""
    return f"{'a la' if value.hour == 1 else 'a las'} {format_time(value)}"


def format_slot_datetime(value: dt.datetime, tz, *, today: dt.date | None = None) -> str:
    """An aware instant in the clinic's zone: "miércoles 2 de diciembre a las 10:00"."""
    local = value.astimezone(tz)
    return f"{format_date(local.date(), today=today)} {at_time(local.time())}"


def greeting_for(local: dt.datetime) -> str:
    """ "Buenos días" until noon, "Buenas tardes" until 20:00, then "Buenas noches"."""
    if 5 <= local.hour < 12:
        return "Buenos días"
    if 12 <= local.hour < 20:
        return "Buenas tardes"
    return "Buenas noches"


def join_spanish(items: list[str], *, last: str = "y") -> str:
    """["a", "b", "c"] -> "a, b y c"."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def with_doctor(doctor_name: str) -> str:
    """ "con el Dr. Martín Gutiérrez" / "con la Dra. Laura Fernández"."""
    title = doctor_name.split(" ", 1)[0].lower() if doctor_name else ""
    article = "la" if title.rstrip(".").endswith("a") else "el"
    return f"con {article} {doctor_name}" if doctor_name else ""


# A document number in a sentence: 7 or 8 digits, bare or with thousands dots (28.765.432).
DOCUMENT_NUMBER_RE = re.compile(r"(?<![\d.])(\d{1,3}\.\d{3}\.\d{3}|\d{7,8})(?![\d.])")


def _group_in_words(group: str) -> str:
    # A leading zero is said ("cero doce"): "doce" alone would hide a digit from the caller.
    zeros = len(group) - len(group.lstrip("0"))
    rest = group.lstrip("0")
    words = ["cero"] * zeros + ([num2words(int(rest), lang="es")] if rest else [])
    return " ".join(words)


def spoken_digit_groups(text: str) -> str:
    """Document numbers read the way a caller can check them by ear: in groups of three from
    the right, each in words ("veintiocho, setecientos sesenta y cinco, cuatrocientos treinta
    y dos"), never as one number of millions nor as eight loose digits."""

    def spoken(match: re.Match) -> str:
        digits = match.group(1).replace(".", "")
        head = len(digits) % 3 or 3
        groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
        return ", ".join(_group_in_words(group) for group in groups)

    return DOCUMENT_NUMBER_RE.sub(spoken, text)
