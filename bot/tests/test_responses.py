"""Patient-facing sentences: rendered for speech, and the confirmations both brains share."""

import datetime as dt

import pytest

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
