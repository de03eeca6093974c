"""Benchmark: find_available_slots on PostgreSQL with 50 doctors and 100,000 turnos.

Prints p50/p95 latency of a 14-day search for one specialty (the booking policy in full:
schedules, opening hours, closures, lead time, turnos), the SQL queries per call (for 7,
14 and 28 days and for one doctor vs. the whole specialty: it must not grow), the agenda's
week view of that specialty (queries and p95; its queries also for every specialty at
once), and the ratios against a baseline measured in the same run, which says how loaded
the machine is: one round trip on a raw cursor fetching, by the index the search uses, the
turnos the search has to consider (the least any availability search must do).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic_bench .venv/bin/python bench/availability.py
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_assistant.test_settings")

import django  # noqa: E402

from bench.common import percentile, recreate_database  # noqa: E402

DOCTORS = 50
APPOINTMENTS = 100_000
SPECIALTIES = 10
RUNS = 200


def load_data(now):
    from appointments.models import Appointment, Patient
    from clinic.models import Clinic, Closure, Doctor, DoctorSchedule, OpeningHours, Specialty

    clinic = Clinic.objects.create(name="Bench", timezone="America/Argentina/Buenos_Aires")
    tz = clinic.tzinfo
    # Friday closes early: the policy cuts the doctors' 18:00 blocks at 17:00 that day.
    for weekday in range(5):
        OpeningHours.objects.create(
            clinic=clinic, weekday=weekday, opens_at=dt.time(8), closes_at=dt.time(17 if weekday == 4 else 18)
        )
    holiday = (now.astimezone(tz) + dt.timedelta(days=7)).date()
    Closure.objects.create(clinic=clinic, start_date=holiday, end_date=holiday, reason="Feriado")
    specialties = [Specialty.objects.create(clinic=clinic, name=f"Especialidad {i}") for i in range(SPECIALTIES)]
    doctors = []
    for index in range(DOCTORS):
        specialty = specialties[index % SPECIALTIES]
        doctor = Doctor.objects.create(clinic=clinic, first_name="Doc", last_name=f"N{index}")
        doctor.specialties.add(specialty)
        for weekday in range(5):
            DoctorSchedule.objects.create(
                doctor=doctor,
                specialty=specialty,
                weekday=weekday,
                start_time=dt.time(8),
                end_time=dt.time(18),
                slot_minutes=20,
            )
        doctors.append((doctor, specialty))
    patients = Patient.objects.bulk_create(
        Patient(full_name=f"Paciente {i}", document_number=str(20_000_000 + i)) for i in range(5000)
    )
    rng = random.Random(7)
    rows = []
    today = now.astimezone(tz).date()
    # Fill weekdays from ten weeks ago onwards, doctor by doctor, until 100,000 turnos exist;
    # ~85% occupancy leaves realistic gaps for the search to find.
    day = today - dt.timedelta(weeks=10)
    while len(rows) < APPOINTMENTS:
        if day.weekday() < 5:
            for doctor, specialty in doctors:
                start = dt.datetime.combine(day, dt.time(8), tzinfo=tz)
                for _ in range(30):
                    if rng.random() < 0.85 and len(rows) < APPOINTMENTS:
                        rows.append(
                            Appointment(
                                patient=rng.choice(patients),
                                doctor=doctor,
                                specialty=specialty,
                                start_at=start,
                                end_at=start + dt.timedelta(minutes=20),
                                status="booked" if rng.random() < 0.9 else "cancelled",
                            )
                        )
                    start += dt.timedelta(minutes=20)
        day += dt.timedelta(days=1)
    Appointment.objects.bulk_create(rows, batch_size=5000)
    return clinic, specialties, doctors


def main():
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    recreate_database(url)
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from appointments.agenda.selectors import WEEK_DAYS, agenda_grid
    from appointments.models import Appointment
    from appointments.selectors import find_available_slots

    call_command("migrate", verbosity=0)
    now = dt.datetime(2026, 12, 1, 11, 0, tzinfo=dt.UTC)
    started = time.perf_counter()
    clinic, specialties, doctors = load_data(now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"loaded {len(doctors)} doctors, {Appointment.objects.count():,} turnos "
        f"in {time.perf_counter() - started:.1f}s ({connection.vendor})"
    )

    end = now + dt.timedelta(days=14)
    specialty = specialties[0]
    doctor_ids = [d.pk for d, s in doctors if s == specialty]

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT doctor_id, start_at, end_at FROM appointments_appointment WHERE doctor_id = ANY(%s)"
                " AND status IN ('booked', 'confirmed', 'attended', 'no_show')"
                " AND tstzrange(start_at, end_at, '[)') && tstzrange(%s, %s, '[)')",
                [doctor_ids, now, end],
            )
            cursor.fetchall()

    def search():
        return find_available_slots(specialty=specialty, start=now, end=end, now=now)

    first_day = now.astimezone(clinic.tzinfo).date()

    def week():
        return agenda_grid(
            clinic=clinic, first=first_day, days=WEEK_DAYS, specialty=specialty, specialties=[specialty], now=now
        )

    for fn in (baseline, search, week):  # warm up connections and caches
        for _ in range(10):
            fn()
    timings = {"baseline": [], "search": [], "week": []}
    for _ in range(RUNS):
        for name, fn in (("baseline", baseline), ("search", search), ("week", week)):
            t0 = time.perf_counter()
            fn()
            timings[name].append((time.perf_counter() - t0) * 1000)

    slots = search()
    print(f"specialty with {len(doctor_ids)} doctors, 14 days: {len(slots)} free slots per search")
    grid = week()
    print(
        f"week view of the specialty: {grid.appointment_count} turnos and "
        f"{sum(day.free_count for column in grid.doctors for day in column.days)} free slots"
    )
    for name, values in timings.items():
        print(
            f"{name:>8}: p50 {statistics.median(values):.2f} ms  p95 {percentile(values, 0.95):.2f} ms  ({RUNS} runs)"
        )
    for name in ("search", "week"):
        ratio = percentile(timings[name], 0.95) / percentile(timings["baseline"], 0.95)
        print(f"{name}/baseline p95 ratio: {ratio:.1f}x")

    print("queries per call:")
    for label, kwargs in [
        ("7 days", {"end": now + dt.timedelta(days=7)}),
        ("14 days", {"end": end}),
        ("28 days", {"end": now + dt.timedelta(days=28)}),
        ("14 days, one doctor", {"end": end, "doctor": doctors[0][0]}),
    ]:
        with CaptureQueriesContext(connection) as queries:
            find_available_slots(specialty=specialty, start=now, now=now, **kwargs)
        print(f"  {label:<22} {len(queries.captured_queries)}")
    with CaptureQueriesContext(connection) as queries:
        week()
    print(f"  {'week view (agenda)':<22} {len(queries.captured_queries)}")
    with CaptureQueriesContext(connection) as queries:
        agenda_grid(clinic=clinic, first=first_day, days=WEEK_DAYS, specialties=specialties, now=now)
    print(f"  {'week, all specialties':<22} {len(queries.captured_queries)}")
    p95 = percentile(timings["search"], 0.95)
    print(f"target p95 < 20 ms: {'PASS' if p95 < 20 else 'FAIL'} ({p95:.2f} ms)")


if __name__ == "__main__":
    main()
