"""Patient-facing sentences: rendered for speech, and the confirmations both brains share."""

import datetime as dt

import pytest

from appointments.errors import AppointmentError, AppointmentErrorCode
from appointments.policy import DocumentProblem
from bot import responses


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Tengo a las 08:30 con el Dr. Pérez.", "Tengo a las 8:30 con el doctor Pérez."),
        ("El 2/12 a las 10:00 con la Dra. Díaz", "El 2 de diciembre a las 10:00 con la doctora Díaz."),
        ("• Turnos\n• Coberturas 😊", "Turnos. Coberturas."),
        ("Su DNI 12.345.678", "Su DNI 12.345.678."),
    ],
)
def test_for_speech(text, spoken):
    assert responses.for_speech(text) == spoken


def test_no_time_is_ever_read_with_a_leading_zero():
    booked = {"specialty": "Cardiología", "doctor": "Dr. Martín Gutiérrez", "date": "2026-12-02", "time": "08:30"}
    text = responses.booking_confirmed(booked | {"patient": "Ana Gómez"}, address="", today=dt.date(2026, 12, 1))
    assert "08:30" not in text and "8:30" in text
    assert "08" not in responses.for_speech("a las 08:05")


def test_every_document_problem_has_a_sentence():
    assert {responses.document_problem(problem) for problem in DocumentProblem}
    assert all(responses.document_problem(problem).endswith(".") for problem in DocumentProblem)


def test_transfer_depends_on_the_channel():
    assert responses.transfer(channel="phone", reception_phone="4444") == responses.TRANSFER_CALL
    assert "4444" in responses.transfer(channel="whatsapp", reception_phone="4444")


TODAY = dt.date(2026, 12, 1)  # a Tuesday
EARLY = {"specialty": "Cardiología", "doctor": "Dr. Martín Gutiérrez", "date": "2026-12-03", "time": "08:30"}


@pytest.mark.parametrize(
    "text",
    [
        responses.booking_confirmed(EARLY | {"patient": "Ana Gómez"}, address="Av. Siempre Viva 742", today=TODAY),
        responses.cancel_confirmed(EARLY, today=TODAY),
        responses.reschedule_confirmed(EARLY, today=TODAY),
        responses.cancel_question(responses.appointment_phrase(EARLY, today=TODAY)),
        responses.booking_summary(
            specialty="Pediatría",
            slot="el jueves 3/12 a las 08:30 con la Dra. Díaz",
            name="Ana Gómez",
            document="30123456",
        ),
        responses.booking_reconciled(
            specialty="Cardiología", when="jueves 3/12 a las 08:30", doctor="con el Dr. Gutiérrez"
        ),
        responses.doctor_days("La Dra. Carolina Herrera", [("Pediatría", "los lunes de 08:00 a 12:00")]),
        responses.reminder_confirmed("jueves 3/12 a las 08:30"),
        responses.REMINDER_SMS.format(clinic="Clínica", when="3/12 a las 08:30", details=" con el Dr. Gutiérrez"),
    ],
)
def test_moved_sentences_with_times_dates_and_titles_are_spoken_as_words(text):
    spoken = responses.for_speech(text)
    assert "08:" not in spoken and ("8:30" in spoken or "8:00" in spoken)
    assert "Dr." not in spoken and "Dra." not in spoken
    assert not any(f"{day}/12" in spoken for day in range(1, 32))


def test_a_spoken_booking_confirmation_reads_the_day_and_the_doctor():
    text = responses.booking_confirmed(EARLY | {"patient": "Ana Gómez"}, address="", today=TODAY)
    assert responses.for_speech(text) == (
        "Excelente, su turno está confirmado: Cardiología con el doctor Martín Gutiérrez, el jueves 3 de diciembre "
        "a las 8:30, a nombre de Ana Gómez. ¿Necesita algo más?"
    )


@pytest.mark.parametrize("code", list(AppointmentErrorCode))
def test_the_patient_never_hears_the_desks_wording_of_a_refusal(code):
    error = AppointmentError(code, doctor="Dr. Martín Gutiérrez", specialty="Cardiología")
    said = responses.appointment_error(error)
    assert said and said != error.message and "{" not in said


def test_a_refusal_about_a_specialty_at_a_time_names_the_specialty():
    error = AppointmentError(AppointmentErrorCode.OUTSIDE_SCHEDULE, "desk", specialty="Cardiología")
    assert responses.appointment_error(error) == "No tengo turnos de Cardiología en ese horario. Elija otro, por favor."
