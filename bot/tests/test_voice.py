"""Phone calls through the real webhooks: signed like Twilio signs, TwiML parsed as XML."""

import logging
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.urls import reverse

from appointments.models import Appointment
from bot import responses
from bot.channels import voice
from bot.formatting import spoken_digit_groups
from bot.models import Conversation, ConversationOutcome, ConversationStatus, MessageRole, ProcessedWebhook
from bot.state import Step
from bot.tests.twilio_helpers import (
    CALLER,
    CALLER_MASKED,
    call_sid,
    post_signed,
    said,
    twiml,
    voice_params,
)
from bot.types import BotReply

# A Tuesday morning at the clinic (Buenos Aires): every specialty has free slots ahead.
NOW = "2026-12-01 10:00 -03:00"
RECEPTION = "+541148765432"

pytestmark = pytest.mark.usefixtures("twilio_settings")


@pytest.fixture(autouse=True)
def clinic_clock():
    with time_machine.travel(NOW, tick=True):
        yield


class Call:
    """One phone call as Twilio would drive it: follows the action URLs it is given."""

    def __init__(self, client, sid: str | None = None, caller: str = CALLER):
        self.client = client
        self.sid = sid or call_sid()
        self.caller = caller
        self.next_url: str | None = None
        self.last: ET.Element | None = None

    def _post(self, path: str, **params) -> ET.Element:
        response = post_signed(
            self.client, path, voice_params(self.sid, From=self.caller, Caller=self.caller, **params)
        )
        self.last = twiml(response)
        gather = self.last.find("Gather")
        self.next_url = gather.get("action") if gather is not None else None
        return self.last

    def start(self) -> ET.Element:
        return self._post("/webhook/voice")

    def say(self, speech: str, confidence: str = "0.91") -> ET.Element:
        assert self.next_url, "the call is not listening"
        return self._post(self.next_url, SpeechResult=speech, Confidence=confidence)

    def silence(self) -> ET.Element:
        """Twilio heard nothing: it runs the <Redirect> after the <Gather>."""
        redirect = self.last.find("Redirect")
        assert redirect is not None, "no Redirect after the Gather"
        return self._post(redirect.text)

    def status(self, call_status: str, duration: str | None = None) -> ET.Element:
        params = {"CallStatus": call_status}
        if duration is not None:
            params["CallDuration"] = duration
        return self._post("/webhook/voice/status", **params)

    @property
    def conversation(self) -> Conversation:
        return Conversation.objects.get(call_sid=self.sid)


def assert_listening(root: ET.Element, *, turn: int) -> ET.Element:
    """A <Gather> configured as the design says, then a <Redirect> for silence."""
    children = list(root)
    assert [child.tag for child in children] == ["Gather", "Redirect"], ET.tostring(root)
    gather, redirect = children
    assert gather.get("input") == "speech"
    assert gather.get("action") == f"/webhook/voice/gather?turn={turn}"
    assert gather.get("method") == "POST"
    assert gather.get("language") == "es-US"
    assert gather.get("speechModel") == "experimental_conversations"
    assert gather.get("speechTimeout").isdigit()
    assert gather.get("timeout") == "5"
    assert gather.get("profanityFilter") == "false"
    say = gather.find("Say")
    assert say is not None and say.text
    assert say.get("voice") == "Polly.Mia"
    assert say.get("language") == "es-MX"
    assert redirect.text == gather.get("action")
    assert redirect.get("method") == "POST"
    return gather


# --- Answering a call ----------------------------------------------------------------------


def test_an_incoming_call_is_greeted_inside_a_speech_gather(client, demo_clinic, caplog):
    call = Call(client)
    with caplog.at_level(logging.INFO, logger="bot.channels.voice"):
        root = call.start()
    gather = assert_listening(root, turn=1)
    notice = responses.AUTOMATED_NOTICE_SPOKEN.format(clinic="Clínica San Rafael")  # Ley 25.326
    assert said(root) == f"Buenos días, Clínica San Rafael, ¿en qué puedo ayudarlo? {notice}"
    hints = [hint.strip() for hint in gather.get("hints").split(",")]
    assert {"Odontología", "Cardiología", "OSDE", "Swiss Medical", "dentista", "turno"} <= set(hints)
    assert all(len(hint) <= 100 for hint in hints)
    assert f"Llamada recibida de {CALLER_MASKED}, CallSid: {call.sid}" in caplog.text
    assert CALLER not in caplog.text
    conversation = call.conversation
    assert (conversation.channel, conversation.participant, conversation.clinic) == ("phone", CALLER, demo_clinic)
    assert list(conversation.messages.values_list("role", flat=True)) == [MessageRole.ASSISTANT]


def test_a_retried_incoming_call_replays_the_greeting(client, demo_clinic):
    call = Call(client)
    first = ET.tostring(call.start())
    second = ET.tostring(call.start())
    assert first == second
    assert Conversation.objects.filter(call_sid=call.sid).count() == 1
    assert call.conversation.messages.count() == 1


def test_a_withheld_number_gets_a_participant_of_its_own(client, demo_clinic):
    call = Call(client, caller="anonymous")
    assert_listening(call.start(), turn=1)
    assert call.conversation.participant == f"anon:{call.sid}"


def test_recognition_language_follows_voice_language(twilio_settings):
    twilio_settings.VOICE_LANGUAGE = "es-AR"
    assert voice.gather_language() == "es-US"
    twilio_settings.VOICE_LANGUAGE = "es-ES"
    assert voice.gather_language() == "es-ES"


# --- A whole booking by phone ------------------------------------------------------------

SPOKEN_HOURS = {
    7: "siete",
    8: "ocho",
    9: "nueve",
    10: "diez",
    11: "once",
    12: "doce",
    13: "una",
    14: "dos",
    15: "tres",
    16: "cuatro",
    17: "cinco",
    18: "seis",
    19: "siete",
}
SPOKEN_MINUTES = {0: "", 15: " y cuarto", 20: " y veinte", 30: " y media", 40: " y cuarenta", 45: " menos cuarto"}
WEEKDAYS = ["lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"]


def spoken_choice(appointment_text: str) -> str:
    """How a caller picks an offered time out loud, as speech recognition writes it: no
    accents, no digits ("el miercoles a las diez y media")."""
    match = re.search(
        r"(lunes|martes|miércoles|jueves|viernes|sábado)[^0-9]{0,40}?(\d{1,2})(?:/\d{1,2})?[^0-9]{0,30}?(\d{1,2}):(\d{2})",
        appointment_text,
        flags=re.IGNORECASE,
    )
    assert match, f"no offered time in: {appointment_text}"
    weekday = match[1].lower().replace("é", "e").replace("á", "a")
    hour, minute = int(match[3]), int(match[4])
    if minute == 45:
        hour += 1
    part = " de la tarde" if hour >= 13 else ""
    return f"el {weekday} a las {SPOKEN_HOURS[hour]}{SPOKEN_MINUTES[minute]}{part}"


def test_a_full_booking_by_phone(client, demo_clinic):
    call = Call(client)
    call.start()

    offer = call.say("quiero un turno para odontologia")
    assert_listening(offer, turn=2)
    offered = said(offer)
    assert "dontolog" in offered.lower()

    reply = call.say(spoken_choice(offered))
    for _ in range(4):
        # Whatever the assistant asks next (name, document, confirmation), answer it.
        # (The confirmation question repeats name and document: check it first.)
        text = said(reply).lower()
        if "confirmad" in text:
            break
        if "¿confirma" in text:
            reply = call.say("si confirmo")
        elif "nombre" in text:
            reply = call.say("juan perez")
        elif "documento" in text or "dni" in text:
            reply = call.say("doce millones trescientos cuarenta y cinco mil seiscientos setenta y ocho")
        else:
            break
    appointment = Appointment.objects.get()
    assert appointment.specialty.name == "Odontología"
    assert appointment.patient.phone == CALLER
    assert appointment.conversation == call.conversation
    assert "confirmad" in said(reply).lower()
    assert_listening(reply, turn=int(call.next_url.rsplit("=", 1)[1]))

    goodbye = call.say("gracias nada mas")
    assert [child.tag for child in goodbye] == ["Say", "Hangup"]
    assert "Clínica San Rafael" in said(goodbye)

    call.status("completed", duration="95")
    conversation = call.conversation
    assert conversation.status == ConversationStatus.ENDED
    assert conversation.outcome == ConversationOutcome.BOOKED
    assert conversation.duration_seconds == 95
    assert "Odontología" in conversation.summary
    assert Appointment.objects.count() == 1


# --- Silence, retries, transfers -----------------------------------------------------------


def test_silences_are_reprompted_twice_then_the_call_ends(client, demo_clinic):
    call = Call(client)
    call.start()
    for turn in (2, 3):
        root = call.silence()
        assert_listening(root, turn=turn)
        assert said(root) == "No pude escucharlo, ¿podría repetir?"
    root = call.silence()
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert "WhatsApp" in said(root)
    conversation = call.conversation
    assert conversation.load_state().voice_silences == 3
    assert conversation.status == ConversationStatus.ENDED
    assert conversation.outcome == ConversationOutcome.ABANDONED


def test_speaking_resets_the_silence_count(client, demo_clinic):
    call = Call(client)
    call.start()
    call.silence()
    call.silence()
    assert_listening(call.say("a que hora abren"), turn=4)
    assert call.conversation.load_state().voice_silences == 0
    assert said(call.silence()) == "No pude escucharlo, ¿podría repetir?"


def test_a_retried_turn_replays_the_answer_and_runs_once(client, demo_clinic):
    call = Call(client)
    call.start()
    url = call.next_url
    first = ET.tostring(call.say("trabajan con osde"))
    call.next_url = url
    second = ET.tostring(call.say("trabajan con osde"))
    assert first == second
    assert call.conversation.messages.filter(role=MessageRole.USER).count() == 1
    assert ProcessedWebhook.objects.filter(key=f"voice:{call.sid}:1", is_complete=True).count() == 1


def test_a_transfer_dials_reception(client, demo_clinic):
    call = Call(client)
    call.start()
    warning = call.say("me duele mucho el pecho")
    assert "107" in said(warning)
    root = call.say("si por favor")
    assert [child.tag for child in root] == ["Say", "Dial"]
    dial = root.find("Dial")
    assert dial.text == RECEPTION
    assert dial.get("action") == "/webhook/voice/gather?turn=3&dial=1"
    assert int(dial.get("timeout")) >= 10
    assert call.conversation.outcome == ConversationOutcome.TRANSFERRED

    # Nobody answers at reception: the caller hears so, and the assistant keeps listening.
    unanswered = post_signed(
        client, dial.get("action"), voice_params(call.sid, DialCallStatus="no-answer", DialCallDuration="0")
    )
    root = twiml(unanswered)
    assert_listening(root, turn=4)
    assert "no hay nadie disponible en recepción" in said(root)

    # Answered: when reception hangs up, so does the call.
    answered = post_signed(
        client, dial.get("action").replace("turn=3", "turn=5"), voice_params(call.sid, DialCallStatus="completed")
    )
    assert [child.tag for child in twiml(answered)] == ["Hangup"]


def test_a_transfer_without_a_reception_number_keeps_listening(client, demo_clinic, monkeypatch):
    demo_clinic.reception_phone = ""
    demo_clinic.phone = ""
    demo_clinic.save()

    async def transfer(conversation, text, **turn_extras):
        return BotReply(text="Lo comunico.", transfer_to_human=True)

    monkeypatch.setattr("bot.engine.areply", transfer)
    call = Call(client)
    call.start()
    root = call.say("con una persona")
    assert_listening(root, turn=2)
    assert responses.CALL_NO_RECEPTION in said(root)


# --- Status callback -----------------------------------------------------------------------


def test_the_status_callback_closes_the_conversation(client, demo_clinic):
    call = Call(client)
    call.start()
    call.say("a que hora abren")
    root = call.status("completed", duration="42")
    assert list(root) == []
    conversation = call.conversation
    assert conversation.status == ConversationStatus.ENDED
    assert conversation.duration_seconds == 42
    assert conversation.ended_at is not None
    assert conversation.summary
    assert conversation.outcome  # informed, or abandoned when nothing came of it


def test_a_call_hung_up_without_result_is_abandoned(client, demo_clinic):
    call = Call(client)
    call.start()
    call.status("completed", duration="7")
    conversation = call.conversation
    assert conversation.outcome == ConversationOutcome.ABANDONED
    assert conversation.summary


def test_intermediate_statuses_change_nothing(client, demo_clinic):
    call = Call(client)
    call.start()
    for status in ("ringing", "in-progress"):
        assert list(call.status(status)) == []
    assert call.conversation.status == ConversationStatus.ACTIVE


def test_a_busy_call_we_never_answered_is_recorded_as_abandoned(client, demo_clinic):
    call = Call(client)
    call.status("busy")
    conversation = call.conversation
    assert conversation.status == ConversationStatus.ENDED
    assert conversation.outcome == ConversationOutcome.ABANDONED


def test_a_retried_status_callback_is_harmless(client, demo_clinic):
    call = Call(client)
    call.start()
    call.status("completed", duration="10")
    ended_at = call.conversation.ended_at
    call.status("completed", duration="10")
    assert call.conversation.ended_at == ended_at


# --- Failures and malformed requests -------------------------------------------------------


def test_an_engine_failure_is_an_apology_that_keeps_listening(client, demo_clinic, monkeypatch, caplog):
    call = Call(client)
    call.start()

    async def broken(conversation, text, **turn_extras):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("bot.engine.areply", broken)
    with caplog.at_level(logging.ERROR):
        root = call.say("quiero un turno")
    assert_listening(root, turn=2)
    assert said(root) == responses.CALL_APOLOGY
    assert "RuntimeError: database hiccup" in caplog.text


def test_a_greeting_failure_is_an_apology_and_hangup(client, demo_clinic, monkeypatch):
    def broken(conversation):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("bot.engine.greet", broken)
    root = Call(client).start()
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert said(root) == responses.CALL_FATAL_APOLOGY


@pytest.mark.parametrize(
    ("path", "override"),
    [
        ("/webhook/voice", {"CallSid": ""}),
        ("/webhook/voice", {"CallSid": "not-a-sid"}),
        ("/webhook/voice", {"From": ""}),
        ("/webhook/voice/gather?turn=1", {"From": ""}),
        ("/webhook/voice/gather?turn=abc", {}),
        ("/webhook/voice/gather?turn=-1", {}),
        ("/webhook/voice/status", {"CallSid": "SM" + "0" * 32}),
    ],
)
def test_malformed_requests_get_a_400(client, demo_clinic, path, override):
    params = {**voice_params(call_sid(), CallStatus="completed"), **override}
    response = post_signed(client, path, params)
    assert response.status_code == 400
    assert Conversation.objects.count() == 0


def test_a_huge_speech_result_is_cut_not_fatal(client, demo_clinic):
    call = Call(client)
    call.start()
    root = call.say("turno " * 2000)
    assert said(root)
    longest = max(len(m.text) for m in call.conversation.messages.filter(role=MessageRole.USER))
    assert longest <= 1000


def test_each_answered_turn_records_the_callers_wait_shown_in_the_admin(client, demo_clinic, admin_user):
    call = Call(client)
    call.start()
    call.say("qué especialidades tienen")
    answer = call.conversation.messages.filter(role=MessageRole.ASSISTANT).last()
    assert answer.response_ms is not None and answer.response_ms >= 0
    client.force_login(admin_user)
    page = client.get(reverse("admin:bot_conversation_change", args=[answer.conversation_id]))
    assert "respuesta (ms)" in page.content.decode().lower()


# --- Keypad fallback ------------------------------------------------------------------------


def up_to_the_document(call: Call) -> ET.Element:
    call.start()
    offer = call.say("quiero un turno para odontologia")
    reply = call.say(spoken_choice(said(offer)))
    if "nombre" in said(reply).lower():
        reply = call.say("juan perez")
    assert call.conversation.load_state().step == Step.DOCUMENT, said(reply)
    return reply


def keypad_digits(call: Call, digits: str) -> ET.Element:
    """The caller types on the keypad and presses #: Twilio sends Digits, no SpeechResult."""
    assert call.next_url
    return call._post(call.next_url, Digits=digits)


def test_a_misheard_dni_offers_the_keypad_and_the_typed_digits_are_read_back_in_groups(client, demo_clinic):
    call = Call(client)
    asked = up_to_the_document(call)
    assert asked.find("Gather").get("input") == "dtmf speech"  # digits already taken
    misheard = call.say("veintiocho setecientos")
    gather = misheard.find("Gather")
    assert gather.get("input") == "dtmf speech" and gather.get("finishOnKey") == "#"
    assert responses.CALL_KEYPAD in said(misheard)

    read_back = keypad_digits(call, "28765432")
    assert call.conversation.load_state().booking.document_number == "28765432"
    assert "veintiocho, setecientos sesenta y cinco, cuatrocientos treinta y dos" in said(read_back)
    assert "28765432" not in said(read_back)


def test_asking_for_the_keypad_while_the_dni_is_asked_explains_how(client, demo_clinic):
    call = Call(client)
    up_to_the_document(call)
    reply = call.say("lo puedo marcar en el teclado")
    assert said(reply) == responses.CALL_KEYPAD
    assert reply.find("Gather").get("input") == "dtmf speech"
    assert call.conversation.load_state().step == Step.DOCUMENT


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("DNI 28765432", "DNI veintiocho, setecientos sesenta y cinco, cuatrocientos treinta y dos"),
        ("DNI 28.012.345", "DNI veintiocho, cero doce, trescientos cuarenta y cinco"),
        ("1234567", "uno, doscientos treinta y cuatro, quinientos sesenta y siete"),
        ("llame al +541148765432 a las 10:30", "llame al +541148765432 a las 10:30"),
    ],
)
def test_document_numbers_are_spoken_in_groups_of_three(text, spoken):
    assert spoken_digit_groups(text) == spoken
