"""A model server answering garbage: every unusable answer hands the turn to the offline
brain (never an apology), and no reply is longer than its channel allows. Through the
signed webhooks, with the real `openai` SDK against the scripted local server."""

import json

import pytest
import time_machine

from bot.brains import model_answer
from bot.formatting import DEFAULT_REPLY_MAX_CHARS, REPLY_MAX_CHARS, cap_reply
from bot.models import Message, MessageRole
from bot.tests import fake_openai as fake
from bot.tests.twilio_helpers import call_sid, messages, post_signed, said, twiml, voice_params, whatsapp_params

NOW = "2026-12-01 10:00 -03:00"
QUESTION = "¿Qué especialidades tienen?"
HUGE = "Tenemos cardiología. " * 10_000  # 210,000 characters


def _message(**fields) -> dict:
    body = fake.text("placeholder")
    body["choices"][0]["message"] = {"role": "assistant", **fields}
    return body


def _with(**top) -> dict:
    body = fake.text("placeholder")
    body.update(top)
    return body


GARBAGE = {
    "invalid JSON": fake.Raw(b'{"choices": [{"message": {"content": "Ho'),
    "a JSON array": fake.Raw(json.dumps([fake.text("Hola")]).encode()),
    "a JSON string": fake.Raw(b'"Tenemos cardiolog\\u00eda"'),
    "an HTML error page": fake.Raw(b"<html><body>502 Bad Gateway</body></html>", "text/html"),
    "an empty body": fake.Raw(b""),
    "content that is an object": _message(content={"text": "Tenemos cardiología"}),
    "content that is a list": _message(content=[{"type": "text", "text": "Tenemos cardiología"}]),
    "content that is a number": _message(content=42),
    "no choices": _with(choices=None),
    "empty choices": _with(choices=[]),
    "choices that are text": _with(choices="Tenemos cardiología"),
    "a null message": _with(choices=[{"index": 0, "message": None, "finish_reason": "stop"}]),
    "empty content": _message(content=""),
    "blank content": _message(content="   \n "),
    "tool_calls that are an object": _message(content=None, tool_calls={"name": "get_clinic_info"}),
    "a tool call without function": _message(content=None, tool_calls=[{"id": "c1", "type": "function"}]),
    "a tool name that is a number": _message(
        content=None, tool_calls=[{"id": "c1", "type": "function", "function": {"name": 7, "arguments": "{}"}}]
    ),
    "arguments that are a list": _message(
        content=None,
        tool_calls=[{"id": "c1", "type": "function", "function": {"name": "get_clinic_info", "arguments": [1]}}],
    ),
    "a 200,000-character answer": fake.text(HUGE),
}


@pytest.fixture
def model(scripted_model):
    return scripted_model


@pytest.fixture(autouse=True)
def clinic_clock():
    with time_machine.travel(NOW, tick=True):
        yield


def _assistant_rows() -> list[Message]:
    return list(Message.objects.filter(role=MessageRole.ASSISTANT).order_by("id"))


@pytest.mark.parametrize("kind", list(GARBAGE))
def test_garbage_from_the_model_is_answered_by_the_offline_brain(client, demo_clinic, model, kind):
    model.script(GARBAGE[kind])

    replies = messages(twiml(post_signed(client, "/webhook/whatsapp", whatsapp_params(QUESTION))))

    assert len(model.requests) == 1
    [row] = _assistant_rows()
    assert row.brain == "rules", (kind, row.text)
    assert replies == [row.text]
    assert "Cardiología" in row.text  # the offline brain's list of specialties, not an apology


def test_garbage_after_a_tool_ran_still_ends_in_the_offline_answer(client, demo_clinic, model):
    model.script(fake.tool_calls(fake.call("get_clinic_info", {"topic": "specialties"})), fake.Raw(b"[]"))

    twiml(post_signed(client, "/webhook/whatsapp", whatsapp_params(QUESTION)))

    assert len(model.requests) == 2
    assert _assistant_rows()[-1].brain == "rules"
    assert Message.objects.filter(role=MessageRole.TOOL, tool_name="get_clinic_info").count() == 1


def test_a_200k_answer_on_a_call_is_not_read_out(client, demo_clinic, model):
    model.script(fake.text(HUGE))
    sid = call_sid()
    twiml(post_signed(client, "/webhook/voice", voice_params(sid)))

    root = twiml(
        post_signed(client, "/webhook/voice/gather?turn=1", voice_params(sid, SpeechResult="que especialidades tienen"))
    )

    assert len(said(root)) <= REPLY_MAX_CHARS["phone"]
    assert _assistant_rows()[-1].brain == "rules"


def test_a_long_but_usable_answer_on_a_call_is_cut_after_a_sentence(client, demo_clinic, model):
    sentence = "Tenemos turnos de cardiología con el doctor Gutiérrez. "
    model.script(fake.text(sentence * (model_answer.MAX_TEXT_CHARS // len(sentence))))
    sid = call_sid()
    twiml(post_signed(client, "/webhook/voice", voice_params(sid)))

    root = twiml(
        post_signed(client, "/webhook/voice/gather?turn=1", voice_params(sid, SpeechResult="hay turnos de cardiologia"))
    )

    row = _assistant_rows()[-1]
    assert row.brain == "openai"
    assert len(row.text) <= REPLY_MAX_CHARS["phone"] and len(said(root)) <= REPLY_MAX_CHARS["phone"]
    assert row.text.endswith("…") and row.text.removesuffix("…").endswith(".")


@pytest.mark.parametrize("channel", ["whatsapp", "chat", "simulator"])
def test_text_channels_cap_a_reply_at_their_limit(channel):
    capped = cap_reply("Una frase corta. " * 1_000, channel=channel)
    assert len(capped) <= DEFAULT_REPLY_MAX_CHARS
    assert capped.endswith(".…")


def test_control_characters_in_the_models_text_are_dropped(client, demo_clinic, model):
    model.script(fake.text("Tenemos\x00 cardiología\x07 y pediatría."))

    replies = messages(twiml(post_signed(client, "/webhook/whatsapp", whatsapp_params(QUESTION))))

    notice, answer = replies[0].split("\n\n")  # the first message of a conversation carries the notice
    assert notice.startswith("Le responde el asistente automático") and answer == "Tenemos cardiología y pediatría."
    assert _assistant_rows()[-1].brain == "openai"
