"""WhatsApp through Twilio: text and voice notes in, TwiML <Message>s out.

The conversation is per WhatsApp number and continues across messages (the conversation
service starts a new one after a goodbye or a long pause). A retried MessageSid replays the
stored reply (see idempotency)."""

import logging

from twilio.twiml.messaging_response import MessagingResponse

from appointments.phones import mask_phone, normalize_phone
from bot import responses
from bot.asyncdb import db_phase
from bot.channels.common import SID_RE, BadWebhook, clean_sid, parse_count
from bot.channels.idempotency import Work, arun_once
from bot.channels.transcription import Transcript, TranscriptionFailed, TranscriptionUnavailable, transcribe_media
from bot.conversations import aconversation_turn, record_message
from bot.models import ConversationChannel, MessageRole
from bot.turns import TurnBusy
from bot.types import QuickReply
from clinic.selectors import get_default_clinic
from identity.ratelimit import is_over_limit
from identity.selectors import caps_for

logger = logging.getLogger(__name__)


def _engine():
    # Imported on use: loading the URLconf (and so /health) must not depend on the engine's
    # own imports (brains, NLU); a broken one costs an apology per turn, not the whole site.
    from bot import engine

    return engine


# One Twilio message body holds at most 1,600 characters (UTF-16 code units, as emojis
# count double); longer replies go as several messages.
MESSAGE_LIMIT = 1600
MAX_MESSAGES = 10
# WhatsApp itself allows 4,096 characters; anything longer is not a patient typing.
MAX_BODY_CHARS = 4000
MAX_QUOTE_CHARS = 300

VOICE_NOTE_LABEL = "[Audio]"
MEDIA_LABEL = "[Archivo adjunto: {content_type}]"


# --- TwiML building ------------------------------------------------------------------


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _hard_split(text: str, limit: int) -> list[str]:
    """Split one over-long paragraph at word boundaries (characters as a last resort)."""
    parts: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if _units(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while _units(word) > limit:
            cut = limit
            while _units(word[:cut]) > limit:
                cut -= 1
            parts.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        parts.append(current)
    return parts


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut `text` into messages of at most `limit` units, at line breaks when possible so
    lists stay readable, else at spaces."""
    text = (text or "").strip()
    if _units(text) <= limit:
        return [text] if text else []
    messages: list[str] = []
    current = ""
    for line in text.split("\n"):
        pieces = [line] if _units(line) <= limit else _hard_split(line, limit)
        for piece in pieces:
            candidate = f"{current}\n{piece}" if current else piece
            if _units(candidate) <= limit:
                current = candidate
            else:
                if current.strip():
                    messages.append(current.strip())
                current = piece
    if current.strip():
        messages.append(current.strip())
    return messages


def render_messages(text: str) -> str:
    response = MessagingResponse()
    messages = split_message(text)
    if len(messages) > MAX_MESSAGES:
        messages = messages[: MAX_MESSAGES - 1] + [messages[MAX_MESSAGES - 1].rstrip() + " …"]
    for message in messages:
        response.message(message)
    return str(response)


def render_empty() -> str:
    return str(MessagingResponse())


def render_apology() -> str:
    return render_messages(responses.CHAT_APOLOGY)


# --- Webhook -----------------------------------------------------------------------------


def _num_media(params) -> int:
    return parse_count(params.get("NumMedia")) or 0


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE_CHARS else text[: MAX_QUOTE_CHARS - 1].rstrip() + "…"


def _transcribe(*, url: str, content_type: str) -> Transcript | str:
    """The voice note's transcript, or the reply that explains why there is none."""
    try:
        transcript = transcribe_media(url, content_type=content_type)
    except TranscriptionUnavailable:
        logger.warning("Audio de WhatsApp sin transcribir: no hay proveedor de voz a texto configurado")
        return responses.VOICE_NOTES_UNAVAILABLE
    except TranscriptionFailed as error:
        logger.warning("Audio de WhatsApp sin transcribir: %s", error)
        return responses.VOICE_NOTE_FAILED
    return transcript if transcript.text else responses.VOICE_NOTE_EMPTY


async def _voice_note_reply(conversation, transcript: Transcript | str, *, deadline: float) -> str:
    if isinstance(transcript, str):
        return await db_phase(_recorded)(conversation, VOICE_NOTE_LABEL, transcript)
    reply = await _engine().areply(conversation, transcript.text, deadline=deadline)
    return responses.voice_note_understood(_quote(transcript.text), reply.text)


def _recorded(conversation, patient_text: str, answer: str) -> str:
    """Turns answered here rather than by the engine still belong in the history."""
    record_message(conversation=conversation, role=MessageRole.USER, text=patient_text)
    record_message(conversation=conversation, role=MessageRole.ASSISTANT, text=answer, brain="whatsapp")
    return answer


def _quick_reply(params) -> QuickReply:
    """A template button press: its id, and the clinic message it answers. Malformed values
    are ignored (the text still goes through), never an error."""
    payload = (params.get("ButtonPayload") or "").strip()[:64]
    replied_to = (params.get("OriginalRepliedMessageSid") or "").strip()
    return QuickReply(payload=payload, replied_to=replied_to if SID_RE.match(replied_to) else "")


async def handle_message(params, query, *, deadline: float) -> str:
    """POST /webhook/whatsapp. Async: the turn waits on the model without a thread; past
    `deadline` (Twilio's 15 s, queue time included) the offline brain answers."""
    message_sid = clean_sid(params.get("MessageSid"), field="MessageSid", prefixes=("SM", "MM"))
    sender = (params.get("From") or "").strip()
    phone = normalize_phone(sender)
    if not phone:
        raise BadWebhook("From missing or not a phone number")
    body = params.get("Body") or ""
    num_media = _num_media(params)
    logger.info("WhatsApp recibido de %s, MessageSid: %s, adjuntos: %d", mask_phone(phone), message_sid, num_media)
    if len(body) > MAX_BODY_CHARS:
        logger.warning("WhatsApp %s: mensaje de %d caracteres, no se procesa", message_sid, len(body))
        return render_messages(responses.CHAT_TOO_LONG)
    text = body.strip()
    content_type = (params.get("MediaContentType0") or "").strip().lower()
    media_url = (params.get("MediaUrl0") or "").strip()
    is_voice_note = bool(num_media and content_type.startswith("audio/") and media_url)
    quick_reply = _quick_reply(params)

    def prepare() -> Transcript | str:
        # Download and transcription: network time, no database writes.
        if is_over_limit(key=phone, limit=caps_for(get_default_clinic()).messages_per_minute):
            return responses.RATE_LIMITED  # a flooding number's audio is not transcribed (a model call)
        return _transcribe(url=media_url, content_type=content_type)

    async def work(transcript: Transcript | str | None = None) -> Work:
        async with aconversation_turn(channel=ConversationChannel.WHATSAPP, participant=phone) as conversation:
            return Work(render_messages(await answer(conversation, transcript)), conversation)

    async def answer(conversation, transcript: Transcript | str | None) -> str:
        engine = _engine()
        if is_voice_note and transcript is not None:
            return await _voice_note_reply(conversation, transcript, deadline=deadline)
        if num_media and text:
            # An image with a caption: answer the caption, and say the file was not read.
            return f"{responses.CHAT_MEDIA_WITH_TEXT}\n\n{(await engine.areply(conversation, text, deadline=deadline)).text}"
        if num_media:
            label = MEDIA_LABEL.format(content_type=content_type or "?")
            return await db_phase(_recorded)(conversation, label, responses.CHAT_MEDIA)
        if not text:
            # Locations, contacts, reactions and the like arrive without Body or media.
            return await db_phase(_recorded)(conversation, "[Mensaje sin texto]", responses.CHAT_UNSUPPORTED)
        return (await engine.areply(conversation, text, quick_reply=quick_reply, deadline=deadline)).text

    try:
        # Only a voice note has anything to prepare: a text turn saves the database phase.
        reply_body, replayed = await arun_once(f"wa:{message_sid}", work, prepare=prepare if is_voice_note else None)
    except TurnBusy:
        # The previous message's turn is still running (far past its time budget): the claim
        # was released, so a retry of this one runs; meanwhile the patient knows to resend.
        logger.warning("WhatsApp %s: the previous turn of %s is still running", message_sid, mask_phone(phone))
        return render_messages(responses.CHAT_BUSY)
    if replayed:
        logger.info("WhatsApp %s: respuesta repetida por reintento de Twilio", message_sid)
    return reply_body
