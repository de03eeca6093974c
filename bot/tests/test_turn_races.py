"""Turns that never race: two messages from one number at the same moment are answered one
after the other and nothing either of them wrote is lost; a number has one active
conversation per channel, enforced by the database. Through the signed WhatsApp webhook
(real RequestValidator), each message from its own thread and database connection."""

import asyncio
import datetime as dt
import re
import threading
from functools import partial

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from appointments.models import Appointment
from bot.conversations import get_or_start_conversation, save_changes
from bot.models import Conversation, ConversationOutcome, ConversationStatus, MessageRole, ProcessedWebhook, TurnLease
from bot.state import Step
from bot.tests.twilio_helpers import messages, post_signed, twiml, whatsapp_params
from bot.turns import TurnBusy, serialized_turn
from clinic_assistant.testing import run_at_once

NOW = "2026-12-01 10:00 -03:00"
PATH = "/webhook/whatsapp"
TRIALS = 10

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: on SQLite concurrent writers serialize on one file lock, so nothing overlaps",
)


@pytest.fixture(autouse=True)
def clinic_clock():
    with time_machine.travel(NOW, tick=True):
        yield


def send(client, phone: str, body: str) -> str:
    return "\n".join(messages(twiml(post_signed(client, PATH, whatsapp_params(body, phone=phone)))))


def send_at_once(phone: str, bodies: list[str]) -> list[str]:
    """Each body from its own thread (own connection), released at the same instant."""
    replies = run_at_once([partial(send, Client(), phone, body) for body in bodies])
    assert all(isinstance(reply, str) and reply for reply in replies), replies
    return replies


def answer_for(reply: str, *, document: str) -> str | None:
    """What a patient booking a turno answers to the assistant's question, up to the read-back."""
    text = reply.lower()
    if "¿confirma" in text:
        return None
    if "nombre" in text:
        return "Juan Pérez"
    if "documento" in text or "dni" in text:
        return document
    if "?" in text and re.search(r"\d{1,2}:\d{2}", text):
        return "el primero"
    return None


def book_up_to_the_read_back(client, phone: str, document: str) -> None:
    reply = send(client, phone, "Quiero un turno para cardiología")
    for _ in range(5):
        answer = answer_for(reply, document=document)
        if answer is None:
            break
        reply = send(client, phone, answer)
    assert "¿confirma" in reply.lower(), reply


def active_conversation(phone: str) -> Conversation:
    return Conversation.objects.get(channel="whatsapp", participant=phone, status=ConversationStatus.ACTIVE)


@pytest.fixture
def slow_turns(monkeypatch):
    """Turns whose text is in `slow` take 0.3 s more, after the conversation was loaded:
    a model taking its time. It decides which of two simultaneous turns ends last."""
    import bot.engine

    slow: set[str] = set()
    real_reply = bot.engine.areply

    async def reply(conversation, text, **turn_extras):
        if text in slow:
            await asyncio.sleep(0.3)
        return await real_reply(conversation, text, **turn_extras)

    monkeypatch.setattr(bot.engine, "areply", reply)
    return slow


@needs_postgres
@pytest.mark.usefixtures("twilio_settings")
def test_two_messages_at_once_mid_booking_are_both_answered_and_lose_nothing(demo_clinic_tx, slow_turns):
    client = Client()
    for trial in range(TRIALS):
        phone = f"+54911555{trial:05d}"
        book_up_to_the_read_back(client, phone, document=str(30_000_000 + trial))
        # Half the trials the booking ends last, half the question does.
        slow_turns.clear()
        slow_turns.add("Sí, confirmo" if trial % 2 else "¿Trabajan con OSDE?")

        replies = send_at_once(phone, ["Sí, confirmo", "¿Trabajan con OSDE?"])

        conversation = active_conversation(phone)
        appointment = Appointment.objects.get(conversation=conversation)
        assert "confirmad" in replies[0].lower(), (trial, replies)
        assert "OSDE" in replies[1], (trial, replies)
        assert conversation.outcome == ConversationOutcome.BOOKED, trial
        assert conversation.patient_id == appointment.patient_id, trial
        state = conversation.load_state()
        assert state.patient.last_booked_appointment_id == appointment.pk, trial
        assert appointment.start_at not in {slot.start for slot in state.booking.offered_slots}, trial
        # Both turns ran, one after the other, each on what the previous one saved.
        texts = list(conversation.messages.filter(role=MessageRole.USER).values_list("text", flat=True))
        assert sorted(texts[-2:]) == sorted(["Sí, confirmo", "¿Trabajan con OSDE?"]), trial
    assert Appointment.objects.count() == TRIALS
    assert not TurnLease.objects.exclude(holder="").exists()


@needs_postgres
@pytest.mark.usefixtures("twilio_settings")
def test_two_first_messages_at_once_start_one_conversation(demo_clinic_tx, slow_turns):
    slow_turns.add("Hola")
    for trial in range(TRIALS):
        phone = f"+54911666{trial:05d}"

        send_at_once(phone, ["Hola", "¿Qué especialidades tienen?"])

        conversation = Conversation.objects.get(channel="whatsapp", participant=phone)
        assert conversation.messages.filter(role=MessageRole.USER).count() == 2, trial
        assert conversation.messages.filter(role=MessageRole.ASSISTANT).count() == 2, trial


@needs_postgres
def test_the_lease_lets_one_turn_in_at_a_time(transactional_db):
    inside, overlaps = [], []

    def turn() -> None:
        with serialized_turn("whatsapp:+5491100000000"):
            if inside:
                overlaps.append(True)
            inside.append(True)
            threading.Event().wait(0.05)
            inside.pop()

    assert run_at_once([turn] * 4) == [None] * 4
    assert overlaps == []
    assert TurnLease.objects.get(key="whatsapp:+5491100000000").holder == ""


# --- Both databases -------------------------------------------------------------------------


def test_the_database_refuses_a_second_active_conversation_per_number(demo_clinic):
    Conversation.objects.create(clinic=demo_clinic, channel="whatsapp", participant="+5491177770000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.create(clinic=demo_clinic, channel="whatsapp", participant="+5491177770000")
    # Ended ones, other channels, and overlapping calls (one conversation per CallSid) are fine.
    Conversation.objects.create(
        clinic=demo_clinic, channel="whatsapp", participant="+5491177770000", status=ConversationStatus.ENDED
    )
    Conversation.objects.create(clinic=demo_clinic, channel="chat", participant="+5491177770000")
    for sid in ("CA" + "1" * 32, "CA" + "2" * 32):
        Conversation.objects.create(clinic=demo_clinic, channel="phone", participant="+5491177770000", call_sid=sid)


def test_get_or_start_continues_the_active_conversation(demo_clinic):
    first = get_or_start_conversation(channel="whatsapp", participant="+5491177770001")
    assert get_or_start_conversation(channel="whatsapp", participant="+5491177770001") == first


def test_a_held_lease_makes_the_next_turn_wait_then_give_up(db):
    with (
        serialized_turn("whatsapp:+5491100000001"),
        pytest.raises(TurnBusy),
        serialized_turn("whatsapp:+5491100000001", wait_seconds=0.2),
    ):
        pass  # pragma: no cover (never entered)
    with serialized_turn("whatsapp:+5491100000001", wait_seconds=0.2):
        pass  # released: the next turn gets in


def test_an_expired_lease_is_taken_over(db):
    TurnLease.objects.create(
        key="whatsapp:+5491100000002", holder="dead-worker", expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with serialized_turn("whatsapp:+5491100000002", wait_seconds=0):
        assert TurnLease.objects.get(key="whatsapp:+5491100000002").holder not in {"", "dead-worker"}


def test_a_save_writes_only_what_the_turn_changed(demo_clinic):
    conversation = Conversation.objects.create(clinic=demo_clinic, channel="whatsapp", participant="+5491177770002")
    turn = Conversation.objects.get(pk=conversation.pk)
    other_writer = Conversation.objects.get(pk=conversation.pk)
    other_writer.outcome = ConversationOutcome.BOOKED
    save_changes(conversation=other_writer)

    state = turn.load_state()
    state.go(Step.ANYTHING_ELSE)
    turn.store_state(state)
    save_changes(conversation=turn)

    conversation.refresh_from_db()
    assert conversation.outcome == ConversationOutcome.BOOKED
    assert conversation.load_state().step == Step.ANYTHING_ELSE


@pytest.mark.usefixtures("twilio_settings")
def test_a_claim_whose_lease_expired_does_not_block_the_retry(client, demo_clinic):
    params = whatsapp_params("¿Trabajan con OSDE?")
    ProcessedWebhook.objects.create(
        key=f"wa:{params['MessageSid']}", lease_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    (reply,) = messages(twiml(post_signed(client, PATH, params)))

    assert "OSDE" in reply
    assert ProcessedWebhook.objects.get(key=f"wa:{params['MessageSid']}").is_complete
