"""The conversation engine: one patient turn in, one BotReply out, whatever the channel.

Order of a turn: store the patient's words; commands (/ayuda, /reiniciar); emergencies and
statements of self-harm (bot/safety.py), before any brain; goodbyes; then a brain. The
OpenAI brain answers when configured; the offline rules brain answers otherwise, and
whenever the OpenAI one fails, continuing from the same structured state so the patient
never starts over."""

import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from bot import flow, nlu, reconcile, responses, safety
from bot.asyncdb import db_phase
from bot.conversations import close_conversation, record_message, reset_conversation, save_changes, set_outcome
from bot.formatting import cap_reply, greeting_for
from bot.models import (
    Conversation,
    ConversationChannel,
    ConversationOutcome,
    ConversationStatus,
    Message,
    MessageRole,
)
from bot.reminder_replies import answer_clinic_message
from bot.types import BotReply, BrainUnavailable, Emit, QuickReply, ToolContext
from bot.usage import over_daily_budget
from clinic.models import Clinic
from clinic.selectors import get_default_clinic
from identity.ratelimit import register_message
from identity.selectors import caps_for
from reminders.selectors import privacy_notice_url

if TYPE_CHECKING:
    from bot.brains.openai_async import Opening

logger = logging.getLogger(__name__)

MAX_INPUT_CHARS = 1000


def clinic_of(conversation: Conversation) -> Clinic:
    """The clinic a conversation answers for (the deployment's one when not set yet)."""
    clinic = conversation.clinic or get_default_clinic()
    if clinic is None:
        raise ImproperlyConfigured("No clinic to answer for: create one (manage.py seed_demo, or the admin).")
    return clinic


def greeting_text(conversation: Conversation, now=None) -> str:
    clinic = clinic_of(conversation)
    salutation = greeting_for((now or timezone.now()).astimezone(clinic.tzinfo))
    if clinic.greeting:
        return f"{salutation}, {clinic.greeting}"
    return responses.greeting(salutation, clinic=clinic.name)


def automated_notice(conversation: Conversation, clinic: Clinic) -> str:
    """Who is answering and where the privacy notice is: a call hears it in words, a chat
    gets the link."""
    if conversation.channel == ConversationChannel.PHONE:
        return responses.AUTOMATED_NOTICE_SPOKEN.format(clinic=clinic.name)
    notice = responses.AUTOMATED_NOTICE.format(clinic=clinic.name)
    url = privacy_notice_url(clinic=clinic)
    return f"{notice} {responses.PRIVACY_LINK.format(url=url)}" if url else notice


def with_notice(conversation: Conversation, clinic: Clinic, text: str) -> str:
    """The first message of a conversation carries the notice: after a call's greeting, as
    the first paragraph of a chat's answer."""
    notice = automated_notice(conversation, clinic)
    if conversation.channel == ConversationChannel.PHONE:
        return f"{text} {notice}"
    return f"{notice}\n\n{text}"


def greet(conversation: Conversation) -> BotReply:
    clinic = clinic_of(conversation)
    state = conversation.load_state()
    text = greeting_text(conversation)
    if not state.notice_given:
        text = with_notice(conversation, clinic, text)
        state.notice_given = True
        conversation.store_state(state)
        save_changes(conversation=conversation)
    record_message(conversation=conversation, role=MessageRole.ASSISTANT, text=text, brain="engine")
    return BotReply(text=text, brain="engine")


def _brains(context: ToolContext):
    """The brains to try in order. Imported here so a missing optional dependency of one
    brain can never stop the other from answering. Past the day's model budget only the
    offline brain answers."""
    from bot.brains.rules import RulesBrain

    choice = settings.BOT_BRAIN
    use_openai = choice == "openai" or (choice == "auto" and settings.OPENAI_API_KEY)
    if not use_openai or over_daily_budget(now=context.now, tz=context.tz):
        return [RulesBrain()]
    from bot.brains.openai_brain import OpenAIBrain

    return [OpenAIBrain(), RulesBrain()]


def _engine_reply(text: str, context: ToolContext, quick_reply: QuickReply) -> BotReply | None:
    """Turns the engine answers itself, before any brain: commands, safety, answers to a
    message the clinic sent first (reminders, waitlist offers), goodbyes."""
    clinic = context.clinic
    command = text.strip().lower()
    if command.startswith("/ayuda") or command in {"ayuda", "menu", "menú"}:
        return BotReply(text=responses.HELP.format(clinic=clinic.name), brain="engine")
    if command.startswith("/reiniciar"):
        reset_conversation(conversation=context.conversation)
        context.state.reset()
        return BotReply(text=responses.RESET, brain="engine")
    if safety_reply := safety.engine_reply(text, context):  # emergencies and self-harm
        return safety_reply
    if clinic_message_reply := answer_clinic_message(text=text, context=context, quick_reply=quick_reply):
        return clinic_message_reply
    # "Sí, confirmo, gracias, chau" to a read-back: the brain writes first (and then says goodbye).
    if nlu.is_goodbye(text) and context.confirmed is None:
        context.state.end_requested = True
        return BotReply(text=responses.farewell(clinic.name), end_conversation=True, brain="engine")
    return None


def _rate_limited_reply(context: ToolContext) -> BotReply | None:
    """Past the number's message rate no brain runs (no model call, no booking attempt).
    The first refused message is answered politely; later ones in the same minute get no
    WhatsApp message (each costs the clinic), while a call always hears the sentence."""
    conversation = context.conversation
    decision = register_message(
        key=conversation.participant, limit=caps_for(context.clinic).messages_per_minute, now=context.now
    )
    if decision.allowed:
        return None
    logger.warning("Conversation %s: message rate exceeded (%d this minute)", conversation.pk, decision.count)
    speak = decision.first_refusal or conversation.channel == ConversationChannel.PHONE
    return BotReply(text=responses.RATE_LIMITED if speak else "", brain="engine")


def _brain_reply(text: str, context: ToolContext) -> BotReply:
    for brain in _brains(context):
        try:
            return brain.respond(text=text, context=context)
        except BrainUnavailable as error:
            logger.warning("Brain %s unavailable (%s); falling back", brain.name, error)
    raise RuntimeError("no brain answered")  # the rules brain never raises BrainUnavailable


@dataclass
class _Turn:
    """A turn between its database phases: begun (patient's words stored, engine answers
    tried) and finished (answer stored, state saved). The brain runs in between, with no
    transaction open: it may wait seconds on the model, and each tool has its own savepoint."""

    conversation: Conversation
    text: str
    context: ToolContext
    started: float
    told: str
    reply: BotReply | None
    # The brains to ask when no engine answer was found (chosen in the same database phase).
    brains: list = field(default_factory=list)
    # The OpenAI brain's first step, taken in that phase too (bot.brains.openai_async.open_turn).
    opening: "Opening | None" = None


# The brains' names (BotReply.brain); the engine and the channels answer as "engine", "voice"...
BRAIN_NAMES = frozenset({"openai", "rules"})


def _brain_spoke_last(conversation: Conversation) -> bool:
    """Whether the last thing the patient was told came from a brain (a read-back among
    them), not from the engine or the channel since (the help text, a call's "¿podría
    repetir?", a rate-limit notice, an answer about a reminder): only then may their words
    confirm a held write. A "sí" to "¿podría repetir?" is no yes to the booking read back."""
    last = (
        Message.objects.filter(conversation=conversation, role=MessageRole.ASSISTANT)
        .exclude(text="")
        .order_by("-created_at", "-id")
        .values_list("brain", flat=True)
        .first()
    )
    return last in BRAIN_NAMES


def _begin_turn(conversation: Conversation, text: str, quick_reply: QuickReply | None) -> _Turn:
    started = time.monotonic()
    clinic = clinic_of(conversation)
    if conversation.clinic_id is None:
        conversation.clinic = clinic
    text = (text or "").strip()[:MAX_INPUT_CHARS]
    context = ToolContext(conversation=conversation, clinic=clinic, now=timezone.now(), state=conversation.load_state())
    # First of all: a turno booked by a turn that died before answering is told now, and the
    # state learns it before anything else reads it (see bot.reconcile).
    untold = reconcile.untold_booking(conversation=conversation)
    told = reconcile.learn_booking(conversation=conversation, state=context.state, appointment=untold) if untold else ""
    record_message(conversation=conversation, role=MessageRole.USER, text=text)
    # Read once, before any brain: a yes to the read-back of the turn before opens its write.
    confirmed = flow.confirmed_write(context.state, text, now=context.now.astimezone(context.tz))
    context.confirmed = confirmed if confirmed and _brain_spoke_last(conversation) else None
    turn = _Turn(conversation=conversation, text=text, context=context, started=started, told=told, reply=None)
    if not text:
        turn.reply = BotReply(text=responses.EMPTY, brain="engine")
        return turn
    turn.reply = _engine_reply(text, context, quick_reply or QuickReply())
    if turn.reply is None and told:
        # The message was most likely the one that booked it, or the same request again.
        turn.reply = BotReply(text=f"{told} {responses.ANYTHING_ELSE}", brain="engine")
        turn.told = ""
    if turn.reply is None:
        turn.reply = _rate_limited_reply(context)
    if turn.reply is None:
        turn.brains = _brains(context)
    return turn


def _finish_turn(turn: _Turn, bot_reply: BotReply, response_ms: int | None = None) -> BotReply:
    conversation, context = turn.conversation, turn.context
    if turn.told:  # with a command's, a safety or a goodbye answer
        bot_reply.text = f"{turn.told}\n\n{bot_reply.text}"
    if bot_reply.text and not context.state.notice_given:
        bot_reply.text = with_notice(conversation, context.clinic, bot_reply.text)
        context.state.notice_given = True
    bot_reply.text = cap_reply(bot_reply.text, channel=conversation.channel)
    if bot_reply.transfer_to_human:
        set_outcome(conversation=conversation, outcome=ConversationOutcome.TRANSFERRED)
    if context.state.end_requested:
        context.state.end_requested = False
        bot_reply.end_conversation = True
    record_message(
        conversation=conversation,
        role=MessageRole.ASSISTANT,
        text=bot_reply.text,
        brain=bot_reply.brain,
        latency_ms=int((time.monotonic() - turn.started) * 1000),
        response_ms=response_ms,
        tokens_in=bot_reply.tokens_in,
        tokens_out=bot_reply.tokens_out,
    )
    conversation.store_state(context.state)
    if bot_reply.end_conversation and conversation.status != ConversationStatus.ENDED:
        close_conversation(conversation=conversation)  # saves the state with the summary
    else:
        save_changes(conversation=conversation)
    return bot_reply


def _apology(conversation: Conversation) -> BotReply:
    logger.exception("Conversation %s: the brains failed on a turn", conversation.pk)
    return BotReply(text=responses.APOLOGY, brain="engine")


def reply(conversation: Conversation, text: str, *, quick_reply: QuickReply | None = None) -> BotReply:
    """Answer one patient turn and record it. Never raises for odd input."""
    turn = _begin_turn(conversation, text, quick_reply)
    if turn.reply is not None:
        return _finish_turn(turn, turn.reply)
    try:
        bot_reply = _brain_reply(turn.text, turn.context)
    except Exception:
        bot_reply = _apology(conversation)
    return _finish_turn(turn, bot_reply)


def _begin_async_turn(conversation: Conversation, text: str, quick_reply: QuickReply | None) -> _Turn:
    """_begin_turn for areply. When the OpenAI brain is to answer, its first step (it reads
    the prompt's facts and the history) is taken in the same database phase: one thread hop
    less before the model's first token."""
    turn = _begin_turn(conversation, text, quick_reply)
    if turn.brains and turn.brains[0].name == "openai":
        from bot.brains.openai_async import open_turn

        try:
            turn.opening = open_turn(text=turn.text, context=turn.context)
        except Exception:
            # The brain takes it again in its own phase, where a failure is answered for.
            logger.exception("Conversation %s: the model's first step failed", conversation.pk)
    return turn


async def _abrain_reply(turn: _Turn, *, deadline: float | None, emit: Emit | None) -> BotReply:
    """The brains in order, as in _brain_reply, with the OpenAI one awaited on the async
    client (no thread waits on the model) and bounded by `deadline`: a turn that queued
    too long gets the offline brain's answer instead of a late one."""
    from bot.brains.openai_async import arespond

    text, context = turn.text, turn.context
    for brain in turn.brains:
        try:
            if brain.name == "openai":
                return await arespond(text=text, context=context, deadline=deadline, emit=emit, opening=turn.opening)
            return await db_phase(brain.respond)(text=text, context=context)
        except BrainUnavailable as error:
            logger.warning("Brain %s unavailable (%s); falling back", brain.name, error)
    raise RuntimeError("no brain answered")  # the rules brain never raises BrainUnavailable


async def areply(
    conversation: Conversation,
    text: str,
    *,
    quick_reply: QuickReply | None = None,
    deadline: float | None = None,
    emit: Emit | None = None,
    heard_at: float | None = None,
) -> BotReply:
    """`reply` for async callers (the webhooks, the realtime voice socket): the database
    phases run in a thread and hand their connection back, the model is awaited. With
    `emit`, the answer goes out in chunks as it is produced (the OpenAI brain's tokens;
    any other answer in one chunk); what was emitted is what is stored. With `heard_at`
    (time.monotonic() of the caller's final words), the answer's message records how long
    the caller waited for its first chunk (or, without `emit`, for the whole answer)."""
    first_chunk_at: list[float] = []

    async def emitting(chunk: str) -> None:
        if not first_chunk_at:
            first_chunk_at.append(time.monotonic())
        assert emit is not None
        await emit(chunk)

    turn = await db_phase(_begin_async_turn)(conversation, text, quick_reply)
    streamed = False
    if turn.reply is not None:
        bot_reply = turn.reply
    else:
        try:
            bot_reply = await _abrain_reply(turn, deadline=deadline, emit=emitting if emit is not None else None)
            streamed = bot_reply.brain == "openai"
        except Exception:
            bot_reply = _apology(conversation)
    response_ms = None
    if heard_at is not None:
        response_ms = int(((first_chunk_at[0] if first_chunk_at else time.monotonic()) - heard_at) * 1000)
    bot_reply = await db_phase(_finish_turn)(turn, bot_reply, response_ms)
    if emit is not None and not streamed:
        await emit(bot_reply.text)  # the channel renders it (a call: for speech, as the streamed tokens)
    return bot_reply
