"""What a chat.completions answer must look like before the OpenAI brain acts on it.

The SDK builds its response objects without validating them, so a server (a proxy, an
"OpenAI-compatible" one, a model gone astray) that answers invalid JSON, a JSON array, a
content that is an object, tool calls that are not a list or 200,000 characters of text
gives objects whose use fails later, deep in the brain, as an apology to the patient.
Here the raw body is read once, strictly: anything unusable raises UnusableAnswer (a
BrainUnavailable), and the engine lets the offline brain answer the turn instead.

The accepted shape is small on purpose: text or tool calls, and token usage when given."""

import json
from dataclasses import dataclass, field

from bot.formatting import without_control_chars
from bot.types import BrainUnavailable

# The brain asks for at most ~350 completion tokens (~1,500 characters of Spanish): text far
# past that means the server ignored the limit, and the answer is not read to anyone.
MAX_TEXT_CHARS = 2_000
MAX_ARGUMENT_CHARS = 4_000
MAX_TOOL_NAME_CHARS = 64
MAX_TOOL_CALLS = 64


class UnusableAnswer(BrainUnavailable):
    """The model server answered something the brain cannot act on."""


@dataclass(frozen=True)
class ModelFunction:
    name: str
    arguments: str


@dataclass(frozen=True)
class ModelToolCall:
    id: str
    function: ModelFunction


@dataclass(frozen=True)
class ModelMessage:
    content: str | None
    tool_calls: list[ModelToolCall] = field(default_factory=list)


@dataclass(frozen=True)
class ModelAnswer:
    message: ModelMessage
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


def _text(value, *, what: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise UnusableAnswer(f"{what} is a {type(value).__name__}, not text")
    if len(value) > limit:
        raise UnusableAnswer(f"{what} has {len(value):,} characters (limit {limit:,})")
    return without_control_chars(value)


def _tool_call(value, index: int) -> ModelToolCall:
    if not isinstance(value, dict) or not isinstance(value.get("function"), dict):
        raise UnusableAnswer(f"tool call {index} has no function object")
    function = value["function"]
    name = _text(function.get("name"), what=f"tool call {index}'s name", limit=MAX_TOOL_NAME_CHARS)
    if not name:
        raise UnusableAnswer(f"tool call {index} has no name")
    arguments = function.get("arguments")
    if isinstance(arguments, dict):
        # Arguments are a JSON string by the API's contract; an object carries the same meaning.
        arguments = json.dumps(arguments, ensure_ascii=False)
    arguments = _text(arguments, what=f"tool call {index}'s arguments", limit=MAX_ARGUMENT_CHARS)
    call_id = value.get("id")
    call_id = call_id[:64] if isinstance(call_id, str) and call_id else f"call_{index}"
    return ModelToolCall(id=call_id, function=ModelFunction(name=name, arguments=arguments or "{}"))


def _tokens(usage, key: str) -> int | None:
    value = usage.get(key) if isinstance(usage, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def parse_completion(raw: bytes | str) -> ModelAnswer:
    """The first choice of a chat.completions body, checked; raises UnusableAnswer."""
    try:
        body = json.loads(raw)
    except (TypeError, ValueError, RecursionError) as error:
        raise UnusableAnswer("the body is not JSON") from error
    if not isinstance(body, dict):
        raise UnusableAnswer(f"the body is a JSON {type(body).__name__}, not an object")
    choices = body.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise UnusableAnswer("the body has no choices")
    message = choices[0].get("message")
    if not isinstance(message, dict):
        raise UnusableAnswer("the first choice has no message object")
    content = _text(message.get("content"), what="the content", limit=MAX_TEXT_CHARS)
    raw_calls = message.get("tool_calls")
    if raw_calls is None:
        raw_calls = []
    if not isinstance(raw_calls, list):
        raise UnusableAnswer("tool_calls is not a list")
    if len(raw_calls) > MAX_TOOL_CALLS:
        raise UnusableAnswer(f"{len(raw_calls)} tool calls in one answer")
    calls = [_tool_call(value, index) for index, value in enumerate(raw_calls)]
    if not calls and not (content or "").strip():
        raise UnusableAnswer("the answer has neither text nor tool calls")
    usage = body.get("usage")
    return ModelAnswer(
        message=ModelMessage(content=content, tool_calls=calls),
        prompt_tokens=_tokens(usage, "prompt_tokens"),
        completion_tokens=_tokens(usage, "completion_tokens"),
    )
