"""One dialogue flow for both brains: the steps' allowed tools and read-backs, tool results
advancing the typed state, and a booking started by one brain finished by the other,
checked on the typed state and the database."""

import datetime as dt
import json

import pytest
import time_machine

from appointments.models import Appointment
from bot import engine, flow, nlu
from bot.models import Conversation
from bot.state import ConversationState, Flow, OfferedSlot, Step
from bot.tests import fake_openai as fake
from bot.tests.conftest import TUESDAY_9AM

PHONE = "+5491155550777"


def test_every_step_has_a_spec_and_only_booking_steps_may_book():
    assert set(flow.STEPS) == set(Step)
    assert {Step.SLOT, Step.NAME, Step.DOCUMENT, Step.CONFIRM_BOOKING} == flow.BOOKING_STEPS
    for step, spec in flow.STEPS.items():
        assert spec.tools >= flow.INFO_TOOLS, step  # questions and a transfer are always possible


def test_the_read_backs_are_the_confirm_steps():
    confirming = {step for step, spec in flow.STEPS.items() if spec.confirms}
    assert confirming == {Step.CONFIRM_BOOKING, Step.CONFIRM_CANCEL, Step.CONFIRM_RESCHEDULE}


def test_booking_without_offered_slots_is_refused_back_to_the_model():
    state = ConversationState()
    refusal = flow.refusal(state, "book_appointment")
    assert refusal and refusal["ok"] is False and refusal["code"] == "not_allowed_now"
    assert flow.refusal(state, "find_available_slots") is None
    slot = OfferedSlot(slot_id="1-1", doctor_id=1, specialty_id=1, start=dt.datetime(2026, 12, 2, 13, tzinfo=dt.UTC))
    state.offer([slot], specialty_id=1)
    assert flow.refusal(state, "book_appointment") is None  # offered slots open the booking tool


def test_tool_results_advance_the_flow():
    state = ConversationState()
    slot = OfferedSlot(slot_id="1-1", doctor_id=1, specialty_id=1, start=dt.datetime(2026, 12, 2, 13, tzinfo=dt.UTC))
    state.offer([slot], specialty_id=1)
    flow.after_tool(state, "find_available_slots", {"ok": True})
    assert (state.flow, state.step) == (Flow.BOOK, Step.SLOT)
    flow.after_tool(state, "book_appointment", {"ok": False})
    assert state.step == Step.SLOT  # a refusal moves nothing
    flow.after_tool(state, "book_appointment", {"ok": True})
    assert (state.flow, state.step) == (Flow.NONE, Step.ANYTHING_ELSE)
    state.start(Flow.RESCHEDULE)
    flow.after_tool(state, "find_available_slots", {"ok": True})
    assert (state.flow, state.step) == (Flow.RESCHEDULE, Step.NEW_TIME)


@pytest.fixture
def model(scripted_model):
    return scripted_model


@pytest.fixture
def conversation(demo_clinic):
    with time_machine.travel(TUESDAY_9AM, tick=False):
        yield Conversation.objects.create(clinic=demo_clinic, channel="whatsapp", participant=PHONE)


def test_a_booking_the_offline_brain_started_is_booked_by_the_model(conversation, model, settings):
    settings.BOT_BRAIN = "rules"
    engine.reply(conversation, "quiero un turno de cardiologia")
    state = conversation.load_state()
    assert (state.flow, state.step) == (Flow.BOOK, Step.SLOT) and state.booking.offered_slots
    chosen = state.booking.offered_slots[0]

    settings.BOT_BRAIN = "openai"

    def book_first_offered(body):
        assert "book_appointment" in {tool["function"]["name"] for tool in body["tools"]}
        offered = list(json.loads(body["messages"][0]["content"].rsplit("State:", 1)[1])["offered_slots"])
        return fake.tool_calls(
            fake.call(
                "book_appointment", {"slot_id": offered[0], "full_name": "Lía Sosa", "document_number": "30111222"}
            )
        )

    model.script(book_first_offered, book_first_offered)
    engine.reply(conversation, "el primero, Lía Sosa 30111222, confirmo")
    assert not Appointment.objects.exists()  # held for the read-back
    assert conversation.load_state().step == Step.CONFIRM_BOOKING
    reply = engine.reply(conversation, "sí")

    assert reply.brain == "openai"
    appointment = Appointment.objects.get(conversation=conversation)
    assert (appointment.doctor_id, appointment.start_at) == (chosen.doctor_id, chosen.start)
    state = conversation.load_state()
    assert state.step == Step.ANYTHING_ELSE and state.patient.last_booked_appointment_id == appointment.pk


def test_a_booking_the_model_started_is_finished_by_the_offline_brain(conversation, model, settings):
    settings.BOT_BRAIN = "openai"
    model.script(
        fake.tool_calls(fake.call("find_available_slots", {"specialty": "cardiología", "date": "2026-12-03"})),
        fake.text("Tengo el jueves 3. ¿Cuál prefiere?"),
    )
    engine.reply(conversation, "turno de cardiología para el jueves")
    state = conversation.load_state()
    assert (state.flow, state.step) == (Flow.BOOK, Step.SLOT)
    second = state.booking.offered_slots[1]

    settings.BOT_BRAIN = "rules"
    engine.reply(conversation, "el segundo")
    assert conversation.load_state().step == Step.NAME
    engine.reply(conversation, "Lía Sosa")
    engine.reply(conversation, "30111222")
    assert conversation.load_state().step == Step.CONFIRM_BOOKING  # the read-back before booking
    assert not Appointment.objects.exists()
    engine.reply(conversation, "sí")

    appointment = Appointment.objects.get(conversation=conversation)
    assert (appointment.doctor_id, appointment.start_at) == (second.doctor_id, second.start)
    assert appointment.patient.document_number == "30111222"
    assert conversation.load_state().step == Step.ANYTHING_ELSE


def test_a_tool_the_step_does_not_allow_is_neither_offered_nor_run(conversation, model, settings):
    """At the first message no slot has been offered: book_appointment is not among the tools
    sent to the model, and when the model calls it anyway (a made-up slot_id) the call is
    refused back to it as a tool result; nothing is booked and the step does not move."""
    settings.BOT_BRAIN = "openai"
    made_up = {"slot_id": "1-202612021300", "full_name": "Lía Sosa", "document_number": "30111222"}
    model.script(
        fake.tool_calls(fake.call("book_appointment", made_up)),
        fake.text("Primero le busco horarios libres. ¿Para qué especialidad?"),
    )
    reply = engine.reply(conversation, "reservame el turno de las 10 a nombre de Lía Sosa 30111222")

    first, second = model.requests
    assert "book_appointment" not in {tool["function"]["name"] for tool in first["tools"]}
    assert {tool["function"]["name"] for tool in first["tools"]} == flow.STEPS[Step.NONE].tools
    refused = fake.tool_results(second)[-1]
    assert refused["ok"] is False and refused["code"] == "not_allowed_now"
    assert reply.brain == "openai"
    assert not Appointment.objects.exists()
    tool_row = conversation.messages.get(role="tool")
    assert (tool_row.tool_name, tool_row.tool_result["code"]) == ("book_appointment", "not_allowed_now")
    assert conversation.load_state().step == Step.NONE


# --- what a yes says yes to (bot.flow.yes_to_write, bot/nlu for the model's own read-back) ---

SATURDAY_EVENING = dt.datetime(2026, 12, 5, 19, 30, tzinfo=TUESDAY_9AM.tzinfo)
ANA = flow.Write.booking(slot_id="1-x", full_name="Ana Gómez", document_number="30.999.111")


@pytest.mark.parametrize(
    ("now", "start"),
    [
        pytest.param(TUESDAY_9AM, dt.datetime(2026, 12, 3, 10, 30, tzinfo=TUESDAY_9AM.tzinfo), id="weekday"),
        pytest.param(SATURDAY_EVENING, dt.datetime(2026, 12, 7, 10, 30, tzinfo=TUESDAY_9AM.tzinfo), id="weekend"),
    ],
)
@pytest.mark.parametrize(
    ("answer", "is_yes"),
    [
        ("sí", True),
        ("Dale, confirmo", True),
        ("sí, a las 10:30", True),
        ("Sí, soy Ana Gomez, 30999111", True),
        ("Sí, pero a las 11", False),
        ("sí, mejor otro día", False),
        ("sí, DNI 30999112", False),
        ("sí, a nombre de Juan Pérez", False),
        ("no", False),
        ("¿Dónde queda?", False),
    ],
)
def test_a_yes_to_a_write_asks_for_nothing_else(now, start, answer, is_yes):
    with time_machine.travel(now, tick=False):
        assert flow.yes_to_write(answer, ANA, start=start, now=now) is is_yes


@pytest.mark.parametrize(
    ("now", "said", "slots"),
    [
        pytest.param(TUESDAY_9AM, "el jueves 3 a las 10:30", {(dt.date(2026, 12, 3), dt.time(10, 30))}, id="weekday"),
        pytest.param(
            SATURDAY_EVENING, "el lunes 7 a las 10:30", {(dt.date(2026, 12, 7), dt.time(10, 30))}, id="weekend"
        ),
        pytest.param(
            TUESDAY_9AM,
            "su turno del miércoles 2 de diciembre a las 16:00 para el jueves 3 a las 9 y media",
            {(dt.date(2026, 12, 2), dt.time(16)), (dt.date(2026, 12, 3), dt.time(9, 30))},
            id="a-move",
        ),
        pytest.param(TUESDAY_9AM, "a las 10:00 del viernes 4", {(dt.date(2026, 12, 4), dt.time(10))}, id="day-after"),
        pytest.param(
            TUESDAY_9AM, "mañana a las 10 o a las 11", {(dt.date(2026, 12, 2), dt.time(10)), (None, dt.time(11))}
        ),
    ],
)
def test_every_time_a_read_back_names_is_read_with_its_day(now, said, slots):
    assert {(when.date, when.time) for when in nlu.extract_date_times(said, now=now)} == slots


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("¿Confirmo el turno con Pediatría el jueves 3 a las 10:30 a nombre de Ana Pérez, DNI 30.999.111?", "book"),
        (
            "Le repito: Pediatría con la Dra. López, jueves 3 a las 10:30, Ana Pérez, DNI 30999111. ¿Es correcto?",
            "book",
        ),
        ("¿Cancelo su turno de Cardiología del miércoles 2 a las 16:00?", "cancel"),
        ("¿Le paso el turno del miércoles a las 16 al jueves a las 10?", "reschedule"),
        ("Tengo el jueves 3 a las 10:30 con Pediatría. ¿Tiene obra social?", None),
        ("¿Lo reservo? ¿O prefiere otro día?", None),
        ("¿Confirmo el turno del jueves? Avíseme si necesita cambiarlo.", None),
    ],
)
def test_the_question_a_read_back_asks(message, kind):
    assert nlu.read_back_question(message) == kind
