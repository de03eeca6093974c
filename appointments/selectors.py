"""Reads about turnos: free slots computed from schedules, closures and existing
turnos (never invented), and a patient's own turnos."""

import bisect
import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from appointments.models import OCCUPYING_STATUSES, Appointment
from clinic.models import Clinic, Closure, Doctor, DoctorSchedule, Specialty
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


def _local_dates(start: dt.datetime, end: dt.datetime, tz) -> list[dt.date]:
    first = start.astimezone(tz).date()
    last = end.astimezone(tz).date()
    return [first + dt.timedelta(days=offset) for offset in range((last - first).days + 1)]


def schedule_applies(schedule: DoctorSchedule, day: dt.date) -> bool:
    return (
        schedule.weekday == day.weekday()
        and (schedule.valid_from is None or schedule.valid_from <= day)
        and (schedule.valid_until is None or day <= schedule.valid_until)
    )


def _closed_days(*, clinic: Clinic, doctor_ids: list[int], first: dt.date, last: dt.date) -> dict[int | None, set]:
    """Closed local dates, keyed by doctor id (None = the whole clinic)."""
    closures = Closure.objects.filter(clinic=clinic, start_date__lte=last, end_date__gte=first).filter(
        Q(doctor__isnull=True) | Q(doctor_id__in=doctor_ids)
    )
    closed: dict[int | None, set] = defaultdict(set)
    for closure in closures:
        day = max(closure.start_date, first)
        while day <= min(closure.end_date, last):
            closed[closure.doctor_id].add(day)
            day += dt.timedelta(days=1)
    return closed


def _busy_intervals(*, doctor_ids: list[int], start: dt.datetime, end: dt.datetime) -> dict[int, tuple[list, list]]:
    """Occupied intervals per doctor as two parallel lists of epoch seconds (starts, ends),
    sorted by start: plain floats keep the per-slot overlap test a C-level bisect."""
    rows = (
        Appointment.objects.filter(
            doctor_id__in=doctor_ids, status__in=OCCUPYING_STATUSES, start_at__lt=end, end_at__gt=start
        )
        .order_by("doctor_id", "start_at")
        .values_list("doctor_id", "start_at", "end_at")
    )
    busy: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    for doctor_id, start_at, end_at in rows:
        starts, ends = busy[doctor_id]
        starts.append(start_at.timestamp())
        ends.append(end_at.timestamp())
    return busy


def _overlaps(busy: tuple[list, list], start: float, end: float) -> bool:
    # One doctor's occupied intervals never overlap each other, so they are sorted by end
    # too: the first one ending after `start` is the only candidate.
    starts, ends = busy
    index = bisect.bisect_right(ends, start)
    return index < len(ends) and starts[index] < end


def find_available_slots(
    *,
    specialty: Specialty,
    doctor: Doctor | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    limit: int | None = None,
    now: dt.datetime | None = None,
) -> list[Slot]:
    """Free slots of `specialty` (optionally one doctor) between `start` and `end`, earliest
    first. Three queries whatever the range or the number of doctors."""
    clinic = specialty.clinic
    tz = clinic.tzinfo
    now = now or timezone.now()
    start = max(start or now, now)
    end = end or start + dt.timedelta(days=DEFAULT_SEARCH_DAYS)
    if end <= start:
        return []

    schedules_qs = DoctorSchedule.objects.filter(specialty=specialty, doctor__is_active=True).select_related("doctor")
    if doctor is not None:
        schedules_qs = schedules_qs.filter(doctor=doctor)
    schedules = list(schedules_qs)
    if not schedules:
        return []
    doctor_ids = sorted({s.doctor_id for s in schedules})
    days = _local_dates(start, end, tz)
    closed = _closed_days(clinic=clinic, doctor_ids=doctor_ids, first=days[0], last=days[-1])
    busy = _busy_intervals(doctor_ids=doctor_ids, start=start, end=end)

    # A slot starting this very second can no longer be booked (the service refuses start <= now).
    start_ts, end_ts, now_ts = start.timestamp(), end.timestamp(), now.timestamp()
    free: list[tuple[float, float, DoctorSchedule]] = []
    for day in days:
        if day in closed[None]:
            continue
        for schedule in schedules:
            if not schedule_applies(schedule, day) or day in closed[schedule.doctor_id]:
                continue
            step = schedule.slot_minutes * 60
            # Wall-clock times through zoneinfo, so a DST change moves the instants, not the agenda.
            slot_ts = dt.datetime.combine(day, schedule.start_time, tzinfo=tz).timestamp()
            block_end_ts = dt.datetime.combine(day, schedule.end_time, tzinfo=tz).timestamp()
            doctor_busy = busy[schedule.doctor_id]
            while slot_ts + step <= block_end_ts:
                slot_end_ts = slot_ts + step
                if (
                    start_ts <= slot_ts
                    and now_ts < slot_ts
                    and slot_end_ts <= end_ts
                    and not _overlaps(doctor_busy, slot_ts, slot_end_ts)
                ):
                    free.append((slot_ts, slot_end_ts, schedule))
                slot_ts = slot_end_ts
    free.sort(key=lambda item: (item[0], item[2].doctor.display_name))
    if limit:
        free = free[:limit]
    slots = [
        Slot(
            doctor_id=schedule.doctor_id,
            doctor_name=schedule.doctor.display_name,
            specialty_id=specialty.pk,
            specialty_name=specialty.name,
            start=dt.datetime.fromtimestamp(slot_ts, tz=dt.UTC),
            end=dt.datetime.fromtimestamp(slot_end_ts, tz=dt.UTC),
        )
        for slot_ts, slot_end_ts, schedule in free
    ]
    return slots


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


def local_day_bounds(day: dt.date, tz: zoneinfo.ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local calendar day as aware datetimes.

    Built from two local midnights rather than start + 24 h, so that a day with a DST
    change is 23 or 25 hours long, as it really is on the clinic's wall clock."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz), dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, tzinfo=tz
    )
