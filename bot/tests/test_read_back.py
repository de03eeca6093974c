"""A booking, cancellation or move happens only on the patient's yes to its read-back
(bot/flow.py `Write`), whatever the model calls: the OpenAI brain against the scripted local
server, through the signed WhatsApp webhook, asserting on the database and the typed state.

The clock is frozen on Tuesday 2026-12-01 09:00 in Buenos Aires; the number owns two turnos."""

import datetime as dt
import json

import pytest

from appointments import services as appointment_services
from appointments.models import Appointment, AppointmentStatus, Patient
from bot.models import Conversation, Message, MessageRole
from bot.state import ConversationState, Step
from bot.tests import fake_openai as fake
from bot.tests.conftest import TUESDAY_9AM
from bot.tests.twilio_helpers import messages, post_signed, twiml, whatsapp_params
from clinic.models import Doctor, Specialty

PHONE = "+5491155550001"


@pytest.fixture
def turnos(demo_clinic, tuesday):
    """Cardiología on Wednesday 16:00 and dermatología on Thursday 9:00, booked from PHONE."""
    patient = Patient.objects.create(full_name="Juan Pérez", document_number="12345678", phone=PHONE)
    return [
        appointment_services.book_appointment(
            patient=patient,
            doctor=Doctor.objects.get(clinic=demo_clinic, last_name=last_name),
            specialty=Specialty.objects.get(clinic=demo_clinic, name=specialty),
            start=start,
            booked_by_number=PHONE,
            booked_as_name="Juan Pérez",
        )
        for last_name, specialty, start in [
            ("Gutiérrez", "Cardiología", dt.datetime(2026, 12, 2, 16, 0, tzinfo=TUESDAY_9AM.tzinfo)),
            ("Castro", "Dermatología", dt.datetime(2026, 12, 3, 9, 0, tzinfo=TUESDAY_9AM.tzinfo)),
        ]
    ]


@pytest.fixture
def say(client, tuesday, twilio_settings):
    """A patient's WhatsApp message through the signed webhook; returns what they read."""

    def send(text: str) -> str:
        tuesday.shift(dt.timedelta(seconds=10))
        response = post_signed(client, "/webhook/whatsapp", whatsapp_params(text, phone=PHONE))
        return "\n".join(messages(twiml(response)))

    return send


def state() -> ConversationState:
    return Conversation.objects.get(participant=PHONE).load_state()


def status(appointment: Appointment) -> str:
    appointment.refresh_from_db()
    return appointment.status


def tool_codes(name: str) -> list:
    rows = Message.objects.filter(role=MessageRole.TOOL, tool_name=name).order_by("id")
    return [row.tool_result.get("code") for row in rows]


def cancel(appointment: Appointment) -> dict:
    return fake.tool_calls(fake.call("cancel_appointment", {"appointment_id": appointment.pk}))


def prompt_state(body: dict) -> dict:
    return json.loads(body["messages"][0]["content"].rsplit("State:", 1)[1])


def test_a_premature_cancel_is_read_back_and_done_only_after_the_yes(say, scripted_model, turnos):
    cardiology, dermatology = turnos
    scripted_model.script(cancel(cardiology), cancel(cardiology))

    read_back = say("Cancelame el turno de cardiología")

    assert status(cardiology) == AppointmentStatus.BOOKED
    held = state()
    assert (held.step, held.target.appointment_id) == (Step.CONFIRM_CANCEL, cardiology.pk)
    assert "¿Confirma que cancelo su turno de Cardiología" in read_back

    say("Sí")

    assert status(cardiology) == AppointmentStatus.CANCELLED
    assert status(dermatology) == AppointmentStatus.BOOKED
    assert state().step == Step.ANYTHING_ELSE
    assert tool_codes("cancel_appointment") == ["confirm_first", None]


def test_a_no_to_the_read_back_cancels_nothing(say, scripted_model, turnos):
    cardiology, _ = turnos
    scripted_model.script(cancel(cardiology), cancel(cardiology))
    say("Quiero cancelar el turno del miércoles")

    say("No, mejor no")

    assert status(cardiology) == AppointmentStatus.BOOKED
    assert tool_codes("cancel_appointment") == ["confirm_first", "confirm_first"]


def test_after_the_yes_another_turno_or_a_second_cancel_is_refused(say, scripted_model, turnos):
    cardiology, dermatology = turnos
    scripted_model.script(
        cancel(cardiology),
        # The yes: the model cancels the other turno, then the right one, then the other again.
        fake.tool_calls(
            fake.call("cancel_appointment", {"appointment_id": dermatology.pk}),
            fake.call("cancel_appointment", {"appointment_id": cardiology.pk}),
            fake.call("cancel_appointment", {"appointment_id": dermatology.pk}),
        ),
    )
    say("Cancelá el de cardiología")

    say("dale, sí")

    assert status(cardiology) == AppointmentStatus.CANCELLED
    assert status(dermatology) == AppointmentStatus.BOOKED
    assert tool_codes("cancel_appointment") == ["confirm_first", "not_read_back", None, "one_write_per_turn"]


def test_a_move_waits_for_the_yes_to_its_read_back(say, scripted_model, turnos):
    cardiology, _ = turnos
    wednesday_10 = dt.datetime(2026, 12, 2, 10, 0, tzinfo=TUESDAY_9AM.tzinfo)

    def move_to_ten(body):
        slot_id = next(s["slot_id"] for s in fake.tool_results(body)[-1]["slots"] if s["time"] == "10:00")
        return fake.tool_calls(
            fake.call("reschedule_appointment", {"appointment_id": cardiology.pk, "slot_id": slot_id})
        )

    def move_held(body):
        held = prompt_state(body)
        return fake.tool_calls(
            fake.call(
                "reschedule_appointment",
                {"appointment_id": held["target_appointment_id"], "slot_id": held["selected_slot_id"]},
            )
        )

    scripted_model.script(
        fake.tool_calls(
            fake.call("find_available_slots", {"specialty": "cardiología", "date": "2026-12-02", "time": "10:00"})
        ),
        move_to_ten,
        move_held,
    )
    say("Pasame el turno de cardiología al miércoles a las 10")

    before = cardiology.start_at
    cardiology.refresh_from_db()
    assert (cardiology.status, cardiology.start_at) == (AppointmentStatus.BOOKED, before)
    assert state().step == Step.CONFIRM_RESCHEDULE

    say("Sí, confirmo")

    moved = Appointment.objects.get(rescheduled_from=cardiology)
    assert moved.start_at == wednesday_10 and moved.status == AppointmentStatus.BOOKED


def test_a_booking_needs_the_yes_to_name_dni_and_slot_read_back(say, scripted_model, demo_clinic):
    def book_first(body, dni="30999111"):
        slot = fake.tool_results(body)[-1]["slots"][0] if fake.tool_results(body) else None
        slot_id = slot["slot_id"] if slot else prompt_state(body)["selected_slot_id"]
        return fake.tool_calls(
            fake.call("book_appointment", {"slot_id": slot_id, "full_name": "Ana Gómez", "document_number": dni})
        )

    scripted_model.script(
        fake.tool_calls(fake.call("find_available_slots", {"specialty": "cardiología"})),
        book_first,
        # A yes that corrects the DNI is no yes: the model's call with the new DNI is read back.
        lambda body: book_first(body, dni="30999112"),
        book_first,  # and on the yes to that, a call with the old DNI is refused
        fake.text("Disculpe: ¿confirma el turno con el DNI 30999112?"),
        lambda body: book_first(body, dni="30999112"),
        lambda body: book_first(body, dni="30999112"),
    )
    read_back = say("Turno de cardiología, el primero. Ana Gómez, 30999111, sí")
    assert not Appointment.objects.exists()
    held = state()
    assert held.step == Step.CONFIRM_BOOKING
    assert (held.booking.patient_name, held.booking.document_number) == ("Ana Gómez", "30999111")
    assert "Ana Gómez" in read_back and "30999111" in read_back

    say("Sí, pero el DNI es 30999112")
    assert not Appointment.objects.exists()
    assert state().booking.document_number == "30999112"

    say("sí")
    assert not Appointment.objects.exists()
    assert tool_codes("book_appointment") == ["confirm_first", "confirm_first", "not_read_back"]

    # The model asked again in its own words: the held read-back lapsed, a yes to those
    # words confirms nothing, and the model's call reads back again.
    assert state().step == Step.SLOT
    say("Sí, confirmo")
    assert not Appointment.objects.exists()
    assert state().step == Step.CONFIRM_BOOKING

    say("sí")
    booked = Appointment.objects.get()
    assert (booked.patient.full_name, booked.patient.document_number) == ("Ana Gómez", "30999112")
    assert state().step == Step.ANYTHING_ELSE


def test_the_offline_brain_answers_the_yes_to_a_read_back_the_model_held(say, scripted_model, turnos, twilio_settings):
    cardiology, _ = turnos
    scripted_model.script(cancel(cardiology))
    say("Cancelame el turno de cardiología")
    assert status(cardiology) == AppointmentStatus.BOOKED

    twilio_settings.BOT_BRAIN = "rules"
    say("sí")

    assert status(cardiology) == AppointmentStatus.CANCELLED


def test_the_offline_brain_books_nothing_on_a_yes_that_changes_the_time(say, demo_clinic):
    for text in ["Quiero un turno de cardiología el miércoles a las 10", "Ana Gómez", "30999111"]:
        say(text)
    assert state().step == Step.CONFIRM_BOOKING

    say("Sí, pero a las 11")

    assert not Appointment.objects.exists()
    held = state()
    assert held.step == Step.CONFIRM_BOOKING
    assert held.selected_slot.start == dt.datetime(2026, 12, 2, 11, 0, tzinfo=TUESDAY_9AM.tzinfo)

    say("sí")

    booked = Appointment.objects.get()
    assert booked.start_at == dt.datetime(2026, 12, 2, 11, 0, tzinfo=TUESDAY_9AM.tzinfo)
    assert state().step == Step.ANYTHING_ELSE


def test_a_yes_that_changes_the_time_does_not_confirm_the_held_booking(say, scripted_model, demo_clinic):
    def book_held(body):
        held = prompt_state(body)
        arguments = {"slot_id": held["selected_slot_id"], "full_name": "Ana Gómez", "document_number": "30999111"}
        return fake.tool_calls(fake.call("book_appointment", arguments))

    def book_first(body):
        slot_id = fake.tool_results(body)[-1]["slots"][0]["slot_id"]
        arguments = {"slot_id": slot_id, "full_name": "Ana Gómez", "document_number": "30999111"}
        return fake.tool_calls(fake.call("book_appointment", arguments))

    scripted_model.script(
        fake.tool_calls(fake.call("find_available_slots", {"specialty": "cardiología"})), book_first, book_held
    )
    say("Turno de cardiología, el primero. Ana Gómez, 30999111")
    assert state().step == Step.CONFIRM_BOOKING

    say("Sí, pero a las 11")  # and the model books the slot read back all the same

    assert not Appointment.objects.exists()
    assert tool_codes("book_appointment") == ["confirm_first", "confirm_first"]


def test_a_yes_the_model_answers_in_words_still_makes_the_write_read_back(say, scripted_model, turnos):
    cardiology, dermatology = turnos
    scripted_model.script(cancel(cardiology), fake.text("Sí, hay estacionamiento en la esquina."))
    say("Cancelame el turno de cardiología")

    say("Sí, ¿hay estacionamiento?")  # the model answers the question and forgets the cancellation

    assert status(cardiology) == AppointmentStatus.CANCELLED
    assert status(dermatology) == AppointmentStatus.BOOKED
    assert tool_codes("cancel_appointment") == ["confirm_first", None]
    assert state().step == Step.ANYTHING_ELSE


def test_a_booking_the_model_did_not_make_after_the_yes_is_made_once(say, scripted_model, demo_clinic):
    def book_first(body):
        slot_id = fake.tool_results(body)[-1]["slots"][0]["slot_id"]
        arguments = {"slot_id": slot_id, "full_name": "Ana Gómez", "document_number": "30999111"}
        return fake.tool_calls(fake.call("book_appointment", arguments))

    scripted_model.script(
        fake.tool_calls(fake.call("find_available_slots", {"specialty": "cardiología"})),
        book_first,
        fake.text("¡Perfecto!"),
    )
    say("Turno de cardiología, el primero. Ana Gómez, 30999111")

    say("sí")

    booked = Appointment.objects.get()
    assert (booked.patient.full_name, booked.patient.document_number) == ("Ana Gómez", "30999111")
    assert tool_codes("book_appointment") == ["confirm_first", None]
    assert state().patient.last_booked_appointment_id == booked.pk


@pytest.mark.parametrize("brain", ["openai", "rules"])
def test_a_yes_naming_another_turno_cancels_nothing(say, scripted_model, turnos, twilio_settings, brain):
    cardiology, dermatology = turnos
    scripted_model.script(cancel(cardiology), cancel(cardiology))
    say("Cancelame el turno de cardiología")
    twilio_settings.BOT_BRAIN = brain

    say("Sí, el de dermatología")

    assert status(cardiology) == status(dermatology) == AppointmentStatus.BOOKED
    assert state().step == Step.CONFIRM_CANCEL

    say("sí")
    assert status(cardiology) == AppointmentStatus.CANCELLED
    assert status(dermatology) == AppointmentStatus.BOOKED
