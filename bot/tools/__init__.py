"""The assistant's tools, as the rest of the code uses them: `execute_tool` runs one,
`tool_schemas` and `TOOLS` describe them to the model, and the two booking caps are asked
by the brains before a read-back. The tools live in the modules of this package; this
module only re-exports what callers outside it need, so `from bot.tools import …` does not
depend on how the package is cut."""

from bot.tools.booking import TOOLS, booking_cap_refusal, execute_tool, tool_schemas, turn_cap_reached

__all__ = ["TOOLS", "booking_cap_refusal", "execute_tool", "tool_schemas", "turn_cap_reached"]
