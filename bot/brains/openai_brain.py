"""The OpenAI brain: function calling over the clinic's tools, bounded in time and cost.

One patient turn is at most MAX_ROUND_TRIPS chat.completions requests inside a budget of
OPENAI_TURN_BUDGET seconds of model time (each request gets the time that is left as its
timeout), so a voice turn always answers well inside Twilio's 15 s. Any failure of the
model (timeout, connection, 429/5xx, an unusable answer, the budget running out) raises
BrainUnavailable and the engine lets the offline brain answer from the same state.

Cost stays flat with conversation length: every request carries a short system prompt
(clinic facts, today's date and time, the compact structured state), the last
HISTORY_MESSAGES patient/assistant messages (never old tool rows) and the tool schemas.
It follows the dialogue flow of bot/flow.py: the prompt carries the current step and its
goal, the request offers only the step's tools (another is refused back), and the tools'
results advance the same typed state the offline brain reads, so a fallback continues.
The model never sees data that did not come from the database: slots, doctors and
confirmations reach it only as tool results, and a booking, cancellation or move is
confirmed to the patient from the tool result itself. Such a write happens only on the
patient's yes to its read-back (bot/flow.py `Write`): called before it, the tool holds it
and the patient hears the tool's read-back.
"""

import contextlib
import copy
import datetime as dt
import functools
import json
import logging
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass

import openai
from django.conf import settings

from bot import flow, responses
from bot.brains.model_answer import ModelMessage, ModelToolCall, UnusableAnswer, parse_completion
from bot.conversations import record_message
from bot.formatting import weekday_name
from bot.models import Message, MessageRole
from bot.tools import execute_tool, tool_schemas, turn_cap_reached
from bot.types import BotReply, BrainUnavailable, ToolContext
from clinic.selectors import catalog_for, clinic_info
from identity.errors import IdentityErrorCode

logger = logging.getLogger(__name__)

MAX_ROUND_TRIPS = 3
MIN_REQUEST_SECONDS = 0.5  # less time than this left: don't start another request
CONNECT_TIMEOUT_SECONDS = 2.0
HISTORY_MESSAGES = 6
HISTORY_MESSAGE_CHARS = 400
MAX_COMPLETION_TOKENS = 350
PLACEHOLDER_API_KEY = "not-needed"  # OpenAI-compatible servers on OPENAI_BASE_URL often take no key

STATE_VALUE_CHARS = 80

# Tools whose success ends the turn: the confirmation is read from the tool result, so
# the patient hears exactly what the database holds and the turn saves a round trip.
HANDOVER_TOOLS = {"transfer_to_human", "end_conversation"}
FINAL_TOOLS = {
    "book_appointment",
    "cancel_appointment",
    "reschedule_appointment",
    "transfer_to_human",
    "end_conversation",
}

SYSTEM_PROMPT = """\
Receptionist of {name}, on {channel}. Now: {weekday} {date} {time} ({tz}); next: {next_days}.
Specialties: {specialties}.
Coverages: {coverages}.
Hours: {hours}.
Rules: Spanish, usted, 1-2 short spoken-style sentences, no lists/markdown/emojis. \
Slots, doctors, facts: only from tools, never invented; prices: reception. \
No medical advice; emergency: call {emergency}, offer transfer. \
Booking: slot, full name, DNI, book_appointment. Writes read back (day, time, specialty, full name, DNI); \
call again after the yes. \
Tools check identity (channel number); others' turnos need the one-time code sent to the patient. \
Tool ok=false: explain or fix args.
Step goal: {goal}. State: {state}"""

# What the model sees of the tools: the schemas in bot/tools/ without the properties that are
# there for the offline brain or as fallbacks (execute_tool still accepts them), because
# every property is re-sent with every request. The model books and moves by slot_id.
MODEL_HIDDEN_PROPERTIES = {
    "get_clinic_info": {"topic"},
    "find_available_slots": {"limit"},
    "book_appointment": {"specialty", "date", "time"},
    "reschedule_appointment": {"date", "time"},
}

CHANNEL_DESCRIPTIONS = {"phone": "a phone call", "whatsapp": "WhatsApp"}


@functools.lru_cache(maxsize=4)
def _client(api_key: str, base_url: str | None) -> openai.OpenAI:
    """One client (and connection pool) per configuration, reused across turns. Retries
    are ours to decide (there is no time for them in a voice turn), so the SDK makes none."""
    return openai.OpenAI(
        api_key=api_key,
        base_url=base_url,
        max_retries=0,
        timeout=openai.Timeout(settings.OPENAI_TIMEOUT, connect=CONNECT_TIMEOUT_SECONDS),
    )


def model_tool_schemas(allowed: frozenset[str] | None = None) -> list[dict]:
    """The tools' schemas as the model sees them; with `allowed` (the step's tools, see
    bot/flow.py), only those: a tool the step may not call is not even offered. Built once
    per set of tools (they are constants), not per request; callers must not change them."""
    return list(_model_tool_schemas(allowed))


@functools.lru_cache(maxsize=64)
def _model_tool_schemas(allowed: frozenset[str] | None) -> tuple[dict, ...]:
    schemas = [s for s in copy.deepcopy(tool_schemas()) if allowed is None or s["function"]["name"] in allowed]
    for schema in schemas:
        function = schema["function"]
        hidden = MODEL_HIDDEN_PROPERTIES.get(function["name"], set())
        properties = function["parameters"].get("properties", {})
        for key in hidden:
            properties.pop(key, None)
    return tuple(schemas)


def _weekday_short(day: dt.date) -> str:
    return weekday_name(day)[:3]


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def compact_state(context: ToolContext) -> dict:
    """The structured state the model needs to continue a conversation (also one the
    offline brain started): where the flow is, the specialty's name, the offered slots
    and what the caller has said of themself; empty values left out."""
    state = context.state
    booking = state.booking
    compact: dict = {"flow": state.flow.value, "step": state.step.value}
    if booking.specialty_id:
        specialty = catalog_for(context.clinic).specialty(booking.specialty_id, active_only=False)
        if specialty:
            compact["specialty"] = specialty.name
    slots = {}
    for slot in booking.offered_slots[:6]:
        local = slot.start.astimezone(context.tz)
        slots[slot.slot_id] = f"{_weekday_short(local.date())} {local.day} {local:%H:%M}"
    if slots:
        compact["offered_slots"] = slots
    compact |= {
        "selected_slot_id": booking.selected_slot_id,
        "patient_name": booking.patient_name[:STATE_VALUE_CHARS],
        "document_number": booking.document_number[:STATE_VALUE_CHARS],
        "last_booked_appointment_id": state.patient.last_booked_appointment_id,
        "target_appointment_id": state.target.appointment_id,
        "appointment_options": state.target.options[:6],
    }
    if state.patient.code_verification_id:
        compact["code_sent"] = True  # waiting for the one-time code (list_my_appointments code=)
    return {key: value for key, value in compact.items() if value not in (None, "", [], {})}


def build_system_prompt(context: ToolContext) -> str:
    info = clinic_info(clinic=context.clinic)
    local_now = context.now.astimezone(context.tz)
    today = local_now.date()
    # Relative dates ("el jueves", "el 5") need today and the days ahead: models slip at weekday arithmetic.
    next_days = ", ".join(
        f"{_weekday_short(day)} {day.day}" for day in (today + dt.timedelta(days=n) for n in range(1, 7))
    )
    coverages = ", ".join(info["coverages_accepted"]) or "none"
    if info["private_pay"]:
        coverages += "; particular"
    return SYSTEM_PROMPT.format(
        name=info["name"],
        channel=CHANNEL_DESCRIPTIONS.get(context.channel, "a chat"),
        weekday=weekday_name(today),
        date=today.isoformat(),
        time=f"{local_now:%H:%M}",
        tz=context.clinic.timezone,
        next_days=next_days,
        specialties=", ".join(info["specialties"]),
        coverages=coverages,
        hours="; ".join(info["opening_hours"]) or "-",
        emergency=info["emergency_number"],
        goal=flow.spec(context.state).goal,
        state=_dumps(compact_state(context)),
    )


def history_messages(context: ToolContext, text: str) -> list[dict]:
    """The last HISTORY_MESSAGES patient/assistant messages (the engine has already stored
    this turn's), oldest first, stopping at a /reiniciar. Tool rows stay out: what the model
    must remember from them (offered slots, the patient's data) is in the state."""
    rows = (
        Message.objects.filter(conversation=context.conversation, role__in=[MessageRole.USER, MessageRole.ASSISTANT])
        .exclude(text="")
        .order_by("-created_at", "-id")
        .values_list("role", "text")[:HISTORY_MESSAGES]
    )
    history: list[dict] = []
    for role, body in rows:
        if role == MessageRole.USER and body.strip().lower().startswith("/reiniciar"):
            break
        history.append({"role": str(role), "content": body[:HISTORY_MESSAGE_CHARS]})
    history.reverse()
    if not history or history[-1] != {"role": "user", "content": text[:HISTORY_MESSAGE_CHARS]}:
        history.append({"role": "user", "content": text[:HISTORY_MESSAGE_CHARS]})
    return history


def _final_text(results: list[tuple[str, dict]], *, model_text: str, context: ToolContext) -> str:
    """The answer to a round whose tools all succeeded and end the turn: confirmations of
    bookings, cancellations and moves read from their results; for a transfer or a goodbye,
    what the model said along with the call, or a fixed line."""
    parts = [_final_reply(name, result, context) for name, result in results if name not in HANDOVER_TOOLS]
    handover = [(name, result) for name, result in results if name in HANDOVER_TOOLS]
    if handover:
        parts = [part.removesuffix(responses.ANYTHING_ELSE).strip() for part in parts]
        name, result = handover[-1]
        parts.append(model_text.strip() or _final_reply(name, result, context))
    return " ".join(dict.fromkeys(parts))


def _final_reply(name: str, result: dict, context: ToolContext) -> str:
    """Spanish confirmation straight from a successful final tool's result (bot/responses.py,
    the same sentences the offline brain says)."""
    today = context.now.astimezone(context.tz).date()
    if name == "book_appointment":
        address = result.get("address") or context.clinic.address
        return responses.booking_confirmed(result["booked"], address=address, today=today)
    if name == "cancel_appointment":
        return responses.cancel_confirmed(result["cancelled"], today=today)
    if name == "reschedule_appointment":
        return responses.reschedule_confirmed(result["new"], today=today)
    if name == "transfer_to_human":
        return responses.transfer(channel=context.channel, reception_phone=result.get("reception_phone") or "")
    return responses.farewell(context.clinic.name)


@dataclass(frozen=True)
class ModelRequest:
    """A step of a turn: ask the model (tool calls allowed or not)."""

    messages: list[dict]
    allow_tools: bool


@dataclass(frozen=True)
class ToolRun:
    """A step of a turn: run one tool the model called."""

    name: str
    arguments: str | None
    call_id: str


@dataclass
class TurnUsage:
    tokens_in: int = 0
    tokens_out: int = 0
    seen: bool = False


TurnSteps = Generator[ModelRequest | ToolRun, object, BotReply]


def _turn_deadline(deadline: float | None) -> float:
    """The model budget's end: OPENAI_TURN_BUDGET from now, or the caller's own deadline
    (queue time already spent on a voice turn) when that comes first."""
    budget_end = time.monotonic() + settings.OPENAI_TURN_BUDGET
    return budget_end if deadline is None else min(budget_end, deadline)


def _request_timeout(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining < MIN_REQUEST_SECONDS:
        raise BrainUnavailable("turn time budget exhausted")
    return min(float(settings.OPENAI_TIMEOUT), remaining)


@contextlib.contextmanager
def _model_errors(request_timeout: float) -> Iterator[None]:
    """Every failure of one model request as BrainUnavailable (the offline brain answers)."""
    try:
        yield
    except (openai.APITimeoutError, TimeoutError) as error:
        raise BrainUnavailable(f"OpenAI timed out after {request_timeout:.1f} s") from error
    except openai.APIConnectionError as error:
        raise BrainUnavailable(f"cannot reach OpenAI: {error}") from error
    except openai.APIStatusError as error:
        # 429 and 5xx are transient; 4xx is a configuration problem (key, model name),
        # but the patient still deserves an answer from the offline brain.
        log = logger.warning if error.status_code == 429 or error.status_code >= 500 else logger.error
        log("OpenAI answered HTTP %s: %s", error.status_code, error.message)
        raise BrainUnavailable(f"OpenAI HTTP {error.status_code}") from error
    except openai.OpenAIError as error:
        raise BrainUnavailable(f"OpenAI error: {error}") from error


def _api_key() -> str:
    api_key = settings.OPENAI_API_KEY or (PLACEHOLDER_API_KEY if settings.OPENAI_BASE_URL else "")
    if not api_key:
        raise BrainUnavailable("no OPENAI_API_KEY")
    return api_key


class OpenAIBrain:
    """The turn's logic lives in `steps`, a generator that yields what it needs (a model
    answer, a tool result) and gets it back: `respond` drives it with the sync client for
    the chat command, the simulator and tests; `arespond` with the async client, so a turn
    waiting on the model holds no worker thread (bot.engine.areply)."""

    name = "openai"

    def respond(self, *, text: str, context: ToolContext) -> BotReply:
        client = _client(_api_key(), settings.OPENAI_BASE_URL)
        deadline = _turn_deadline(None)
        usage = TurnUsage()
        steps = self.steps(text=text, context=context, usage=usage)
        answer: object = None
        try:
            while True:
                step = steps.send(answer)
                if isinstance(step, ModelRequest):
                    answer = self._complete(client, step, deadline=deadline, usage=usage, context=context)
                else:
                    answer = self.run_tool(step, context=context)
        except StopIteration as stop:
            return stop.value

    def steps(self, *, text: str, context: ToolContext, usage: TurnUsage) -> TurnSteps:
        """The turn as a generator. It reads the database only before its first step (the
        prompt's facts, the history): arespond runs the later steps on the event loop."""
        messages = [
            {"role": "system", "content": build_system_prompt(context)},
            *history_messages(context, text),
        ]
        transfer = end = wrote = False

        for round_trip in range(1, MAX_ROUND_TRIPS + 1):
            last_round = round_trip == MAX_ROUND_TRIPS
            message = yield ModelRequest(messages=messages, allow_tools=not last_round)
            assert isinstance(message, ModelMessage)
            calls = message.tool_calls
            if not calls:
                answer = (message.content or "").strip()
                if not answer:
                    raise BrainUnavailable("the model answered with no text")
                made = None if wrote or context.confirmed is None else flow.write_call(context.state, context.confirmed)
                if made:
                    # The patient said yes to the held write and the model answered in words
                    # (a question asked with the yes, a model that forgot): that yes is not
                    # lost, nor asked for again. The write is made and confirmed from its result.
                    result = yield ToolRun(name=made[0], arguments=_dumps(made[1]), call_id="patient_yes")
                    assert isinstance(result, dict)
                    answer = _final_reply(made[0], result, context) if result.get("ok") else result["error"]
                    return self._reply(answer, usage, transfer=transfer, end=end)
                if not context.write_settled:
                    flow.lapse_read_back(context.state)
                return self._reply(answer, usage, transfer=transfer, end=end)
            if last_round:
                raise BrainUnavailable(f"no answer after {MAX_ROUND_TRIPS} model round trips")

            messages.append(
                {
                    "role": "assistant",
                    "content": message.content,
                    "tool_calls": [self._call_dict(call) for call in calls],
                }
            )
            results = []
            for call in calls:
                name = call.function.name
                wrote = wrote or name in flow.WRITE_TOOLS
                result = yield ToolRun(name=name, arguments=call.function.arguments, call_id=call.id)
                assert isinstance(result, dict)
                results.append((name, result))
                messages.append({"role": "tool", "tool_call_id": call.id, "content": _dumps(result)})
                if result.get("ok"):
                    transfer = transfer or name == "transfer_to_human"
                    end = end or name == "end_conversation"

            # A write held for the patient's yes: they hear its read-back, word for word.
            held = [result for _name, result in results if result.get("code") == flow.CONFIRM_FIRST]
            if held:  # ...and the conversation waits for their answer: no goodbye, no handover
                context.state.end_requested = False
                return self._reply(held[-1]["read_back"], usage, transfer=False, end=False)
            # Extra bookings refused by the per-turn cap do not count: the one that was
            # booked is confirmed from its result, whatever else the model asked for.
            counted = [(name, result) for name, result in results if result.get("code") != IdentityErrorCode.TURN_LIMIT]
            if counted and all(name in FINAL_TOOLS and result.get("ok") for name, result in counted):
                if not context.write_settled:  # a handover: the read-back waiting, if any, lapses
                    flow.lapse_read_back(context.state)
                answer = _final_text(counted, model_text=message.content or "", context=context)
                return self._reply(answer, usage, transfer=transfer, end=end)
        raise BrainUnavailable("tool loop did not finish")  # pragma: no cover (the loop returns or raises)

    # --- one model request ---------------------------------------------------------

    def request_kwargs(self, step: ModelRequest, *, request_timeout: float, context: ToolContext) -> dict:
        return {
            "model": settings.OPENAI_MODEL,
            "messages": step.messages,
            "tools": model_tool_schemas(flow.allowed_tools(context.state)),
            # The last round trip must answer in words: no further tool calls.
            "tool_choice": "auto" if step.allow_tools else "none",
            "parallel_tool_calls": False,
            "max_completion_tokens": MAX_COMPLETION_TOKENS,
            "timeout": openai.Timeout(request_timeout, connect=min(request_timeout, CONNECT_TIMEOUT_SECONDS)),
        }

    def _complete(
        self, client: openai.OpenAI, step: ModelRequest, *, deadline: float, usage: TurnUsage, context: ToolContext
    ) -> ModelMessage:
        request_timeout = _request_timeout(deadline)
        started = time.monotonic()
        with _model_errors(request_timeout):
            # The raw body, read by parse_completion: the SDK's objects are not validated.
            raw = client.chat.completions.with_raw_response.create(
                **self.request_kwargs(step, request_timeout=request_timeout, context=context)
            )
        return self.read_answer(raw.content, usage=usage, started=started)

    def read_answer(self, raw: bytes | str, *, usage: TurnUsage, started: float) -> ModelMessage:
        try:
            answer = parse_completion(raw)
        except UnusableAnswer as error:
            logger.warning("OpenAI answer unusable (%s); the offline brain answers", error)
            raise
        if answer.prompt_tokens is not None or answer.completion_tokens is not None:
            usage.tokens_in += answer.prompt_tokens or 0
            usage.tokens_out += answer.completion_tokens or 0
            usage.seen = True
        logger.info(
            "OpenAI round trip: %d ms, %s prompt tokens",
            (time.monotonic() - started) * 1000,
            answer.prompt_tokens if answer.prompt_tokens is not None else "?",
        )
        return answer.message

    # --- tool calls ------------------------------------------------------------------

    def _call_dict(self, call: ModelToolCall) -> dict:
        return {
            "id": call.id,
            "type": "function",
            "function": {"name": call.function.name, "arguments": call.function.arguments},
        }

    def run_tool(self, step: ToolRun, *, context: ToolContext) -> dict:
        name, arguments, call_id = step.name, step.arguments, step.call_id
        started = time.monotonic()
        try:
            # An extra booking past the per-turn cap is refused as such (turn_limit), not as
            # out of step: the turno booked a moment ago is then still confirmed.
            capped = name == "book_appointment" and turn_cap_reached(context)
            refused = None if capped else flow.refusal(context.state, name)
            result = refused or execute_tool(name=name, arguments=arguments, context=context)
        except Exception:
            logger.exception("Tool %s failed", name)
            result = {"ok": False, "code": "internal_error", "error": responses.TOOL_FAILED}
        record_message(
            conversation=context.conversation,
            role=MessageRole.TOOL,
            tool_name=name[:64],
            tool_call_id=call_id[:64],
            tool_arguments=_parse_arguments(arguments),
            tool_result=result,
            brain=self.name,
            latency_ms=int((time.monotonic() - started) * 1000),
        )
        return result

    def _reply(self, text: str, usage: TurnUsage, *, transfer: bool, end: bool) -> BotReply:
        return BotReply(
            text=text,
            brain=self.name,
            transfer_to_human=transfer,
            end_conversation=end,
            tokens_in=usage.tokens_in if usage.seen else None,
            tokens_out=usage.tokens_out if usage.seen else None,
        )


def _parse_arguments(arguments: str | None):
    """The arguments as the model sent them: a dict when they are JSON, else the raw text."""
    if arguments is None:
        return None
    try:
        return json.loads(arguments)
    except (TypeError, ValueError):
        return arguments
