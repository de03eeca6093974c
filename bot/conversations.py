"""Writes on conversations: start or continue one, record its messages, close it."""

import copy
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from django.db import IntegrityError, transaction
from django.utils import timezone

from bot.models import Conversation, ConversationOutcome, ConversationStatus, Message, MessageRole
from bot.turns import aserialized_turn, serialized_turn, turn_key
from clinic.selectors import get_default_clinic

# A WhatsApp chat that has been quiet this long starts over: the patient is back with a new errand.
WHATSAPP_IDLE_LIMIT = dt.timedelta(hours=2)


def get_or_start_conversation(
    *, channel: str, participant: str, call_sid: str | None = None, clinic=None, now: dt.datetime | None = None
) -> Conversation:
    """The conversation this turn belongs to, with its clinic loaded in the same query. A
    call is one conversation per CallSid (also when Twilio retries concurrently); other
    channels continue the number's active one."""
    now = now or timezone.now()
    conversations = Conversation.objects.select_related("clinic")
    if call_sid:
        try:
            with transaction.atomic():
                conversation, _ = conversations.get_or_create(
                    call_sid=call_sid,
                    defaults={
                        "channel": channel,
                        "participant": participant,
                        "clinic": clinic or get_default_clinic(),
                    },
                )
        except IntegrityError:
            conversation = conversations.get(call_sid=call_sid)
        return conversation
    active = conversations.filter(
        channel=channel, participant=participant, status=ConversationStatus.ACTIVE, call_sid__isnull=True
    )
    current = active.first()
    if current and now - current.last_activity_at > WHATSAPP_IDLE_LIMIT:
        close_conversation(conversation=current, outcome=current.outcome or ConversationOutcome.ABANDONED)
        current = None
    if current is not None:
        return current
    try:
        with transaction.atomic():
            return Conversation.objects.create(
                channel=channel, participant=participant, clinic=clinic or get_default_clinic()
            )
    except IntegrityError:
        # The database holds one active conversation per number: a request that
        # started it at the same moment won, and this turn continues that one.
        return active.get()


@contextmanager
def conversation_turn(*, channel: str, participant: str, call_sid: str | None = None) -> Iterator[Conversation]:
    """The conversation for one turn, loaded after the turn's lease is taken, so the turn
    sees everything the previous one saved and no other turn of it runs meanwhile (see
    bot.turns). Raises TurnBusy when the previous turn does not end in time."""
    with serialized_turn(turn_key(channel=channel, participant=participant, call_sid=call_sid)):
        yield get_or_start_conversation(channel=channel, participant=participant, call_sid=call_sid)


@asynccontextmanager
async def aconversation_turn(
    *, channel: str, participant: str, call_sid: str | None = None
) -> AsyncIterator[Conversation]:
    """conversation_turn for async turns (the ASGI webhooks, the realtime voice socket)."""
    key = turn_key(channel=channel, participant=participant, call_sid=call_sid)

    def load() -> Conversation:
        return get_or_start_conversation(channel=channel, participant=participant, call_sid=call_sid)

    async with aserialized_turn(key, load=load) as conversation:
        assert conversation is not None
        yield conversation


def save_changes(*, conversation: Conversation) -> None:
    """Save only the fields this turn changed (and the activity time): whatever another
    writer (the call's status callback, reception in the admin) stored meanwhile stays."""
    loaded = getattr(conversation, "_loaded_values", None)
    if loaded is None or conversation._state.adding:
        conversation.save()
        return
    changed = [
        field.attname
        for field in Conversation._meta.concrete_fields
        if field.attname in loaded
        and not field.primary_key
        and getattr(conversation, field.attname) != loaded[field.attname]
    ]
    conversation.save(update_fields=[*changed, "last_activity_at"])
    loaded.update(copy.deepcopy({name: getattr(conversation, name) for name in changed}))


def record_message(*, conversation: Conversation, role: str, text: str = "", **fields) -> Message:
    return Message.objects.create(conversation=conversation, role=role, text=text, **fields)


def record_heard(*, conversation: Conversation, heard: str) -> None:
    """A caller interrupted the answer of a realtime call: the stored answer becomes what they
    actually heard (Twilio's utteranceUntilInterrupt), so the history the model reads next,
    and the clinic's record, say what was said, not what was written."""
    answer = conversation.messages.filter(role=MessageRole.ASSISTANT).order_by("-created_at", "-id").first()
    if answer is not None and answer.text != heard:
        answer.text = heard
        answer.save(update_fields=["text"])


def reset_conversation(*, conversation: Conversation) -> Conversation:
    """/reiniciar: forget the structured state; the history stays for the clinic's records."""
    state = conversation.load_state()
    state.reset()
    conversation.store_state(state)
    conversation.save(update_fields=["state", "last_activity_at"])
    return conversation


def set_outcome(*, conversation: Conversation, outcome: str) -> None:
    """Keep the most telling outcome: a booking beats a question answered."""
    rank: list[str] = [
        ConversationOutcome.NONE,
        ConversationOutcome.ABANDONED,
        ConversationOutcome.INFORMED,
        ConversationOutcome.TRANSFERRED,
        ConversationOutcome.WAITLISTED,
        ConversationOutcome.CANCELLED,
        ConversationOutcome.RESCHEDULED,
        ConversationOutcome.BOOKED,
    ]
    if rank.index(outcome) > rank.index(conversation.outcome or ConversationOutcome.NONE):
        conversation.outcome = outcome


def build_summary(*, conversation: Conversation) -> str:
    """A receptionist-readable line: what the patient wanted and what came of it."""
    from appointments.models import Appointment

    parts = [f"{conversation.get_channel_display()} con {conversation.participant}"]
    patient_messages = conversation.messages.filter(role=MessageRole.USER).count()
    parts.append(f"{patient_messages} mensajes del paciente")
    if conversation.outcome:
        parts.append(f"resultado: {conversation.get_outcome_display().lower()}")
    booked = Appointment.objects.filter(conversation=conversation).select_related("doctor", "specialty")
    tz = conversation.clinic.tzinfo if conversation.clinic else dt.UTC
    for appointment in booked:
        parts.append(
            f"turno #{appointment.pk} {appointment.specialty.name} con {appointment.doctor.display_name} "
            f"el {appointment.start_at.astimezone(tz):%d/%m/%Y %H:%M} ({appointment.get_status_display().lower()})"
        )
    return "; ".join(parts) + "."


def close_conversation(
    *,
    conversation: Conversation,
    outcome: str | None = None,
    duration_seconds: int | None = None,
    now: dt.datetime | None = None,
) -> Conversation:
    if outcome:
        set_outcome(conversation=conversation, outcome=outcome)
    if not conversation.outcome:
        conversation.outcome = ConversationOutcome.ABANDONED
    if duration_seconds is not None:
        conversation.duration_seconds = duration_seconds
    if conversation.status != ConversationStatus.ENDED:
        conversation.status = ConversationStatus.ENDED
        conversation.ended_at = now or timezone.now()
    conversation.summary = build_summary(conversation=conversation)
    save_changes(conversation=conversation)
    return conversation
