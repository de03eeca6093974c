"""A yes to a read-back said with a goodbye ("sí, confirmo, gracias, chau"): the write read
back is done, then the conversation ends; a goodbye without a yes writes nothing. Through the
engine with the offline brain, clocks frozen on a weekday and on a weekend."""

import datetime as dt

import pytest

from appointments import services
from appointments.models import Appointment, AppointmentStatus, Patient
from bot.models import ConversationStatus
from bot.state import Step
from bot.tests.conftest import CLINIC_TZ as TZ
from bot.tests.test_rules_brain import PHONE, Chat
from clinic.models import Doctor, Specialty

pytestmark = pytest.mark.usefixtures("offline_brain")


@pytest.mark.parametrize("words", ["si, confirmo. gracias, chau", "dale, gracias, nada mas", "ok si, gracias bye"])
def test_a_yes_with_a_goodbye_books_then_ends(demo_clinic, tuesday, words):
    chat = Chat(demo_clinic)
    chat.say("turno con el clinico el jueves a las 10")
    chat.say("Ana Paz")
    chat.say("30111222")
    chat.say(words)
    [appointment] = Appointment.objects.all()
    assert appointment.start_at.astimezone(TZ) == dt.datetime(2026, 12, 3, 10, 0, tzinfo=TZ)
    assert chat.last.end_conversation, chat
    chat.conversation.refresh_from_db()
    assert chat.conversation.status == ConversationStatus.ENDED


def test_a_cancel_confirmed_with_a_goodbye_cancels_then_ends(demo_clinic, saturday_evening):
    patient = Patient.objects.create(full_name="Hugo Martín", document_number="54111222", phone=PHONE)
    appointment = services.book_appointment(
        patient=patient,
        doctor=Doctor.objects.get(last_name="Herrera"),
        specialty=Specialty.objects.get(name="Pediatría"),
        start=dt.datetime(2026, 12, 7, 9, 0, tzinfo=TZ),
        now=dt.datetime(2026, 12, 5, 19, 0, tzinfo=TZ),
        booked_by_number=PHONE,
        booked_as_name="Hugo Martín",
    )
    chat = Chat(demo_clinic)
    chat.say("buenas, tengo que anular la cita del lunes")
    assert chat.state.step == Step.CONFIRM_CANCEL, chat
    chat.say("si, gracias, eso es todo")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert chat.last.end_conversation, chat


def test_a_goodbye_without_a_yes_at_the_read_back_writes_nothing(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("turno con el clinico el jueves a las 10")
    chat.say("Ana Paz")
    chat.say("30111222")
    chat.say("gracias, chau")
    assert not Appointment.objects.exists()
    assert chat.last.end_conversation, chat


@pytest.mark.parametrize("clock", ["tuesday", "saturday_evening"])
@pytest.mark.parametrize("closing", ["bueno gracias", "ok gracias", "joya, gracias"])
def test_a_closing_once_the_question_is_answered_ends(demo_clinic, request, clock, closing):
    request.getfixturevalue(clock)
    chat = Chat(demo_clinic)
    chat.say("buenas, a qué hora atienden?")
    chat.say("¿y los sábados?")
    chat.say(closing)
    chat.conversation.refresh_from_db()
    assert chat.conversation.status == ConversationStatus.ENDED and chat.state.step == Step.NONE, chat
    assert not Appointment.objects.exists()
