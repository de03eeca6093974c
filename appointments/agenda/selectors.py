"""Reads for the reception desk's agenda: one doctor-by-day grid of booked turnos and free
slots, and the turnos a closure leaves stranded.

Free slots come only from appointments.selectors.slots_of (the assistant's search and the
booking rules agree by construction); this module only lays them out next to
the turnos. Queries: a fixed handful per specialty in view, whatever the number of days,
doctors or turnos (the week view must not grow with the week)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from appointments.models import UPCOMING_STATUSES, Appointment
from appointments.policy import Actor
from appointments.selectors import local_day_bounds, slots_of
from clinic.models import Clinic, Closure, Doctor, Specialty
from clinic.selectors import catalog_for, closures_between, normalize_text

WEEK_DAYS = 7


@dataclass(frozen=True)
class Entry:
    """One line of a doctor's day: a turno (any status) or a free slot (`appointment` None)."""

    start: dt.datetime
    end: dt.datetime
    specialty: Specialty
    appointment: Appointment | None = None

    @property
    def is_free(self) -> bool:
        return self.appointment is None


@dataclass
class DoctorDay:
    day: dt.date
    entries: list[Entry] = field(default_factory=list)
    # The clinic's closures (doctor None) and this doctor's absences covering the day.
    closures: list[Closure] = field(default_factory=list)

    @property
    def turnos(self) -> list[Appointment]:
        return [entry.appointment for entry in self.entries if entry.appointment is not None]

    @property
    def free_count(self) -> int:
        return sum(entry.is_free for entry in self.entries)


@dataclass
class DoctorColumn:
    doctor: Doctor
    days: list[DoctorDay]


@dataclass
class AgendaGrid:
    days: list[dt.date]
    doctors: list[DoctorColumn]
    # Clinic-wide closures per day (holidays), also for days no doctor is shown.
    clinic_closures: dict[dt.date, list[Closure]]

    @property
    def headers(self) -> list[dict]:
        """Per day, for templates: {"day": date, "closures": clinic-wide closures that day}."""
        return [{"day": day, "closures": self.clinic_closures[day]} for day in self.days]

    @property
    def appointment_count(self) -> int:
        return sum(len(day.turnos) for column in self.doctors for day in column.days)


# What the agenda, the daily sheet and the CSV print of a turno and its patient: the rest of
# the row (history, conversation, who booked) stays in the database.
LISTED_FIELDS = (
    "status",
    "start_at",
    "end_at",
    "channel",
    "notes",
    "cancellation_reason",
    "doctor",
    "specialty",
    "rescheduled_from",
    "patient",
    "patient__full_name",
    "patient__document_number",
    "patient__phone",
)


def surname_order(doctor: Doctor) -> tuple:
    """Doctors by surname as people read them: Álvarez before Benítez (a plain sort puts
    accented capitals after Z)."""
    return (normalize_text(doctor.last_name), normalize_text(doctor.first_name), doctor.pk)


def appointments_between(
    *,
    clinic: Clinic,
    start: dt.datetime,
    end: dt.datetime,
    doctor: Doctor | None = None,
    specialty: Specialty | None = None,
    links: bool = False,
) -> list[Appointment]:
    """Every turno starting in [start, end) (cancelled ones too: the desk sees what was freed),
    with its patient, in one query; doctors and specialties come from the clinic's catalog.
    `links`: also where each moved turno came from and went to (the day view shows both), by
    key in one or two more queries: as joins, PostgreSQL hashed the whole turno table for them."""
    queryset = Appointment.objects.filter(doctor__clinic=clinic, start_at__gte=start, start_at__lt=end)
    if doctor is not None:
        queryset = queryset.filter(doctor=doctor)
    if specialty is not None:
        queryset = queryset.filter(specialty=specialty)
    queryset = queryset.select_related("patient").only(*LISTED_FIELDS).order_by("start_at", "pk")
    if links:
        linked = Appointment.objects.only("start_at", "rescheduled_from")
        queryset = queryset.prefetch_related(
            Prefetch("rescheduled_from", queryset=linked), Prefetch("rescheduled_to", queryset=linked)
        )
    catalog = catalog_for(clinic)
    doctors = {each.pk: each for each in catalog.doctors}
    specialties = {each.pk: each for each in catalog.specialties}
    appointments = list(queryset)
    for appointment in appointments:
        # A row added since the catalog was built is left to load itself.
        if appointment.doctor_id in doctors:
            appointment.doctor = doctors[appointment.doctor_id]
        if appointment.specialty_id in specialties:
            appointment.specialty = specialties[appointment.specialty_id]
    return appointments


def agenda_grid(
    *,
    clinic: Clinic,
    first: dt.date,
    days: int = 1,
    doctor: Doctor | None = None,
    specialty: Specialty | None = None,
    specialties: list[Specialty],
    now: dt.datetime | None = None,
) -> AgendaGrid:
    """Turnos and free slots of `days` local days from `first`, per doctor. `specialties` are
    the clinic's active specialties (the caller has them, e.g. from the catalog): free slots
    are searched in the chosen one, the chosen doctor's, or all of them."""
    now = now or timezone.now()
    tz = clinic.tzinfo
    catalog = catalog_for(clinic)
    dates = [first + dt.timedelta(days=offset) for offset in range(days)]
    start, end = local_day_bounds(dates[0], tz)[0], local_day_bounds(dates[-1], tz)[1]
    if specialty is not None:
        searched = [specialty]
    elif doctor is not None:
        attended = catalog.doctor_specialty_ids.get(doctor.pk, frozenset())
        searched = [s for s in specialties if s.pk in attended]
    else:
        searched = specialties
    closures = closures_between(clinic=clinic, first=dates[0], last=dates[-1])
    free = slots_of(
        specialties=searched, doctor=doctor, start=start, end=end, now=now, actor=Actor.DESK, closures=closures
    )
    by_pk = {s.pk: s for s in searched}
    clinic_closures = {
        day: [c for c in closures if c.doctor_id is None and c.start_date <= day <= c.end_date] for day in dates
    }

    columns: dict[int, DoctorColumn] = {}

    def column_of(the_doctor: Doctor) -> DoctorColumn:
        if the_doctor.pk not in columns:
            columns[the_doctor.pk] = DoctorColumn(doctor=the_doctor, days=[DoctorDay(day=day) for day in dates])
        return columns[the_doctor.pk]

    def day_of(the_doctor: Doctor, instant: dt.datetime) -> DoctorDay:
        return column_of(the_doctor).days[(instant.astimezone(tz).date() - dates[0]).days]

    for appointment in appointments_between(
        clinic=clinic, start=start, end=end, doctor=doctor, specialty=specialty, links=days == 1
    ):
        day_of(appointment.doctor, appointment.start_at).entries.append(
            Entry(appointment.start_at, appointment.end_at, appointment.specialty, appointment)
        )
    doctors = {d.pk: d for d in catalog.doctors}
    if missing := {slot.doctor_id for slot in free} - doctors.keys():  # added since the catalog was built
        doctors |= Doctor.objects.in_bulk(missing)
    for slot in free:
        day_of(doctors[slot.doctor_id], slot.start).entries.append(
            Entry(slot.start, slot.end, by_pk[slot.specialty_id])
        )
    if doctor is not None:
        column_of(doctor)
    for column in columns.values():
        for doctor_day in column.days:
            doctor_day.closures = [
                closure
                for closure in closures
                if closure.doctor_id in (None, column.doctor.pk)
                and closure.start_date <= doctor_day.day <= closure.end_date
            ]
    for column in columns.values():
        for doctor_day in column.days:
            # A cancelled turno and the free slot it left share a start: the free slot goes first.
            doctor_day.entries.sort(key=lambda entry: (entry.start, not entry.is_free))
    ordered = sorted(columns.values(), key=lambda c: surname_order(c.doctor))
    return AgendaGrid(days=dates, doctors=ordered, clinic_closures=clinic_closures)


def affected_by_closure(*, closure: Closure) -> QuerySet[Appointment]:
    """Active turnos a closure covers (its doctor's, or the whole clinic's for a holiday)."""
    tz = closure.clinic.tzinfo
    start = local_day_bounds(closure.start_date, tz)[0]
    end = local_day_bounds(closure.end_date, tz)[1]
    scope = Q(doctor=closure.doctor_id) if closure.doctor_id else Q(doctor__clinic=closure.clinic_id)
    return (
        Appointment.objects.filter(scope, status__in=UPCOMING_STATUSES, start_at__gte=start, start_at__lt=end)
        .select_related("patient", "doctor", "specialty")
        .order_by("start_at", "doctor__last_name", "pk")
    )
