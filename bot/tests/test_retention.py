"""purge_conversations: transcripts go, turnos and the dashboard's numbers stay."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from appointments.models import Appointment, Patient
from bot.models import Conversation, ConversationStatus, Message, MessageRole, ProcessedWebhook
from bot.retention import PURGED_MARK
from clinic.models import Doctor, Specialty
from reminders import stats
from reminders.models import MessagingSettings

BA = dt.timezone(dt.timedelta(hours=-3))
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=BA)


def old_conversation(clinic, *, days_ago: int, status=ConversationStatus.ENDED):
    with time_machine.travel(NOW - dt.timedelta(days=days_ago), tick=False):
        conversation = Conversation.objects.create(
            clinic=clinic,
            channel="whatsapp",
            participant="+5491155550001",
            status=status,
            outcome="booked",
            summary="WhatsApp con +5491155550001; turno de Juan Pérez",
            state={"patient_name": "Juan Pérez", "document_number": "30111222"},
        )
        Message.objects.create(conversation=conversation, role=MessageRole.USER, text="Soy Juan Pérez, DNI 30111222")
        Message.objects.create(
            conversation=conversation,
            role=MessageRole.TOOL,
            tool_name="book_appointment",
            tool_arguments={"document_number": "30111222"},
            tool_result={"ok": True},
        )
        Message.objects.create(
            conversation=conversation, role=MessageRole.ASSISTANT, text="Su turno…", tokens_in=800, tokens_out=30
        )
        ProcessedWebhook.objects.create(
            key=f"wa:{conversation.pk}", conversation=conversation, response_body="<Response>…"
        )
        doctor = Doctor.objects.get(last_name="Gutiérrez")
        patient, _ = Patient.objects.get_or_create(document_number="30111222", defaults={"full_name": "Juan Pérez"})
        start = (NOW - dt.timedelta(days=days_ago)).replace(hour=10)
        Appointment.objects.create(
            patient=patient,
            doctor=doctor,
            specialty=Specialty.objects.get(name="Cardiología"),
            start_at=start,
            end_at=start + dt.timedelta(minutes=30),
            conversation=conversation,
            status="attended",
        )
    return conversation


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.usefixtures("clock")
def test_purge_removes_transcripts_and_keeps_turnos_and_aggregates(demo_clinic):
    old = old_conversation(demo_clinic, days_ago=40)
    recent = old_conversation(demo_clinic, days_ago=5)
    window = stats.Window.last_days(today=NOW.date(), days=60, tz=BA)
    before = (
        stats.model_cost_by_day(clinic=demo_clinic, window=window),
        stats.conversations_by_outcome(clinic=demo_clinic, window=window),
    )

    call_command("purge_conversations", "--older-than", "30", verbosity=0)

    old.refresh_from_db()
    assert set(old.messages.values_list("text", flat=True)) == {""}
    assert not old.messages.filter(tool_arguments__isnull=False).exists()
    assert not old.messages.filter(tool_result__isnull=False).exists()
    assert old.summary == PURGED_MARK and old.state == {} and "55550001" not in old.participant
    assert not ProcessedWebhook.objects.filter(conversation=old).exists()
    assert Appointment.objects.filter(conversation=old).count() == 1  # the turno stays, linked
    assert old.messages.count() == 3 and old.outcome == "booked"
    recent.refresh_from_db()
    assert recent.messages.filter(text__contains="Juan Pérez").exists() and recent.summary != PURGED_MARK
    after = (
        stats.model_cost_by_day(clinic=demo_clinic, window=window),
        stats.conversations_by_outcome(clinic=demo_clinic, window=window),
    )
    assert after == before


@pytest.mark.usefixtures("clock")
def test_without_a_period_each_clinics_retention_setting_applies(demo_clinic):
    MessagingSettings.objects.create(clinic=demo_clinic, retention_days=3)
    recent = old_conversation(demo_clinic, days_ago=5)
    active = old_conversation(demo_clinic, days_ago=6, status=ConversationStatus.ACTIVE)

    call_command("purge_conversations", verbosity=0)

    recent.refresh_from_db()
    active.refresh_from_db()
    assert recent.summary == PURGED_MARK
    assert active.summary != PURGED_MARK, "a conversation still going on is never purged"


def test_a_period_below_one_day_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("purge_conversations", "--older-than", "0")
