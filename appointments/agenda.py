"""Reads for the reception desk: the day's agenda and the clinic's wall clock.

Kept out of the admin so that the admin stays a thin layer over plain functions (and so
that they can move into selectors.py unchanged)."""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import QuerySet

from appointments.models import Appointment
from clinic.models import Clinic, Doctor


def clinic_timezone(clinic: Clinic | None = None) -> zoneinfo.ZoneInfo:
    """The zone receptionists live in: the clinic's own, else the first clinic's, else CLINIC_TIMEZONE."""
    if clinic is not None:
        return clinic.tzinfo
    name = Clinic.objects.order_by("pk").values_list("timezone", flat=True).first()
    return zoneinfo.ZoneInfo(name or settings.CLINIC_TIMEZONE)


def local_day_bounds(day: date, tz: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day as aware datetimes.

    Built from two local midnights rather than start + 24 h, so that a day with a DST
    change is 23 or 25 hours long, as it really is on the clinic's wall clock."""
    return datetime.combine(day, time.min, tzinfo=tz), datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


@dataclass
class DoctorAgenda:
    doctor: Doctor
    appointments: list[Appointment] = field(default_factory=list)


def appointments_for_day_queryset(*, day: date, clinic: Clinic | None = None) -> QuerySet[Appointment]:
    tz = clinic_timezone(clinic)
    start, end = local_day_bounds(day, tz)
    queryset = Appointment.objects.filter(start_at__gte=start, start_at__lt=end)
    if clinic is not None:
        queryset = queryset.filter(doctor__clinic=clinic)
    return queryset.select_related("patient", "doctor", "specialty").order_by(
        "doctor__last_name", "doctor__first_name", "doctor_id", "start_at", "pk"
    )


def agenda_for_day(*, day: date, clinic: Clinic | None = None) -> list[DoctorAgenda]:
    """Every turno starting on the clinic's local `day` (cancelled ones included, so the desk
    knows a slot was freed), grouped per doctor by name and in time order within each doctor.

    One query whatever the number of turnos (plus one to find the time zone without `clinic`)."""
    groups: list[DoctorAgenda] = []
    for appointment in appointments_for_day_queryset(day=day, clinic=clinic):
        if not groups or groups[-1].doctor.pk != appointment.doctor_id:
            groups.append(DoctorAgenda(doctor=appointment.doctor))
        groups[-1].appointments.append(appointment)
    return groups
