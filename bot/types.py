"""Values that cross the line between the engine, the brains, the tools and the channels."""

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.flow import Write
from bot.models import Conversation
from bot.state import ConversationState
from clinic.models import Clinic


@dataclass
class BotReply:
    """What the assistant answers to one patient turn; channels render it (TwiML, text)."""

    text: str
    end_conversation: bool = False
    transfer_to_human: bool = False
    brain: str = ""
    # Model token usage summed over the turn's round trips (None when no model was asked).
    tokens_in: int | None = None
    tokens_out: int | None = None


@dataclass(frozen=True)
class QuickReply:
    """What a channel knows about a reply beyond its text: the button's id and the message
    it answers (WhatsApp's ButtonPayload and OriginalRepliedMessageSid)."""

    payload: str = ""
    replied_to: str = ""


@dataclass
class ToolContext:
    """Who is asking and when. Identity comes from the channel (`conversation.participant`),
    never from what the patient or the model says."""

    conversation: Conversation
    clinic: Clinic
    now: dt.datetime
    # Tools record what happened here (offered slots, booked turno...), so either brain can
    # pick the conversation up where the other left it. Saved by the engine after the turn.
    state: ConversationState = field(default_factory=ConversationState)
    # Turnos booked in this turn so far: the per-turn cap counts them whatever the brain asks.
    bookings_this_turn: int = 0
    # The write the patient said yes to at the start of this turn (bot.flow.confirmed_write),
    # and whether a write tool already wrote or held a write this turn: one per turn.
    confirmed: Write | None = None
    write_settled: bool = False

    @property
    def phone(self) -> str:
        return self.conversation.participant

    @property
    def tz(self):
        return self.clinic.tzinfo

    @property
    def channel(self) -> str:
        return self.conversation.channel


class BrainUnavailable(Exception):
    """The brain cannot answer this turn (no key, timeout, server error); the engine falls
    back to the offline brain."""


# Where a streaming turn sends its answer as it is produced (realtime voice): awaited per chunk.
type Emit = Callable[[str], Awaitable[None]]
