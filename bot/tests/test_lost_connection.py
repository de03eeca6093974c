"""A booking that committed is always told. The database connection is killed (PostgreSQL's
pg_terminate_backend, from another connection) right after the turno's transaction
commits, before the turn can store its answer: the patient hears "problema técnico", and
then Twilio's retry, or the patient's next message (even starting over), confirms that very
turno instead of offering a second one. Through the signed WhatsApp webhook."""

import psycopg
import pytest
import time_machine
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.test import Client

from appointments.models import Appointment
from bot import responses
from bot.models import Conversation, ConversationOutcome, ProcessedWebhook, TurnLease
from bot.tests.test_turn_races import book_up_to_the_read_back
from bot.tests.twilio_helpers import WHATSAPP_PATIENT, messages, post_signed, twiml, whatsapp_params

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="kills a PostgreSQL backend"),
    pytest.mark.usefixtures("twilio_settings"),
]

PATH = "/webhook/whatsapp"


@pytest.fixture(autouse=True)
def clinic_clock():
    with time_machine.travel("2026-12-01 10:00 -03:00", tick=True):
        yield


def _terminate(pid: int) -> None:
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname=settings["NAME"]
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def kill_after_booking():
    """The next turno saved: once its transaction commits, the connection that wrote it dies."""

    def on_booked(sender, instance, created, **kwargs):
        if created:
            pid = connection.connection.info.backend_pid
            transaction.on_commit(lambda: _terminate(pid))
            post_save.disconnect(on_booked, sender=Appointment)

    post_save.connect(on_booked, sender=Appointment)
    yield
    post_save.disconnect(on_booked, sender=Appointment)


def reply_to(client, params: dict) -> str:
    return "\n".join(messages(twiml(post_signed(client, PATH, params))))


def assert_booked_and_known(appointment: Appointment) -> None:
    conversation = Conversation.objects.get(channel="whatsapp", participant=WHATSAPP_PATIENT, status="active")
    assert appointment.conversation_id == conversation.pk
    assert conversation.outcome == ConversationOutcome.BOOKED
    assert conversation.patient_id == appointment.patient_id
    state = conversation.load_state()
    assert state.patient.last_booked_appointment_id == appointment.pk
    assert not state.booking.offered_slots


@pytest.mark.parametrize("then", ["twilio_retry", "starting_over"])
def test_a_booking_committed_just_before_the_connection_dies_is_confirmed_next(
    demo_clinic_tx, kill_after_booking, then
):
    client = Client(raise_request_exception=False)
    book_up_to_the_read_back(client, WHATSAPP_PATIENT, document="30111222")
    confirm = whatsapp_params("Sí, confirmo")

    assert reply_to(client, confirm) == responses.CHAT_APOLOGY
    appointment = Appointment.objects.get()  # committed, though the patient was not told
    # Nothing is left holding the conversation or the delivery for the retry.
    assert not ProcessedWebhook.objects.filter(key=f"wa:{confirm['MessageSid']}").exists()
    assert not TurnLease.objects.exclude(holder="").exists()

    if then == "twilio_retry":
        reply = reply_to(client, confirm)
    else:
        reply = reply_to(client, whatsapp_params("Quiero sacar un turno para cardiología"))

    assert Appointment.objects.count() == 1
    assert "confirmad" in reply.lower() or "reservado" in reply.lower(), reply
    assert appointment.doctor.last_name in reply
    assert_booked_and_known(appointment)
    # Told once: the next message goes on normally and does not repeat it.
    follow_up = reply_to(client, whatsapp_params("¿Trabajan con OSDE?"))
    assert "OSDE" in follow_up and appointment.doctor.last_name not in follow_up
    assert Appointment.objects.count() == 1
