# ruff: noqa: F811
"""One yes is enough when the model reads a write back in its own words and calls the tool
only after the patient's "sí" (bot/tools/confirmation.py `_read_back_in_own_words`), and only then: the
OpenAI brain against the scripted local server, through the signed WhatsApp webhook,
asserting on the database and the typed state.

The clock is frozen on Tuesday 2026-12-01 09:00 in Buenos Aires. In the demo clinic,
Wednesday's cardiología is Dr. Martín Gutiérrez."""

import datetime as dt

import pytest

from appointments.models import Appointment, AppointmentStatus
from bot.state import Step
from bot.tests import fake_openai as fake
from bot.tests.conftest import TUESDAY_9AM

# The fixtures and helpers of the tool-held read-backs: `say` (a signed WhatsApp message from
# PHONE) and `turnos` (PHONE's two turnos), used as fixture arguments (hence F811).
from bot.tests.test_read_back import cancel, prompt_state, say, state, status, tool_codes, turnos  # noqa: F401

WEDNESDAY_10 = dt.datetime(2026, 12, 2, 10, 0, tzinfo=TUESDAY_9AM.tzinfo)
ASKED = "Turno de cardiología el miércoles a las 10. Soy Ana Gómez, DNI 30999111"
READ_BACK = "¿Confirmo el turno de Cardiología con el Dr. Gutiérrez el miércoles 2 a las 10:00 a nombre de Ana Gómez, DNI 30.999.111?"


@pytest.fixture(autouse=True)
def clinic(demo_clinic):
    return demo_clinic


def find_wednesday_10() -> dict:
    return fake.tool_calls(
        fake.call("find_available_slots", {"specialty": "cardiología", "date": "2026-12-02", "time": "10:00"})
    )


def slot_at(body: dict, hhmm: str) -> str:
    """The slot_id of Wednesday's `hhmm` in the offered slots the brain put in the prompt."""
    return next(slot_id for slot_id, when in prompt_state(body)["offered_slots"].items() if when == f"mié 2 {hhmm}")


def book(hhmm: str = "10:00", *, full_name: str = "Ana Gómez", dni: str = "30999111"):
    def answer(body: dict) -> dict:
        arguments = {"slot_id": slot_at(body, hhmm), "full_name": full_name, "document_number": dni}
        return fake.tool_calls(fake.call("book_appointment", arguments))

    return answer


def read_back_in_own_words(say, scripted_model, read_back: str = READ_BACK) -> None:
    """Turn 1: the model finds Wednesday 10:00 and reads the booking back itself."""
    scripted_model.script(find_wednesday_10(), fake.text(read_back))
    assert say(ASKED).endswith(read_back)
    assert not Appointment.objects.exists()
    assert state().step == Step.SLOT  # nothing held: the model asked in its own words


@pytest.mark.parametrize(
    "read_back",
    [
        pytest.param(READ_BACK, id="with-the-dni"),
        # The document the patient typed, not read back: the one the call must carry.
        pytest.param(
            "¿Confirmo el turno con Cardiología el miércoles 2 a las 10:00 a nombre de Ana Gómez?", id="name-only"
        ),
        pytest.param(
            "Le repito los datos: Cardiología, Dr. Martín Gutiérrez, mañana miércoles 2 de diciembre a las 10:00, "
            "paciente Ana Gómez, DNI 30.999.111. ¿Es correcto?",
            id="then-a-short-question",
        ),
    ],
)
def test_a_yes_to_the_models_own_read_back_books_at_once(say, scripted_model, read_back):
    read_back_in_own_words(say, scripted_model, read_back)
    scripted_model.script(book())

    reply = say("Sí, confirmo")

    booked = Appointment.objects.get()
    assert (booked.start_at, booked.status) == (WEDNESDAY_10, AppointmentStatus.BOOKED)
    assert (booked.patient.full_name, booked.patient.document_number) == ("Ana Gómez", "30999111")
    assert booked.doctor.last_name == "Gutiérrez"
    assert tool_codes("book_appointment") == [None], "no second read-back"
    after = state()
    assert after.step == Step.ANYTHING_ELSE
    assert after.patient.last_booked_appointment_id == booked.pk
    assert "confirmado" in reply
    assert scripted_model.pending == 0


@pytest.mark.parametrize(
    "called",
    [
        pytest.param(book("10:30"), id="another-time"),
        pytest.param(book(full_name="Ana Gomes"), id="another-name"),
        pytest.param(book(full_name="Ana María Gómez"), id="a-longer-name"),
        pytest.param(book(dni="30999112"), id="another-dni"),
    ],
)
@pytest.mark.parametrize(
    "read_back",
    [
        pytest.param(READ_BACK, id="read-back-with-the-dni"),
        pytest.param(
            "¿Confirmo el turno de Cardiología el miércoles 2 a las 10:00 a nombre de Ana Gómez?", id="name-only"
        ),
    ],
)
def test_a_call_that_differs_from_the_models_read_back_is_held(say, scripted_model, called, read_back):
    read_back_in_own_words(say, scripted_model, read_back)
    scripted_model.script(called)

    say("sí")

    assert not Appointment.objects.exists()
    assert tool_codes("book_appointment") == ["confirm_first"]
    assert state().step == Step.CONFIRM_BOOKING


@pytest.mark.parametrize(
    "read_back",
    [
        pytest.param(
            "Tengo el miércoles 2 a las 10:00 con el Dr. Gutiérrez para Ana Gómez, DNI 30999111. ¿Tiene obra social?",
            id="another-question",
        ),
        pytest.param(
            "¿Confirmo el turno de Cardiología el miércoles 2 a las 10:00 o a las 10:30, a nombre de Ana Gómez, "
            "DNI 30999111?",
            id="two-times",
        ),
        pytest.param(
            "¿Confirmo el turno de Pediatría el miércoles 2 a las 10:00 a nombre de Ana Gómez, DNI 30999111?",
            id="another-specialty",
        ),
        pytest.param(
            "¿Le sirve el miércoles 2 a las 10:00 con Cardiología para Ana Gómez, DNI 30999111? ¿O prefiere otro día?",
            id="two-questions",
        ),
    ],
)
def test_a_yes_to_a_message_that_is_not_exactly_the_read_back_is_held(say, scripted_model, read_back):
    read_back_in_own_words(say, scripted_model, read_back)
    scripted_model.script(book())

    say("sí")

    assert not Appointment.objects.exists()
    assert tool_codes("book_appointment") == ["confirm_first"]


@pytest.mark.parametrize("answer", ["Sí, pero a las 11", "sí, mejor con otro médico", "sí, DNI 30999112"])
def test_a_yes_that_asks_for_a_change_is_held(say, scripted_model, answer):
    read_back_in_own_words(say, scripted_model)
    scripted_model.script(book())

    say(answer)

    assert not Appointment.objects.exists()
    assert tool_codes("book_appointment") == ["confirm_first"]


def test_a_yes_after_a_message_in_between_is_held(say, scripted_model):
    read_back_in_own_words(say, scripted_model)
    scripted_model.script(fake.text("Estamos en Av. Rivadavia 1234. ¿Le confirmo entonces?"), book())
    say("¿Dónde quedan?")

    say("sí")

    assert not Appointment.objects.exists()
    assert tool_codes("book_appointment") == ["confirm_first"]


def test_a_cancel_read_back_in_the_models_words_takes_one_yes(say, scripted_model, turnos):
    cardiology, dermatology = turnos
    scripted_model.script(
        fake.text("¿Cancelo su turno de Cardiología del miércoles 2 a las 16:00?"), cancel(cardiology)
    )
    say("Quiero cancelar el turno de cardiología")
    assert status(cardiology) == AppointmentStatus.BOOKED

    say("sí")

    assert status(cardiology) == AppointmentStatus.CANCELLED
    assert status(dermatology) == AppointmentStatus.BOOKED
    assert tool_codes("cancel_appointment") == [None]
    assert state().step == Step.ANYTHING_ELSE


def test_a_cancel_of_another_turno_than_the_one_read_back_is_held(say, scripted_model, turnos):
    cardiology, dermatology = turnos
    scripted_model.script(
        fake.text("¿Cancelo su turno de Cardiología del miércoles 2 a las 16:00?"), cancel(dermatology)
    )
    say("Quiero cancelar un turno")

    say("sí")

    assert status(cardiology) == status(dermatology) == AppointmentStatus.BOOKED
    assert tool_codes("cancel_appointment") == ["confirm_first"]
    assert (state().step, state().target.appointment_id) == (Step.CONFIRM_CANCEL, dermatology.pk)


@pytest.mark.parametrize(("said", "moved"), [("10:00", True), ("10:30", False)])
def test_a_move_read_back_in_the_models_words_takes_one_yes_to_that_time(say, scripted_model, turnos, said, moved):
    cardiology, _ = turnos

    def move(body: dict) -> dict:
        arguments = {"appointment_id": cardiology.pk, "slot_id": slot_at(body, "10:00")}
        return fake.tool_calls(fake.call("reschedule_appointment", arguments))

    scripted_model.script(
        find_wednesday_10(),
        fake.text(f"¿Le paso su turno de Cardiología del miércoles 2 a las 16:00 al miércoles 2 a las {said}?"),
        move,
    )
    say("Pasame el turno de cardiología al miércoles a las 10")

    say("dale")

    cardiology.refresh_from_db()
    if moved:
        new = Appointment.objects.get(rescheduled_from=cardiology)
        assert (new.start_at, new.status) == (WEDNESDAY_10, AppointmentStatus.BOOKED)
        assert tool_codes("reschedule_appointment") == [None]
    else:
        assert cardiology.status == AppointmentStatus.BOOKED
        assert not Appointment.objects.filter(rescheduled_from=cardiology).exists()
        assert tool_codes("reschedule_appointment") == ["confirm_first"]


def test_the_offline_brain_answering_the_yes_books_nothing_without_its_read_back(say, scripted_model):
    read_back_in_own_words(say, scripted_model)
    scripted_model.script(fake.Status(500))

    say("sí")  # the model is down: the offline brain answers from the state (slots offered)

    assert not Appointment.objects.exists()
    assert tool_codes("book_appointment") == []
