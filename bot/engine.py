"""The conversation engine: one patient turn in, one BotReply out, whatever the channel.

Order of a turn: store the patient's words; commands (/ayuda, /reiniciar); emergencies and
statements of self-harm (bot/safety.py), before any brain; goodbyes; then a brain. The
OpenAI brain answers when configured; the offline rules brain answers otherwise, and
whenever the OpenAI one fails, continuing from the same structured state so the patient
never starts over."""

import logging
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from bot import nlu, reconcile, responses, safety
from bot.conversations import close_conversation, record_message, reset_conversation, save_changes, set_outcome
from bot.formatting import cap_reply, greeting_for
from bot.models import Conversation, ConversationChannel, ConversationOutcome, ConversationStatus, MessageRole
from bot.reminder_replies import answer_clinic_message
from bot.types import BotReply, BrainUnavailable, QuickReply, ToolContext
from bot.usage import over_daily_budget
from clinic.models import Clinic
from clinic.selectors import get_default_clinic
from identity.ratelimit import register_message
from identity.selectors import caps_for
from reminders.selectors import privacy_notice_url

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
    body = clinic.greeting or f"{clinic.name}, ¿en qué puedo ayudarlo?"
    return f"{salutation}, {body}"


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
    if nlu.is_goodbye(text):
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


def reply(conversation: Conversation, text: str, *, quick_reply: QuickReply | None = None) -> BotReply:
    """Answer one patient turn and record it. Never raises for odd input."""
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
    bot_reply: BotReply | None
    if not text:
        bot_reply = BotReply(text=responses.EMPTY, brain="engine")
    else:
        bot_reply = _engine_reply(text, context, quick_reply or QuickReply())
        if bot_reply is None and told:
            # The message was most likely the one that booked it, or the same request again.
            bot_reply = BotReply(text=f"{told} {responses.ANYTHING_ELSE}", brain="engine")
            told = ""
        if bot_reply is None:
            bot_reply = _rate_limited_reply(context)
        if bot_reply is None:
            try:
                # No transaction around the brain: it may wait seconds on the model, and each
                # tool already runs in its own savepoint.
                bot_reply = _brain_reply(text, context)
            except Exception:
                logger.exception("Conversation %s: the brains failed on a turn", conversation.pk)
                bot_reply = BotReply(text=responses.APOLOGY, brain="engine")
    if told:  # with a command's, a safety or a goodbye answer
        bot_reply.text = f"{told}\n\n{bot_reply.text}"
    if bot_reply.text and not context.state.notice_given:
        bot_reply.text = with_notice(conversation, clinic, bot_reply.text)
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
        latency_ms=int((time.monotonic() - started) * 1000),
        tokens_in=bot_reply.tokens_in,
        tokens_out=bot_reply.tokens_out,
    )
    conversation.store_state(context.state)
    if bot_reply.end_conversation and conversation.status != ConversationStatus.ENDED:
        close_conversation(conversation=conversation)  # saves the state with the summary
    else:
        save_changes(conversation=conversation)
    return bot_reply
