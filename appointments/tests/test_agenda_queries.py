"""Queries pinned for the searches the desk and the assistant run all day: free slots and
the agenda's day and week grids read schedules, closures and turnos once per range and
decide every slot in memory, so the count does not grow with days, doctors, specialties or
turnos (bench/availability.py measures the time)."""

from datetime import timedelta

import pytest

from appointments.agenda.selectors import WEEK_DAYS
from appointments.models import AppointmentStatus
from appointments.selectors import find_available_slots, local_day_bounds
from appointments.services import reschedule_appointment
from appointments.tests.test_admin import BUENOS_AIRES, TODAY, book, doctor
from appointments.tests.test_agenda import grid_for
from clinic.models import Clinic, Closure, Specialty
from clinic.selectors import catalog_for

pytestmark = pytest.mark.django_db


def specialty(name):
    """From the catalog, as the brains and the agenda hold it (its clinic attached)."""
    return next(each for each in catalog_for(Clinic.objects.get()).specialties if each.name == name)


@pytest.fixture
def busy_day(frozen_clock, demo_clinic, patients):
    """Turnos today and over the week with two doctors, a move, a holiday and an absence."""
    gutierrez, romero = doctor("Gutiérrez"), doctor("Romero")
    clinica = Specialty.objects.get(name="Clínica médica")
    book(patients["juan"], gutierrez, TODAY, "10:00")
    moved = book(patients["maria"], gutierrez, TODAY, "11:00")
    reschedule_appointment(appointment=moved, new_start=moved.start_at + timedelta(minutes=30))
    book(patients["ana"], romero, TODAY, "08:20", minutes=20, specialty=clinica)
    for offset in range(1, WEEK_DAYS):
        book(patients["ana"], gutierrez, TODAY + timedelta(days=offset), "09:00")
    Closure.objects.create(clinic=demo_clinic, start_date=TODAY + timedelta(days=2), end_date=TODAY + timedelta(days=2))
    Closure.objects.create(
        clinic=demo_clinic, doctor=romero, start_date=TODAY + timedelta(days=1), end_date=TODAY + timedelta(days=3)
    )
    catalog_for(Clinic.objects.get())  # opening hours and names: one snapshot per change of clinic data
    return demo_clinic


@pytest.mark.parametrize("days", [1, 14, 60])
def test_free_slot_search_reads_schedules_closures_and_turnos_once(busy_day, days, django_assert_num_queries):
    cardiology = specialty("Cardiología")
    start = local_day_bounds(TODAY, BUENOS_AIRES)[0]
    with django_assert_num_queries(3):  # schedules, closures, the doctors' turnos
        slots = find_available_slots(specialty=cardiology, start=start, end=start + timedelta(days=days))
    assert slots


def test_a_patients_search_adds_one_query_for_their_own_turnos(busy_day, patients, django_assert_num_queries):
    cardiology = specialty("Cardiología")
    with django_assert_num_queries(4):
        find_available_slots(specialty=cardiology, patient=patients["juan"])


@pytest.mark.parametrize("filters", ["specialty", "doctor", "all"])
def test_week_grid_takes_four_queries_whatever_the_specialties(busy_day, filters, django_assert_num_queries):
    clinic = Clinic.objects.get()
    narrowing = {
        "specialty": {"specialty": specialty("Cardiología")},
        "doctor": {"doctor": doctor("Romero")},
        "all": {},
    }[filters]
    with django_assert_num_queries(4):  # closures, schedules, the doctors' turnos, the turnos shown
        grid = grid_for(clinic, TODAY, days=WEEK_DAYS, **narrowing)
    with django_assert_num_queries(0):  # what the week template reads is loaded
        for each in grid.doctors:
            for day in each.days:
                [
                    (entry.specialty.name, entry.appointment and entry.appointment.patient.full_name)
                    for entry in day.entries
                ]
    assert grid.appointment_count and any(day.free_count for each in grid.doctors for day in each.days)


def test_day_grid_links_moved_turnos_in_two_more_queries(busy_day, django_assert_num_queries):
    clinic = Clinic.objects.get()
    with django_assert_num_queries(6):  # the week's four, then where moved turnos came from and went to
        grid = grid_for(clinic, TODAY)
    with django_assert_num_queries(0):
        turnos = [turno for each in grid.doctors for turno in each.days[0].turnos]
        old = next(turno for turno in turnos if turno.status == AppointmentStatus.CANCELLED)
        new = old.rescheduled_to
        assert new.rescheduled_from == old and new in turnos
        assert {turno.doctor.display_name for turno in turnos} and {turno.specialty.name for turno in turnos}
