from typing import Protocol

from bot.types import BotReply, ToolContext


class Brain(Protocol):
    """One way of answering a patient turn. The engine has already stored the patient's
    message and handled commands, emergencies and goodbyes before calling it."""

    name: str

    def respond(self, *, text: str, context: ToolContext) -> BotReply:
        """Answer `text`. Raise BrainUnavailable to let the engine fall back."""
        ...
