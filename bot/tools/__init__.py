"""The assistant's tools: the only way either brain reads or changes clinic data.

Each tool is a thin wrapper over a clinic/appointments/identity selector or service, with
its JSON schema beside it. Tools take the caller's identity from the ToolContext (the
channel's number; see identity.selectors.manageable_appointments for what it reaches),
never from arguments: a DNI or a name typed by the caller or the model opens nothing, and
a patient's stored name is read back only to a verified number of that patient. Tools
return compact JSON-able dicts. Bad arguments come back as {"ok": false, "error": ...}
so the model can correct itself instead of the turn crashing.

What a tool learns goes into the typed conversation state (bot/state.py) through its
methods: offered slots, the booked turno and the caller's data, a transfer's reason, the
end of the conversation; the offline brain reads the same fields.

The package, one module a concern: common (Tool, ToolArgumentError, parsing and lookup
helpers), confirmation (the read-back guard of every write), lookup (clinic facts, free
slots), booking (book, cancel, reschedule, waitlist, the booking caps), identity_code (the
listing and the one-time code), registry (TOOLS, argument checks, execute_tool). This module
only re-exports what callers outside the package use.
"""

from bot.tools.booking import booking_cap_refusal, turn_cap_reached
from bot.tools.registry import TOOLS, execute_tool, tool_schemas

__all__ = ["TOOLS", "booking_cap_refusal", "execute_tool", "tool_schemas", "turn_cap_reached"]
