"""WhatsApp through the real webhook: signed like Twilio signs, TwiML parsed as XML."""

import asyncio
import datetime as dt
import logging
import re
import time
import xml.etree.ElementTree as ET
from functools import partial

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from appointments.models import Appointment
from bot import responses
from bot.channels import whatsapp
from bot.channels.transcription import opus_sample_rate
from bot.models import Conversation, ConversationStatus, Message, MessageRole, ProcessedWebhook
from bot.state import ConversationState, Step
from bot.tests.fake_servers import FAKE_OGG_OPUS, file_server, media_server, transcription_server
from bot.tests.twilio_helpers import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    WHATSAPP_PATIENT,
    message_sid,
    messages,
    post_signed,
    twiml,
    whatsapp_params,
)
from bot.types import BotReply
from clinic_assistant.testing import run_at_once

# A Tuesday morning at the clinic: every specialty has free slots in the coming days.
NOW = "2026-12-01 10:00 -03:00"
PATH = "/webhook/whatsapp"

pytestmark = pytest.mark.usefixtures("twilio_settings")


@pytest.fixture(autouse=True)
def clinic_clock():
    with time_machine.travel(NOW, tick=True):
        yield


def send(client, body: str = "", **extra) -> list[str]:
    return messages(twiml(post_signed(client, PATH, whatsapp_params(body, **extra))))


def conversation() -> Conversation:
    return Conversation.objects.get(channel="whatsapp", participant=WHATSAPP_PATIENT)


# --- The seed's conversations ------------------------------------------------------------


def test_hola_gets_a_reply(client, demo_clinic):
    replies = send(client, "Hola")
    assert len(replies) == 1 and replies[0].strip()
    conv = conversation()
    assert conv.clinic == demo_clinic
    roles = list(conv.messages.values_list("role", "text"))
    assert roles[0] == (MessageRole.USER, "Hola")
    assert roles[-1] == (MessageRole.ASSISTANT, replies[0])


def test_osde_is_accepted(client, demo_clinic):
    (reply,) = send(client, "¿Trabajan con OSDE?")
    assert "OSDE" in reply
    assert "sí, trabajamos con osde" in reply.lower()


def test_opening_hours(client, demo_clinic):
    reply = "\n".join(send(client, "¿A qué hora abren?"))
    assert "08:00" in reply or "8:00" in reply or "8 a" in reply


def test_ayuda_lists_what_the_assistant_does(client, demo_clinic):
    reply = "\n".join(send(client, "/ayuda"))
    assert "turno" in reply.lower()
    assert "/reiniciar" in reply


def test_reiniciar_forgets_the_state_but_keeps_the_conversation(client, demo_clinic):
    send(client, "Hola")
    conv = conversation()
    conv.state = {"specialty_id": 1, "pending": "slot"}  # a row from before the typed state
    conv.save(update_fields=["state"])
    assert conv.load_state().step == Step.SLOT
    (reply,) = send(client, "/reiniciar")
    assert "empecemos de nuevo" in reply.lower()
    conv.refresh_from_db()
    assert conv.load_state() == ConversationState(notice_given=True)  # the notice is not repeated
    assert Conversation.objects.filter(channel="whatsapp").count() == 1


def test_the_conversation_continues_across_messages(client, demo_clinic):
    send(client, "Hola")
    send(client, "¿Trabajan con OSDE?")
    assert Conversation.objects.filter(channel="whatsapp", participant=WHATSAPP_PATIENT).count() == 1
    assert conversation().messages.filter(role=MessageRole.USER).count() == 2


def test_a_long_pause_starts_a_new_conversation(client, demo_clinic):
    send(client, "Hola")
    with time_machine.travel("2026-12-01 13:30 -03:00", tick=True):
        send(client, "Hola de nuevo")
    conversations = Conversation.objects.filter(channel="whatsapp", participant=WHATSAPP_PATIENT).order_by("pk")
    assert [c.status for c in conversations] == [ConversationStatus.ENDED, ConversationStatus.ACTIVE]


# --- Retries -------------------------------------------------------------------------------


# Reference data lives in the per-process catalog; the clinic row comes joined to the conversation.
CATALOG_READS = re.compile(r'FROM "clinic_(?:clinic|specialty|coverage|doctor|doctor_specialties|openinghours)"')


def test_turns_read_no_clinic_reference_data_once_it_is_cached(client, demo_clinic):
    send(client, "Hola")
    send(client, "¿Trabajan con OSDE?")
    for text in ("¿Tienen pediatría?", "¿A qué hora abren?", "Quiero un turno para cardiología", "el primero"):
        with CaptureQueriesContext(connection) as queries:
            send(client, text)
        assert [query["sql"] for query in queries if CATALOG_READS.search(query["sql"])] == [], text


def test_a_retried_message_sid_replays_the_stored_reply(client, demo_clinic):
    params = whatsapp_params("¿Trabajan con OSDE?")
    first = post_signed(client, PATH, params)
    second = post_signed(client, PATH, params)
    assert first.content == second.content
    assert Message.objects.filter(role=MessageRole.USER).count() == 1
    assert Message.objects.filter(role=MessageRole.ASSISTANT).count() == 1
    row = ProcessedWebhook.objects.get(key=f"wa:{params['MessageSid']}")
    assert row.is_complete and row.response_body == first.content.decode()
    assert row.conversation == conversation()


# --- Voice notes -------------------------------------------------------------------------


@pytest.fixture
def voice_note_servers(twilio_settings):
    """Twilio's media URL (basic auth, 302 to another origin) and an OpenAI-compatible
    transcriber, with the settings pointing at them."""

    def start(transcript: str):
        files = file_server()
        files.__enter__()
        media = media_server(
            account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, redirect_to=f"{files.base_url}/s3/voice-note?sig=abc"
        )
        media.__enter__()
        transcriber = transcription_server(transcript)
        transcriber.__enter__()
        started.extend([files, media, transcriber])
        twilio_settings.TWILIO_MEDIA_HOSTS = ["127.0.0.1"]
        twilio_settings.OPENAI_API_KEY = "sk-test-transcription"
        twilio_settings.OPENAI_BASE_URL = f"{transcriber.base_url}/v1"
        return files, media, transcriber

    started = []
    yield start
    for server in started:
        server.__exit__(None, None, None)


def voice_note_params(media_base_url: str, **extra) -> dict:
    sid = message_sid("MM")
    return whatsapp_params(
        "",
        sid=sid,
        NumMedia="1",
        MediaContentType0="audio/ogg",
        MediaUrl0=f"{media_base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}/Media/ME{'1' * 32}",
        **extra,
    )


def test_a_voice_note_is_downloaded_transcribed_and_answered(client, demo_clinic, voice_note_servers):
    files, media, transcriber = voice_note_servers("quisiera saber si trabajan con osde")
    replies = messages(twiml(post_signed(client, PATH, voice_note_params(media.base_url))))
    reply = "\n".join(replies)
    assert reply.startswith("Entendí: «quisiera saber si trabajan con osde».")
    assert "OSDE" in reply

    # Twilio's media URL got the account's credentials; the file's host (another origin)
    # did not: httpx drops them on a cross-origin redirect.
    assert [r["authorization"] for r in media.recorded.requests] == [
        media.recorded.requests[0]["authorization"]
    ] and media.recorded.requests[0]["authorization"].startswith("Basic ")
    assert len(files.recorded.requests) == 1
    assert "Authorization" not in files.recorded.requests[0]["headers"]

    (call,) = transcriber.recorded.requests
    assert call["authorization"] == "Bearer sk-test-transcription"
    assert call["files"]["file"]["filename"] == "voice.ogg"
    assert call["files"]["file"]["content"] == FAKE_OGG_OPUS
    assert call["fields"]["model"]
    assert call["fields"]["language"] == "es"
    # The transcript went through the engine as if typed.
    assert conversation().messages.filter(role=MessageRole.USER, text="quisiera saber si trabajan con osde").exists()


def test_a_voice_note_with_wrong_credentials_gets_a_polite_reply(
    client, demo_clinic, voice_note_servers, twilio_settings
):
    files, media, transcriber = voice_note_servers("no debería llegar acá")
    # The webhook is still signed with the auth token; the media download uses a wrong SID.
    twilio_settings.TWILIO_ACCOUNT_SID = "AC" + "9" * 32
    (reply,) = messages(twiml(post_signed(client, PATH, voice_note_params(media.base_url))))
    assert reply == responses.VOICE_NOTE_FAILED
    assert len(media.recorded.requests) == 1
    assert files.recorded.requests == [] and transcriber.recorded.requests == []


def test_media_credentials_only_go_to_twilio_hosts(client, demo_clinic, voice_note_servers, twilio_settings):
    _files, media, _transcriber = voice_note_servers("no debería llegar acá")
    twilio_settings.TWILIO_MEDIA_HOSTS = ["twilio.com"]  # the default: *.twilio.com only
    (reply,) = messages(twiml(post_signed(client, PATH, voice_note_params(media.base_url))))
    assert reply == responses.VOICE_NOTE_FAILED
    assert media.recorded.requests == []


def test_a_voice_note_without_speech_to_text_asks_for_text(client, demo_clinic):
    params = voice_note_params("https://api.twilio.com")
    (reply,) = messages(twiml(post_signed(client, PATH, params)))
    assert reply == responses.VOICE_NOTES_UNAVAILABLE
    texts = list(conversation().messages.values_list("role", "text"))
    assert texts == [(MessageRole.USER, whatsapp.VOICE_NOTE_LABEL), (MessageRole.ASSISTANT, reply)]


def test_google_speech_gets_ogg_opus_with_the_notes_sample_rate(client, demo_clinic, twilio_settings, monkeypatch):
    from google.cloud import speech

    from bot.channels import transcription

    twilio_settings.GOOGLE_APPLICATION_CREDENTIALS = "/secrets/google.json"
    monkeypatch.setattr(transcription, "download_media", lambda url: FAKE_OGG_OPUS)
    calls = []

    class FakeSpeechClient:
        def recognize(self, *, config, audio, timeout, retry):
            calls.append((config, audio, timeout))
            alternative = speech.SpeechRecognitionAlternative(transcript="a qué hora abren", confidence=0.9)
            return speech.RecognizeResponse(results=[speech.SpeechRecognitionResult(alternatives=[alternative])])

    monkeypatch.setattr(transcription, "_google_client", lambda: FakeSpeechClient())
    reply = "\n".join(messages(twiml(post_signed(client, PATH, voice_note_params("https://api.twilio.com")))))
    assert reply.startswith("Entendí: «a qué hora abren».")
    ((config, audio, timeout),) = calls
    assert config.encoding == speech.RecognitionConfig.AudioEncoding.OGG_OPUS
    assert config.sample_rate_hertz == 16000
    assert config.language_code == "es-MX"
    assert audio.content == FAKE_OGG_OPUS
    assert timeout <= 10


def test_when_google_fails_openai_transcribes(client, demo_clinic, voice_note_servers, twilio_settings, monkeypatch):
    from google.api_core import exceptions as google_exceptions

    from bot.channels import transcription

    _files, media, transcriber = voice_note_servers("a que hora abren")
    twilio_settings.GOOGLE_APPLICATION_CREDENTIALS = "/secrets/google.json"

    class FailingSpeechClient:
        def recognize(self, **kwargs):
            raise google_exceptions.ServiceUnavailable("google is down")

    monkeypatch.setattr(transcription, "_google_client", lambda: FailingSpeechClient())
    reply = "\n".join(messages(twiml(post_signed(client, PATH, voice_note_params(media.base_url)))))
    assert reply.startswith("Entendí: «a que hora abren».")
    assert len(transcriber.recorded.requests) == 1


def test_opus_sample_rate_defaults_to_48k():
    assert opus_sample_rate(FAKE_OGG_OPUS) == 16000
    assert opus_sample_rate(b"OggS not opus") == 48000


# --- Other media, odd messages -----------------------------------------------------------


def test_an_image_gets_a_polite_reply(client, demo_clinic, monkeypatch):
    params = whatsapp_params(
        "", NumMedia="1", MediaContentType0="image/jpeg", MediaUrl0="https://api.twilio.com/2010-04-01/x"
    )
    (reply,) = messages(twiml(post_signed(client, PATH, params)))
    assert reply == responses.CHAT_MEDIA
    assert Appointment.objects.count() == 0


def test_an_image_with_a_caption_answers_the_caption(client, demo_clinic):
    params = whatsapp_params(
        "¿Trabajan con OSDE?",
        NumMedia="1",
        MediaContentType0="image/jpeg",
        MediaUrl0="https://api.twilio.com/2010-04-01/x",
    )
    reply = "\n".join(messages(twiml(post_signed(client, PATH, params))))
    assert reply.startswith(responses.CHAT_MEDIA_WITH_TEXT)
    assert "OSDE" in reply


def test_a_location_without_text_gets_a_polite_reply(client, demo_clinic):
    params = whatsapp_params("", Latitude="-34.6", Longitude="-58.4")
    (reply,) = messages(twiml(post_signed(client, PATH, params)))
    assert reply == responses.CHAT_UNSUPPORTED


def test_long_replies_are_split_into_several_messages(client, demo_clinic, monkeypatch):
    paragraph = "Tenemos turnos disponibles con varios profesionales de la clínica esta semana. " * 6
    long_text = "\n".join([paragraph.strip()] * 8)

    async def long_reply(conversation, text, **turn_extras):
        return BotReply(text=long_text)

    monkeypatch.setattr("bot.engine.areply", long_reply)
    replies = send(client, "¿Qué turnos hay?")
    assert len(replies) > 1
    assert all(len(reply) <= 1600 for reply in replies)
    assert "".join(replies).replace("\n", "") == long_text.replace("\n", "")


def test_split_message_counts_emojis_as_twilio_does():
    text = "😀" * 1000  # 2,000 UTF-16 units
    parts = whatsapp.split_message(text)
    assert len(parts) == 2
    assert all(len(part.encode("utf-16-le")) // 2 <= 1600 for part in parts)
    assert "".join(parts) == text


def test_a_huge_body_gets_a_safe_reply_and_runs_nothing(client, demo_clinic):
    (reply,) = send(client, "turno " * 1000)
    assert reply == responses.CHAT_TOO_LONG
    assert Conversation.objects.count() == 0 and ProcessedWebhook.objects.count() == 0


@pytest.mark.parametrize(
    "override",
    [{"From": ""}, {"From": "whatsapp:no-es-un-numero"}, {"MessageSid": ""}, {"MessageSid": "SM123"}],
)
def test_malformed_requests_get_a_400(client, demo_clinic, override):
    response = post_signed(client, PATH, {**whatsapp_params("Hola"), **override})
    assert response.status_code == 400
    assert Conversation.objects.count() == 0


def test_garbage_fields_do_not_break_it(client, demo_clinic):
    replies = send(client, "Hola \x00\ufffd <Response> & </Message>", NumMedia="muchos", ProfileName="\u202e")
    assert replies and replies[0]


def test_an_engine_failure_is_an_apology_not_a_500(client, demo_clinic, monkeypatch, caplog):
    async def broken(conversation, text, **turn_extras):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("bot.engine.areply", broken)
    params = whatsapp_params("Hola")
    with caplog.at_level(logging.ERROR):
        (reply,) = messages(twiml(post_signed(client, PATH, params)))
    assert reply == responses.CHAT_APOLOGY
    assert "RuntimeError: database hiccup" in caplog.text
    # The claim was released: Twilio's retry runs the turn again.
    assert not ProcessedWebhook.objects.filter(key=f"wa:{params['MessageSid']}").exists()
    monkeypatch.undo()
    (retry,) = messages(twiml(post_signed(client, PATH, params)))
    assert retry != responses.CHAT_APOLOGY


def test_a_turn_that_fails_late_releases_its_claim_for_the_retry(client, demo_clinic, monkeypatch):
    def broken_work(*args, **kwargs):
        raise RuntimeError("failed after the engine answered")

    monkeypatch.setattr("bot.channels.whatsapp.Work", broken_work)
    params = whatsapp_params("¿Trabajan con OSDE?")
    (reply,) = messages(twiml(post_signed(client, PATH, params)))
    assert reply == responses.CHAT_APOLOGY
    assert ProcessedWebhook.objects.count() == 0
    monkeypatch.undo()
    (retry,) = messages(twiml(post_signed(client, PATH, params)))
    assert "OSDE" in retry
    assert ProcessedWebhook.objects.filter(key=f"wa:{params['MessageSid']}", is_complete=True).count() == 1


# --- The same message twice at once (PostgreSQL) -----------------------------------------


def answer_for(reply: str) -> str | None:
    """What a patient booking a turno answers to the assistant's last question."""
    text = reply.lower()
    if "confirmad" in text:
        return None
    if "¿confirma" in text:  # repeats name and document: check it first
        return "Sí, confirmo"
    if "nombre" in text:
        return "Juan Pérez"
    if "documento" in text or "dni" in text:
        return "12345678"
    if "?" in text and re.search(r"\d{1,2}:\d{2}", text):
        return "el primero"
    return None


def send_twice_at_once(params: dict, *, delay: float) -> list[bytes]:
    """Deliver the same webhook from two threads (two connections) at the same moment."""

    def retry():
        time.sleep(delay)  # the retry lands while the first copy is still running
        return post_signed(Client(), PATH, params)

    responses = run_at_once([partial(post_signed, Client(), PATH, params), retry])
    assert all(getattr(response, "status_code", None) == 200 for response in responses), responses
    return [response.content for response in responses]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: on SQLite concurrent writers serialize on one file lock, so nothing overlaps",
)
def test_the_same_message_sid_twice_at_once_books_once(demo_clinic_tx, twilio_settings, monkeypatch):
    import bot.engine

    real_reply = bot.engine.areply

    async def slow_reply(conversation, text, **turn_extras):
        await asyncio.sleep(0.3)  # widen the window in which both copies are in flight
        return await real_reply(conversation, text, **turn_extras)

    monkeypatch.setattr(bot.engine, "areply", slow_reply)
    client = Client()
    (reply,) = send(client, "Quiero un turno para cardiología")
    sids = []
    for _ in range(6):
        answer = answer_for(reply)
        if answer is None:
            break
        params = whatsapp_params(answer)
        sids.append(params["MessageSid"])
        # Every step of the booking is delivered twice at once: whichever one books, the
        # duplicate must replay its reply, not book again.
        first, second = send_twice_at_once(params, delay=0.05)
        assert first == second
        reply = "\n".join(messages(ET.fromstring(first)))
    assert Appointment.objects.count() == 1, reply
    assert "confirmad" in reply.lower()
    for sid in sids:
        assert ProcessedWebhook.objects.filter(key=f"wa:{sid}", is_complete=True).count() == 1
    conv = conversation()
    user_texts = list(conv.messages.filter(role=MessageRole.USER).values_list("text", flat=True))
    assert len(user_texts) == len(sids) + 1  # each delivery ran the engine once


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: on SQLite concurrent writers serialize on one file lock, so nothing overlaps",
)
def test_a_concurrent_duplicate_waits_and_replays_the_first_reply(demo_clinic_tx, twilio_settings, monkeypatch):
    import bot.engine

    real_reply = bot.engine.areply
    calls = []

    async def slow_reply(conversation, text, **turn_extras):
        calls.append(text)
        await asyncio.sleep(0.5)
        return await real_reply(conversation, text, **turn_extras)

    monkeypatch.setattr(bot.engine, "areply", slow_reply)
    params = whatsapp_params("/ayuda")
    first, second = send_twice_at_once(params, delay=0.1)
    assert first == second
    assert calls == ["/ayuda"]
    assert ProcessedWebhook.objects.get(key=f"wa:{params['MessageSid']}").response_body == first.decode()
    assert Message.objects.filter(role=MessageRole.USER).count() == 1


def test_a_flooding_numbers_voice_note_is_not_transcribed(client, demo_clinic, voice_note_servers, twilio_settings):
    twilio_settings.MESSAGE_RATE_PER_MINUTE = 2
    _files, media, transcriber = voice_note_servers("quiero un turno")
    with time_machine.travel(dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(2):
            post_signed(client, PATH, whatsapp_params("hola"))
        reply = "\n".join(messages(twiml(post_signed(client, PATH, voice_note_params(media.base_url)))))
    assert "espere un minuto" in reply
    assert transcriber.recorded.requests == [] and media.recorded.requests == []
