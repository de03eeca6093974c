"""Realtime phone calls over Twilio ConversationRelay (VOICE_MODE=relay): the TwiML that
connects a call to the WebSocket (/ws/voice, bot/channels/relay_socket.py), and the
`<Connect action>` callback Twilio requests when a relay session ends.

Twilio does the speech recognition and the text-to-speech; the socket gets the caller's
final transcripts and streams the answer back as text tokens, so the caller hears the first
words while the model is still writing and can interrupt. A session ends in one of three ways,
told apart by the callback:

- the socket sent `end` with handoff data `{"reason": "transfer"}`: dial reception (the dial's
  result then continues in gather mode, bot/channels/voice.py);
- `{"reason": "goodbye"}`: hang up;
- no handoff data (the socket dropped, or could not be opened): a session that had started
  (its `setup` is in the conversation's record) is connected again, up to MAX_RECONNECTS
  times, and the new socket resumes from the state in PostgreSQL; a call whose socket never
  opened, or kept dropping, continues in gather mode, where it was."""

import json
import logging

from django.conf import settings
from django.urls import reverse
from twilio.twiml.voice_response import Connect, VoiceResponse

from bot import responses
from bot.channels import voice
from bot.channels.common import clean_sid
from bot.channels.idempotency import Work, run_once
from bot.models import Conversation, MessageRole, ProcessedWebhook
from clinic.models import Clinic

logger = logging.getLogger(__name__)

RELAY_WS_PATH = "/ws/voice"
MAX_RECONNECTS = 2
# Recorded (a system message) when a session's socket has opened: the callback tells a
# dropped session from one that never started by it.
SETUP_MARK = "relay:setup"
HANDOFF_TRANSFER = "transfer"
HANDOFF_GOODBYE = "goodbye"


def relay_url(request_host: str) -> str:
    """The socket's public URL: PUBLIC_BASE_URL's host when set (the URL Twilio signs the
    handshake for), else the host this request came to; always wss (Render's proxy 301s ws)."""
    base = settings.PUBLIC_BASE_URL or f"https://{request_host}"
    host = base.split("://", 1)[-1].rstrip("/")
    return f"wss://{host}{RELAY_WS_PATH}"


def render_connect(*, conversation: Conversation, clinic: Clinic | None, greeting: str, ws_url: str) -> str:
    """<Connect action><ConversationRelay …>: the call's language and voice, the greeting
    Twilio says by itself, interruptible by speech and keypad, keypad digits reported, the
    clinic's specialties and coverages as recognition hints, who the call is as parameters."""
    response = VoiceResponse()
    connect = Connect(action=reverse("webhook-voice-relay"), method="POST")
    attributes = {
        "url": ws_url,
        "language": settings.VOICE_LANGUAGE,
        "interruptible": "any",
        "dtmf_detection": True,
        "hints": voice.speech_hints(clinic),
    }
    if greeting:
        attributes["welcome_greeting"] = responses.for_speech(greeting)
    if settings.VOICE_RELAY_VOICE:
        attributes["voice"] = settings.VOICE_RELAY_VOICE
    relay = connect.conversation_relay(**attributes)
    relay.parameter(name="conversation", value=str(conversation.pk))
    relay.parameter(name="caller", value=conversation.participant)
    response.append(connect)
    return str(response)


def handoff_data(*, reason: str, conversation: Conversation) -> str:
    """What the socket's `end` message hands to the callback."""
    return json.dumps({"reason": reason, "conversation": conversation.pk})


def _handoff_reason(raw: str) -> str:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return ""
    return str(data.get("reason", "")) if isinstance(data, dict) else ""


def _next_turn(conversation: Conversation) -> int:
    # Gather turns after a relay session get numbers past every message so far, so their
    # idempotency keys never meet the ones of an earlier stretch of the call in gather mode.
    return conversation.messages.count() + 1


def handle_session_end(params, query, *, request_host: str) -> str:
    """POST /webhook/voice/relay: the <Connect action> callback."""
    call_sid = clean_sid(params.get("CallSid"), field="CallSid", prefixes=("CA",))
    participant, _masked = voice.caller(params)
    session = (params.get("SessionId") or "").strip()[:64] or "-"
    reason = _handoff_reason(params.get("HandoffData") or "")
    key = f"relay:{call_sid}:{session}"

    def work() -> Work:
        with voice.call_turn(participant=participant, call_sid=call_sid) as conversation:
            return Work(answer(conversation), conversation)

    def answer(conversation: Conversation) -> str:
        clinic = conversation.clinic
        if reason == HANDOFF_TRANSFER:
            return voice.render_transfer(text="", turn=_next_turn(conversation), clinic=clinic)
        if reason == HANDOFF_GOODBYE:
            return voice.render_hangup("")
        started = conversation.messages.filter(role=MessageRole.SYSTEM, text__startswith=SETUP_MARK).exists()
        drops = ProcessedWebhook.objects.filter(key__startswith=f"relay:{call_sid}:").exclude(key=key).count()
        logger.warning(
            "Llamada %s: la sesión en tiempo real terminó sin traspaso (%s, error %s)",
            call_sid,
            params.get("SessionStatus") or "?",
            params.get("ErrorCode") or "-",
        )
        if started and drops < MAX_RECONNECTS:
            return render_connect(
                conversation=conversation,
                clinic=clinic,
                greeting=responses.CALL_RESUMED,
                ws_url=relay_url(request_host),
            )
        return voice.render_listen(text=responses.CALL_CONTINUE, turn=_next_turn(conversation), clinic=clinic)

    body, _replayed = run_once(key, work)
    return body
