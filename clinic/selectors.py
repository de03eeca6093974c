"""Reads of clinic data: the clinic itself, and matching what patients call things
("Swiss", "el cardiologo", "dentista") to specialties and coverages."""

from dataclasses import dataclass

from django.conf import settings
from rapidfuzz import fuzz, process, utils
from unidecode import unidecode

from clinic.models import Clinic, Coverage, OpeningHours, Specialty, Weekday


def normalize_text(text: str) -> str:
    """Lower case, no accents, no punctuation: how speech recognition and hurried typists write."""
    return utils.default_process(unidecode(text or ""))


def get_default_clinic() -> Clinic | None:
    """The clinic this deployment serves (one clinic per deployment today)."""
    return Clinic.objects.order_by("pk").first()


def clinic_timezone_name(*, clinic: Clinic | None) -> str:
    return clinic.timezone if clinic else settings.CLINIC_TIMEZONE


@dataclass(frozen=True)
class Match:
    obj: object
    score: float
    matched_text: str


def _best_match(text: str, candidates: dict[str, object], *, cutoff: float) -> Match | None:
    """Best fuzzy match of any candidate name inside `text`. partial_ratio lets "tienen
    cardiologia el martes?" match "cardiologia"; short names need a near-exact hit."""
    query = normalize_text(text)
    if not query or not candidates:
        return None
    best: Match | None = None
    for name, obj in candidates.items():
        if len(name) <= 4:
            # "OSDE", "PAMI", "IOMA": fuzzy partial matching of short words finds them everywhere.
            score = 100.0 if name in query.split() else 0.0
        else:
            score = fuzz.partial_ratio(name, query) if len(query) >= len(name) else fuzz.ratio(name, query)
        if score >= cutoff and (best is None or score > best.score):
            best = Match(obj=obj, score=score, matched_text=name)
    return best


def _names_of(objects, *, extra_names) -> dict[str, object]:
    names: dict[str, object] = {}
    for obj in objects:
        for name in [obj.name, *extra_names(obj)]:
            key = normalize_text(name)
            if key:
                names.setdefault(key, obj)
    return names


def find_specialty(*, clinic: Clinic, text: str, cutoff: float = 85) -> Specialty | None:
    """The clinic's active specialty that `text` mentions, by name or alias, typos tolerated."""
    specialties = Specialty.objects.filter(clinic=clinic, is_active=True)
    match = _best_match(text, _names_of(specialties, extra_names=lambda s: s.alias_list), cutoff=cutoff)
    return match.obj if match else None


def find_coverage(*, clinic: Clinic, text: str, cutoff: float = 85) -> Coverage | None:
    """The coverage (accepted or not) that `text` mentions, by name or alias."""
    coverages = Coverage.objects.filter(clinic=clinic)
    match = _best_match(text, _names_of(coverages, extra_names=lambda c: c.alias_list), cutoff=cutoff)
    return match.obj if match else None


def suggest_names(*, text: str, names: list[str], limit: int = 3) -> list[str]:
    """Closest names to an unknown request, to offer "no, but we have ..." alternatives."""
    query = normalize_text(text)
    if not query:
        return []
    results = process.extract(query, {n: normalize_text(n) for n in names}, scorer=fuzz.WRatio, limit=limit)
    return [key for _value, score, key in results if score >= 60]


def opening_hours_lines(*, clinic: Clinic) -> list[str]:
    """Spanish lines like "Lunes a viernes: 08:00 a 20:00", grouping consecutive equal days."""
    by_day: dict[int, list[OpeningHours]] = {}
    for hours in OpeningHours.objects.filter(clinic=clinic).order_by("weekday", "opens_at"):
        by_day.setdefault(hours.weekday, []).append(hours)
    day_ranges = {
        day: " y ".join(f"{h.opens_at:%H:%M} a {h.closes_at:%H:%M}" for h in rows) for day, rows in by_day.items()
    }
    lines: list[str] = []
    days = sorted(day_ranges)
    index = 0
    while index < len(days):
        first = days[index]
        last = first
        while (
            index + 1 < len(days) and days[index + 1] == last + 1 and day_ranges[days[index + 1]] == day_ranges[first]
        ):
            index += 1
            last = days[index]
        first_label = Weekday(first).label
        label = first_label if first == last else f"{first_label} a {Weekday(last).label.lower()}"
        lines.append(f"{label}: {day_ranges[first]}")
        index += 1
    return lines


def clinic_info(*, clinic: Clinic) -> dict:
    """Compact facts a patient may ask about; the source for prompts and answers alike."""
    coverages = list(Coverage.objects.filter(clinic=clinic).order_by("name"))
    return {
        "name": clinic.name,
        "address": clinic.address,
        "phone": clinic.phone,
        "emergency_number": clinic.emergency_number,
        "timezone": clinic.timezone,
        "specialties": list(
            Specialty.objects.filter(clinic=clinic, is_active=True).order_by("name").values_list("name", flat=True)
        ),
        "coverages_accepted": [c.name for c in coverages if c.is_accepted and not c.is_private_pay],
        "coverages_not_accepted": [c.name for c in coverages if not c.is_accepted],
        "private_pay": any(c.is_private_pay and c.is_accepted for c in coverages),
        "opening_hours": opening_hours_lines(clinic=clinic),
    }
