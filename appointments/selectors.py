"""Reads about turnos: free slots computed from schedules, closures and existing
turnos (never invented), and a patient's own turnos."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from appointments.booking_policy import load_bookability, local_dates
from appointments.booking_policy import local_day_bounds as local_day_bounds
from appointments.models import Patient
from appointments.policy import Actor
from clinic.models import Clinic, Closure, Doctor, Specialty
from clinic.selectors import get_default_clinic

DEFAULT_SEARCH_DAYS = 14


@dataclass(frozen=True)
class Slot:
    doctor_id: int
    doctor_name: str
    specialty_id: int
    specialty_name: str
    start: dt.datetime  # aware
    end: dt.datetime  # aware

    def local_start(self, tz) -> dt.datetime:
        return self.start.astimezone(tz)


def find_available_slots(
    *,
    specialty: Specialty,
    doctor: Doctor | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    limit: int | None = None,
    now: dt.datetime | None = None,
    actor: Actor = Actor.ASSISTANT,
    patient: Patient | None = None,
) -> list[Slot]:
    """Free slots of `specialty` (optionally one doctor) between `start` and `end`, earliest
    first: exactly the slots the booking policy lets `actor` book (appointments.booking_policy).
    A fixed handful of queries whatever the range or the number of doctors."""
    return slots_of(
        specialties=[specialty],
        doctor=doctor,
        start=start,
        end=end,
        limit=limit,
        now=now,
        actor=actor,
        patient=patient,
    )


def slots_of(
    *,
    specialties: list[Specialty],
    doctor: Doctor | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    limit: int | None = None,
    now: dt.datetime | None = None,
    actor: Actor = Actor.ASSISTANT,
    patient: Patient | None = None,
    closures: list[Closure] | None = None,
) -> list[Slot]:
    """find_available_slots over several specialties of one clinic at once (the agenda shows
    them side by side): the same queries as for one. `closures`: see load_bookability."""
    if not specialties:
        return []
    tz = specialties[0].clinic.tzinfo
    now = now or timezone.now()
    start = max(start or now, now)
    end = end or start + dt.timedelta(days=DEFAULT_SEARCH_DAYS)
    if end <= start:
        return []
    rules = load_bookability(
        specialties=specialties,
        start=start,
        end=end,
        now=now,
        actor=actor,
        doctor_ids=[doctor.pk] if doctor is not None else None,
        patient=patient,
        closures=closures,
    )
    if not rules.schedules:
        return []
    doctor_names = {schedule.doctor_id: schedule.doctor.display_name for schedule in rules.schedules}
    free = sorted(
        (slot_start, doctor_names[schedule.doctor_id], schedule.pk, slot_end, schedule)
        for slot_start, slot_end, schedule in rules.free_slots(
            days=local_dates(start, end, tz), start=start.timestamp(), end=end.timestamp()
        )
    )
    if limit:
        free = free[:limit]
    specialty_names = {specialty.pk: specialty.name for specialty in specialties}
    return [
        Slot(
            doctor_id=schedule.doctor_id,
            doctor_name=doctor_name,
            specialty_id=schedule.specialty_id,
            specialty_name=specialty_names[schedule.specialty_id],
            start=dt.datetime.fromtimestamp(slot_start, tz=dt.UTC),
            end=dt.datetime.fromtimestamp(slot_end, tz=dt.UTC),
        )
        for slot_start, doctor_name, _pk, slot_end, schedule in free
    ]


def find_nearest_slots(
    *,
    specialty: Specialty,
    around: dt.datetime,
    doctor: Doctor | None = None,
    limit: int = 3,
    now: dt.datetime | None = None,
    window_days: int = DEFAULT_SEARCH_DAYS,
) -> list[Slot]:
    """Free slots closest in time to `around` (before or after), for "that hour is taken,
    but I have ..." answers. Returned in time order."""
    window = dt.timedelta(days=window_days)
    candidates = find_available_slots(
        specialty=specialty, doctor=doctor, start=around - window, end=around + window, now=now
    )
    # Same day first (a patient who asked for Wednesday wants Wednesday), then nearest.
    tz = specialty.clinic.tzinfo
    asked_day = around.astimezone(tz).date()
    nearest = sorted(
        candidates,
        key=lambda slot: (slot.start.astimezone(tz).date() != asked_day, abs((slot.start - around).total_seconds())),
    )[:limit]
    return sorted(nearest, key=lambda slot: slot.start)


def find_slot(
    *, specialty: Specialty, start: dt.datetime, doctor: Doctor | None = None, now: dt.datetime | None = None
) -> Slot | None:
    """The free slot starting exactly at `start` (any doctor of the specialty unless given)."""
    slots = find_available_slots(
        specialty=specialty, doctor=doctor, start=start, end=start + dt.timedelta(hours=4), now=now
    )
    return next((slot for slot in slots if slot.start == start), None)


# --- the reception desk's agenda -------------------------------------------------------


def clinic_timezone(clinic: Clinic | None = None) -> zoneinfo.ZoneInfo:
    """The zone receptionists live in: the clinic's own, else the first clinic's, else CLINIC_TIMEZONE."""
    clinic = clinic or get_default_clinic()
    return clinic.tzinfo if clinic else zoneinfo.ZoneInfo(settings.CLINIC_TIMEZONE)
