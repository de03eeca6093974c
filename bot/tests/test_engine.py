"""The engine's own turns: greeting by the clinic's clock, emergencies before any brain,
and what happens after the patient answers the transfer offer."""

import datetime as dt

import pytest
import time_machine

from bot.engine import greet, reply
from bot.models import Conversation, ConversationOutcome, MessageRole
from bot.state import ConversationState, Step
from bot.tests.conftest import CLINIC_TZ as TZ

pytestmark = pytest.mark.usefixtures("offline_brain")


def new_conversation(clinic, channel="whatsapp"):
    return Conversation.objects.create(
        clinic=clinic, channel=channel, participant="+5491155557777", state=ConversationState(notice_given=True).dump()
    )


@pytest.mark.parametrize(
    ("local_time", "salutation"),
    [(dt.time(7, 30), "Buenos días"), (dt.time(15, 0), "Buenas tardes"), (dt.time(22, 10), "Buenas noches")],
)
def test_greeting_follows_the_clinic_clock(demo_clinic, local_time, salutation):
    with time_machine.travel(dt.datetime.combine(dt.date(2026, 12, 1), local_time, tzinfo=TZ), tick=False):
        greeting = greet(new_conversation(demo_clinic))
    assert greeting.text == f"{salutation}, Clínica San Rafael, ¿en qué puedo ayudarlo?"


def test_declining_the_emergency_transfer_resumes_the_booking(demo_clinic):
    conversation = new_conversation(demo_clinic)
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ), tick=False):
        reply(conversation, "quiero un turno para cardiologia")
        waiting_for = conversation.load_state().step
        emergency = reply(conversation, "me falta el aire y no puedo respirar")
        assert "107" in emergency.text
        assert conversation.load_state().step == Step.OFFER_TRANSFER
        assert conversation.load_state().interrupted_step == waiting_for == Step.SLOT
        declined = reply(conversation, "no, gracias")
    assert not declined.transfer_to_human
    assert "¿En qué más puedo ayudarlo?" in declined.text
    state = conversation.load_state()
    assert state.step == waiting_for and state.interrupted_step is None
    assert state.booking.offered_slots  # the slots offered before are still there


def test_accepting_the_emergency_transfer_transfers(demo_clinic):
    conversation = new_conversation(demo_clinic, channel="phone")
    reply(conversation, "tengo un sangrado muy fuerte")
    accepted = reply(conversation, "si por favor")
    assert accepted.transfer_to_human
    conversation.refresh_from_db()
    assert conversation.outcome == ConversationOutcome.TRANSFERRED


def test_empty_and_oversized_input_get_an_answer(demo_clinic):
    conversation = new_conversation(demo_clinic)
    assert "repite" in reply(conversation, "   ").text
    answer = reply(conversation, "hola " * 5000)
    assert answer.text
    stored = conversation.messages.filter(role=MessageRole.USER).last()
    assert len(stored.text) <= 1000
