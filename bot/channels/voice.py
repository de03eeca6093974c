"""Phone calls: TwiML for Twilio Programmable Voice, and the three voice webhooks.

A call is one Conversation (by CallSid). Every answer is said inside a <Gather input="speech">
whose action carries the turn number (?turn=N): Twilio retries the exact same request, so
"voice:<CallSid>:<N>" identifies a caller's utterance for idempotency without any counter
kept on our side. When the caller says nothing, Twilio skips the action and runs the next
verb, a <Redirect> to the same action URL without SpeechResult: that is the silence path.

Speech model: `experimental_conversations` ("spontaneous speech and conversations" in
Twilio's <Gather> docs), a generic model, so Twilio fails over between STT providers by
itself. Its Spanish variants are es-US (Latin American) and es-ES, so the recognition
language is mapped from VOICE_LANGUAGE (es-MX → es-US); <Say> keeps VOICE_LANGUAGE for the
voice. Twilio's current docs (and warning 13335) require a positive integer speechTimeout
whenever speechModel is set, "auto" is not accepted, hence a short fixed pause."""

import hashlib
import logging
import re

from django.conf import settings
from django.urls import reverse
from twilio.twiml.voice_response import Gather, VoiceResponse

from appointments.phones import mask_phone, normalize_phone
from bot import responses
from bot.asyncdb import db_phase
from bot.channels.common import BadWebhook, clean_sid, parse_count
from bot.channels.idempotency import Work, arun_once, run_once
from bot.conversations import aconversation_turn, close_conversation, conversation_turn, record_message
from bot.formatting import spoken_digit_groups
from bot.models import Conversation, ConversationChannel, MessageRole
from bot.state import Step
from bot.types import BotReply
from clinic.models import Clinic
from clinic.selectors import catalog_for

logger = logging.getLogger(__name__)


def _engine():
    # Imported on use: loading the URLconf (and so /health) must not depend on the engine's
    # own imports (brains, NLU); a broken one costs an apology per turn, not the whole site.
    from bot import engine

    return engine


VOICE_MODE_RELAY = "relay"
SPEECH_MODEL = "experimental_conversations"
# "No pude escucharlo" is said this many times in a row; the next silence ends the call.
MAX_SILENCE_PROMPTS = 2
DIAL_TIMEOUT_SECONDS = 20
MAX_SPEECH_CHARS = 1000
MAX_HINTS = 200
MAX_TURN = 10_000
# Call statuses after which nothing more happens on the call.
FINAL_CALL_STATUSES = {"completed", "busy", "failed", "no-answer", "canceled"}
DIAL_ANSWERED_STATUSES = {"completed", "answered"}

KEYPAD_REQUEST_RE = re.compile(r"\b(teclado|tecla|marc(o|ar|arlo|arla)|digit(o|ar|arlo))\b", re.IGNORECASE)
# Common words callers say that a generic model may miss.
BASE_HINTS = [
    "turno",
    "cita",
    "sacar turno",
    "cancelar",
    "reprogramar",
    "cambiar el turno",
    "obra social",
    "prepaga",
    "recepción",
    "documento",
    "DNI",
]


# --- TwiML building ------------------------------------------------------------------


def gather_language() -> str:
    """The recognition language for <Gather>: `experimental_conversations` knows es-ES and
    es-US; every other Spanish variant (es-MX, es-AR, es-419...) is best served by es-US."""
    language = settings.VOICE_LANGUAGE or "es-MX"
    if language.lower().startswith("es") and language.lower() != "es-es":
        return "es-US"
    return language


def speech_timeout() -> int:
    return settings.VOICE_SPEECH_TIMEOUT


def speech_hints(clinic: Clinic | None) -> str:
    """Comma-separated phrases for <Gather hints>: the clinic's specialties and coverages
    with the names patients use for them (each entry at most 100 characters, no commas)."""
    phrases: list[str] = list(BASE_HINTS)
    if clinic is not None:
        catalog = catalog_for(clinic)
        for specialty in catalog.active_specialties:
            phrases += [specialty.name, *specialty.alias_list]
        for coverage in catalog.coverages:
            if coverage.is_accepted:
                phrases += [coverage.name, *coverage.alias_list]
    seen: set[str] = set()
    cleaned: list[str] = []
    for phrase in phrases:
        phrase = re.sub(r"\s+", " ", phrase.replace(",", " ")).strip()[:100]
        if phrase and phrase.lower() not in seen:
            seen.add(phrase.lower())
            cleaned.append(phrase)
    return ", ".join(cleaned[:MAX_HINTS])


def _say(node, text: str) -> None:
    if not text:
        return  # e.g. a transfer after a realtime session that already said why
    node.say(
        spoken_digit_groups(responses.for_speech(text)), voice=settings.VOICE_NAME, language=settings.VOICE_LANGUAGE
    )


def gather_url(*, turn: int, dial: bool = False) -> str:
    url = f"{reverse('webhook-voice-gather')}?turn={turn}"
    return f"{url}&dial=1" if dial else url


def listen(response: VoiceResponse, *, text: str, turn: int, hints: str | None, keypad: bool = False) -> VoiceResponse:
    """Say `text` while listening, then (on silence) come back to the same action URL. With
    `keypad`, digits typed and closed with # are taken too (Twilio sends them as Digits)."""
    action = gather_url(turn=turn)
    gather = Gather(
        input="dtmf speech" if keypad else "speech",
        **({"finish_on_key": "#"} if keypad else {}),
        action=action,
        method="POST",
        language=gather_language(),
        speech_model=SPEECH_MODEL,
        speech_timeout=speech_timeout(),
        timeout=settings.VOICE_TIMEOUT,
        # Twilio's docs: the profanity filter is not supported for Latin American Spanish
        # with generic models; medical words must not be starred out anyway.
        profanity_filter=False,
        **({"hints": hints} if hints else {}),
    )
    _say(gather, text)
    response.append(gather)
    # Reached only when the caller said nothing: no SpeechResult means silence.
    response.redirect(action, method="POST")
    return response


def render_listen(*, text: str, turn: int, clinic: Clinic | None, keypad: bool = False) -> str:
    return str(listen(VoiceResponse(), text=text, turn=turn, hints=speech_hints(clinic), keypad=keypad))


def render_hangup(text: str) -> str:
    response = VoiceResponse()
    _say(response, text)
    response.hangup()
    return str(response)


def reception_number(clinic: Clinic | None) -> str:
    if clinic is None:
        return ""
    return normalize_phone(clinic.reception_phone) or normalize_phone(clinic.phone)


def render_transfer(*, text: str, turn: int, clinic: Clinic | None) -> str:
    number = reception_number(clinic)
    if not number:
        return render_listen(text=f"{text}\n{responses.CALL_NO_RECEPTION}", turn=turn, clinic=clinic)
    response = VoiceResponse()
    _say(response, text)
    # With an action, Twilio reports DialCallStatus there when the dial ends; the verbs
    # after <Dial> would run also after a conversation with reception, so there are none.
    response.dial(number, timeout=DIAL_TIMEOUT_SECONDS, action=gather_url(turn=turn, dial=True), method="POST")
    return str(response)


def render_reply(reply: BotReply, *, turn: int, clinic: Clinic | None, keypad: bool = False) -> str:
    if reply.transfer_to_human:
        return render_transfer(text=reply.text, turn=turn, clinic=clinic)
    if reply.end_conversation:
        return render_hangup(reply.text)
    return render_listen(text=reply.text, turn=turn, clinic=clinic, keypad=keypad)


# --- Keypad fallback -----------------------------------------------------------------------


def keypad_request_reply(conversation: Conversation, speech: str) -> str | None:
    """The caller asks to type the DNI while it is being asked for ("lo marco en el
    teclado"): tell them how, recorded like any turn; None for anything else."""
    if conversation.load_state().step != Step.DOCUMENT or not KEYPAD_REQUEST_RE.search(speech):
        return None
    record_message(conversation=conversation, role=MessageRole.USER, text=speech)
    record_message(conversation=conversation, role=MessageRole.ASSISTANT, text=responses.CALL_KEYPAD, brain="voice")
    return responses.CALL_KEYPAD


def keypad_offer(*, before: Step, after: Step) -> tuple[bool, bool]:
    """(take keypad digits on the next turn, offer the keypad aloud). Digits are taken
    whenever the DNI is being asked for; the keypad is offered when it is asked for again,
    i.e. the one just said was misheard (or not a valid document)."""
    asking = after == Step.DOCUMENT
    return asking, asking and before == Step.DOCUMENT


def render_apology(*, turn: int | None) -> str:
    """For a failed turn: no database access here, it may be what failed."""
    if turn is None:
        return render_hangup(responses.CALL_FATAL_APOLOGY)
    return str(listen(VoiceResponse(), text=responses.CALL_APOLOGY, turn=turn + 1, hints=None))


def render_wait(*, turn: int | None) -> str:
    """Another copy of this turn is still being answered: pause and ask again; by then the
    stored answer is replayed (the Redirect carries the same turn, so the same key)."""
    response = VoiceResponse()
    response.pause(length=1)
    if turn is None:
        response.hangup()
    else:
        response.redirect(gather_url(turn=turn), method="POST")
    return str(response)


def render_empty() -> str:
    return str(VoiceResponse())


# --- Webhooks ----------------------------------------------------------------------------


def caller(params) -> tuple[str, str]:
    """(participant, masked number for logs). Withheld numbers ("anonymous", "+266696687")
    get a participant of their own call, so they can never match someone's turnos."""
    raw = (params.get("From") or "").strip()
    if not raw:
        raise BadWebhook("From missing")
    call_sid = params.get("CallSid", "")
    phone = normalize_phone(raw)
    if phone:
        return phone, mask_phone(phone)
    return f"anon:{call_sid}", "número oculto"  # 39 chars: fits participant (40)


def parse_turn(query) -> int | None:
    value = (query.get("turn") or "").strip()
    if not value:
        return None
    turn = parse_count(value)
    if turn is None or not 0 < turn <= MAX_TURN:
        raise BadWebhook("turn malformed")
    return turn


def call_turn(*, participant: str, call_sid: str):
    """The call's conversation, for one turn at a time (see bot.turns)."""
    return conversation_turn(channel=ConversationChannel.PHONE, participant=participant, call_sid=call_sid)


def handle_incoming(params, query, *, request_host: str) -> str:
    """POST /webhook/voice: a new call. Greet inside the first <Gather>, or, with
    VOICE_MODE=relay, connect the call to the realtime socket, which Twilio greets with."""
    call_sid = clean_sid(params.get("CallSid"), field="CallSid", prefixes=("CA",))
    participant, masked = caller(params)
    logger.info("Llamada recibida de %s, CallSid: %s", masked, call_sid)

    def work() -> Work:
        with call_turn(participant=participant, call_sid=call_sid) as conversation:
            reply = _engine().greet(conversation)
            if settings.VOICE_MODE == VOICE_MODE_RELAY:
                from bot.channels import relay

                body = relay.render_connect(
                    conversation=conversation,
                    clinic=conversation.clinic,
                    greeting=reply.text,
                    ws_url=relay.relay_url(request_host),
                )
                return Work(body, conversation)
            return Work(render_listen(text=reply.text, turn=1, clinic=conversation.clinic), conversation)

    body, replayed = run_once(f"voice:{call_sid}:0", work)
    if replayed:
        logger.info("Llamada %s: saludo repetido por reintento de Twilio", call_sid)
    return body


def _silence(conversation: Conversation, *, turn: int) -> str:
    state = conversation.load_state()
    state.voice_silences += 1
    silences = state.voice_silences
    conversation.store_state(state)
    conversation.save(update_fields=["state", "last_activity_at"])
    if silences > MAX_SILENCE_PROMPTS:
        record_message(
            conversation=conversation, role=MessageRole.ASSISTANT, text=responses.CALL_SILENCE_GOODBYE, brain="voice"
        )
        logger.info("Llamada %s: sin respuesta del paciente, se corta", conversation.call_sid)
        close_conversation(conversation=conversation)
        return render_hangup(responses.CALL_SILENCE_GOODBYE)
    record_message(conversation=conversation, role=MessageRole.ASSISTANT, text=responses.CALL_SILENCE, brain="voice")
    return render_listen(text=responses.CALL_SILENCE, turn=turn, clinic=conversation.clinic)


def _dial_result(conversation: Conversation, *, status: str, turn: int) -> str:
    if status in DIAL_ANSWERED_STATUSES:
        logger.info("Llamada %s: transferida y atendida por recepción", conversation.call_sid)
        response = VoiceResponse()
        response.hangup()
        return str(response)
    logger.info("Llamada %s: recepción no atendió (%s)", conversation.call_sid, status or "sin estado")
    record_message(conversation=conversation, role=MessageRole.ASSISTANT, text=responses.CALL_NO_ANSWER, brain="voice")
    return render_listen(text=responses.CALL_NO_ANSWER, turn=turn, clinic=conversation.clinic)


def _reply_without_engine(conversation: Conversation, *, is_dial_result: bool, status: str, speech: str, turn: int):
    """The TwiML of a turn the engine does not answer (a transfer's result, a silence, a
    request to use the keypad), or None after resetting the silence count."""
    next_turn = turn + 1
    if is_dial_result:
        return _dial_result(conversation, status=status, turn=next_turn)
    if not speech:
        return _silence(conversation, turn=next_turn)
    if keypad_text := keypad_request_reply(conversation, speech):
        return render_listen(text=keypad_text, turn=next_turn, clinic=conversation.clinic, keypad=True)
    state = conversation.load_state()
    if state.voice_silences:
        # Counted per run of silences: a caller who speaks again starts afresh.
        state.voice_silences = 0
        conversation.store_state(state)
    return None


async def handle_gather(params, query, *, started: float, deadline: float) -> str:
    """POST /webhook/voice/gather: the caller's utterance (or silence, or the end of a
    transfer attempt) for turn N; answers and listens for turn N+1. Async: the turn waits on
    the model without a thread, and past `deadline` the offline brain answers."""
    call_sid = clean_sid(params.get("CallSid"), field="CallSid", prefixes=("CA",))
    participant, _masked = caller(params)
    turn = parse_turn(query)
    # Digits typed on the keypad (closed with #) count as what the caller said.
    speech = (params.get("SpeechResult") or params.get("Digits") or "").strip()[:MAX_SPEECH_CHARS]
    is_dial_result = query.get("dial") == "1" or "DialCallStatus" in params
    if turn is not None:
        key = f"voice:{call_sid}:{turn}" + (":dial" if is_dial_result else "")
    else:
        # Not a URL we generated (every action carries ?turn): fall back to the utterance.
        key = f"voice:{call_sid}:x:{hashlib.sha1(speech.encode()).hexdigest()[:16]}"

    async def work() -> Work:
        async with aconversation_turn(
            channel=ConversationChannel.PHONE, participant=participant, call_sid=call_sid
        ) as conversation:
            return Work(await answer(conversation), conversation)

    async def answer(conversation: Conversation) -> str:
        # Without ?turn (not a URL we generated), number the next turn after the history,
        # which grows by at least one message per turn.
        this_turn = turn if turn is not None else await db_phase(conversation.messages.count)()
        body = await db_phase(_reply_without_engine)(
            conversation,
            is_dial_result=is_dial_result,
            status=(params.get("DialCallStatus") or "").strip(),
            speech=speech,
            turn=this_turn,
        )
        if body is not None:
            return body
        before = conversation.load_state().step
        reply = await _engine().areply(conversation, speech, deadline=deadline, heard_at=started)
        keypad, offer = keypad_offer(before=before, after=conversation.load_state().step)
        if offer:
            await db_phase(record_message)(
                conversation=conversation, role=MessageRole.ASSISTANT, text=responses.CALL_KEYPAD, brain="voice"
            )
            reply.text = f"{reply.text} {responses.CALL_KEYPAD}"
        return await db_phase(render_reply)(reply, turn=this_turn + 1, clinic=conversation.clinic, keypad=keypad)

    body, replayed = await arun_once(key, work)
    confidence = params.get("Confidence") or "?"
    logger.info(
        "Llamada %s: turno %s %s (confianza %s)%s",
        call_sid,
        turn if turn is not None else "?",
        "resultado de transferencia" if is_dial_result else ("con voz" if speech else "en silencio"),
        confidence,
        ", respuesta repetida por reintento" if replayed else "",
    )
    return body


def handle_status(params, query) -> str:
    """POST /webhook/voice/status: the call's status callback. When the call is over, close
    its conversation with the duration and a summary (abandoned when nothing came of it)."""
    call_sid = clean_sid(params.get("CallSid"), field="CallSid", prefixes=("CA",))
    status = (params.get("CallStatus") or "").strip().lower()
    if status not in FINAL_CALL_STATUSES:
        return render_empty()
    duration = parse_count(params.get("CallDuration"))

    def work() -> Work:
        # A call that was busy, failed or hung up before our first webhook is still one the
        # clinic should see (as abandoned), when we know who called. Closed under the call's
        # lease: after its last turn, if one is still running.
        existing = Conversation.objects.filter(call_sid=call_sid).values_list("participant", flat=True).first()
        participant = existing or caller(params)[0]
        with call_turn(participant=participant, call_sid=call_sid) as conversation:
            conversation = close_conversation(conversation=conversation, duration_seconds=duration)
        logger.info(
            "Llamada finalizada (%s) de %s, CallSid: %s, duración: %s s, resultado: %s",
            status,
            mask_phone(conversation.participant),
            call_sid,
            duration if duration is not None else "?",
            conversation.get_outcome_display(),
        )
        return Work(render_empty(), conversation)

    body, _replayed = run_once(f"voice:{call_sid}:status", work)
    return body
