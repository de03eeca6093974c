"""Malformed requests, signed like Twilio signs (the real RequestValidator), across every
webhook: each one is a 400 or a TwiML answer, never a 5xx. The generator is seeded, so a
failure names a reproducible case (its index, path and parameters).

Each case starts from a well-formed request of one webhook and applies a few mutations:
a field removed, replaced by a hostile value (NUL bytes, digits that are not ASCII,
huge or negative numbers, markup, control characters, 5,000 characters), repeated with
several values, an unknown field added, or the query string (?turn=, ?dial=) bent."""

import logging
import random
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from django.utils.datastructures import MultiValueDict

from bot.tests.twilio_helpers import ACCOUNT_SID, sign, voice_params, whatsapp_params

SEED = 20261201
CASES = 3000

HOSTILE_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "hola\x00quiero turno",
    "²",
    "٣",
    "１２",
    "-1",
    "0",
    "00",
    "1e309",
    "NaN",
    "inf",
    "9" * 40,
    "-" + "9" * 40,
    "0x1F",
    "+" * 60,
    "<Say>hola</Say>",
    "]]><Response/>",
    "&amp;&#0;&#x0;",
    "'; DROP TABLE bot_conversation; --",
    "%00",
    "\u202e\u200d\ufeff",
    "😀" * 50,
    "\r\n\t\x0b\x0c\x1b[31m",
    "\ud7ff\ue000\U0010ffff",
    "whatsapp:",
    "whatsapp:+",
    "whatsapp:+54 9 11 5555-0000",
    "client:anonymous",
    "sip:alice@example.com",
    "anonymous",
    "+266696687",
    "SM" + "0" * 32,
    "MM" + "f" * 32,
    "CA" + "g" * 32,
    "CA" + "0" * 31 + "\x00",
    "completed",
    "in-progress",
    "answered",
    "audio/ogg",
    "image/jpeg",
    "http://127.0.0.1:1/nothing",
    "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME",
    "file:///etc/passwd",
    "quiero un turno para cardiologia el miercoles a las diez",
    "sí",
    "/reiniciar",
    "/ayuda",
]

FIELDS = {
    "voice": ["CallSid", "From", "To", "Caller", "CallStatus", "Direction", "AccountSid"],
    "gather": ["CallSid", "From", "SpeechResult", "Confidence", "DialCallStatus", "CallStatus", "Digits"],
    "status": ["CallSid", "From", "CallStatus", "CallDuration", "Duration", "Timestamp"],
    "whatsapp": [
        "MessageSid",
        "From",
        "Body",
        "NumMedia",
        "MediaUrl0",
        "MediaContentType0",
        "ProfileName",
        "WaId",
        "NumSegments",
        "Latitude",
        "ButtonPayload",
    ],
    "message_status": ["MessageSid", "MessageStatus", "ErrorCode", "To", "From", "SmsStatus"],
}
QUERY_VALUES = ["1", "2", "0", "-1", "²", "٣", "１", "9" * 30, "1.5", " 3", "3 ", "", "a", "\x00", "%00", "10001"]


def _hostile(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(HOSTILE_VALUES)
    if roll < 0.9:
        # Random code points from every plane except the surrogates (not encodable in a form).
        alphabet = [
            chr(rng.choice([rng.randrange(0, 0x80), rng.randrange(0x80, 0xD800), rng.randrange(0xE000, 0x110000)]))
            for _ in range(rng.randrange(1, 80))
        ]
        return "".join(alphabet)
    return rng.choice(["x", "9", "\x00", "é"]) * rng.choice([1_001, 4_001, 5_000])


def _base(rng: random.Random, kind: str, sid: str) -> dict[str, str]:
    if kind == "whatsapp":
        return whatsapp_params(rng.choice(["Hola", "quiero un turno para cardiología", "sí", ""]), sid=sid)
    if kind == "message_status":
        status = rng.choice(["delivered", "failed", "undelivered", "read", "sent"])
        params = {
            "AccountSid": ACCOUNT_SID,
            "MessageSid": sid,
            "MessageStatus": status,
            "To": "whatsapp:+5491166667788",
        }
        return params | ({"ErrorCode": "63016"} if status in {"failed", "undelivered"} else {})
    extra = {
        "voice": {},
        "gather": {"SpeechResult": "quiero un turno para cardiologia", "Confidence": "0.91"},
        "status": {"CallStatus": "completed", "CallDuration": "42"},
    }[kind]
    return voice_params(sid, **extra)


def _path(rng: random.Random, kind: str) -> str:
    path = {
        "voice": "/webhook/voice",
        "gather": "/webhook/voice/gather",
        "status": "/webhook/voice/status",
        "whatsapp": "/webhook/whatsapp",
        "message_status": "/webhook/messages/status",
    }[kind]
    if kind != "gather" and rng.random() < 0.8:
        return path
    query = []
    if rng.random() < 0.85:
        query.append(("turn", rng.choice(QUERY_VALUES)))
    if rng.random() < 0.3:
        query.append(("dial", rng.choice(["1", "0", "²", "", "yes"])))
    if rng.random() < 0.1:
        query.append(("turn", rng.choice(QUERY_VALUES)))
    # Percent-encoded as Twilio sends (and signs) it.
    return f"{path}?{urlencode(query)}" if query else path


def fuzz_case(rng: random.Random, index: int) -> tuple[str, MultiValueDict]:
    """One signed-to-be request: (path with query, form fields possibly repeated)."""
    kind = rng.choice(list(FIELDS))
    prefix = "SM" if kind in {"whatsapp", "message_status"} else "CA"
    # A few SIDs reused across cases: retries and several turns of the same call meet.
    sid = f"{prefix}{rng.randrange(16 if rng.random() < 0.5 else 10**6):032x}"
    params = MultiValueDict({key: [value] for key, value in _base(rng, kind, sid).items()})
    for _ in range(rng.randrange(1, 4)):
        field = rng.choice(FIELDS[kind])
        action = rng.random()
        if action < 0.15:
            params.pop(field, None)
        elif action < 0.8:
            params.setlist(field, [_hostile(rng)])
        elif action < 0.9:
            params.setlist(field, [_hostile(rng) for _ in range(rng.randrange(2, 4))])
        else:
            params.setlist(f"X{_hostile(rng)[:20]}", [_hostile(rng)])
    params.setlist("AccountSid", [ACCOUNT_SID])
    return _path(rng, kind), params


def _post(client: Client, path: str, params: MultiValueDict):
    signature = sign(f"http://testserver{path}", params)
    # Form-encoded, as Twilio posts (the test client's default multipart would alter some values).
    body = urlencode([(key, value) for key, values in params.lists() for value in values])
    return client.post(
        path, data=body, content_type="application/x-www-form-urlencoded", HTTP_X_TWILIO_SIGNATURE=signature
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("twilio_settings")
def test_signed_malformed_requests_never_get_a_5xx(demo_clinic, caplog):
    caplog.set_level(logging.CRITICAL)  # thousands of expected warnings; failures are collected below
    client = Client(raise_request_exception=False)
    rng = random.Random(SEED)
    failures, statuses = [], {}
    with time_machine.travel("2026-12-01 10:00 -03:00", tick=False):
        for index in range(CASES):
            path, params = fuzz_case(rng, index)
            response = _post(client, path, params)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code >= 500 or response.status_code == 403:
                error = repr(response.exc_info[1])[:200] if getattr(response, "exc_info", None) else ""
                failures.append((index, path, response.status_code, error))
    assert not failures, f"{len(failures)} of {CASES} failed, first: {failures[:10]!r}"
    # The run exercised both ways out: refusals of malformed fields and real answers.
    assert statuses.get(400, 0) > CASES // 10
    assert statuses.get(200, 0) > CASES // 3


@pytest.mark.django_db
@pytest.mark.usefixtures("twilio_settings")
@pytest.mark.parametrize("turn", ["²", "٣", "１", "-1", "1.5", "9" * 30])
def test_a_turn_that_is_not_ascii_digits_is_a_400(client, demo_clinic, turn):
    path = f"/webhook/voice/gather?{urlencode({'turn': turn})}"
    params = MultiValueDict({key: [value] for key, value in voice_params("CA" + "1" * 32).items()})
    assert _post(client, path, params).status_code == 400


@pytest.mark.django_db
@pytest.mark.usefixtures("twilio_settings")
def test_nul_bytes_in_a_message_are_dropped_and_the_message_answered(client, demo_clinic):
    from bot.models import Message, MessageRole

    params = MultiValueDict(
        {key: [value] for key, value in whatsapp_params("¿Trabajan con\x00 OSDE?", ProfileName="Ju\x00an").items()}
    )
    with time_machine.travel("2026-12-01 10:00 -03:00", tick=False):
        response = _post(client, "/webhook/whatsapp", params)
    assert response.status_code == 200
    stored = Message.objects.get(role=MessageRole.USER)
    assert stored.text == "¿Trabajan con OSDE?"
    # Answered by a brain, not the engine's apology for a failed turn.
    assert Message.objects.get(role=MessageRole.ASSISTANT).brain == "rules"
