"""Days, times and parts of the day in what the patient said, from the clinic's today.

`dateparser` reads calendar dates ("3 de diciembre", "15/12", "dentro de 2 dias", "mañana");
a small pre-processing handles what it does not: number words, "y media", "menos cuarto",
weekdays with this clinic's rule (a weekday said on that weekday is next week's unless the
time asked is still ahead today), "el 15" (the next 15th) and "a la tarde"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import dateparser
from unidecode import unidecode

from appointments.policy import PartOfDay
from bot.formatting import MONTH_NAMES
from bot.nlu.date_context import asks_opening_hours, drop_other_days, is_symptom_meal, minutes_to_hours
from bot.nlu.normalize import correct_word, emojis_to_words
from bot.nlu.numbers import words_to_digits
from bot.nlu.refusals import NEGATION_AFTER, is_refused, refused_weekdays

MORNING = PartOfDay.MORNING.value
AFTERNOON = PartOfDay.AFTERNOON.value

WEEKDAYS = {"lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6}
WEEKDAYS |= {"sabados": 5, "domingos": 6}
# The months as patients write them (normalised), "setiembre" too.
MONTHS = [*MONTH_NAMES, "setiembre"]
MONTH_RX = "|".join(MONTHS)

# The clinic is open roughly 8 to 20: a bare "a las 5" means 17:00, nobody books at 5 a.m.
LATEST_MORNING_HOUR_WITHOUT_AM = 7
# When does a part of the day count as "still ahead" for "el martes a la tarde" said on a Tuesday.


@dataclass(frozen=True)
class When:
    """A requested day and/or time, in the clinic's local calendar. Any field may be None."""

    date: dt.date | None = None
    time: dt.time | None = None
    part_of_day: str | None = None  # MORNING / AFTERNOON
    # The part the patient ruled out ("a la mañana no puedo"); part_of_day is then the other.
    avoided_part_of_day: str | None = None
    # How the day was said: "" (a calendar day), "weekday" (a bare "el jueves"), "week" or
    # "month" (the start of "la semana / el mes que viene"): a later bare weekday falls in it.
    day_kind: str = ""
    # Weekdays ruled out ("lo antes posible, pero el lunes no puedo"), 0 = Monday.
    avoided_weekdays: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.date or self.time or self.part_of_day or self.avoided_weekdays)


def prepare_for_dates(text: str, *, correct: bool = True) -> str:
    """Like prepare() but keeping what carries meaning in dates and times: "15:30", "9.30",
    "12/12" ("12.345.678" loses its dots so it is not read as a time)."""
    text = unidecode(emojis_to_words(text)).lower()
    text = re.sub(r"(?<=\d)\.(?=\d{3}(?!\d))", "", text)  # thousands dots
    text = re.sub(r"(?<=\d)[.h](?=\d{2}(?!\d))", ":", text)  # 9.30, 9h30
    text = re.sub(r"(?<=\d)(hs|hrs|h|am|pm)\b", r" \1", text)
    text = re.sub(r"\b([ap])\.? ?m\.?(?=\s|$)", r"\1m", text)
    text = re.sub(r"(?<=\d)(ro|ra|er|do|°|º)\b", "", text)  # 1ro, 1°
    text = re.sub(r"(?<![0-9])[:/]|[:/](?![0-9])", " ", text)
    text = re.sub(r"[^a-z0-9:/]+", " ", text)
    words = [correct_word(word) if correct else word for word in text.split()]
    return words_to_digits(" ".join(words))


def _hour_for(hour: int, minute: int, *, meridiem: str | None, part: str | None) -> dt.time | None:
    if meridiem == "pm" or part == AFTERNOON or part == "night":
        if hour < 12:
            hour += 12
    elif meridiem == "am" or part == MORNING:
        if hour == 12:
            hour = 0 if meridiem == "am" else 12
    elif 1 <= hour <= LATEST_MORNING_HOUR_WITHOUT_AM:
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return dt.time(hour, minute)


# Meals mark the day too: "después del almuerzo" / "de comer" is the afternoon (Chile's
# "después de almuerzo"), "antes de almorzar" and "a media mañana" the morning; so does work:
# "a la salida del trabajo", "saliendo del trabajo" are the afternoon.
MEAL = r"(?:del? almuerzo|de almorzar|de comer)"
AFTER_WORK = r"(?:a la salida del|saliendo del|despues del) (?:trabajo|laburo|curro|chamba)"
PART_OF_DAY_RX = re.compile(
    r"\b(?:(?:de|por|a|en|durante|para|pa) la (?P<part>manana|tarde|noche)|(?:(?:de|por|a|en|durante) )?las (?P<parts>mananas|tardes)|"
    r"(?P<de_manana>de manana)|(?P<early>temprano|tempranito|a primera hora|primera hora|bien temprano|antes del mediodia|"
    r"(?:esa|la) misma manana|"
    rf"(?:de|por|a|en) (?:la )?mananita|a media manana|antes {MEAL}|"
    r"(?:en |de |por )?(?:la |el )?(?:horario|turno) matutino|matutino)|"
    rf"(?P<late>de tarde|a ultima hora|ultima hora|(?:despues del|pasado el|pasado del) mediodia|tardecita|a la siesta|"
    rf"a media tarde|(?:despues|pasadito|pasado) {MEAL}|(?:pasadito|pasado) el almuerzo|{AFTER_WORK}|(?:a|en|de|por) la nochecita|(?:en |de |por )?(?:la |el )?(?:horario|turno) vespertino|vespertino))\b"
)
TIME_RX = re.compile(
    r"\b(?:(?P<lead>a|de|desde|para|sobre|tipo|hacia|cerca de|despues de|antes de|por) )?"
    r"(?:(?P<article>las|la) )?"
    r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2})| y (?P<ymin>media|cuarto|\d{1,2})| menos (?P<less>cuarto|\d{1,2})"
    r"| (?P<spaced>[0-5]\d))?"
    r"(?P<oclock> en punto)?"
    r"(?: ?(?P<unit>hs|hrs|horas|h)\b)?"
    r"(?: ?(?P<meridiem>am|pm)\b)?"
)


DURATION_BEFORE = re.compile(
    r"\b(?:esperando|espere|esperamos|llevo|llevamos|lleva|hace|desde hace|durante|mas de|menos de|casi|como|unas|van)\s*$"
)
# "a la una" is 13:00; without accents "la uña" reads the same: "un hongo en la uña", "la uña
# del pie", "la uña encarnada" are a nail.
ONE_OCLOCK = re.compile(r"(?<!\ben )(?<!\bcon )\bla una\b(?! (?:del (?:pie|dedo)|de la mano|encarnada|enterrada))")


def _find_time(text: str, part: str | None) -> tuple[dt.time | None, tuple[int, int] | None]:
    """First time expression: "a las 10", "10:30", "9 y media", "las 11 menos cuarto",
    "17 hs", "3 pm". A bare number counts only with "las"/":"/"hs"/"am|pm"/"y media": "el 3"
    is a day, "el 2" may be an option."""
    for match in TIME_RX.finditer(text):
        hour = int(match["hour"])
        article = match["article"]
        minute_text = match["minute"] or match["ymin"] or match["less"] or match["spaced"]
        explicit = match["minute"] or match["unit"] or match["meridiem"] or match["ymin"] or match["less"]
        if article == "la" and hour != 1:
            continue  # "la 2" is an option, "a la una" is 13:00
        # "tipo once" (Argentina's "around eleven") is a time even without "las".
        if not (article or explicit or match["oclock"] or match["lead"] == "tipo"):
            continue
        if match["spaced"] and not article:
            continue
        # "me dejaron esperando dos horas", "hace 2 horas": how long, not when; Chile's "pedir dos
        # horas" (two turnos) too.
        if match["unit"] and not article and (match["lead"] == "por" or DURATION_BEFORE.search(text[: match.start()])):
            continue
        if match["unit"] == "horas" and not (article or match["lead"]) and hour <= 12:
            continue
        # "las 3 de diciembre" does not happen, "el 3 de diciembre a las 10" does.
        tail = text[match.end() : match.end() + 14]
        if re.match(rf"\s*(?:de )?(?:{MONTH_RX})\b", tail) or re.match(r"/\d", tail):
            continue
        minute = 0
        if minute_text == "media":
            minute = 30
        elif minute_text == "cuarto":
            minute = 45 if match["less"] else 15
        elif minute_text:
            minute = int(minute_text)
            if match["less"]:
                minute = 60 - minute
        if match["less"]:
            hour -= 1
        meridiem = match["meridiem"]
        value = _hour_for(hour, minute, meridiem=meridiem, part=part)
        # "a las 10 no alcanzo, ¿puede ser a las 11?": a time refused is not the one wanted.
        if value is not None and not NEGATION_AFTER.match(text[match.end() :]):
            return value, match.span()
    return None, None


def _spaces(match: re.Match) -> str:
    return " " * len(match[0])


def _blank(text: str, span: tuple[int, int]) -> str:
    return text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]


@lru_cache(maxsize=1024)
def _dateparser(phrase: str, today: dt.date) -> dt.date | None:
    # Cached: a dateparser call costs ~0.3 ms, and for the day-level phrases it gets (no
    # times) the answer depends only on the phrase and today's date.
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time.min),
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(phrase, languages=["es"], settings=settings)
    if parsed is None:
        return None
    day = parsed.date()
    # dateparser's "future" skips today itself ("1 de diciembre" on 1 December -> next year).
    if day.year == today.year + 1 and (day.month, day.day) == (today.month, today.day):
        return today
    return day


def _next_weekday(weekday: int, *, now: dt.datetime) -> dt.date:
    today = now.date()
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0:
        # "el martes" said on a Tuesday means next week's: for today the patient says "hoy".
        ahead = 7
    return today + dt.timedelta(days=ahead)


def _day_of_month(day: int, now: dt.datetime) -> dt.date | None:
    """ "el 15": this month if still ahead, else next month (skipping months without that day)."""
    today = now.date()
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            candidate = None
        if candidate and candidate >= today:
            return candidate
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return None


def _find_date(text: str, *, now: dt.datetime) -> tuple[dt.date | None, str]:
    """The day said, and how: "" (a calendar day), "weekday" (a bare "el jueves") or the
    start of a period ("week": "la semana que viene", "month": "el mes que viene")."""
    today = now.date()
    # "primero de diciembre" / "el primero" as a date.
    text = re.sub(rf"\bprimero (?=de (?:{MONTH_RX})\b)", "1 ", text)

    match = re.search(rf"\b(\d{{1,2}}) (?:de )?({MONTH_RX})(?: (?:de |del )?(\d{{4}}))?\b", text)
    if match:
        phrase = f"{match[1]} de {match[2]}" + (f" de {match[3]}" if match[3] else "")
        return _dateparser(phrase, today), ""
    match = re.search(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b", text)
    if match:
        return _dateparser(match[0], today), ""
    match = re.search(r"\b(?:dentro de|en) (\d{1,2}|una|un) (dias?|semanas?)\b", text)
    if match:
        return _dateparser(f"dentro de {match[1].replace('una', '1').replace('un', '1')} {match[2]}", today), ""
    # "hoy no puedo, quiero el jueves": a day refused is not the one asked for.
    text = re.sub(
        r"\b(?:pasado manana|manana|hoy)(?= no (?:puedo|podria|podre|podemos|me (?:sirve|queda|viene|va)|voy|llego))",
        _spaces,
        text,
    )
    if re.search(r"\bpasado manana\b", text):
        # dateparser does not know "pasado mañana"; it does know "dentro de 2 dias".
        return _dateparser("dentro de 2 dias", today), ""
    if re.search(r"\b(?<!hasta )manana\b", text):
        return _dateparser("manana", today), ""
    if re.search(r"\bhoy\b", text):
        return today, ""

    # "el lunes que viene no, el otro", "este viernes no puedo, dame el siguiente": the day
    # refused and the one after it, a week later.
    match = THE_ONE_AFTER_RX.search(text)
    if match:
        return _next_weekday(WEEKDAYS[match["day"]], now=now) + dt.timedelta(days=7), ""
    # "el finde", "este fin de semana": its Saturday (clinics do not open on Sundays), read as
    # "el sábado" is; not a past one ("me duele desde el finde") nor a question about
    # weekends ("los fines de semana").
    if WEEKEND_RX.search(text):
        return _next_weekday(WEEKDAYS["sabado"], now=now), "weekday"
    # "ahorita" (Mexico, Central America, Colombia, Venezuela) and "ahora mismo" are today,
    # unless refused ("ahorita no") or asked about being open ("¿están abiertos ahorita?").
    if re.search(r"(?<!abiertos )(?<!abierto )(?<!atendiendo )\b(?:ahorita|ahora mismo)\b(?! no\b)", text):
        return today, ""

    # "el viernes 11": the number is the date, the weekday only confirms it.
    match = re.search(rf"\b(?:{'|'.join(WEEKDAYS)}) (\d{{1,2}})\b(?! (?:hs|horas|de la|y media))", text)
    if match and 1 <= int(match[1]) <= 31:
        return _day_of_month(int(match[1]), now), ""

    # "el otro martes" (Mexico): not the coming one but next week's.
    next_week = bool(
        re.search(
            rf"\b(?:semana que viene|proxima semana|semana proxima|otra semana|otro (?:{'|'.join(WEEKDAYS)}))\b", text
        )
    )
    next_month = None
    if re.search(r"\b(?:mes que viene|proximo mes|mes proximo)\b", text):
        next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    # The first weekday said wins ("el jueves o el viernes" is Thursday), not the first in the
    # table, unless it is ruled out ("el jueves no puedo, pasalo al viernes").
    said = list(re.finditer(rf"\b(?:{'|'.join(WEEKDAYS)})\b", text))
    refused = refused_weekdays(text, said)
    first = next((m for m in said if m not in refused), None)
    if first:
        weekday = WEEKDAYS[first[0]]
        if next_week:
            monday = today + dt.timedelta(days=7 - today.weekday())
            return monday + dt.timedelta(days=weekday), ""
        if next_month:
            return next_month + dt.timedelta(days=(weekday - next_month.weekday()) % 7), ""
        return _next_weekday(weekday, now=now), "weekday"
    if next_week:
        # "la semana que viene, cualquier día menos el lunes": the week starts after the days refused.
        start = today + dt.timedelta(days=7 - today.weekday())
        while start.weekday() in {WEEKDAYS[m[0]] for m in refused}:
            start += dt.timedelta(days=1)
        return start, "week"
    if next_month:
        return next_month, "month"

    match = re.search(r"\b(?:el|para el|el dia|dia) (\d{1,2})\b(?! (?:hs|horas|de la|y media))", text)
    if match and 1 <= int(match[1]) <= 31:
        return _day_of_month(int(match[1]), now), ""
    return None, ""


def extract_when(text: str, *, now: dt.datetime) -> When:
    """Day, time and part of day in what the patient said, relative to `now` (aware, in the
    clinic's time zone): "el miercoles a las diez", "mañana a la tarde", "pasado mañana
    15:30", "el 3 de diciembre a las 9 y media", "el lunes que viene a primera hora"."""
    prepared = prepare_for_dates(text)
    # "el viernes 9 de la mañana" is 9:00 on Friday, not the 9th: the hour before the part of
    # the day is a time even without "a las".
    prepared = re.sub(r"\b(?<!las )(?<!la )(\d{1,2}) (?=de la (?:manana|tarde|noche)\b)", r"a las \1 ", prepared)
    # "a las 1830" is 18:30 (the hour and minutes typed together).
    prepared = re.sub(r"\blas ([01]?\d|2[0-3])([0-5]\d)\b", r"las \1:\2", prepared)
    prepared = drop_other_days(prepared)
    part, avoided, part_match = None, None, None
    said_de_tarde = re.search(r"\bde tarde\b", prepared)
    # "a la mañana no puedo", "que no sea a la tarde": a part ruled out means the other one,
    # unless another part is asked for in the same message ("a la tarde no, a la mañana").
    for match in PART_OF_DAY_RX.finditer(prepared):
        if is_symptom_meal(prepared, match.span()):
            continue
        negated = is_refused(prepared, match.span())
        tomorrows = re.search(r"\b(?:turno|turnos|cita|citas|hora|consulta|control)\s*$", prepared[: match.start()])
        # "el turno de mañana" is tomorrow's; "el jueves de mañana", "de tarde porque de mañana va
        # al liceo" (another part said the same way) are in the morning.
        other_day = OTHER_DAY_RX.search(_blank(prepared, match.span())) or said_de_tarde
        if match["de_manana"] and (tomorrows or not (negated or other_day)):
            continue
        said = (
            MORNING
            if match["part"] == "manana" or match["parts"] == "mananas" or match["early"] or match["de_manana"]
            else AFTERNOON
        )
        if negated:
            avoided = avoided or said
        elif part is None:
            part, part_match = said, match
        # The refusal goes with the part it refuses: "el jueves de mañana no puedo" keeps Thursday.
        refusal = NEGATION_AFTER.match(prepared[match.end() :]) if negated else None
        prepared = _blank(prepared, (match.start(), match.end() + (refusal.end() if refusal else 0)))
    if part is None and avoided:
        part = AFTERNOON if avoided == MORNING else MORNING
    else:
        avoided = None
    time_part = "night" if part_match and part_match["part"] == "noche" else part
    noon = re.search(r"\bmediodia\b", prepared) and not asks_opening_hours(prepared)
    if noon and not re.search(r"\b(?:antes|despues) del mediodia\b", prepared):
        prepared = re.sub(r"\b(?:a )?(?:al )?mediodia\b", " a las 12:00 ", prepared)
    prepared = ONE_OCLOCK.sub("la 1", prepared)
    prepared = minutes_to_hours(prepared)

    time, span = _find_time(prepared, time_part)
    if span:
        prepared = _blank(prepared, span)
    date, kind = _find_date(prepared, now=now)
    # "el lunes que viene no, el otro" refuses a Monday to ask for the next one: no day ruled out.
    weekdays = [] if THE_ONE_AFTER_RX.search(prepared) else list(re.finditer(rf"\b(?:{_WEEKDAY_RX})\b", prepared))
    refused = tuple(sorted({WEEKDAYS[m[0]] for m in refused_weekdays(prepared, weekdays)}))
    return When(
        date=date, time=time, part_of_day=part, avoided_part_of_day=avoided, day_kind=kind, avoided_weekdays=refused
    )


def extract_date_times(text: str, *, now: dt.datetime) -> list[When]:
    """Every time in `text` with the day it goes with, for a message that names several ("su
    turno del miércoles 2 a las 16:00 para el jueves 3 a las 10:00"): a time's day is the one
    said since the time before it, else the one right after it ("a las 10 del jueves 3")."""
    prepared = prepare_for_dates(text)
    spans, rest = [], prepared
    while (found := _find_time(rest, None)[1]) is not None:
        spans.append(found)
        rest = _blank(rest, found)
    spans.sort()
    ends = [0] + [end for _start, end in spans]
    starts = [start for start, _end in spans[1:]] + [len(prepared)]
    whens = []
    for since, (_start, end), until in zip(ends, spans, starts, strict=False):
        when = extract_when(prepared[since:end], now=now)
        if when.time and not when.date:
            when = dataclasses.replace(when, date=extract_when(prepared[end:until], now=now).date)
        if when.time:
            whens.append(when)
    return whens


# Another day said in the same message makes "de mañana" a part of that day.
OTHER_DAY_RX = re.compile(
    rf"\b(?:hoy|manana|pasado|{'|'.join(WEEKDAYS)}|\d{{1,2}} (?:de )?(?:{MONTH_RX})|(?:el|para el|dia) \d{{1,2}})\b"
)
_WEEKDAY_RX = "|".join(WEEKDAYS)
THE_ONE_AFTER_RX = re.compile(
    rf"\b(?P<day>{_WEEKDAY_RX})(?: (?:que viene|proximo|de esta semana))? no\b(?: (?:puedo|podria|me (?:sirve|queda|viene)))?"
    rf"(?: (?:dame|deme|mejor|pasalo|pasala|para|al|a))*(?: (?:el|la))? (?:otro|otra|siguiente|subsiguiente|de despues)\b"
)
WEEKEND_RX = re.compile(r"(?<!desde )\b(?:el|este|para el|al|en el|un|pal|del) (?:finde|fin de semana)\b(?! pasado)")
