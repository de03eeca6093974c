"""Realtime calls over ConversationRelay: a real `websockets` client speaks Twilio's protocol to
the ASGI app served by uvicorn on a free port (clinic_assistant/asgi.py → bot/channels/relay_socket.py),
with signed handshakes, against the scripted OpenAI-compatible server or the offline brain."""

import asyncio
import json
import socket
import threading
import time
import xml.etree.ElementTree as ET

import pytest
import time_machine
import uvicorn
from django.db import connection
from django.test import Client
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from appointments.models import Appointment
from bot.channels import relay
from bot.channels.relay_socket import SpokenStream
from bot.formatting import spoken_digit_groups
from bot.models import Conversation, Message, MessageRole
from bot.responses import for_speech
from bot.tests import fake_openai as fake
from bot.tests.conftest import TUESDAY_9AM
from bot.tests.twilio_helpers import CALLER, call_sid, post_signed, sign, twiml, voice_params
from clinic_assistant import asgi

RECEPTION = "+541148765432"


@pytest.fixture
def server(twilio_settings, demo_clinic_tx):
    """The ASGI app under uvicorn in a thread, as the workers serve it; relay mode on."""
    twilio_settings.VOICE_MODE = "relay"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(asgi.application, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.02)
    with time_machine.travel(TUESDAY_9AM, tick=True):
        yield f"127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)
    if connection.vendor == "postgresql":
        # A socket's thread that had not yet seen its disconnect may still hold a connection,
        # which would keep the test database from being dropped.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def start_call(sid: str) -> ET.Element:
    """The incoming-call webhook, as Twilio sends it, in relay mode."""
    return twiml(post_signed(Client(), "/webhook/voice", voice_params(sid)))


class RelayCall:
    """One ConversationRelay socket of a call, driven like Twilio drives it."""

    def __init__(self, ws, sid: str):
        self.ws, self.sid = ws, sid

    async def send(self, **message) -> None:
        await self.ws.send(json.dumps(message))

    async def setup(self) -> None:
        await self.send(
            type="setup",
            sessionId="VX" + "0" * 32,
            accountSid="AC" + "0" * 32,
            callSid=self.sid,
            **{"from": CALLER},
            to="+541148765400",
            direction="inbound",
            customParameters={},
        )

    async def prompt(self, text: str) -> list[dict]:
        await self.send(type="prompt", voicePrompt=text, lang="es-MX", last=True)
        return await self.answer()

    async def answer(self) -> list[dict]:
        """Messages up to the answer's `last: true` text (and an `end` right after it)."""
        received: list[dict] = []
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout=15))
            received.append(message)
            if message["type"] == "text" and message["last"]:
                try:
                    follow = json.loads(await asyncio.wait_for(self.ws.recv(), timeout=0.5))
                    received.append(follow)
                except TimeoutError:
                    pass
                return received


def tokens(messages: list[dict]) -> list[str]:
    return [m["token"] for m in messages if m["type"] == "text" and m["token"]]


def relay_socket(host: str, sid: str, *, signature: str | None = None):
    url = f"wss://{host}{relay.RELAY_WS_PATH}"
    headers = {"X-Twilio-Signature": signature if signature is not None else sign(url, {})}
    return connect(f"ws://{host}{relay.RELAY_WS_PATH}", additional_headers=headers)


def run(coroutine):
    return asyncio.run(coroutine)


def talk(host: str, sid: str, *prompts: str) -> list[list[dict]]:
    """One socket of the call: setup, then each prompt and what came back for it."""

    async def call():
        async with relay_socket(host, sid) as ws:
            session = RelayCall(ws, sid)
            await session.setup()
            return [await session.prompt(text) for text in prompts]

    return run(call())


def conversation_of(sid: str) -> Conversation:
    return Conversation.objects.get(call_sid=sid)


def test_the_incoming_call_connects_to_the_relay_with_greeting_hints_and_identity(server):
    root = start_call(sid := call_sid())
    connect_node = root.find("Connect")
    assert connect_node.get("action") == "/webhook/voice/relay"
    node = connect_node.find("ConversationRelay")
    assert node.get("url") == "wss://testserver/ws/voice"  # the host Twilio called
    assert node.get("language") == "es-MX"
    assert node.get("interruptible") == "any" and node.get("dtmfDetection") == "true"
    assert "Clínica San Rafael" in node.get("welcomeGreeting", "")
    assert "Cardiología" in node.get("hints", "") and "OSDE" in node.get("hints", "")
    parameters = {p.get("name"): p.get("value") for p in node.findall("Parameter")}
    assert parameters == {"conversation": str(conversation_of(sid).pk), "caller": CALLER}


def test_a_prompt_streams_the_models_tokens_and_books(server, scripted_model):
    sid = call_sid()
    start_call(sid)
    long_answer = "Sí, tenemos cardiología con el doctor Gutiérrez. ¿Qué día le queda mejor?"
    scripted_model.script(fake.Stream(then=fake.text(long_answer), chunk_seconds=0.02))

    def book_the_ten_oclock(body):
        result = fake.tool_results(body)[-1]
        slot = next(s for s in result["slots"] if s["date"] == "2026-12-02" and s["time"] == "10:00")
        arguments = {"slot_id": slot["slot_id"], "full_name": "Juan Pérez", "document_number": "12345678"}
        return fake.tool_calls(fake.call("book_appointment", arguments))

    def book_the_read_back(body):
        held = json.loads(body["messages"][0]["content"].rsplit("State:", 1)[1])
        arguments = {
            "slot_id": held["selected_slot_id"],
            "full_name": held["patient_name"],
            "document_number": held["document_number"],
        }
        return fake.tool_calls(fake.call("book_appointment", arguments))

    finding = {"specialty": "cardiología", "date": "2026-12-02", "time": "10:00"}
    scripted_model.script(
        fake.tool_calls(fake.call("find_available_slots", finding)), book_the_ten_oclock, book_the_read_back
    )

    # The booking is read back first (bot/flow.py Write); the caller's yes books it.
    first, read_back, second = talk(
        server, sid, "hola tienen cardiologia", "el miercoles a las diez juan perez dni 12345678 confirmo", "sí"
    )
    assert "".join(tokens(read_back)).startswith("¿Confirma el turno de Cardiología")
    assert len(tokens(first)) > 1, "streamed as it arrived, not in one message"
    assert "".join(tokens(first)) == long_answer
    assert [m["last"] for m in first if m["type"] == "text"][-1] is True
    appointment = Appointment.objects.get(conversation=conversation_of(sid))
    assert appointment.patient.document_number == "12345678"
    assert "confirmado" in "".join(tokens(second))
    answers = conversation_of(sid).messages.filter(role=MessageRole.ASSISTANT).order_by("id")
    assert answers[1].text == long_answer  # [0] is the greeting
    assert answers[1].response_ms is not None


def test_streamed_tokens_are_said_as_the_whole_answer_would_be(server, scripted_model):
    """Times, titles and dates read for speech also when the model's deltas cut through them."""
    sid = call_sid()
    start_call(sid)
    written = "Lo esperamos el 2/12 a las 08:30 con la Dra. Pérez.\n• Traiga su DNI"
    scripted_model.script(fake.Stream(then=fake.text(written), chunk_seconds=0.01))
    (answer,) = talk(server, sid, "a que hora es mi turno")
    said = tokens(answer)
    assert len(said) > 1
    assert "".join(said) == "Lo esperamos el 2 de diciembre a las 8:30 con la doctora Pérez. Traiga su DNI."
    assert [m["last"] for m in answer if m["type"] == "text"][-1] is True
    answers = conversation_of(sid).messages.filter(role=MessageRole.ASSISTANT).order_by("id")
    assert answers[1].text == written  # the record keeps what was written


SPOKEN_CASES = [
    "Lo esperamos el 2/12 a las 08:30 con la Dra. Pérez, DNI 28765432.",
    "Horarios:\n• Lunes a viernes: 08:00 a 20:00\n• Sábados: 09:00 a 13:00\nLo espero 🙂",
    "El Dr. Gómez atiende a las 10:05; la Lic. Ruiz a las 7:45. ¿Le sirve?",
]


@pytest.mark.parametrize("written", SPOKEN_CASES)
def test_a_spoken_stream_says_the_whole_answer_whatever_the_token_boundaries(written):
    whole = spoken_digit_groups(for_speech(written))
    for size in (1, 2, 3, 5):
        stream = SpokenStream()
        chunks = [written[i : i + size] for i in range(0, len(written), size)]
        said = [stream.add(chunk) for chunk in chunks] + [stream.finish()]
        assert "".join(said) == whole, size
        assert not any(part.lstrip().startswith("0") for part in said), said  # never "cero ocho"


def test_an_interrupt_mid_answer_stores_what_the_caller_heard(server, scripted_model):
    sid = call_sid()
    start_call(sid)
    words = "Tenemos turnos el miércoles a las diez, el jueves a las once y el viernes a las nueve de la mañana."
    scripted_model.script(fake.Stream(then=fake.text(words), chunk_seconds=0.3))
    heard = "Tenemos turnos el miércoles"

    async def call():
        async with relay_socket(server, sid) as ws:
            session = RelayCall(ws, sid)
            await session.setup()
            await session.send(type="prompt", voicePrompt="que turnos hay", last=True)
            received = [json.loads(await asyncio.wait_for(ws.recv(), timeout=10)) for _ in range(2)]
            await session.send(type="interrupt", utteranceUntilInterrupt=heard, durationUntilInterruptMs=900)
            for _ in range(100):  # the turn finishes in the background
                await asyncio.sleep(0.1)
                if await asyncio.to_thread(last_answer_text, sid, close=True) == heard:
                    break
            return received

    received = run(call())
    assert all(m["type"] == "text" and not m["last"] for m in received)
    assert last_answer_text(sid) == heard


def last_answer_text(sid: str, *, close: bool = False) -> str:
    """`close`: called from a thread of its own, whose connection must not outlive it."""
    try:
        message = Message.objects.filter(conversation__call_sid=sid, role=MessageRole.ASSISTANT).order_by("-id").first()
        return message.text if message else ""
    finally:
        if close:
            connection.close()


def test_keypad_digits_enter_the_dni(server):
    sid = call_sid()
    start_call(sid)

    async def call():
        async with relay_socket(server, sid) as ws:
            session = RelayCall(ws, sid)
            await session.setup()
            await session.prompt("quiero un turno de cardiologia")
            await session.prompt("el primero")
            await session.prompt("juan perez")
            for digit in "12345678#":
                await session.send(type="dtmf", digit=digit)
            return await session.answer()

    answer = "".join(tokens(run(call())))
    state = conversation_of(sid).load_state()
    assert state.booking.document_number == "12345678", answer
    user_texts = list(conversation_of(sid).messages.filter(role=MessageRole.USER).values_list("text", flat=True))
    assert user_texts[-1] == "12345678"


def test_a_transfer_ends_the_session_with_handoff_data_and_the_callback_dials_reception(server):
    sid = call_sid()
    start_call(sid)

    (messages,) = talk(server, sid, "quiero hablar con una persona de recepcion")
    end = messages[-1]
    assert end["type"] == "end"
    handoff = json.loads(end["handoffData"])
    assert handoff["reason"] == relay.HANDOFF_TRANSFER
    callback = voice_params(sid, SessionId="VX" + "0" * 32, SessionStatus="completed", HandoffData=end["handoffData"])
    root = twiml(post_signed(Client(), "/webhook/voice/relay", callback))
    assert [child.tag for child in root] == ["Dial"]
    assert root.find("Dial").text == RECEPTION


def test_a_goodbye_ends_the_session_and_the_callback_hangs_up(server):
    sid = call_sid()
    start_call(sid)

    end = talk(server, sid, "gracias nada mas adios")[0][-1]
    assert json.loads(end["handoffData"])["reason"] == relay.HANDOFF_GOODBYE
    callback = voice_params(sid, SessionId="VX" + "1" * 32, SessionStatus="completed", HandoffData=end["handoffData"])
    assert [child.tag for child in twiml(post_signed(Client(), "/webhook/voice/relay", callback))] == ["Hangup"]


def test_a_forged_handshake_signature_is_refused(server):
    sid = call_sid()
    start_call(sid)

    async def call():
        async with relay_socket(server, sid, signature="forged"):
            pass

    with pytest.raises(InvalidStatus) as refused:
        run(call())
    assert refused.value.response.status_code == 403


def test_a_dropped_socket_resumes_from_the_stored_state(server):
    sid = call_sid()
    start_call(sid)

    async def first_socket():
        async with relay_socket(server, sid) as ws:
            session = RelayCall(ws, sid)
            await session.setup()
            offer = await session.prompt("quiero un turno de cardiologia")
            ws.transport.abort()  # the connection drops, no close handshake
            return offer

    run(first_socket())
    # Twilio's callback for the dropped session: connect the call again.
    callback = voice_params(sid, SessionId="VX" + "2" * 32, SessionStatus="failed", ErrorCode="64105")
    again = twiml(post_signed(Client(), "/webhook/voice/relay", callback))
    assert again.find("Connect/ConversationRelay") is not None

    answer = "".join(tokens(talk(server, sid, "el primero")[0]))
    state = conversation_of(sid).load_state()
    assert state.booking.selected_slot_id, answer  # the offer made on the first socket was kept
    assert "nombre" in answer.lower()


def test_a_call_whose_socket_never_opened_continues_in_gather_mode(server):
    sid = call_sid()
    start_call(sid)
    callback = voice_params(sid, SessionId="VX" + "3" * 32, SessionStatus="failed", ErrorCode="64101")
    root = twiml(post_signed(Client(), "/webhook/voice/relay", callback))
    gather = root.find("Gather")
    assert gather is not None and gather.get("action").startswith("/webhook/voice/gather?turn=")
