"""Booking, cancelling and moving turnos, including the database's refusal of overlaps."""

import datetime as dt
from functools import partial

import psycopg
import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from appointments import services
from appointments.models import Appointment, AppointmentStatus, Channel
from appointments.services import AppointmentError
from appointments.tests.factories import add_schedule, local, make_clinic, make_doctor, make_patient, make_specialty
from clinic.models import Closure
from clinic_assistant.testing import run_at_once

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)  # Tuesday 07:00 in Buenos Aires
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (exclusion constraint and real concurrency)"
)


@pytest.fixture
def setup(db):
    clinic = make_clinic()
    cardio = make_specialty(clinic, "Cardiología")
    doctor = make_doctor(clinic, "García", [cardio])
    add_schedule(doctor, cardio, 1, "08:00", "12:00", 30)  # Tuesdays
    return clinic, cardio, doctor


def book(setup, patient, hour=9, minute=0, day=1, **kwargs):
    clinic, cardio, doctor = setup
    return services.book_appointment(
        patient=patient,
        doctor=doctor,
        specialty=cardio,
        start=local(clinic, 2026, 12, day, hour, minute),
        channel=Channel.WHATSAPP,
        now=NOW,
        **kwargs,
    )


def test_book_creates_turno_with_slot_length(setup):
    appointment = book(setup, make_patient())
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.end_at - appointment.start_at == dt.timedelta(minutes=30)
    assert appointment.channel == Channel.WHATSAPP


def test_book_is_idempotent_for_same_patient_and_slot(setup):
    patient = make_patient()
    first = book(setup, patient)
    again = book(setup, patient)
    assert again.pk == first.pk
    assert Appointment.objects.count() == 1


def test_taken_slot_is_refused_with_a_code(setup):
    book(setup, make_patient())
    with pytest.raises(AppointmentError) as error:
        book(setup, make_patient("40111222", "+5491155550002", "Ana Gómez"))
    assert error.value.code == "slot_taken"
    assert "reservado" in error.value.message


@pytest.mark.parametrize(
    ("hour", "minute", "day", "code"),
    [
        (9, 15, 1, "off_grid"),  # not on the 30-minute grid
        (12, 0, 1, "outside_schedule"),  # the block ends at 12:00
        (9, 0, 2, "outside_schedule"),  # Wednesday: no schedule
        (6, 30, 8, "outside_schedule"),  # before the block starts
    ],
)
def test_times_off_the_schedule_are_refused(setup, hour, minute, day, code):
    with pytest.raises(AppointmentError) as error:
        book(setup, make_patient(), hour=hour, minute=minute, day=day)
    assert error.value.code == code


def test_past_time_is_refused(setup):
    clinic, cardio, doctor = setup
    with pytest.raises(AppointmentError) as error:
        services.book_appointment(
            patient=make_patient(),
            doctor=doctor,
            specialty=cardio,
            start=local(clinic, 2026, 12, 1, 8, 0),
            now=local(clinic, 2026, 12, 1, 8, 10),
        )
    assert error.value.code == "in_past"


def test_closed_day_is_refused(setup):
    clinic, _, _ = setup
    Closure.objects.create(clinic=clinic, start_date=dt.date(2026, 12, 8), end_date=dt.date(2026, 12, 8))
    with pytest.raises(AppointmentError) as error:
        book(setup, make_patient(), day=8)
    assert error.value.code == "closed"


def test_patient_cannot_hold_two_turnos_at_once(setup):
    clinic, cardio, _ = setup
    other = make_doctor(clinic, "López", [cardio])
    add_schedule(other, cardio, 1, "08:00", "12:00", 30)
    patient = make_patient()
    book(setup, patient)
    with pytest.raises(AppointmentError) as error:
        services.book_appointment(
            patient=patient, doctor=other, specialty=cardio, start=local(clinic, 2026, 12, 1, 9, 0), now=NOW
        )
    assert error.value.code == "patient_busy"


def test_cancel_frees_the_slot_and_checks_the_owner(setup):
    owner = make_patient()
    appointment = book(setup, owner)
    stranger = make_patient("40111222", "+5491155550002", "Ana Gómez")
    with pytest.raises(AppointmentError) as error:
        services.cancel_appointment(appointment=appointment, by_patient=stranger, now=NOW)
    assert error.value.code == "not_owner"
    services.cancel_appointment(appointment=appointment, by_patient=owner, reason="viaje", now=NOW)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancellation_reason == "viaje"
    assert appointment.cancelled_by is None  # the patient, not a staff member
    assert book(setup, stranger).pk != appointment.pk  # the slot is free again


def test_reschedule_moves_the_turno(setup):
    patient = make_patient()
    old = book(setup, patient)
    new = services.reschedule_appointment(appointment=old, new_start=old.start_at + dt.timedelta(minutes=30), now=NOW)
    old.refresh_from_db()
    assert old.status == AppointmentStatus.CANCELLED
    assert new.status == AppointmentStatus.BOOKED
    assert new.start_at == old.start_at + dt.timedelta(minutes=30)
    assert new.patient == patient


def test_reschedule_keeps_the_old_turno_when_the_new_slot_is_taken(setup):
    patient = make_patient()
    old = book(setup, patient, hour=9)
    book(setup, make_patient("40111222", "+5491155550002", "Ana Gómez"), hour=10)
    with pytest.raises(AppointmentError) as error:
        services.reschedule_appointment(appointment=old, new_start=old.start_at + dt.timedelta(hours=1), now=NOW)
    assert error.value.code == "slot_taken"
    old.refresh_from_db()
    assert old.status == AppointmentStatus.BOOKED
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 2


def test_status_transitions(setup):
    appointment = book(setup, make_patient())
    assert services.confirm_appointment(appointment=appointment).status == AppointmentStatus.CONFIRMED
    started = appointment.start_at
    assert services.mark_attended(appointment=appointment, now=started).status == AppointmentStatus.ATTENDED
    with pytest.raises(AppointmentError):
        services.cancel_appointment(appointment=appointment)


def test_get_or_create_patient_never_overwrites_someone_elses_phone(db):
    first = services.get_or_create_patient(
        full_name="juan  pérez", document_number="30.111.222", phone="+5491155550001"
    )
    assert first.full_name == "Juan Pérez"
    assert first.document_number == "30111222"
    again = services.get_or_create_patient(full_name="Otro", document_number="30111222", phone="+5491199990000")
    assert again.pk == first.pk
    assert again.phone == "+5491155550001"


@postgres_only
def test_database_refuses_overlapping_turnos_even_without_the_service(setup):
    clinic, cardio, doctor = setup
    patient = make_patient()
    Appointment.objects.create(
        patient=patient,
        doctor=doctor,
        specialty=cardio,
        start_at=local(clinic, 2026, 12, 1, 9, 0),
        end_at=local(clinic, 2026, 12, 1, 9, 30),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            patient=make_patient("40111222", "+5491155550002", "Ana Gómez"),
            doctor=doctor,
            specialty=cardio,
            start_at=local(clinic, 2026, 12, 1, 9, 15),
            end_at=local(clinic, 2026, 12, 1, 9, 45),
        )
    # A cancelled turno does not hold the time.
    Appointment.objects.create(
        patient=patient,
        doctor=doctor,
        specialty=cardio,
        start_at=local(clinic, 2026, 12, 1, 9, 0),
        end_at=local(clinic, 2026, 12, 1, 9, 30),
        status=AppointmentStatus.CANCELLED,
    )


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_threads_race_for_one_slot_and_exactly_one_wins():
    clinic = make_clinic()
    cardio = make_specialty(clinic, "Cardiología")
    doctor = make_doctor(clinic, "García", [cardio])
    add_schedule(doctor, cardio, 1, "08:00", "12:00", 30)
    patients = [make_patient(f"3000000{i:02d}", f"+54911555500{i:02d}", f"Paciente {i}") for i in range(20)]
    start = local(clinic, 2026, 12, 1, 9, 0)
    results = run_at_once(
        [
            partial(services.book_appointment, patient=p, doctor=doctor, specialty=cardio, start=start, now=NOW)
            for p in patients
        ]
    )
    outcomes = [result.code if isinstance(result, AppointmentError) else result for result in results]

    assert outcomes.count("slot_taken") == 19
    assert sum(isinstance(outcome, Appointment) for outcome in outcomes) == 1
    assert Appointment.objects.filter(doctor=doctor, start_at=start).count() == 1


class DeadlockOnInsert:
    """An execute wrapper that makes the next `times` inserts of a turno fail the way
    PostgreSQL fails the loser of two overlapping inserts at the same instant (each waits on
    the other's row while checking the exclusion constraint): SQLSTATE 40P01. The real race is
    in test_twenty_threads_race_for_one_slot_and_exactly_one_wins, but it deadlocks only
    sometimes; this makes the retry's path certain."""

    def __init__(self, times: int, error: type[Exception] = psycopg.errors.DeadlockDetected):
        self.left, self.error, self.inserts = times, error, 0

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "appointments_appointment"'):
            self.inserts += 1
            if self.left:
                self.left -= 1
                raise OperationalError("deadlock detected") from self.error("deadlock detected")
        return execute(sql, params, many, context)


def test_a_booking_that_loses_a_deadlock_is_retried_and_saved_once(setup):
    patient = make_patient()
    deadlock = DeadlockOnInsert(times=1)
    with connection.execute_wrapper(deadlock):
        appointment = book(setup, patient)

    assert deadlock.inserts == 2
    assert list(Appointment.objects.filter(patient=patient)) == [appointment]


def test_a_deadlock_that_keeps_coming_back_is_not_swallowed(setup):
    patient = make_patient()
    deadlock = DeadlockOnInsert(times=services.DEADLOCK_RETRIES)
    with connection.execute_wrapper(deadlock), pytest.raises(OperationalError):
        book(setup, patient)

    assert deadlock.inserts == services.DEADLOCK_RETRIES
    assert not Appointment.objects.filter(patient=patient).exists()


def test_other_database_failures_are_not_retried(setup):
    patient = make_patient()
    lost = DeadlockOnInsert(times=1, error=psycopg.errors.AdminShutdown)
    with connection.execute_wrapper(lost), pytest.raises(OperationalError):
        book(setup, patient)

    assert lost.inserts == 1
