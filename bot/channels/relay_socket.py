"""The ConversationRelay WebSocket, /ws/voice: one realtime call per socket (an ASGI app,
routed by clinic_assistant/asgi.py).

Handshake: refused (403, before accepting) unless X-Twilio-Signature signs the socket's wss
URL (RequestValidator, no parameters), the same rule as every webhook. Then Twilio's messages:

- `setup`: the call (callSid, from); its conversation is the one the incoming-call webhook
  started, found by CallSid, so a second socket for the same call (after a drop) resumes
  from the state in PostgreSQL;
- `prompt` with `last: true`: the caller's final transcript, answered by the engine with
  `emit`: the OpenAI brain's tokens go out as `text` messages as they arrive, any other
  answer in one; `last: true` closes the answer. The turn runs as a task, so an `interrupt`
  is read while it is still talking;
- `interrupt`: the caller spoke over the answer; what was said stops, and the stored answer
  becomes `utteranceUntilInterrupt`, what the caller actually heard;
- `dtmf`: keypad digits, collected until `#` and answered as one utterance (a DNI typed on
  the keypad); `*` starts over;
- `error`: logged.

A transfer or a goodbye ends the session with `end` and handoff data, which Twilio passes to
the `<Connect action>` callback (bot/channels/relay.py)."""

import asyncio
import json
import logging
import os
import time
from dataclasses import dataclass, field

from asgiref.sync import ThreadSensitiveContext
from django.conf import settings
from django.db import connection
from twilio.request_validator import RequestValidator

from bot import responses
from bot.asyncdb import db_phase
from bot.channels import relay, voice
from bot.channels.common import BadWebhook, clean_sid
from bot.conversations import aconversation_turn, record_heard, record_message
from bot.formatting import spoken_digit_groups
from bot.models import Conversation, ConversationChannel, MessageRole
from bot.turns import aserialized_turn, turn_key

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 8_000
MAX_DIGITS = 20


def handshake_allowed(scope) -> bool:
    headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope.get("headers") or []}
    token = settings.TWILIO_AUTH_TOKEN
    if not token:
        if settings.DEBUG:
            logger.warning(
                "TWILIO_AUTH_TOKEN is not set: accepting %s WITHOUT signature check (DEBUG only)", scope["path"]
            )
            return True
        logger.error("TWILIO_AUTH_TOKEN is not set and DEBUG is off: refusing the relay socket")
        return False
    url = relay.relay_url(headers.get("host", ""))
    if query := scope.get("query_string", b"").decode("latin-1"):
        url = f"{url}?{query}"
    signature = headers.get("x-twilio-signature", "")
    if signature and RequestValidator(token).validate(url, {}, signature):
        return True
    logger.warning("Firma de Twilio inválida o ausente en el socket de voz (URL verificada: %s)", url)
    return False


class SpokenStream:
    """An answer as the caller hears it while it is still being written: exactly what
    for_speech (and the document numbers in groups) make of the whole answer, said as it
    comes. A word can change until it is complete ("08" then ":30" is "8:30", never "cero
    ocho"; "Dr" then "a." is "doctora"), so the last word waits for the space after it,
    and a line's closing pause for the line's end."""

    def __init__(self):
        self.written = ""
        self.said = ""

    def add(self, chunk: str) -> str:
        """What can be said now that `chunk` has been written (may be empty)."""
        self.written += chunk
        complete = self.written[: max(self.written.rfind(space) for space in " \n\t") + 1]
        return self._say(responses.for_speech(complete, partial=True))

    def finish(self) -> str:
        """The rest of the answer, once it is all written."""
        return self._say(responses.for_speech(self.written))

    def _say(self, spoken: str) -> str:
        spoken = spoken_digit_groups(spoken)
        # What was said stays said: go on from where it and the new rendering agree.
        agreed = len(os.path.commonprefix([self.said, spoken]))
        rest, self.said = spoken[agreed:], spoken
        return rest


@dataclass
class _Answer:
    """One answer being spoken: whether the caller cut it off, and what they heard."""

    interrupted: bool = False
    heard: str = ""
    spoken: SpokenStream = field(default_factory=SpokenStream)


class RelaySession:
    def __init__(self, send):
        self._send = send
        self.open = True
        self.call_sid = ""
        self.participant = ""
        self.conversation: Conversation | None = None
        self.turn: asyncio.Task | None = None
        self.answer: _Answer | None = None
        self.digits: list[str] = []
        self.turn_key = ""

    async def send_json(self, message: dict) -> None:
        if self.open:
            await self._send({"type": "websocket.send", "text": json.dumps(message, ensure_ascii=False)})

    async def handle(self, raw: str) -> None:
        try:
            message = json.loads(raw[:MAX_MESSAGE_CHARS])
        except ValueError:
            logger.warning("Socket de voz: mensaje que no es JSON")
            return
        if not isinstance(message, dict):
            return
        kind = message.get("type")
        if kind == "setup":
            await self.setup(message)
        elif self.conversation is None:
            logger.warning("Socket de voz: %s antes de setup", kind)
        elif kind == "prompt" and message.get("last", True):
            await self.start_turn(str(message.get("voicePrompt") or ""))
        elif kind == "interrupt":
            await self.interrupted(str(message.get("utteranceUntilInterrupt") or ""))
        elif kind == "dtmf":
            await self.keypad(str(message.get("digit") or ""))
        elif kind == "error":
            logger.warning("Llamada %s: error de ConversationRelay: %s", self.call_sid, message.get("description"))

    async def setup(self, message: dict) -> None:
        try:
            self.call_sid = clean_sid(message.get("callSid"), field="callSid", prefixes=("CA",))
            self.participant, masked = voice.caller({"From": message.get("from") or "", "CallSid": self.call_sid})
        except BadWebhook as error:
            logger.warning("Socket de voz: setup inválido (%s)", error)
            await self._send({"type": "websocket.close", "code": 1008})
            self.open = False
            return
        async with aconversation_turn(
            channel=ConversationChannel.PHONE, participant=self.participant, call_sid=self.call_sid
        ) as conversation:
            session = str(message.get("sessionId") or "")[:40]
            await db_phase(record_message)(
                conversation=conversation, role=MessageRole.SYSTEM, text=f"{relay.SETUP_MARK} {session}", brain="relay"
            )
        self.conversation = conversation
        self.turn_key = turn_key(
            channel=ConversationChannel.PHONE, participant=self.participant, call_sid=self.call_sid
        )
        logger.info("Llamada %s de %s: sesión en tiempo real %s", self.call_sid, masked, session)

    async def start_turn(self, text: str) -> None:
        heard_at = time.monotonic()
        if self.turn is not None and not self.turn.done():
            await asyncio.wait([self.turn])  # one answer at a time, in order
        self.turn = asyncio.create_task(self.run_turn(text[: voice.MAX_SPEECH_CHARS], heard_at=heard_at))

    async def run_turn(self, text: str, *, heard_at: float) -> None:
        from bot import engine

        answer = self.answer = _Answer()

        async def say(chunk: str) -> None:
            if not answer.interrupted and (spoken := answer.spoken.add(chunk)):
                await self.send_json({"type": "text", "token": spoken, "last": False})

        async def finish() -> None:
            # The answer's end (`last: true`) carries its last words; nothing after an interrupt.
            if not answer.interrupted:
                await self.send_json({"type": "text", "token": answer.spoken.finish(), "last": True})

        conversation = self.conversation
        assert conversation is not None
        try:
            # The socket's conversation, kept since setup and saved by each of its turns, is
            # current: nothing else writes to a call while its session runs. The lease still
            # orders its turns with the callbacks'.
            async with aserialized_turn(self.turn_key):
                if voice.KEYPAD_REQUEST_RE.search(text) and (
                    keypad_text := await db_phase(voice.keypad_request_reply)(conversation, text)
                ):
                    await say(keypad_text)
                    await finish()
                    return
                before = conversation.load_state().step
                reply = await engine.areply(
                    conversation,
                    text,
                    emit=say,
                    heard_at=heard_at,
                    deadline=heard_at + settings.TURN_DEADLINE_SECONDS,
                )
                if voice.keypad_offer(before=before, after=conversation.load_state().step)[1]:
                    # The DNI was misheard: offer the keypad (its digits arrive as dtmf).
                    await say(" " + responses.CALL_KEYPAD)
                    await db_phase(record_message)(
                        conversation=conversation, role=MessageRole.ASSISTANT, text=responses.CALL_KEYPAD, brain="voice"
                    )
                if answer.interrupted:
                    await db_phase(record_heard)(conversation=conversation, heard=answer.heard)
        except Exception:
            logger.exception("Llamada %s: el turno en tiempo real falló", self.call_sid)
            await say(" " + responses.CALL_APOLOGY)
            await finish()
            return
        await finish()
        if reply.transfer_to_human or reply.end_conversation:
            reason = relay.HANDOFF_TRANSFER if reply.transfer_to_human else relay.HANDOFF_GOODBYE
            await self.send_json(
                {"type": "end", "handoffData": relay.handoff_data(reason=reason, conversation=conversation)}
            )

    async def interrupted(self, heard: str) -> None:
        answer = self.answer
        if answer is None or answer.interrupted:
            return
        answer.interrupted, answer.heard = True, heard.strip()
        if self.turn is not None and self.turn.done() and self.conversation is not None:
            # The answer was complete and still being said: correct the stored one now.
            await db_phase(record_heard)(conversation=self.conversation, heard=answer.heard)

    async def keypad(self, digit: str) -> None:
        if digit == "#":
            typed, self.digits = "".join(self.digits), []
            if typed:
                await self.start_turn(typed)
        elif digit == "*":
            self.digits = []
        elif digit.isdigit() and len(self.digits) < MAX_DIGITS:
            self.digits.append(digit)

    async def close(self) -> None:
        """The socket is gone: a running turn still finishes, so its state is saved for
        the next socket of the call (nothing is sent any more)."""
        self.open = False
        if self.turn is not None and not self.turn.done():
            await asyncio.wait([self.turn])


async def relay_session(scope, receive, send) -> None:
    # Each socket's database phases get a thread of their own (as Django does per request).
    async with ThreadSensitiveContext():
        message = await receive()
        if message["type"] != "websocket.connect":
            return
        if not handshake_allowed(scope):
            await send({"type": "websocket.close", "code": 1008})  # before accept: HTTP 403
            return
        await send({"type": "websocket.accept"})
        session = RelaySession(send)
        try:
            while session.open:
                message = await receive()
                if message["type"] == "websocket.disconnect":
                    break
                if message["type"] == "websocket.receive":
                    await session.handle(message.get("text") or "")
        finally:
            await session.close()
            # As Django does at the end of a request: the socket's thread lets go of its connection.
            await db_phase(connection.close)()
