"""Moves and cancellations keep history: who, when and why; a move links both turnos; undo
("deshacer") only while the slot is still bookable; attended/absent only once started."""

import datetime as dt

import pytest
import time_machine

from appointments import services
from appointments.models import Appointment, AppointmentStatus, Channel
from appointments.services import AppointmentError
from appointments.tests.factories import add_schedule, local, make_clinic, make_doctor, make_patient, make_specialty
from clinic.models import Closure

BUENOS_AIRES_OFFSET = dt.timedelta(hours=-3)
TUESDAY = dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.timezone(BUENOS_AIRES_OFFSET))
SATURDAY = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.timezone(BUENOS_AIRES_OFFSET))


@pytest.fixture(params=[TUESDAY, SATURDAY], ids=["weekday", "weekend"])
def clock(request):
    """Frozen on a Tuesday morning and on a Saturday: history must not depend on the day."""
    with time_machine.travel(request.param, tick=False):
        yield request.param


@pytest.fixture
def desk_user(django_user_model):
    return django_user_model.objects.create_user(username="recepcion", password="x", is_staff=True)


@pytest.fixture
def clinic_setup(db):
    clinic = make_clinic()
    cardio = make_specialty(clinic, "Cardiología")
    doctor = make_doctor(clinic, "García", [cardio])
    other = make_doctor(clinic, "López", [cardio], first_name="Luis")
    for weekday in range(7):
        add_schedule(doctor, cardio, weekday, "08:00", "12:00", 30)
        add_schedule(other, cardio, weekday, "08:00", "12:00", 30)
    return clinic, cardio, doctor, other


def next_week(clinic_setup, hour, minute=0, doctor=None, patient=None):
    clinic, cardio, garcia, _ = clinic_setup
    return services.book_appointment(
        patient=patient or make_patient(),
        doctor=doctor or garcia,
        specialty=cardio,
        start=local(clinic, 2026, 12, 9, hour, minute),
        channel=Channel.WHATSAPP,
    )


def test_desk_cancel_records_who_when_and_why(clock, clinic_setup, desk_user):
    appointment = next_week(clinic_setup, 9)
    services.cancel_appointment(appointment=appointment, by_user=desk_user, reason="Se mudó")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancelled_by == desk_user
    assert appointment.cancellation_reason == "Se mudó"
    assert appointment.cancelled_at == clock


def test_desk_cancel_needs_a_reason(clock, clinic_setup, desk_user):
    appointment = next_week(clinic_setup, 9)
    with pytest.raises(AppointmentError) as error:
        services.cancel_appointment(appointment=appointment, by_user=desk_user, reason="   ")
    assert error.value.code == "reason_required"
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_move_links_both_ways_in_one_go(clock, clinic_setup, desk_user):
    _, _, _, lopez = clinic_setup
    old = next_week(clinic_setup, 9)
    old.notes = "Trae estudios"
    old.save()
    new = services.reschedule_appointment(
        appointment=old, new_start=old.start_at + dt.timedelta(hours=1), new_doctor=lopez, by_user=desk_user
    )
    old.refresh_from_db()
    assert (old.status, new.status) == (AppointmentStatus.CANCELLED, AppointmentStatus.BOOKED)
    assert new.rescheduled_from == old and old.rescheduled_to == new
    assert old.cancelled_by == desk_user and old.cancelled_at == clock
    assert old.cancellation_reason.startswith("Reprogramado al 09/12/2026 10:00")
    assert (new.doctor, new.patient, new.notes) == (lopez, old.patient, "Trae estudios")


def test_a_refused_move_leaves_everything_as_it_was(clock, clinic_setup, desk_user):
    old = next_week(clinic_setup, 9)
    next_week(clinic_setup, 10, patient=make_patient("40111222", "+5491155550002", "Ana Gómez"))
    with pytest.raises(AppointmentError) as error:
        services.reschedule_appointment(
            appointment=old, new_start=old.start_at + dt.timedelta(hours=1), by_user=desk_user
        )
    assert error.value.code == "slot_taken"
    old.refresh_from_db()
    assert (old.status, old.cancelled_by, old.cancellation_reason) == (AppointmentStatus.BOOKED, None, "")
    assert not Appointment.objects.filter(rescheduled_from=old).exists()


def test_undo_restores_a_cancelled_turno(clock, clinic_setup, desk_user):
    appointment = next_week(clinic_setup, 9)
    services.cancel_appointment(appointment=appointment, by_user=desk_user, reason="Error de carga")
    restored = services.restore_appointment(appointment=appointment)
    assert restored.pk == appointment.pk
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert (appointment.cancelled_at, appointment.cancelled_by, appointment.cancellation_reason) == (None, None, "")


def test_undo_is_refused_when_the_slot_was_retaken(clock, clinic_setup, desk_user):
    appointment = next_week(clinic_setup, 9)
    services.cancel_appointment(appointment=appointment, by_user=desk_user, reason="No puede venir")
    taker = next_week(clinic_setup, 9, patient=make_patient("40111222", "+5491155550002", "Ana Gómez"))
    with pytest.raises(AppointmentError) as error:
        services.restore_appointment(appointment=appointment)
    assert error.value.code == "slot_taken"
    appointment.refresh_from_db()
    taker.refresh_from_db()
    assert (appointment.status, taker.status) == (AppointmentStatus.CANCELLED, AppointmentStatus.BOOKED)


def test_undo_is_refused_on_a_day_closed_since(clock, clinic_setup, desk_user):
    clinic = clinic_setup[0]
    appointment = next_week(clinic_setup, 9)
    services.cancel_appointment(appointment=appointment, by_user=desk_user, reason="Feriado")
    Closure.objects.create(clinic=clinic, start_date=dt.date(2026, 12, 9), end_date=dt.date(2026, 12, 9))
    with pytest.raises(AppointmentError) as error:
        services.restore_appointment(appointment=appointment)
    assert error.value.code == "closed"


def test_undo_of_a_move_is_refused(clock, clinic_setup, desk_user):
    old = next_week(clinic_setup, 9)
    services.reschedule_appointment(appointment=old, new_start=old.start_at + dt.timedelta(hours=1), by_user=desk_user)
    with pytest.raises(AppointmentError) as error:
        services.restore_appointment(appointment=old)
    assert error.value.code == "moved"
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 1


def test_undo_of_a_turno_that_is_not_cancelled_is_refused(clock, clinic_setup):
    appointment = next_week(clinic_setup, 9)
    with pytest.raises(AppointmentError) as error:
        services.restore_appointment(appointment=appointment)
    assert error.value.code == "not_cancelled"


@pytest.mark.parametrize("mark", [services.mark_attended, services.mark_no_show])
def test_attended_or_absent_refused_before_the_start(clock, clinic_setup, mark):
    appointment = next_week(clinic_setup, 9)
    with pytest.raises(AppointmentError) as error:
        mark(appointment=appointment)
    assert error.value.code == "not_started"
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    with time_machine.travel(appointment.start_at + dt.timedelta(minutes=5), tick=False):
        assert mark(appointment=appointment).status != AppointmentStatus.BOOKED
