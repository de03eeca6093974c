"""Reads of clinic data: the clinic itself, its reference data (see Catalog), and matching
what patients call things ("Swiss", "el cardiologo", "dentista") to specialties and coverages
(the lexicon's phrase matching itself is clinic.lexicon)."""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db import models
from rapidfuzz import fuzz, process

from clinic.lexicon import (
    EVERYDAY_WORDS,
    LexiconEntry,
    Mention,
    asked_for,
    build_lexicon,
    find_mentions,
    lexicon_words,
    normalize_text,
)
from clinic.models import (
    Clinic,
    Closure,
    Coverage,
    Doctor,
    DoctorSchedule,
    MissingService,
    OpeningHours,
    Specialty,
    Weekday,
)


def without_clinic_name(*, clinic: Clinic, text: str) -> str:
    """`text` normalised, without the clinic's own name: "Clínica San Rafael" must not read
    as the specialty "Clínica médica", nor "la clínica" (the place)."""
    text = normalize_text(text)
    name = normalize_text(clinic.name)
    text = text.replace(name, " ") if name else text
    return re.sub(
        r"\b(?:la|esta|su|una|vuestra|nuestra|tu|mi|esa|otra) clinica\b(?! (?:medica|general))", " ", text
    ).strip()


def get_default_clinic() -> Clinic | None:
    """The clinic this deployment serves (one clinic per deployment today)."""
    return Clinic.objects.order_by("pk").first()


@dataclass(frozen=True)
class Match[T]:
    obj: T
    score: float


def _best_match[T](text: str, candidates: dict[str, T], *, cutoff: float) -> Match[T] | None:
    """Best fuzzy match of any candidate name against as many whole words of `text`: "tienen
    cardiologia el martes?" matches "cardiologia", "suis medical" "swiss medical"; short names
    need an exact word. Whole words, not substrings: "urologo" is not inside "neurologo", nor
    "pediatra" inside "odontopediatra"."""
    # Letters said one by one are a name: "o s d e" is OSDE.
    words = re.sub(
        r"\b(?:[a-z] ){2,}[a-z]\b", lambda spelled: spelled[0].replace(" ", ""), normalize_text(text)
    ).split()
    if not words or not candidates:
        return None
    best: Match[T] | None = None
    for name, obj in candidates.items():
        size = len(name.split())
        windows = {" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}
        if len(name) <= 4:
            # "OSDE", "PAMI", "IOMA": fuzzy matching of short words finds them everywhere.
            score = 100.0 if name in windows else 0.0
        else:
            score = max(fuzz.ratio(name, window) for window in windows)
        if score >= cutoff and (best is None or score > best.score):
            best = Match(obj=obj, score=score)
    return best


class _Named(Protocol):
    name: str


def _names_of[T: _Named](objects: Iterable[T], *, extra_names: Callable[[T], list[str]]) -> dict[str, T]:
    names: dict[str, T] = {}
    for obj in objects:
        for name in [obj.name, *extra_names(obj)]:
            key = normalize_text(name)
            if key:
                names.setdefault(key, obj)
    return names


# --- the catalog: reference data without a query per turn ---------------------------------


@dataclass(frozen=True)
class Catalog:
    """A clinic's specialties, coverages, doctors and opening hours as one in-memory snapshot
    per process, so a patient turn reads names and hours without a query.

    Every webhook turn loads its clinic row anyway (with the conversation, in one query); a
    snapshot serves only while that row's `updated_at` is the one it was built from. Saving
    or deleting any of these rows with the model's save()/delete() (admin, seed_demo, shell)
    bumps the clinic's `updated_at` in the same transaction (clinic.signals), so every web
    instance rebuilds on its next turn, and the saving process drops its own at once; a
    QuerySet.update() sends no signal and must bump the clinic itself. A caller that holds a
    clinic row across turns sees other processes' changes once it reloads the row.
    Availability (schedules, closures, turnos) is never cached: it is always read live."""

    stamp: dt.datetime
    # All of the clinic's rows in their models' default order, inactive ones included: a
    # turno or an offered slot may still name them.
    specialties: tuple[Specialty, ...]
    coverages: tuple[Coverage, ...]
    doctors: tuple[Doctor, ...]
    opening_hours: tuple[OpeningHours, ...]
    # doctor id -> ids of the specialties they attend (active or not)
    doctor_specialty_ids: dict[int, frozenset[int]]
    # Normalized names and aliases -> row, for fuzzy matching: active specialties, all coverages.
    specialty_names: dict[str, Specialty]
    coverage_names: dict[str, Coverage]
    # What patients say for a specialty (names, aliases, SpecialtyTerm rows) or for a service
    # the clinic lacks (MissingService), longest phrase first: see mentions().
    lexicon: tuple[LexiconEntry, ...] = ()

    @property
    def active_specialties(self) -> list[Specialty]:
        return [specialty for specialty in self.specialties if specialty.is_active]

    @property
    def active_doctors(self) -> list[Doctor]:
        return [doctor for doctor in self.doctors if doctor.is_active]

    def specialty(self, pk, *, active_only: bool = True) -> Specialty | None:
        return next((s for s in self.specialties if s.pk == pk and (s.is_active or not active_only)), None)

    def doctor(self, pk) -> Doctor | None:
        return next((doctor for doctor in self.doctors if doctor.pk == pk), None)

    def attends(self, doctor: Doctor, specialty: Specialty) -> bool:
        return specialty.pk in self.doctor_specialty_ids.get(doctor.pk, ())

    def specialties_of(self, doctor: Doctor) -> list[Specialty]:
        """The doctor's active specialties."""
        return [specialty for specialty in self.active_specialties if self.attends(doctor, specialty)]

    def doctors_of(self, specialty: Specialty) -> list[Doctor]:
        """The specialty's active doctors."""
        return [doctor for doctor in self.active_doctors if self.attends(doctor, specialty)]


_catalogs: dict[int, Catalog] = {}


def _build_catalog(clinic: Clinic) -> Catalog:
    specialties = tuple(Specialty.objects.filter(clinic=clinic))
    coverages = tuple(Coverage.objects.filter(clinic=clinic))
    doctors = tuple(Doctor.objects.filter(clinic=clinic))
    for obj in (*specialties, *doctors):
        # The slot search reads specialty.clinic for the time zone: no query for it.
        obj.clinic = clinic  # type: ignore[attr-defined]
    links: dict[int, set[int]] = {}
    for doctor_id, specialty_id in Doctor.specialties.through.objects.filter(doctor__clinic=clinic).values_list(
        "doctor_id", "specialty_id"
    ):
        links.setdefault(doctor_id, set()).add(specialty_id)
    return Catalog(
        stamp=clinic.updated_at,
        specialties=specialties,
        coverages=coverages,
        doctors=doctors,
        opening_hours=tuple(OpeningHours.objects.filter(clinic=clinic)),
        doctor_specialty_ids={doctor_id: frozenset(ids) for doctor_id, ids in links.items()},
        specialty_names=_names_of(
            [s for s in specialties if s.is_active], extra_names=lambda specialty: specialty.alias_list
        ),
        coverage_names=_names_of(coverages, extra_names=lambda coverage: coverage.alias_list),
        lexicon=build_lexicon(clinic=clinic, specialties=specialties),
    )


def catalog_for(clinic: Clinic) -> Catalog:
    """The clinic's snapshot, rebuilt (seven queries) when its row says the data changed."""
    catalog = _catalogs.get(clinic.pk)
    if catalog is None or catalog.stamp != clinic.updated_at:
        catalog = _build_catalog(clinic)
        _catalogs[clinic.pk] = catalog
    return catalog


def forget_catalog(clinic_id: int) -> None:
    _catalogs.pop(clinic_id, None)


# --- names and facts, read from the catalog -------------------------------------------------


# Everyday words a letter away from a specialty's name or alias: said, they mean themselves
# ("la primera visita" is no typo of "vista", Oftalmología; clinic.lexicon.EVERYDAY_WORDS).
NO_TYPO_WORDS = EVERYDAY_WORDS


def find_specialty(*, clinic: Clinic, text: str, cutoff: float = 85) -> Specialty | None:
    """The clinic's active specialty that `text` mentions, by name or alias, typos tolerated,
    or else by what patients say for it ("me torcí la rodilla", "gine": the lexicon). Words
    that name a service the clinic lacks are no typo of a specialty: "hematólogo" is not
    "dermatólogo"."""
    said = mentions(clinic=clinic, text=text)
    words = [word if word not in NO_TYPO_WORDS else "" for word in lexicon_words(text)]
    for mention in said:
        if mention.missing:
            words[mention.position : mention.position + mention.length] = [""] * mention.length
    match = _best_match(" ".join(words), catalog_for(clinic).specialty_names, cutoff=cutoff)
    if match:
        return match.obj
    return next(iter(asked_for(said)), None)


# Each country's word for a coverage, said with "sin" or "no tengo", is having none: "sin
# mutualista", "no tengo EPS", "sin seguro" read as "sin cobertura", the phrase a clinic's
# private-pay coverage lists (the demo's "Particular").
NO_COVERAGE = re.compile(
    r"\b(?:sin|no tengo|no tiene|no tenemos) (?:ninguna? )?(?:mutualista|mutual|mutua|seguro medico|seguro|eps|isapre|"
    r"prepaga|prepagada|obra social|prevision|cobertura medica)\b"
)


# "¿Trabajan con Compensar o solo particular?": paying privately is the other choice asked
# about, not the coverage the patient has (round 7, nlu21); "¿atienden socios de CASMU o tengo
# que ir particular?", "o hay que pagar particular" (round 12) too.
OR_PRIVATE = re.compile(
    r"\bo (?:(?:tengo|tendria|tenemos|hay|toca) que (?:ir |pagar |venir |atenderme )?|pago |pagamos )?"
    r"(?:solo |solamente |nomas |nada mas |unicamente |es )*(?:particular|privado|privada|por privado|en privado)\b"
)


def find_coverage(*, clinic: Clinic, text: str, cutoff: float = 85) -> Coverage | None:
    """The coverage (accepted or not) that `text` mentions, by name or alias."""
    text = NO_COVERAGE.sub("sin cobertura", normalize_text(text))
    names = catalog_for(clinic).coverage_names
    match = _best_match(text, names, cutoff=cutoff)
    if match and match.obj.is_private_pay and OR_PRIVATE.search(text):
        # Whatever else is named, even a coverage the clinic does not know, is the one asked.
        other = _best_match(OR_PRIVATE.sub(" ", text), names, cutoff=cutoff)
        return other.obj if other else None
    return match.obj if match else None


def mentions(*, clinic: Clinic, text: str) -> list[Mention]:
    """The phrases of the clinic's lexicon that `text` says, in the order said (find_mentions)."""
    return find_mentions(lexicon=catalog_for(clinic).lexicon, text=text)


def find_specialties(*, clinic: Clinic, text: str) -> list[Specialty]:
    """The clinic's specialties that `text` asks for, in the order said, each once: "para mí
    con el clínico y para mi hija con la pediatra" -> [Clínica médica, Pediatría]."""
    found_mentions = mentions(clinic=clinic, text=text)
    found = asked_for(found_mentions)
    if not found and not found_mentions and (single := find_specialty(clinic=clinic, text=text)):
        found = [single]
    return found


SPECIALIST = frozenset({"especialista", "especialistas"})


def find_missing_service(*, clinic: Clinic, text: str) -> MissingService | None:
    """A service the clinic does not offer that `text` asks for ("tienen kine?"). Said only
    by what the patient has ("dolor de oído"), it is not asked for when an offered specialty
    is named or a child is the patient: "me duele el oído, un turno con el clínico", "mi nene
    tiene fiebre y le duelen los oídos" are the clínico's and the pediatrician's ("logopeda
    para mi hijo" names the service, and stays asked for). A service named wins over one the
    patient's words point to: "la audiometría con el otorrino" asks for the otorrino."""
    found = mentions(clinic=clinic, text=text)
    offered = any(m.specialty and (m.patient or not m.symptom) for m in found)
    asked = [m.missing for m in found if m.missing and not (m.symptom and offered)]
    named = [m.missing for m in found if m.missing and not m.symptom]
    if not (asked or offered) and SPECIALIST.intersection(lexicon_words(text)):  # named ones are asked too
        # "me diagnosticaron hipotiroidismo y necesito un especialista": the specialist of the
        # condition, a service the clinic lacks (said alone, the thyroid is the GP's).
        asked = [m.specialist for m in found if m.specialist]
    return next(iter(named or asked), None)


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
    for hours in catalog_for(clinic).opening_hours:
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
    catalog = catalog_for(clinic)
    coverages = catalog.coverages
    return {
        "name": clinic.name,
        "address": clinic.address,
        "phone": clinic.phone,
        "emergency_number": clinic.emergency_number,
        "timezone": clinic.timezone,
        "specialties": [specialty.name for specialty in catalog.active_specialties],
        "coverages_accepted": [c.name for c in coverages if c.is_accepted and not c.is_private_pay],
        "coverages_not_accepted": [c.name for c in coverages if not c.is_accepted],
        "private_pay": any(c.is_private_pay and c.is_accepted for c in coverages),
        "opening_hours": opening_hours_lines(clinic=clinic),
    }


# --- closures (read live, never from the catalog) -------------------------------------------


def closures_between(*, clinic: Clinic, first: dt.date, last: dt.date) -> list[Closure]:
    """Closures of `clinic` touching the local days first..last (inclusive): clinic-wide ones
    (holidays, `doctor` empty) first, then doctors' absences, each in date order. One query."""
    return list(
        Closure.objects.filter(clinic=clinic, start_date__lte=last, end_date__gte=first)
        .select_related("doctor")
        .order_by(models.F("doctor").asc(nulls_first=True), "start_date", "pk")
    )


def closures_on(*, clinic: Clinic, day: dt.date) -> list[Closure]:
    """What is closed on the clinic's local `day`: for "¿atienden el 8 de diciembre?" and the
    agenda's closed-day marks. A closure with `doctor` None closes the whole clinic."""
    return closures_between(clinic=clinic, first=day, last=day)


def doctor_schedules(*, doctor: Doctor, on: dt.date) -> list[DoctorSchedule]:
    """The doctor's weekly blocks in force on `on` (and later ones already known), for "¿qué
    días atiende la Dra. X?": one query, by weekday and start time."""
    current = models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on)
    return list(
        DoctorSchedule.objects.filter(current, doctor=doctor)
        .select_related("specialty")
        .order_by("weekday", "start_time")
    )
