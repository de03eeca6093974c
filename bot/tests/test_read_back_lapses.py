# ruff: noqa: F811
"""A held read-back is answered only by the patient's next words after it: once anything
else was said to the patient (a silence prompt on a call, a transfer, the help text), a
"sí" answers that, and writes nothing (bot.engine: the yes is read only after a brain's
answer). Through the signed webhooks, asserting on the database and the typed state."""

import pytest

from appointments.models import Appointment
from bot.state import Step
from bot.tests import fake_openai as fake
from bot.tests.test_read_back import prompt_state, say, state  # noqa: F401 (say: a signed message from PHONE)
from bot.tests.test_voice import Call

BOOKING = ["Quiero un turno de cardiología el miércoles a las 10", "Ana Gómez", "30999111"]


@pytest.fixture(autouse=True)
def clinic(demo_clinic, tuesday, twilio_settings):
    return demo_clinic


def test_a_yes_after_the_silence_prompt_of_a_call_books_nothing(client):
    call = Call(client)
    call.start()
    for words in [
        "quiero un turno de cardiologia el miercoles a las diez",
        "ana gomez",
        "treinta millones novecientos noventa y nueve mil ciento once",
    ]:
        call.say(words)
    assert call.conversation.load_state().step == Step.CONFIRM_BOOKING

    call.silence()  # "No pude escucharlo, ¿podría repetir?"
    call.say("si")

    assert not Appointment.objects.exists()
    assert call.conversation.load_state().step == Step.CONFIRM_BOOKING  # read back again

    call.say("si")
    assert Appointment.objects.count() == 1


def test_a_yes_after_the_help_text_books_nothing(say):
    for text in BOOKING:
        say(text)
    assert state().step == Step.CONFIRM_BOOKING

    say("/ayuda")
    say("sí")

    assert not Appointment.objects.exists()


def test_a_yes_after_a_transfer_the_model_asked_for_books_nothing(say, scripted_model):
    def book_first(body):
        slot_id = fake.tool_results(body)[-1]["slots"][0]["slot_id"]
        arguments = {"slot_id": slot_id, "full_name": "Ana Gómez", "document_number": "30999111"}
        return fake.tool_calls(fake.call("book_appointment", arguments))

    def book_held(body):
        held = prompt_state(body)
        arguments = {"slot_id": held.get("selected_slot_id"), "full_name": "Ana Gómez", "document_number": "30999111"}
        return fake.tool_calls(fake.call("book_appointment", arguments))

    scripted_model.script(
        fake.tool_calls(fake.call("find_available_slots", {"specialty": "cardiología"})),
        book_first,
        fake.tool_calls(fake.call("transfer_to_human", {"reason": "quiere hablar con alguien"})),
        book_held,
    )
    say("Turno de cardiología, el primero. Ana Gómez, 30999111")
    say("Prefiero hablar con una persona")

    say("sí")

    assert not Appointment.objects.exists()
