"""Every tool by name and the one way to run one: execute_tool checks the arguments against
the tool's schema, runs its handler in a savepoint attributed to the conversation, and turns
refusals and bad arguments into a dict the model (or the offline brain) reads. Also the two
tools that only move the conversation (a transfer to reception, the end), which have no
domain service behind them. The order of TOOLS is the order the model is sent them.
"""

import json
import logging

from django.db import transaction
from django.utils import timezone

from appointments import services as appointment_services
from appointments.audit import attributed_to_conversation
from bot import flow, responses
from bot.models import ConversationOutcome
from bot.tools.booking import BOOK_APPOINTMENT, CANCEL_APPOINTMENT, JOIN_WAITLIST, RESCHEDULE_APPOINTMENT
from bot.tools.common import Tool, ToolArgumentError, mark_outcome
from bot.tools.identity_code import LIST_MY_APPOINTMENTS
from bot.tools.lookup import FIND_AVAILABLE_SLOTS, GET_CLINIC_INFO
from bot.types import ToolContext
from identity.errors import IdentityError

logger = logging.getLogger(__name__)


def transfer_to_human(context: ToolContext, *, reason: str = "") -> dict:
    mark_outcome(context, ConversationOutcome.TRANSFERRED)
    context.state.transfer_reason = reason[:200]
    return {"ok": True, "transfer": True, "reception_phone": context.clinic.reception_phone or context.clinic.phone}


TRANSFER_TO_HUMAN = Tool(
    "transfer_to_human",
    "Hand over to reception.",
    {"type": "object", "properties": {"reason": {"type": "string"}}},
    transfer_to_human,
)


def end_conversation(context: ToolContext, *, summary: str = "") -> dict:
    context.state.end_requested = True
    if summary:
        context.state.model_summary = summary[:500]
    return {"ok": True, "end": True}


END_CONVERSATION = Tool(
    "end_conversation",
    "Patient said goodbye.",
    {"type": "object", "properties": {"summary": {"type": "string"}}},
    end_conversation,
)


TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in [
        GET_CLINIC_INFO,
        FIND_AVAILABLE_SLOTS,
        BOOK_APPOINTMENT,
        LIST_MY_APPOINTMENTS,
        CANCEL_APPOINTMENT,
        RESCHEDULE_APPOINTMENT,
        JOIN_WAITLIST,
        TRANSFER_TO_HUMAN,
        END_CONVERSATION,
    ]
}


def tool_schemas() -> list[dict]:
    return [tool.schema() for tool in TOOLS.values()]


def _checked_arguments(arguments: dict, properties: dict) -> dict:
    """The arguments with the JSON types their schema declares, so a handler never meets a
    list where it expects text. Harmless slips are fixed (12345678 for a DNI string, "12"
    for an integer id); anything else is an error the model can read. null means absent."""
    checked = {}
    for key, value in arguments.items():
        if value is None:
            continue
        spec = properties.get(key) or {}
        expected = spec.get("type")
        if expected == "string" and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        elif expected == "integer" and isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        elif expected == "integer" and isinstance(value, float) and value.is_integer():
            value = int(value)
        valid = {
            "string": isinstance(value, str),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
        }.get(expected or "", True)
        if not valid:
            raise ToolArgumentError(
                responses.wrong_type(key, expected or "", json.dumps(value, ensure_ascii=False)[:60])
            )
        if "enum" in spec and value not in spec["enum"]:
            raise ToolArgumentError(responses.not_in_enum(key, list(map(str, spec["enum"]))))
        checked[key] = value
    return checked


def execute_tool(*, name: str, arguments: dict | str | None, context: ToolContext) -> dict:
    """Run a tool and always return a dict: domain refusals and bad arguments become
    {"ok": false, "error": ..., "code": ...} for the model (or the offline brain) to read."""
    tool = TOOLS.get(name)
    if tool is None:
        return {
            "ok": False,
            "code": "unknown_tool",
            "error": responses.unknown_tool(name, list(TOOLS)),
        }
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments or "{}")
        except json.JSONDecodeError:
            return {"ok": False, "code": "invalid_arguments", "error": responses.ARGUMENTS_NOT_JSON}
    arguments = arguments or {}
    if not isinstance(arguments, dict):
        return {"ok": False, "code": "invalid_arguments", "error": responses.ARGUMENTS_NOT_OBJECT}
    allowed = set(tool.parameters.get("properties", {}))
    unknown = sorted(set(arguments) - allowed)
    if unknown:
        return {"ok": False, "code": "invalid_arguments", "error": responses.unknown_arguments(unknown)}
    missing = [key for key in tool.parameters.get("required", []) if arguments.get(key) in (None, "")]
    if missing:
        return {"ok": False, "code": "invalid_arguments", "error": responses.missing_arguments(missing)}
    try:
        arguments = _checked_arguments(arguments, tool.parameters.get("properties", {}))
    except ToolArgumentError as error:
        return {"ok": False, "code": "invalid_arguments", "error": str(error)}
    context.now = context.now or timezone.now()
    try:
        # A savepoint per tool: one that fails leaves no half-written rows behind. What it
        # writes is attributed to the conversation in the audit trail.
        with transaction.atomic(), attributed_to_conversation(context.conversation.pk):
            result = tool.handler(context, **arguments)
    except ToolArgumentError as error:
        return {"ok": False, "code": "invalid_arguments", "error": str(error)}
    except IdentityError as error:
        return {"ok": False, "code": error.code, "error": responses.identity_error(error.code, **error.values)}
    except appointment_services.AppointmentError as error:
        return {"ok": False, "code": error.code, "error": responses.appointment_error(error)}
    except (TypeError, ValueError) as error:
        logger.warning("Tool %s rejected arguments %r: %s", name, arguments, error)
        return {"ok": False, "code": "invalid_arguments", "error": responses.ARGUMENTS_INVALID}
    flow.after_tool(context.state, name, result)
    return result
