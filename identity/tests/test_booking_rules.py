"""The assistant's booking entry point, tried as an attacker: someone else's DNI grants
nothing, refusals do not tell what a DNI holds, and the caps hold (also concurrently)."""

import datetime as dt
from functools import partial

import pytest
from django.db import connection

from appointments.models import Appointment, AppointmentStatus, Channel, Patient
from appointments.services import AppointmentError
from appointments.tests.factories import add_schedule, local, make_clinic, make_doctor, make_patient, make_specialty
from clinic_assistant.testing import run_at_once
from identity.errors import IdentityError, IdentityErrorCode
from identity.models import DailyBookingCount, NumberSource, VerifiedNumber
from identity.selectors import caller_number, full_name_matches, manageable_appointments, name_for_caller
from identity.services import book_for_caller, record_verified_number

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)  # Monday 09:00 in Buenos Aires
PATIENT_PHONE = "+5491155550001"
STRANGER = "+5491166660002"
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (real concurrency)")


@pytest.fixture
def setup(db):
    clinic = make_clinic()
    cardio = make_specialty(clinic, "Cardiología")
    doctor = make_doctor(clinic, "García", [cardio])
    for weekday in range(5):
        add_schedule(doctor, cardio, weekday, "08:00", "18:00", 30)
    return clinic, cardio, doctor


def book(setup, *, number, hour=9, day=1, name="Juan Pérez", dni="30111222", channel=Channel.WHATSAPP, **kwargs):
    clinic, cardio, doctor = setup
    return book_for_caller(
        clinic=clinic,
        number=number,
        quota_key=number or "anon:CA1",
        channel=channel,
        full_name=name,
        document_number=dni,
        doctor=doctor,
        specialty=cardio,
        start=local(clinic, 2026, 12, day, hour),
        now=NOW,
        **kwargs,
    )


def test_a_new_patient_booking_for_themself_verifies_the_number(setup):
    booking = book(setup, number=PATIENT_PHONE, name="juan  pérez")
    patient = booking.patient
    assert (patient.full_name, patient.phone, patient.whatsapp_id) == ("Juan Pérez", PATIENT_PHONE, PATIENT_PHONE)
    assert VerifiedNumber.objects.get(patient=patient).source == NumberSource.SELF_BOOKING
    assert booking.appointment.booked_by_number == PATIENT_PHONE
    assert list(manageable_appointments(number=PATIENT_PHONE, now=NOW)) == [booking.appointment]


def test_someone_elses_dni_books_but_grants_nothing(setup):
    victim = make_patient(document_number="30111222", phone="", name="María Laura Gómez")
    victims_own = book(setup, number="", hour=15, dni="30111222").appointment  # e.g. booked by phone, number withheld
    Appointment.objects.filter(pk=victims_own.pk).update(booked_by_number="")

    booking = book(setup, number=STRANGER, name="Pedro Inventado", dni="30.111.222")

    assert booking.appointment.patient == victim and booking.name_read_back == "Pedro Inventado"
    victim.refresh_from_db()
    assert (victim.full_name, victim.phone, victim.whatsapp_id) == ("María Laura Gómez", "", "")
    assert not VerifiedNumber.objects.exists()
    reachable = list(manageable_appointments(number=STRANGER, now=NOW))
    assert reachable == [booking.appointment]
    assert name_for_caller(reachable[0]) == "Pedro Inventado"


def test_a_refusal_does_not_tell_a_stranger_the_dni_holds_a_turno_then(setup):
    make_patient(document_number="30111222", phone=PATIENT_PHONE)
    book(setup, number=PATIENT_PHONE, hour=10)  # the patient's own turno at 10:00
    clinic, cardio, _ = setup
    other_doctor = make_doctor(clinic, "López", [cardio])
    add_schedule(other_doctor, cardio, 1, "08:00", "12:00", 30)
    with pytest.raises(AppointmentError) as same_doctor:
        book(setup, number=STRANGER, hour=10)  # the exact turno the patient holds
    with pytest.raises(AppointmentError) as other_doctor_same_time:
        book_for_caller(
            clinic=clinic,
            number=STRANGER,
            quota_key=STRANGER,
            channel=Channel.WHATSAPP,
            full_name="Pedro Inventado",
            document_number="30111222",
            doctor=other_doctor,
            specialty=cardio,
            start=local(clinic, 2026, 12, 1, 10),
            now=NOW,
        )
    assert same_doctor.value.code == other_doctor_same_time.value.code == "slot_taken"
    assert same_doctor.value.message == other_doctor_same_time.value.message
    assert "usted" not in same_doctor.value.message.lower()


def test_withheld_number_is_nobody():
    assert caller_number("anon:CA0123") == ""
    assert caller_number("simulador-3") == ""
    assert caller_number("+5491155550001") == "+5491155550001"
    assert manageable_appointments(number="").count() == 0


def test_a_reschedule_keeps_who_may_manage_the_turno(setup):
    from appointments.services import reschedule_appointment

    booking = book(setup, number=STRANGER, name="Pedro Inventado")
    moved = reschedule_appointment(
        appointment=booking.appointment, new_start=booking.appointment.start_at + dt.timedelta(hours=1), now=NOW
    )
    assert (moved.booked_by_number, moved.booked_as_name) == (STRANGER, "Pedro Inventado")


@pytest.mark.parametrize(
    ("given", "matches"),
    [
        ("María Laura Gómez Paz", True),
        ("maria laura gomez paz", True),
        ("GÓMEZ PAZ, María Laura", True),
        ("María Laura Gómez-Paz", True),
        ("María Gómez", False),
        ("Gómez", False),
        ("María Laura", False),
        ("María Laura Gómez Paz Rodríguez", False),
        ("", False),
    ],
)
def test_the_name_check_needs_the_full_name(given, matches):
    assert full_name_matches(stored="María Laura Gómez Paz", given=given) is matches


def test_particles_do_not_count_as_names():
    assert full_name_matches(stored="María de los Ángeles del Valle", given="Maria Angeles Valle")
    assert not full_name_matches(stored="María de los Ángeles del Valle", given="María del Valle")


# --- caps -------------------------------------------------------------------------------


def test_new_turnos_per_number_per_day_are_capped(setup, settings):
    settings.BOOKING_CAP_PER_NUMBER_PER_DAY = 2
    book(setup, number=STRANGER, hour=9, dni="20000001")
    book(setup, number=STRANGER, hour=10, dni="20000002")
    with pytest.raises(IdentityError) as error:
        book(setup, number=STRANGER, hour=11, dni="20000003")
    assert error.value.code == IdentityErrorCode.BOOKING_LIMIT
    assert Appointment.objects.count() == 2
    assert not Patient.objects.filter(document_number="20000003").exists()  # nothing half-written


def test_a_retry_of_the_same_booking_is_not_a_new_turno(setup, settings):
    settings.BOOKING_CAP_PER_NUMBER_PER_DAY = 1
    first = book(setup, number=STRANGER, hour=9)
    again = book(setup, number=STRANGER, hour=9)
    assert again.appointment.pk == first.appointment.pk
    assert DailyBookingCount.objects.get().count == 1


def test_the_clinic_overrides_the_default_cap(setup, settings):
    settings.BOOKING_CAP_PER_NUMBER_PER_DAY = 10
    clinic = setup[0]
    clinic.bookings_per_number_per_day = 1
    clinic.save()
    book(setup, number=STRANGER, hour=9)
    with pytest.raises(IdentityError):
        book(setup, number=STRANGER, hour=10, dni="20000002")


def test_active_turnos_per_patient_are_capped_with_words_that_fit_the_caller(setup, settings):
    settings.BOOKING_CAP_ACTIVE_PER_PATIENT = 2
    book(setup, number=PATIENT_PHONE, hour=9)
    book(setup, number=PATIENT_PHONE, hour=10)
    with pytest.raises(IdentityError) as own:
        book(setup, number=PATIENT_PHONE, hour=11)
    assert own.value.code == IdentityErrorCode.ACTIVE_LIMIT
    with pytest.raises(IdentityError) as stranger:
        book(setup, number=STRANGER, hour=12, name="Pedro Inventado")
    # A stranger hears the same words as for their own number's daily cap.
    assert stranger.value.code == IdentityErrorCode.BOOKING_LIMIT
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 2


def test_reception_recorded_number_reaches_all_of_the_patients_turnos(setup):
    patient = make_patient(document_number="30111222", phone="")
    desk_turno = book(setup, number="", hour=9).appointment
    assert manageable_appointments(number=PATIENT_PHONE, now=NOW).count() == 0
    record_verified_number(patient=patient, number=PATIENT_PHONE, source=NumberSource.RECEPTION)
    reachable = list(manageable_appointments(number=PATIENT_PHONE, now=NOW))
    assert reachable == [desk_turno] and name_for_caller(reachable[0]) == patient.full_name


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_bookings_from_one_number_respect_the_daily_cap(settings):
    settings.BOOKING_CAP_PER_NUMBER_PER_DAY = 3
    clinic = make_clinic()
    cardio = make_specialty(clinic, "Cardiología")
    doctor = make_doctor(clinic, "García", [cardio])
    add_schedule(doctor, cardio, 1, "08:00", "18:00", 30)
    setup = (clinic, cardio, doctor)
    results = run_at_once(
        [partial(book, setup, number=STRANGER, hour=8 + index, dni=f"2000000{index}") for index in range(10)]
    )
    refusals = [result.code for result in results if isinstance(result, IdentityError)]
    assert refusals == [IdentityErrorCode.BOOKING_LIMIT] * 7
    assert sum(not isinstance(result, Exception) for result in results) == 3
    assert Appointment.objects.filter(booked_by_number=STRANGER).count() == 3
