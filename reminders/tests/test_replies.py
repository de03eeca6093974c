"""Patients answering the clinic's reminders and waitlist offers on WhatsApp, through the
signed webhook: buttons and their own words, on exactly the turno the message was about."""

import pytest

from appointments.models import AppointmentStatus
from bot.models import Conversation
from bot.state import Flow
from bot.tests.conftest import twilio_settings  # noqa: F401 (the webhooks' settings fixture)
from bot.tests.twilio_helpers import message_sid, messages, post_signed, twiml, whatsapp_params
from clinic.models import Specialty
from reminders.models import MessageKind, MessageStatus, OfferStatus, OutboundMessage, WaitlistOffer
from reminders.sending import send_due_messages
from reminders.services import join_waitlist
from reminders.tests.conftest import PATIENT_PHONE, at, book, make_patient, reminders_of

pytestmark = pytest.mark.usefixtures("twilio_settings", "clock")


@pytest.fixture
def reminded(demo_clinic, twilio, clock):
    """Two turnos of one patient, both reminded 72 h ahead (Friday 13:30 and 15:00)."""
    patient = make_patient()
    first, second = book(patient, at(4, 13, 30)), book(patient, at(4, 15))
    clock.move_to(at(1, 15))
    assert send_due_messages().sent == 2
    return first, second


def post(client, params: dict):
    # Twilio signs the public URL the clinic configured (the `twilio` fixture sets one).
    return post_signed(client, "/webhook/whatsapp", params, signed_url="https://clinica.example.com/webhook/whatsapp")


def reply(client, text: str, **extra):
    return messages(twiml(post(client, whatsapp_params(text, phone=PATIENT_PHONE, **extra))))


def reminder_sid(appointment) -> str:
    return reminders_of(appointment).get(hours_before=72).message_sid


def test_the_confirm_button_confirms_exactly_the_turno_it_was_sent_for(client, reminded):
    first, second = reminded

    answer = reply(client, "Confirmo", ButtonPayload="confirm", OriginalRepliedMessageSid=reminder_sid(first))

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (AppointmentStatus.CONFIRMED, AppointmentStatus.BOOKED)
    assert "confirmado" in answer[0].lower()
    row = reminders_of(first).get(hours_before=72)
    assert (row.status, row.answer) == (MessageStatus.ANSWERED, "confirm")


def test_cannot_go_releases_the_slot_to_the_first_waitlisted_patient(
    client, reminded, django_capture_on_commit_callbacks
):
    first, second = reminded
    cardio = Specialty.objects.get(name="Cardiología")
    waiting = make_patient("40001111", "+5491166600001", "Marta Ruiz")
    join_waitlist(clinic=first.specialty.clinic, patient=waiting, phone=waiting.phone, specialty=cardio)

    with django_capture_on_commit_callbacks(execute=True):
        reply(client, "No voy a poder ir", OriginalRepliedMessageSid=reminder_sid(second))

    second.refresh_from_db()
    assert second.status == AppointmentStatus.CANCELLED
    offer = WaitlistOffer.objects.get()
    assert (offer.entry.patient, offer.start_at, offer.doctor) == (waiting, at(4, 15), second.doctor)
    assert OutboundMessage.objects.filter(kind=MessageKind.WAITLIST_OFFER, to_number=waiting.phone).exists()

    send_due_messages()  # the offer goes out; Marta says yes
    post(client, whatsapp_params("Sí, lo quiero", phone=waiting.phone, sid=message_sid()))

    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert offer.appointment.patient == waiting and offer.appointment.start_at == at(4, 15)


def test_change_it_to_thursday_goes_into_the_reschedule_flow(client, reminded):
    first, _second = reminded

    reply(client, "cambialo para el jueves", OriginalRepliedMessageSid=reminder_sid(first))

    conversation = Conversation.objects.get(participant=PATIENT_PHONE)
    state = conversation.load_state()
    assert state.flow == Flow.RESCHEDULE and state.target.appointment_id == first.pk
    offered = state.booking.offered_slots
    assert offered and all(slot.slot_id for slot in offered)
    first.refresh_from_db()
    assert first.status == AppointmentStatus.BOOKED  # nothing moves before the patient picks a time


def test_a_yes_to_the_assistants_own_question_is_not_a_confirmation(client, reminded):
    first, second = reminded
    reply(client, "Hola, quiero un turno para pediatría")  # the assistant now asked something itself

    reply(client, "sí")

    first.refresh_from_db()
    second.refresh_from_db()
    assert {first.status, second.status} == {AppointmentStatus.BOOKED}


def test_a_malformed_replied_sid_is_ignored_not_an_error(client, reminded):
    _first, second = reminded

    response = post(
        client,
        whatsapp_params(
            "Confirmo", phone=PATIENT_PHONE, OriginalRepliedMessageSid="SM<script>", ButtonPayload="x" * 500
        ),
    )

    assert response.status_code == 200
    second.refresh_from_db()
    assert second.status == AppointmentStatus.CONFIRMED  # the newest reminder sent to this number
