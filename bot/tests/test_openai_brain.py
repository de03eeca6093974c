"""The OpenAI brain through the real `openai` SDK and real HTTP, against a scripted local
OpenAI-compatible server (bot/tests/fake_openai.py), always through `engine.reply`.

The clock is frozen on Tuesday 2026-12-01 09:00 in Buenos Aires (-03:00). In the demo
clinic, Wednesday's cardiología is Dr. Martín Gutiérrez, 08:00-12:00 and 14:00-18:00."""

import dataclasses
import datetime as dt
import json
import time

import pytest
import time_machine

from appointments import services as appointment_services
from appointments.models import Appointment, AppointmentStatus, Patient
from bot import engine
from bot.brains import openai_brain
from bot.models import Conversation, ConversationOutcome, Message, MessageRole
from bot.state import BookingSlots, ConversationState, Flow, OfferedSlot, Step
from bot.tests import fake_openai as fake
from bot.tools import TOOLS
from bot.types import ToolContext
from clinic.models import Doctor, Specialty

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
PHONE = "+5491155550001"
OTHER_PHONE = "+5491166660002"
WEDNESDAY_10 = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def server():
    with fake.FakeOpenAI() as running:
        yield running


@pytest.fixture
def openai_settings(settings, server):
    settings.OPENAI_API_KEY = "test"
    settings.OPENAI_BASE_URL = server.base_url
    settings.OPENAI_MODEL = "gpt-4o-mini"
    settings.OPENAI_TIMEOUT = 5
    settings.BOT_BRAIN = "openai"
    return settings


@pytest.fixture
def conversation(demo_clinic, frozen, openai_settings):
    return Conversation.objects.create(
        clinic=demo_clinic, channel="whatsapp", participant=PHONE, state=ConversationState(notice_given=True).dump()
    )


def system_prompt(body: dict) -> str:
    assert body["messages"][0]["role"] == "system"
    return body["messages"][0]["content"]


def prompt_state(body: dict) -> dict:
    return json.loads(system_prompt(body).rsplit("State:", 1)[1])


def book_the_read_back(body: dict) -> dict:
    """The model's answer to the patient's yes: book what the state holds as read back."""
    state = prompt_state(body)
    arguments = {
        "slot_id": state["selected_slot_id"],
        "full_name": state["patient_name"],
        "document_number": state["document_number"],
    }
    return fake.tool_calls(fake.call("book_appointment", arguments, call_id="call_book"))


def tool_rows(conversation) -> list[Message]:
    return list(conversation.messages.filter(role=MessageRole.TOOL).order_by("id"))


def last_assistant(conversation) -> Message:
    return conversation.messages.filter(role=MessageRole.ASSISTANT).order_by("-id").first()


# --- booking ----------------------------------------------------------------------------------


def test_books_through_find_available_slots_and_book_appointment(conversation, server, demo_clinic):
    def book_the_ten_oclock(body):
        # Read the slot_id from the tool result the brain sent back, as a model would.
        result = fake.tool_results(body)[-1]
        slot = next(s for s in result["slots"] if s["date"] == "2026-12-02" and s["time"] == "10:00")
        return fake.tool_calls(
            fake.call(
                "book_appointment",
                {"slot_id": slot["slot_id"], "full_name": "juan pérez", "document_number": "12.345.678"},
                call_id="call_hold",
            )
        )

    server.script(
        fake.tool_calls(
            fake.call(
                "find_available_slots",
                {"specialty": "cardiología", "date": "2026-12-02", "time": "10:00"},
                call_id="call_find",
            )
        ),
        book_the_ten_oclock,
        book_the_read_back,
        fake.text("(not needed: the brain confirms from the booking result)"),
    )

    # A "sí" in the first message is no answer to a read-back: the booking is held and read back.
    read_back = engine.reply(conversation, "Turno de cardiología el miércoles a las 10. Juan Pérez, DNI 12.345.678. Sí")
    assert not Appointment.objects.filter(conversation=conversation).exists()
    assert read_back.text.startswith("¿Confirma el turno de Cardiología") and "juan pérez" in read_back.text
    conversation.refresh_from_db()
    assert conversation.load_state().step == Step.CONFIRM_BOOKING

    reply = engine.reply(conversation, "Sí")

    appointment = Appointment.objects.get(conversation=conversation)
    assert appointment.specialty.name == "Cardiología"
    assert appointment.doctor.last_name == "Gutiérrez"
    assert appointment.start_at == WEDNESDAY_10
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.patient.full_name == "Juan Pérez"
    assert appointment.patient.document_number == "12345678"
    assert appointment.patient.phone == PHONE

    assert reply.brain == "openai"
    assert "confirmado" in reply.text
    assert "Gutiérrez" in reply.text and "10:00" in reply.text and "2 de diciembre" in reply.text
    assert server.pending == 1, "the confirmation comes from the tool result, not a third round trip"

    # What the model was sent: the tools, today's date and time, the tool result.
    first, second, _yes = server.requests
    # The flow's step decides the tools offered: no booking before slots are offered.
    # Booking and the waitlist open once slots are being discussed (bot.flow).
    assert {tool["function"]["name"] for tool in first["tools"]} == set(TOOLS) - {"book_appointment", "join_waitlist"}
    # Slots on offer: the model books one; the waitlist tool is for when nothing is free.
    assert {tool["function"]["name"] for tool in second["tools"]} == set(TOOLS) - {"join_waitlist"}
    assert first["model"] == "gpt-4o-mini"
    assert first["tool_choice"] == "auto"
    prompt = system_prompt(first)
    assert "martes 2026-12-01 09:00" in prompt
    assert "America/Argentina/Buenos_Aires" in prompt
    assert "Cardiología" in prompt and "OSDE" in prompt
    assert first["messages"][-1] == {
        "role": "user",
        "content": "Turno de cardiología el miércoles a las 10. Juan Pérez, DNI 12.345.678. Sí",
    }
    assert second["messages"][-2]["tool_calls"][0]["function"]["name"] == "find_available_slots"
    assert second["messages"][-1]["role"] == "tool" and second["messages"][-1]["tool_call_id"] == "call_find"
    assert fake.tool_results(second)[-1]["requested_time_available"] is True
    assert server.headers[0]["authorization"] == "Bearer test"

    # Each tool call is a row with its arguments and result.
    find_row, hold_row, book_row = tool_rows(conversation)
    assert hold_row.tool_result["code"] == "confirm_first"
    assert (find_row.tool_name, find_row.tool_call_id, find_row.brain) == (
        "find_available_slots",
        "call_find",
        "openai",
    )
    assert find_row.tool_arguments == {"specialty": "cardiología", "date": "2026-12-02", "time": "10:00"}
    assert find_row.tool_result["ok"] is True
    assert (book_row.tool_name, book_row.tool_call_id) == ("book_appointment", "call_book")
    assert book_row.tool_result["booked"]["appointment_id"] == appointment.pk

    # Token usage summed over the turn's two requests, as the server reported it.
    assert read_back.tokens_in == fake.count_prompt_tokens(first) + fake.count_prompt_tokens(second)
    assert read_back.tokens_out and read_back.tokens_out > 0
    conversation.refresh_from_db()
    assert conversation.outcome == ConversationOutcome.BOOKED
    assert conversation.load_state().patient.last_booked_appointment_id == appointment.pk


def test_engine_stores_the_turns_token_usage_on_the_assistant_message(conversation, server):
    server.script(fake.text("Buenos días, ¿en qué puedo ayudarlo?"))

    reply = engine.reply(conversation, "Hola")

    assert reply.brain == "openai"
    message = last_assistant(conversation)
    assert (message.tokens_in, message.tokens_out) == (reply.tokens_in, reply.tokens_out), (
        "bot/engine.py must pass BotReply.tokens_in/tokens_out to record_message"
    )
    assert message.tokens_in == fake.count_prompt_tokens(server.requests[0])


def test_a_later_turn_books_the_slot_offered_earlier_from_the_state(conversation, server):
    server.script(
        fake.tool_calls(fake.call("find_available_slots", {"specialty": "cardiología", "date": "2026-12-02"})),
        fake.text("Tengo el miércoles 2 a las 8:00, 8:30 o 9:00 con el Dr. Gutiérrez. ¿Cuál prefiere?"),
    )
    engine.reply(conversation, "Quiero un turno de cardiología para el miércoles")
    conversation.refresh_from_db()
    assert conversation.load_state().booking.offered_slots

    def book_from_state(body):
        offered = prompt_state(body)["offered_slots"]
        slot_id = next(slot_id for slot_id, when in offered.items() if when == "mié 2 08:30")
        return fake.tool_calls(
            fake.call("book_appointment", {"slot_id": slot_id, "full_name": "Ana Gómez", "document_number": "23456789"})
        )

    server.script(book_from_state, book_the_read_back)
    engine.reply(conversation, "El de las 8 y media. Ana Gómez, 23456789, confirmo")
    assert not Appointment.objects.filter(conversation=conversation).exists()
    reply = engine.reply(conversation, "sí")

    appointment = Appointment.objects.get(conversation=conversation)
    assert appointment.start_at == WEDNESDAY_10 - dt.timedelta(minutes=90)
    assert appointment.patient.full_name == "Ana Gómez"
    assert reply.brain == "openai"
    # The second turn's request carried the earlier exchange but no old tool rows.
    later = server.requests[2]
    assert [m["role"] for m in later["messages"]] == ["system", "user", "assistant", "user"]


# --- identity ---------------------------------------------------------------------------------


def test_cancelling_someone_elses_appointment_is_refused(conversation, server, demo_clinic):
    other = Patient.objects.create(full_name="Otra Persona", document_number="99888777", phone=OTHER_PHONE)
    cardiology = Specialty.objects.get(clinic=demo_clinic, name="Cardiología")
    theirs = appointment_services.book_appointment(
        patient=other,
        doctor=Doctor.objects.get(clinic=demo_clinic, last_name="Gutiérrez"),
        specialty=cardiology,
        start=WEDNESDAY_10,
        now=NOW,
    )
    server.script(
        fake.tool_calls(fake.call("cancel_appointment", {"appointment_id": theirs.pk})),
        fake.text("Ese turno no figura a su nombre, así que no puedo cancelarlo."),
    )

    reply = engine.reply(conversation, f"Cancelen el turno número {theirs.pk}")

    assert reply.brain == "openai"
    assert reply.text == "Ese turno no figura a su nombre, así que no puedo cancelarlo."
    result = fake.tool_results(server.requests[1])[-1]
    assert result["ok"] is False
    assert result["code"] == "not_owner"
    (row,) = tool_rows(conversation)
    assert row.tool_result["code"] == "not_owner"
    theirs.refresh_from_db()
    assert theirs.status == AppointmentStatus.BOOKED
    assert theirs.cancelled_at is None


def own_appointment(demo_clinic, conversation) -> Appointment:
    patient = Patient.objects.create(full_name="Juan Pérez", document_number="12345678", phone=PHONE)
    return appointment_services.book_appointment(
        patient=patient,
        doctor=Doctor.objects.get(clinic=demo_clinic, last_name="Gutiérrez"),
        specialty=Specialty.objects.get(clinic=demo_clinic, name="Cardiología"),
        start=WEDNESDAY_10,
        now=NOW,
        booked_by_number=PHONE,
        booked_as_name="Juan Pérez",
    )


def test_cancelling_ones_own_appointment_is_confirmed_from_the_result(conversation, server, demo_clinic):
    mine = own_appointment(demo_clinic, conversation)
    cancel = fake.tool_calls(fake.call("cancel_appointment", {"appointment_id": mine.pk}))
    server.script(cancel, cancel)

    # Before any read-back, "sí, confirmo" confirms nothing: the cancellation is read back.
    read_back = engine.reply(conversation, "Quiero cancelar mi turno del miércoles, sí, confirmo")
    mine.refresh_from_db()
    assert mine.status == AppointmentStatus.BOOKED
    assert read_back.text == (
        "¿Confirma que cancelo su turno de Cardiología con el Dr. Martín Gutiérrez mañana miércoles 2 de diciembre "
        "a las 10:00?"
    )

    reply = engine.reply(conversation, "sí")

    mine.refresh_from_db()
    assert mine.status == AppointmentStatus.CANCELLED
    assert reply.text == (
        "Listo, cancelé su turno de Cardiología con el Dr. Martín Gutiérrez mañana miércoles 2 de diciembre "
        "a las 10:00. ¿Necesita algo más?"
    )
    assert len(server.requests) == 2


def test_a_booking_and_a_goodbye_in_one_round_say_both(conversation, server):
    def book_and_end(body):
        slot_id = prompt_state(body).get("selected_slot_id") or next(
            s["slot_id"] for s in fake.tool_results(body)[-1]["slots"] if s["time"] == "10:00"
        )
        return fake.tool_calls(
            fake.call(
                "book_appointment",
                {"slot_id": slot_id, "full_name": "Ana Gómez", "document_number": "23456789"},
            ),
            fake.call("end_conversation", {}),
            content="¡Que le vaya bien!",
        )

    server.script(
        fake.tool_calls(
            fake.call("find_available_slots", {"specialty": "cardiología", "date": "2026-12-02", "time": "10:00"})
        ),
        book_and_end,
        book_and_end,
    )

    # The first time the booking is held for its read-back, and the goodbye waits for the answer.
    read_back = engine.reply(conversation, "cardiología el miércoles 10:00, Ana Gómez 23456789, confirmo")
    assert read_back.end_conversation is False
    assert read_back.text.startswith("¿Confirma el turno de Cardiología")

    reply = engine.reply(conversation, "Sí")

    assert reply.end_conversation is True
    assert reply.text.startswith("Excelente, su turno está confirmado: Cardiología con el Dr. Martín Gutiérrez")
    assert reply.text.endswith(
        "Lo esperamos en Av. Rivadavia 5230, C1424 Caballito, Ciudad Autónoma de Buenos Aires. ¡Que le vaya bien!"
    )
    assert Appointment.objects.filter(conversation=conversation, start_at=WEDNESDAY_10).exists()


# --- bad tool calls ---------------------------------------------------------------------------


def test_malformed_tool_arguments_come_back_to_the_model_as_readable_errors(conversation, server):
    server.script(
        fake.tool_calls(
            fake.call("find_available_slots", '{"specialty": "cardio', call_id="bad_json"),
            fake.call("delete_all_appointments", {}, call_id="unknown_tool"),
            fake.call("find_available_slots", {"specialty": ["cardiología"], "limit": "tres"}, call_id="wrong_type"),
            fake.call("cancel_appointment", {"appointment_id": "el de mañana"}, call_id="not_an_id"),
        ),
        fake.text("Disculpe, ¿para qué especialidad busca turno?"),
    )

    reply = engine.reply(conversation, "turno")

    assert reply.brain == "openai"
    assert reply.text == "Disculpe, ¿para qué especialidad busca turno?"
    results = {
        m["tool_call_id"]: json.loads(m["content"]) for m in server.requests[1]["messages"] if m["role"] == "tool"
    }
    assert set(results) == {"bad_json", "unknown_tool", "wrong_type", "not_an_id"}
    assert all(result["ok"] is False and result["error"] for result in results.values())
    assert results["bad_json"]["code"] == "invalid_arguments" and "JSON" in results["bad_json"]["error"]
    assert (
        results["unknown_tool"]["code"] == "unknown_tool" and "find_available_slots" in results["unknown_tool"]["error"]
    )
    assert results["wrong_type"]["code"] == "invalid_arguments" and "specialty" in results["wrong_type"]["error"]
    assert results["not_an_id"]["code"] == "invalid_arguments" and "appointment_id" in results["not_an_id"]["error"]
    rows = {row.tool_call_id: row for row in tool_rows(conversation)}
    assert rows["bad_json"].tool_arguments == '{"specialty": "cardio'  # kept as the model sent it
    assert rows["unknown_tool"].tool_name == "delete_all_appointments"
    assert not Appointment.objects.exists()


def test_the_model_can_correct_its_arguments_and_the_last_round_trip_must_answer(conversation, server):
    server.script(
        fake.tool_calls(fake.call("find_available_slots", {"specialty": "cardiología", "time": "diez"})),
        fake.tool_calls(
            fake.call("find_available_slots", {"specialty": "cardiología", "date": "2026-12-02", "time": "10:00"})
        ),
        fake.text("El miércoles 2 a las 10:00 está libre con el Dr. Gutiérrez. ¿Se lo reservo?"),
    )

    reply = engine.reply(conversation, "cardiologia el miercoles a las diez")

    assert reply.brain == "openai"
    assert "10:00" in reply.text
    assert [body["tool_choice"] for body in server.requests] == ["auto", "auto", "none"]
    first_result = fake.tool_results(server.requests[1])[-1]
    assert first_result["ok"] is False and "HH:MM" in first_result["error"]
    assert fake.tool_results(server.requests[2])[-1]["requested_time_available"] is True


def test_a_tool_that_crashes_leaves_no_half_writes_and_the_turn_goes_on(conversation, server, monkeypatch):
    def crashing_tool(context, **arguments):
        Patient.objects.create(full_name="Medio Escrito", document_number="11111111")
        Patient.objects.create(full_name="Duplicado", document_number="11111111")  # IntegrityError
        return {"ok": True}

    original = TOOLS["get_clinic_info"]
    monkeypatch.setitem(TOOLS, "get_clinic_info", dataclasses.replace(original, handler=crashing_tool))
    server.script(
        fake.tool_calls(fake.call("get_clinic_info", {})),
        fake.text("Disculpe, no pude consultar ese dato. ¿Lo comunico con recepción?"),
    )

    reply = engine.reply(conversation, "¿Dónde quedan?")

    assert reply.brain == "openai"
    assert fake.tool_results(server.requests[1])[-1]["code"] == "internal_error"
    assert not Patient.objects.filter(document_number="11111111").exists()
    assert last_assistant(conversation).text == reply.text  # the turn's transaction is still usable


# --- flags ------------------------------------------------------------------------------------


def test_transfer_to_human_sets_the_flag_without_another_round_trip(conversation, server):
    server.script(fake.tool_calls(fake.call("transfer_to_human", {"reason": "pide hablar con una persona"})))

    reply = engine.reply(conversation, "Quiero hablar con una persona")

    assert reply.transfer_to_human is True
    assert reply.brain == "openai"
    assert "recepción" in reply.text
    assert len(server.requests) == 1
    conversation.refresh_from_db()
    assert conversation.outcome == ConversationOutcome.TRANSFERRED


def test_end_conversation_ends_it(conversation, server):
    server.script(
        fake.tool_calls(fake.call("end_conversation", {"summary": "Consultó horarios."}), content="¡Hasta luego!")
    )

    # (Plain goodbyes never reach a brain: the engine answers them itself.)
    reply = engine.reply(conversation, "Bueno, lo consulto con mi esposa y después vuelvo a escribir")

    assert reply.end_conversation is True
    assert reply.text == "¡Hasta luego!"
    conversation.refresh_from_db()
    assert conversation.status == "ended"


# --- failures: the offline brain answers --------------------------------------------------------


def assert_rules_answered(conversation, reply, text):
    assert reply.brain == "rules"
    assert reply.text
    messages = list(
        conversation.messages.exclude(role=MessageRole.TOOL).order_by("id").values_list("role", "text", "brain")
    )
    assert messages[-2] == (MessageRole.USER, text, "")
    assert messages[-1] == (MessageRole.ASSISTANT, reply.text, "rules")


def test_a_server_that_hangs_times_out_and_the_offline_brain_answers(conversation, server, settings):
    settings.OPENAI_TIMEOUT = 0.5
    server.script(fake.Hang(10))

    started = time.monotonic()
    reply = engine.reply(conversation, "¿Qué especialidades tienen?")
    elapsed = time.monotonic() - started

    assert_rules_answered(conversation, reply, "¿Qué especialidades tienen?")
    assert elapsed < 3
    assert len(server.requests) == 1, "no retries: a voice turn has no time for them"


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_server_error_falls_back_to_the_offline_brain(conversation, server, status):
    server.script(fake.Status(status))

    reply = engine.reply(conversation, "¿Qué especialidades tienen?")

    assert_rules_answered(conversation, reply, "¿Qué especialidades tienen?")
    assert len(server.requests) == 1


def test_a_model_that_never_stops_calling_tools_is_cut_off(conversation, server):
    server.script(
        *[fake.tool_calls(fake.call("get_clinic_info", {})) for _ in range(5)],
    )

    reply = engine.reply(conversation, "¿Qué especialidades tienen?")

    assert_rules_answered(conversation, reply, "¿Qué especialidades tienen?")
    assert len(server.requests) == openai_brain.MAX_ROUND_TRIPS
    assert server.requests[-1]["tool_choice"] == "none"


def test_the_turn_budget_bounds_the_model_time(conversation, server, settings):
    settings.OPENAI_TURN_BUDGET = 1.2
    settings.OPENAI_TIMEOUT = 1.0
    server.script(
        fake.Hang(0.8, then=fake.tool_calls(fake.call("get_clinic_info", {}))),
        fake.text("(never asked: less than the minimum request time is left)"),
    )

    started = time.monotonic()
    reply = engine.reply(conversation, "¿Dónde quedan?")

    assert time.monotonic() - started < 2
    assert_rules_answered(conversation, reply, "¿Dónde quedan?")
    assert len(server.requests) == 1


def test_without_a_key_the_offline_brain_answers_and_nothing_is_sent(conversation, server, settings):
    settings.OPENAI_API_KEY = ""
    settings.OPENAI_BASE_URL = None

    reply = engine.reply(conversation, "¿Qué especialidades tienen?")

    assert_rules_answered(conversation, reply, "¿Qué especialidades tienen?")
    assert server.requests == []


def test_only_a_base_url_is_enough(conversation, server, settings):
    settings.OPENAI_API_KEY = ""
    server.script(fake.text("Atendemos de lunes a viernes de 8 a 20 y los sábados de 8 a 13."))

    reply = engine.reply(conversation, "¿A qué hora abren?")

    assert reply.brain == "openai"
    assert server.headers[0]["authorization"] == f"Bearer {openai_brain.PLACEHOLDER_API_KEY}"


def test_after_a_failure_the_offline_brain_continues_from_the_state(conversation, server):
    server.script(
        fake.tool_calls(fake.call("find_available_slots", {"specialty": "cardiología", "date": "2026-12-02"})),
        fake.text("Tengo el miércoles 2 a las 8:00, 8:30 o 9:00 con el Dr. Gutiérrez. ¿Cuál prefiere?"),
    )
    engine.reply(conversation, "Quiero un turno de cardiología para el miércoles")
    server.script(fake.Status(500))

    conversation.refresh_from_db()
    state = conversation.load_state()
    offered = {slot.start: slot.slot_id for slot in state.booking.offered_slots}
    assert state.step == Step.SLOT  # the step the offline brain continues from

    reply = engine.reply(conversation, "el de las 8 y media")

    # The offline brain takes the choice among the slots the model offered, not a new search.
    assert reply.brain == "rules"
    conversation.refresh_from_db()
    state = conversation.load_state()
    assert state.booking.specialty_id == Specialty.objects.get(name="Cardiología").pk
    assert state.booking.selected_slot_id == offered[dt.datetime(2026, 12, 2, 11, 30, tzinfo=dt.UTC)]
    assert "nombre" in reply.text
    assert not Appointment.objects.exists()


# --- prompt and history -----------------------------------------------------------------------


def test_the_prompt_keeps_only_the_last_messages_and_stops_at_a_reset(conversation, server):
    for n in range(5):
        Message.objects.create(conversation=conversation, role=MessageRole.USER, text=f"viejo {n}")
    Message.objects.create(conversation=conversation, role=MessageRole.USER, text="/reiniciar")
    Message.objects.create(conversation=conversation, role=MessageRole.ASSISTANT, text="Listo, empecemos de nuevo.")
    for n in range(3):
        Message.objects.create(conversation=conversation, role=MessageRole.USER, text=f"pregunta {n}")
        Message.objects.create(conversation=conversation, role=MessageRole.ASSISTANT, text=f"respuesta {n}")
        Message.objects.create(
            conversation=conversation, role=MessageRole.TOOL, tool_name="get_clinic_info", tool_result={"ok": True}
        )
    server.script(fake.text("Con gusto."))

    engine.reply(conversation, "y otra cosa")

    sent = server.requests[0]["messages"][1:]
    assert len(sent) == openai_brain.HISTORY_MESSAGES
    assert [m["content"] for m in sent] == [
        "respuesta 0",
        "pregunta 1",
        "respuesta 1",
        "pregunta 2",
        "respuesta 2",
        "y otra cosa",
    ]

    conversation.messages.filter(text__startswith="pregunta").delete()
    conversation.messages.filter(text__startswith="respuesta").delete()
    server.script(fake.text("Con gusto."))
    engine.reply(conversation, "hola")
    contents = [m["content"] for m in server.requests[1]["messages"][1:]]
    assert "/reiniciar" not in contents and not any(c.startswith("viejo") for c in contents)


def test_system_prompt_carries_the_clinic_the_date_and_a_compact_state(demo_clinic, frozen):
    conversation = Conversation.objects.create(clinic=demo_clinic, channel="phone", participant=PHONE)
    cardiology = Specialty.objects.get(clinic=demo_clinic, name="Cardiología")
    context = ToolContext(
        conversation=conversation,
        clinic=demo_clinic,
        now=dt.datetime.now(dt.UTC),
        state=ConversationState(
            flow=Flow.BOOK,
            step=Step.CONFIRM_BOOKING,
            booking=BookingSlots(
                specialty_id=cardiology.pk,
                offered_slots=[
                    OfferedSlot(
                        slot_id="1-202612021300",
                        doctor_id=1,
                        specialty_id=cardiology.pk,
                        start=dt.datetime(2026, 12, 2, 13, 0, tzinfo=dt.UTC),
                    )
                ],
                patient_name="Juan Pérez",
                document_number="12345678",
            ),
            model_summary="x" * 400,
        ),
    )

    prompt = openai_brain.build_system_prompt(context)

    assert "Clínica San Rafael" in prompt and "a phone call" in prompt
    assert "martes 2026-12-01 09:00 (America/Argentina/Buenos_Aires)" in prompt
    assert "next: mié 2, jue 3, vie 4, sáb 5, dom 6, lun 7" in prompt
    assert "Lunes a viernes: 08:00 a 20:00" in prompt
    assert "107" in prompt
    state = json.loads(prompt.rsplit("State:", 1)[1])
    assert state == {
        "flow": "book",
        "step": "confirm_booking",
        "specialty": "Cardiología",
        "offered_slots": {"1-202612021300": "mié 2 10:00"},
        "patient_name": "Juan Pérez",
        "document_number": "12345678",
    }
    assert fake.count_text_tokens(prompt) < 350
