"""The one booking policy: may a turno start at this moment with this doctor, for this
patient, booked by this actor?

Everything that offers or books a turno asks the same `Bookability`: the free slots the
assistant offers and the agenda shows (selectors.find_available_slots), every write
(services.book_appointment, reschedule_appointment, restore_appointment), the admin's turno
form, the agenda and the assistant's tools. So what is offered can be booked and what is
refused is never offered. A turno must

- start on the doctor's schedule grid for that specialty and date (weekday and validity dates),
- lie inside the clinic's opening hours that day (a clinic with no opening hours loaded at
  all is not limited by them: there is nothing to compare with),
- fall outside the clinic's closures (holidays) and the doctor's absences,
- start after the lead time of who books (appointments.policy.lead_time: the desk may book
  a walk-in for right now, the assistant leaves the patient time to get there),
- not overlap a turno holding the doctor's time, nor another active turno of the patient
  (with any doctor).

Each refusal is an AppointmentErrorCode, checked in CHECK_ORDER, and one method decides
them all (Bookability.block_slots). The data is read once per question, in a fixed number
of queries whatever the number of days, doctors or specialties (schedules, closures, the
doctors' turnos, the patient's; opening hours come from the clinic's catalog, as the
assistant's "our hours" answer does); then each candidate slot costs a few comparisons and
a bisect on epoch seconds, which the database computes (bench/availability.py)."""

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from appointments.errors import AppointmentError, AppointmentErrorCode
from appointments.expressions import EpochSeconds, occupying_between
from appointments.models import UPCOMING_STATUSES, Appointment, Patient
from appointments.policy import Actor, lead_time
from clinic.models import Clinic, Closure, Doctor, DoctorSchedule, Specialty
from clinic.selectors import catalog_for

Code = AppointmentErrorCode
# The order of the checks: when several doctors refuse, the one that got furthest explains best.
CHECK_ORDER = (
    Code.INVALID_TIME,
    Code.IN_PAST,
    Code.DOCTOR_UNAVAILABLE,
    Code.WRONG_SPECIALTY,
    Code.CLOSED,
    Code.DOCTOR_ABSENT,
    Code.OUTSIDE_SCHEDULE,
    Code.OFF_GRID,
    Code.OUTSIDE_OPENING_HOURS,
    Code.TOO_SOON,
    Code.SLOT_TAKEN,
    Code.PATIENT_BUSY,
)
# Sorted parallel lists of epoch seconds (starts, ends): the overlap test is a C-level bisect.
Intervals = tuple[list[float], list[float]]


def schedule_applies(schedule: DoctorSchedule, day: dt.date) -> bool:
    return (
        schedule.weekday == day.weekday()
        and (schedule.valid_from is None or schedule.valid_from <= day)
        and (schedule.valid_until is None or day <= schedule.valid_until)
    )


def local_dates(start: dt.datetime, end: dt.datetime, tz) -> list[dt.date]:
    first = start.astimezone(tz).date()
    last = end.astimezone(tz).date()
    return [first + dt.timedelta(days=offset) for offset in range((last - first).days + 1)]


def block_bounds(schedule: DoctorSchedule, day: dt.date, tz) -> tuple[float, float]:
    """Where one schedule block starts and ends on `day`, as epoch seconds. Wall-clock times
    through zoneinfo, so a DST change moves the instants, not the agenda."""
    return (
        dt.datetime.combine(day, schedule.start_time, tzinfo=tz).timestamp(),
        dt.datetime.combine(day, schedule.end_time, tzinfo=tz).timestamp(),
    )


def _inside(intervals: list[tuple[float, float]], start: float, end: float) -> bool:
    return any(opens <= start and end <= closes for opens, closes in intervals)


_NO_INTERVALS: Intervals = ([], [])


@dataclass
class Bookability:
    """What decides bookability for some doctors of some specialties over some local days."""

    tz: dt.tzinfo
    now_ts: float
    earliest_ts: float  # now + the actor's lead time
    schedules: list[DoctorSchedule]
    # (opens, closes) per weekday; None when the clinic has no opening hours loaded.
    opening: dict[int, list[tuple[dt.time, dt.time]]] | None
    closed: dict[int | None, set[dt.date]]  # local dates, by doctor id (None: the whole clinic)
    busy: dict[int, Intervals]
    patient_busy: list[tuple[float, float]]
    _open_by_day: dict[dt.date, list[tuple[float, float]]] = field(default_factory=dict)

    def day_refusal(self, doctor_id: int, day: dt.date) -> Code | None:
        if day in self.closed[None]:
            return Code.CLOSED
        if day in self.closed[doctor_id]:
            return Code.DOCTOR_ABSENT
        return None

    def _open_intervals(self, day: dt.date) -> list[tuple[float, float]]:
        intervals = self._open_by_day.get(day)
        if intervals is None:
            rows = (self.opening or {}).get(day.weekday(), [])
            intervals = [
                (
                    dt.datetime.combine(day, opens, tzinfo=self.tz).timestamp(),
                    dt.datetime.combine(day, closes, tzinfo=self.tz).timestamp(),
                )
                for opens, closes in rows
            ]
            self._open_by_day[day] = intervals
        return intervals

    def block_slots(self, schedule: DoctorSchedule, day: dt.date) -> Iterator[tuple[float, float, Code | None]]:
        """Each slot of one schedule block on local `day` as (start, end, why it cannot be
        booked; None: it can). The one decision: the slots offered and a booking's check both
        read it, so they agree by construction. The day's checks are made once per block."""
        day_code = self.day_refusal(schedule.doctor_id, day)
        opening = None if self.opening is None else self._open_intervals(day)
        # One doctor's occupied intervals never overlap each other, so they are sorted by end
        # too: the first one ending after a slot's start is the only candidate.
        busy_starts, busy_ends = self.busy.get(schedule.doctor_id, _NO_INTERVALS)
        patient_busy, now_ts, earliest_ts = self.patient_busy, self.now_ts, self.earliest_ts
        step = schedule.slot_minutes * 60
        start, block_end = block_bounds(schedule, day, self.tz)
        while (end := start + step) <= block_end:
            code: Code | None = None
            if start <= now_ts:
                code = Code.IN_PAST
            elif day_code is not None:
                code = day_code
            elif opening is not None and not _inside(opening, start, end):
                code = Code.OUTSIDE_OPENING_HOURS
            elif start < earliest_ts:
                code = Code.TOO_SOON
            elif (index := bisect.bisect_right(busy_ends, start)) < len(busy_ends) and busy_starts[index] < end:
                code = Code.SLOT_TAKEN
            elif patient_busy and any(other < end and start < other_end for other, other_end in patient_busy):
                code = Code.PATIENT_BUSY
            yield start, end, code
            start = end

    def refusal_at(self, *, doctor_id: int, start: dt.datetime) -> tuple[Code | None, float]:
        """Why a turno cannot start at `start` with the doctor, and where its slot ends."""
        start_ts = start.timestamp()
        day = start.astimezone(self.tz).date()
        if start_ts <= self.now_ts:
            return Code.IN_PAST, 0.0
        if code := self.day_refusal(doctor_id, day):
            return code, 0.0
        refusal = Code.OUTSIDE_SCHEDULE
        for schedule in self.schedules:
            if schedule.doctor_id != doctor_id or not schedule_applies(schedule, day):
                continue
            for slot_start, slot_end, code in self.block_slots(schedule, day):
                if slot_start == start_ts:
                    return code, slot_end
            block_start, block_end = block_bounds(schedule, day, self.tz)
            if block_start <= start_ts < block_end:
                refusal = Code.OFF_GRID
        return refusal, 0.0

    def free_slots(self, *, days: list[dt.date], start: float, end: float) -> list[tuple[float, float, DoctorSchedule]]:
        """Every bookable slot within [start, end) on `days`, unsorted."""
        by_weekday: dict[int, list[DoctorSchedule]] = defaultdict(list)
        for schedule in self.schedules:
            by_weekday[schedule.weekday].append(schedule)
        free: list[tuple[float, float, DoctorSchedule]] = []
        for day in days:
            if day in self.closed[None]:
                continue
            for schedule in by_weekday[day.weekday()]:
                if not schedule_applies(schedule, day) or day in self.closed[schedule.doctor_id]:
                    continue
                free.extend(
                    (slot_start, slot_end, schedule)
                    for slot_start, slot_end, code in self.block_slots(schedule, day)
                    if code is None and start <= slot_start and slot_end <= end
                )
        return free


def closed_days(
    closures: Iterable[Closure], *, doctor_ids: Iterable[int], first: dt.date, last: dt.date
) -> dict[int | None, set[dt.date]]:
    """The local days between `first` and `last` the clinic (key None) or a doctor is closed."""
    wanted = {None, *doctor_ids}
    closed: dict[int | None, set[dt.date]] = defaultdict(set)
    for closure in closures:
        if closure.doctor_id not in wanted:
            continue
        day = max(closure.start_date, first)
        while day <= min(closure.end_date, last):
            closed[closure.doctor_id].add(day)
            day += dt.timedelta(days=1)
    return closed


def _opening_hours(clinic: Clinic) -> dict[int, list[tuple[dt.time, dt.time]]] | None:
    """From the clinic's catalog: the very rows the assistant reads out as "our hours"
    (rebuilt whenever the clinic's row says they changed; no query per turn)."""
    opening: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for hours in catalog_for(clinic).opening_hours:
        opening[hours.weekday].append((hours.opens_at, hours.closes_at))
    return opening or None


def _without(queryset: QuerySet[Appointment], pk: int | None) -> QuerySet[Appointment]:
    return queryset if pk is None else queryset.exclude(pk=pk)


def _busy(
    *, doctor_ids: list[int], start: dt.datetime, end: dt.datetime, exclude_pk: int | None
) -> dict[int, Intervals]:
    rows = (
        _without(occupying_between(Appointment.objects.filter(doctor_id__in=doctor_ids), start, end), exclude_pk)
        .order_by("doctor_id", "start_at")
        .values_list("doctor_id", EpochSeconds("start_at"), EpochSeconds("end_at"))
    )
    busy: dict[int, Intervals] = defaultdict(lambda: ([], []))
    for doctor_id, start_ts, end_ts in rows:
        starts, ends = busy[doctor_id]
        starts.append(start_ts)
        ends.append(end_ts)
    return busy


def load_bookability(
    *,
    specialties: list[Specialty],
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    actor: Actor,
    doctor_ids: list[int] | None = None,
    patient: Patient | None = None,
    exclude_pk: int | None = None,
    closures: list[Closure] | None = None,
) -> Bookability:
    """The policy's data for `specialties` of one clinic (their active doctors, or
    `doctor_ids`) between `start` and `end`. `exclude_pk`: a turno being moved, which frees
    its own time. `closures`: the clinic's closures over those days when the caller has read
    them already (the agenda shows them), else they are read here."""
    clinic = specialties[0].clinic
    tz = clinic.tzinfo
    schedules_qs = DoctorSchedule.objects.filter(specialty__in=specialties, doctor__is_active=True).select_related(
        "doctor"
    )
    if doctor_ids is not None:
        schedules_qs = schedules_qs.filter(doctor_id__in=doctor_ids)
    schedules = list(schedules_qs)
    rules = Bookability(
        tz=tz,
        now_ts=now.timestamp(),
        earliest_ts=(now + lead_time(actor)).timestamp(),
        schedules=schedules,
        opening=None,
        closed=defaultdict(set),
        busy=defaultdict(lambda: ([], [])),
        patient_busy=[],
    )
    if not schedules:
        return rules  # nothing to book: no further queries
    ids = sorted({schedule.doctor_id for schedule in schedules})
    days = local_dates(start, end, tz)
    if closures is None:
        closures = list(
            Closure.objects.filter(clinic=clinic, start_date__lte=days[-1], end_date__gte=days[0])
            .filter(Q(doctor__isnull=True) | Q(doctor_id__in=ids))
            .only("doctor_id", "start_date", "end_date")
            .order_by()
        )
    rules.opening = _opening_hours(clinic)
    rules.closed = closed_days(closures, doctor_ids=ids, first=days[0], last=days[-1])
    rules.busy = _busy(doctor_ids=ids, start=start, end=end, exclude_pk=exclude_pk)
    if patient is not None:
        rules.patient_busy = list(
            _without(
                Appointment.objects.filter(
                    patient=patient, status__in=UPCOMING_STATUSES, start_at__lt=end, end_at__gt=start
                ),
                exclude_pk,
            ).values_list(EpochSeconds("start_at"), EpochSeconds("end_at"))
        )
    return rules


def local_day_bounds(day: dt.date, tz) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local calendar day as aware datetimes.

    Built from two local midnights rather than start + 24 h, so that a day with a DST
    change is 23 or 25 hours long, as it really is on the clinic's wall clock."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz), dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, tzinfo=tz
    )


def _rules_for_day_of(
    *, start: dt.datetime, specialty: Specialty, now: dt.datetime, actor: Actor, **narrowing
) -> Bookability:
    """The policy's data for the local day of an asked `start`, after the checks that need none."""
    if timezone.is_naive(start):
        raise AppointmentError(Code.INVALID_TIME)
    if start <= now:
        raise AppointmentError(Code.IN_PAST)
    tz = specialty.clinic.tzinfo
    day_start, day_end = local_day_bounds(start.astimezone(tz).date(), tz)
    return load_bookability(specialties=[specialty], start=day_start, end=day_end, now=now, actor=actor, **narrowing)


def check_booking(
    *,
    doctor: Doctor,
    specialty: Specialty,
    start: dt.datetime,
    now: dt.datetime,
    actor: Actor,
    patient: Patient | None = None,
    exclude_pk: int | None = None,
) -> dt.datetime:
    """The end of the turno starting at `start`, or AppointmentError saying why it cannot be booked."""
    names = {"doctor": doctor.display_name, "specialty": specialty.name}
    if not doctor.is_active or doctor.clinic_id != specialty.clinic_id:
        raise AppointmentError(Code.DOCTOR_UNAVAILABLE)
    if not doctor.specialties.filter(pk=specialty.pk).exists():
        raise AppointmentError(Code.WRONG_SPECIALTY, **names)
    rules = _rules_for_day_of(
        start=start,
        specialty=specialty,
        now=now,
        actor=actor,
        doctor_ids=[doctor.pk],
        patient=patient,
        exclude_pk=exclude_pk,
    )
    code, end = rules.refusal_at(doctor_id=doctor.pk, start=start)
    if code is not None:
        raise AppointmentError(code, **names)
    return dt.datetime.fromtimestamp(end, tz=dt.UTC)


def bookable_doctor(*, specialty: Specialty, start: dt.datetime, now: dt.datetime, actor: Actor) -> Doctor:
    """The first doctor of `specialty` (by name) who may take a turno at `start`: for a time
    asked without a chosen slot. Else the refusal of the doctor whose checks got furthest."""
    rules = _rules_for_day_of(start=start, specialty=specialty, now=now, actor=actor)
    doctors = sorted({s.doctor_id: s.doctor for s in rules.schedules}.values(), key=lambda d: d.display_name)
    refusals = []
    for candidate in doctors:
        code, _end = rules.refusal_at(doctor_id=candidate.pk, start=start)
        if code is None:
            return candidate
        refusals.append((CHECK_ORDER.index(code), code, candidate))
    if not refusals:
        raise AppointmentError(
            Code.OUTSIDE_SCHEDULE, f"No hay turnos de {specialty.name} en ese horario.", specialty=specialty.name
        )
    _index, code, candidate = max(refusals, key=lambda refusal: refusal[0])
    if len(doctors) > 1 and code in (Code.DOCTOR_ABSENT, Code.OUTSIDE_SCHEDULE, Code.OFF_GRID):
        raise AppointmentError(code, f"No hay turnos de {specialty.name} en ese horario.", specialty=specialty.name)
    raise AppointmentError(code, doctor=candidate.display_name, specialty=specialty.name)
