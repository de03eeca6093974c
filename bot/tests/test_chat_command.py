"""`manage.py chat` with piped input: a scripted booking ends with a turno in the database."""

import datetime as dt
import io
import sys

import pytest
import time_machine
from django.core.management import call_command

from appointments.models import Appointment
from bot.models import Conversation, ConversationStatus

# Tuesday 1 December 2026, 09:00 in Buenos Aires.
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def run_chat(monkeypatch, lines: list[str], *args) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    out = io.StringIO()
    call_command("chat", *args, stdout=out)
    return out.getvalue()


def test_piped_booking_conversation(frozen, demo_clinic, monkeypatch, settings):
    settings.BOT_BRAIN = "rules"
    output = run_chat(
        monkeypatch,
        ["Quiero sacar un turno para cardiología", "el miercoles a las diez", "Juan Pérez", "12345678", "sí", "adiós"],
        "--phone",
        "+54 9 11 5555-0001",
        "--channel",
        "whatsapp",
    )
    assert "Asistente [engine]> Le responde el asistente automático de Clínica San Rafael." in output
    assert "Buenos días, Clínica San Rafael, ¿en qué puedo ayudarlo?" in output
    assert "Asistente [rules]>" in output
    assert "su turno está confirmado" in output
    appointment = Appointment.objects.get()
    assert appointment.patient.document_number == "12345678"
    assert appointment.patient.phone == "+5491155550001"
    assert appointment.specialty.name == "Cardiología"
    assert appointment.start_at == dt.datetime(2026, 12, 2, 13, 0, tzinfo=dt.UTC)  # Wednesday 10:00 local
    conversation = Conversation.objects.get()
    assert conversation.status == ConversationStatus.ENDED
    assert conversation.summary


def test_only_asking_books_nothing_and_exits_cleanly(frozen, demo_clinic, monkeypatch):
    output = run_chat(monkeypatch, ["¿Trabajan con OSDE?", "¿A qué hora abren?"])
    assert "OSDE" in output
    assert "8:00" in output or "08:00" in output
    assert Appointment.objects.count() == 0


def test_invalid_phone_is_refused(demo_clinic, monkeypatch):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Invalid phone"):
        run_chat(monkeypatch, [], "--phone", "abc")
