"""find_available_slots: real free slots from schedules, minus closures and turnos, never past."""

import datetime as dt

import pytest
import time_machine

from appointments.models import Appointment, AppointmentStatus
from appointments.policy import Actor
from appointments.selectors import find_available_slots, find_nearest_slots
from appointments.tests.factories import add_schedule, local, make_clinic, make_doctor, make_patient, make_specialty
from clinic.models import Closure
from clinic.selectors import catalog_for

# Tuesday 1 December 2026, 07:00 in Buenos Aires (10:00 UTC).
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
TUESDAY, WEDNESDAY = 1, 2


@pytest.fixture
def setup(db):
    clinic = make_clinic()
    cardio = make_specialty(clinic, "Cardiología")
    clinica = make_specialty(clinic, "Clínica médica")
    doctor = make_doctor(clinic, "García", [cardio, clinica])
    # Morning and afternoon blocks with a lunch gap in between.
    add_schedule(doctor, cardio, TUESDAY, "08:00", "10:00", 30)
    add_schedule(doctor, cardio, TUESDAY, "14:00", "15:00", 30)
    add_schedule(doctor, clinica, WEDNESDAY, "09:00", "10:00", 20)
    return clinic, cardio, clinica, doctor


def starts(clinic, slots):
    return [slot.start.astimezone(clinic.tzinfo).strftime("%a %d %H:%M") for slot in slots]


def day_window(clinic, day):
    start = local(clinic, 2026, 12, day)
    return {"start": start, "end": start + dt.timedelta(days=1), "now": NOW}


def test_slots_follow_schedule_with_lunch_gap(setup):
    clinic, cardio, _, _ = setup
    slots = find_available_slots(specialty=cardio, **day_window(clinic, 1))
    assert starts(clinic, slots) == [
        "Tue 01 08:00",
        "Tue 01 08:30",
        "Tue 01 09:00",
        "Tue 01 09:30",  # the last slot of the morning block ends exactly at 10:00
        "Tue 01 14:00",
        "Tue 01 14:30",
    ]
    assert all(slot.end - slot.start == dt.timedelta(minutes=30) for slot in slots)


def test_past_slots_are_never_offered(setup):
    clinic, cardio, _, _ = setup
    at_nine_local = dt.datetime(2026, 12, 1, 12, 5, tzinfo=dt.UTC)  # 09:05 in Buenos Aires
    window = {**day_window(clinic, 1), "now": at_nine_local}
    # The desk may book the 09:30 walk-in; the assistant keeps its 30 minutes of lead time.
    assert starts(clinic, find_available_slots(specialty=cardio, actor=Actor.DESK, **window)) == [
        "Tue 01 09:30",
        "Tue 01 14:00",
        "Tue 01 14:30",
    ]
    assert starts(clinic, find_available_slots(specialty=cardio, **window)) == ["Tue 01 14:00", "Tue 01 14:30"]


def test_taken_slot_is_excluded_but_cancelled_one_is_free(setup):
    clinic, cardio, _, doctor = setup
    patient = make_patient()
    taken = Appointment.objects.create(
        patient=patient,
        doctor=doctor,
        specialty=cardio,
        start_at=local(clinic, 2026, 12, 1, 8, 30),
        end_at=local(clinic, 2026, 12, 1, 9, 0),
    )
    assert "Tue 01 08:30" not in starts(clinic, find_available_slots(specialty=cardio, **day_window(clinic, 1)))
    taken.status = AppointmentStatus.CANCELLED
    taken.save()
    assert "Tue 01 08:30" in starts(clinic, find_available_slots(specialty=cardio, **day_window(clinic, 1)))


def test_appointment_in_other_specialty_blocks_the_same_doctor(setup):
    clinic, cardio, clinica, doctor = setup
    add_schedule(doctor, clinica, TUESDAY, "10:00", "11:00", 20)
    # A 40-minute turno booked by reception from 14:10 overlaps both afternoon cardio slots.
    Appointment.objects.create(
        patient=make_patient(),
        doctor=doctor,
        specialty=clinica,
        start_at=local(clinic, 2026, 12, 1, 14, 10),
        end_at=local(clinic, 2026, 12, 1, 14, 50),
    )
    assert starts(clinic, find_available_slots(specialty=cardio, **day_window(clinic, 1)))[-2:] == [
        "Tue 01 09:00",
        "Tue 01 09:30",
    ]


def test_doctor_with_two_specialties_offers_each_on_its_own_days(setup):
    clinic, cardio, clinica, _ = setup
    window = {"start": local(clinic, 2026, 12, 1), "end": local(clinic, 2026, 12, 3), "now": NOW}
    assert {s[:3] for s in starts(clinic, find_available_slots(specialty=cardio, **window))} == {"Tue"}
    assert starts(clinic, find_available_slots(specialty=clinica, **window)) == [
        "Wed 02 09:00",
        "Wed 02 09:20",
        "Wed 02 09:40",
    ]


def test_clinic_closure_and_doctor_absence_remove_days(setup):
    clinic, cardio, clinica, doctor = setup
    window = {"start": local(clinic, 2026, 12, 1), "end": local(clinic, 2026, 12, 16), "now": NOW}
    assert len(find_available_slots(specialty=cardio, **window)) == 6 * 3  # three Tuesdays
    Closure.objects.create(
        clinic=clinic, start_date=dt.date(2026, 12, 8), end_date=dt.date(2026, 12, 8), reason="Feriado"
    )
    Closure.objects.create(
        clinic=clinic, doctor=doctor, start_date=dt.date(2026, 12, 14), end_date=dt.date(2026, 12, 20)
    )
    remaining = starts(clinic, find_available_slots(specialty=cardio, **window))
    assert {s[:6] for s in remaining} == {"Tue 01"}


def test_inactive_doctor_has_no_slots(setup):
    _, cardio, _, doctor = setup
    doctor.is_active = False
    doctor.save()
    assert find_available_slots(specialty=cardio, now=NOW) == []


def test_limit_and_default_window(setup):
    clinic, cardio, _, _ = setup
    with time_machine.travel(NOW, tick=False):
        slots = find_available_slots(specialty=cardio, limit=2)
    assert starts(clinic, slots) == ["Tue 01 08:00", "Tue 01 08:30"]


def test_nearest_slots_prefer_the_asked_day(setup):
    clinic, cardio, _, doctor = setup
    Appointment.objects.create(
        patient=make_patient(),
        doctor=doctor,
        specialty=cardio,
        start_at=local(clinic, 2026, 12, 8, 9, 0),
        end_at=local(clinic, 2026, 12, 8, 9, 30),
    )
    nearest = find_nearest_slots(specialty=cardio, around=local(clinic, 2026, 12, 8, 9, 0), limit=3, now=NOW)
    # 08:30 and 09:30 are 30 minutes away, 08:00 an hour; the afternoon ones are farther.
    assert starts(clinic, nearest) == ["Tue 08 08:00", "Tue 08 08:30", "Tue 08 09:30"]


def test_query_count_does_not_grow_with_days_or_doctors(setup, django_assert_num_queries):
    clinic, cardio, _, _ = setup
    for index in range(5):
        extra = make_doctor(clinic, f"Extra{index}", [cardio])
        add_schedule(extra, cardio, TUESDAY, "08:00", "12:00", 15)
    catalog_for(clinic)  # opening hours: the clinic's catalog, built once per change of clinic data
    with django_assert_num_queries(3):  # schedules, closures, turnos
        find_available_slots(specialty=cardio, start=local(clinic, 2026, 12, 1), end=local(clinic, 2027, 2, 1), now=NOW)


def test_dst_change_keeps_local_wall_clock(db):
    # Chile (America/Santiago) moves clocks forward on the first Saturday of September 2026 at 24:00.
    clinic = make_clinic(name="Clínica Santiago", timezone="America/Santiago")
    specialty = make_specialty(clinic, "Pediatría")
    doctor = make_doctor(clinic, "Rojas", [specialty])
    add_schedule(doctor, specialty, 4, "09:00", "10:00", 30)  # Fridays
    add_schedule(doctor, specialty, 0, "09:00", "10:00", 30)  # Mondays
    now = dt.datetime(2026, 9, 1, 12, 0, tzinfo=dt.UTC)
    slots = find_available_slots(
        specialty=specialty, start=local(clinic, 2026, 9, 4), end=local(clinic, 2026, 9, 8), now=now
    )
    local_times = [slot.start.astimezone(clinic.tzinfo).strftime("%a %H:%M") for slot in slots]
    assert local_times == ["Fri 09:00", "Fri 09:30", "Mon 09:00", "Mon 09:30"]
    offsets = {slot.start.astimezone(clinic.tzinfo).utcoffset() for slot in slots}
    assert len(offsets) == 2  # the UTC instants moved with the change, the wall clock did not
