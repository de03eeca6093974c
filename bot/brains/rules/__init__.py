"""The offline brain: Spanish intents and slot filling over the same tools the LLM uses.

It answers when there is no OpenAI key, when BOT_BRAIN=rules, and whenever the OpenAI
brain fails, so it must be able to pick up any conversation from `context.state` alone.
Every read and write of clinic data goes through `bot.tools.execute_tool`, exactly as the
model's tool calls do: the same identity checks, the same typed state (bot/state.py:
the flow and step, the booking's slots, the target turno), the same outcomes. Nothing
lives on the instance between turns.

One turn is a `Turn`, assembled from one module per job, each building only on what it uses:

- base: the understood words, the state, the tools, entities and descriptions;
- info: questions about the clinic (coverages, specialties, hours, address, prices);
- offer: the free slots offered for what was asked, honestly, and moving through them;
- people: whom each turno is for, several in one message, another after a booking;
- booking: the booking form (specialty, slot, name, document, read-back, booking);
- identify: full name and DNI for turnos booked elsewhere, and the one-time code;
- manage: the caller's turnos (list, choose, cancel, move);
- small_talk: greetings, thanks, help, goodbyes, the hand-over, guesses, the fallback;
- turn: the order in which one message is answered.

The engine imports this package; nothing here imports the engine.
"""

from bot.brains.rules.base import NAME
from bot.brains.rules.turn import Turn
from bot.types import BotReply, ToolContext

__all__ = ["RulesBrain", "Turn"]


class RulesBrain:
    """Brain protocol implementation (see bot.brains.base.Brain)."""

    name = NAME
    # The design's transcript goes from the DNI straight to "su turno está confirmado"; a
    # read-back before booking avoids turnos on misheard names and dates over the phone.
    confirm_before_booking = True

    def respond(self, *, text: str, context: ToolContext) -> BotReply:
        return Turn(text=text, context=context, confirm_before_booking=self.confirm_before_booking).run()
