"""The OpenAI brain on the async client: the same turn (OpenAIBrain.steps), driven so that
waiting on the model holds no thread, and optionally streamed.

Each model request is awaited on an AsyncOpenAI client (one per event loop: an httpx pool
belongs to the loop that opened it), bounded by the turn's deadline as a whole, not only
per read. Tools and everything else that touches the database run as database phases
(bot.asyncdb). With `emit`, the request streams: text deltas go out as they arrive, until
the model starts calling tools (then the round's text is kept back, and the answer comes
from the tool results, as without streaming). The streamed chunks are assembled into the
same completion body that parse_completion checks, so both paths accept the same answers."""

import asyncio
import json
import time
import weakref
from dataclasses import dataclass
from typing import Any

import httpx
import openai
from django.conf import settings
from openai.types.chat import ChatCompletionChunk

from bot.asyncdb import db_phase
from bot.brains.model_answer import ModelMessage
from bot.brains.openai_brain import (
    CONNECT_TIMEOUT_SECONDS,
    ModelRequest,
    OpenAIBrain,
    ToolRun,
    TurnSteps,
    TurnUsage,
    _api_key,
    _model_errors,
    _request_timeout,
    _turn_deadline,
)
from bot.formatting import without_control_chars
from bot.types import BotReply, BrainUnavailable, Emit, ToolContext

_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple, openai.AsyncOpenAI]] = (
    weakref.WeakKeyDictionary()
)


def _client(api_key: str, base_url: str | None) -> openai.AsyncOpenAI:
    per_loop = _clients.setdefault(asyncio.get_running_loop(), {})
    key = (api_key, base_url)
    if key not in per_loop:
        per_loop[key] = openai.AsyncOpenAI(
            api_key=api_key,
            base_url=base_url,
            max_retries=0,
            timeout=openai.Timeout(settings.OPENAI_TIMEOUT, connect=CONNECT_TIMEOUT_SECONDS),
        )
    return per_loop[key]


def warm_client() -> None:
    """Build this event loop's client before its first turn: building one loads the TLS
    certificates (~40 ms, on the loop, so every socket of the worker would wait for it)."""
    try:
        api_key = _api_key()
    except BrainUnavailable:
        return  # no model configured: the offline brain answers
    _client(api_key, settings.OPENAI_BASE_URL)


class _Speech:
    """What has been emitted so far in this turn (so the stored answer is what was said)."""

    def __init__(self, emit: Emit):
        self.emit = emit
        self.parts: list[str] = []

    async def say(self, text: str) -> None:
        if text:
            self.parts.append(text)
            await self.emit(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _request_body(kwargs: dict) -> tuple[dict, Any]:
    """The request as the SDK's low-level `post` takes it. chat.completions.create first
    walks the whole body through the SDK's type-driven transform (~10 ms of CPU per request
    with the tool schemas, on the event loop); the body here is plain JSON already."""
    body = dict(kwargs)
    return body, {"timeout": body.pop("timeout")}


async def _streamed_completion(client: openai.AsyncOpenAI, kwargs: dict, speech: _Speech) -> str:
    """One streaming request, its text said as it arrives; the completion body it adds up to."""
    content: list[str] = []
    calls: dict[int, dict] = {}
    usage = None
    body, options = _request_body(kwargs)
    stream: openai.AsyncStream[ChatCompletionChunk] = await client.post(
        "/chat/completions",
        body={**body, "stream": True, "stream_options": {"include_usage": True}},
        options=options,
        cast_to=ChatCompletionChunk,
        stream=True,
        stream_cls=openai.AsyncStream[ChatCompletionChunk],
    )
    async with stream:
        async for chunk in stream:
            data: dict[str, Any] = chunk.to_dict()
            usage = data.get("usage") or usage
            for choice in data.get("choices") or []:
                delta = choice.get("delta") or {}
                for call in delta.get("tool_calls") or []:
                    slot = calls.setdefault(
                        call.get("index", 0),
                        {"id": None, "type": "function", "function": {"name": "", "arguments": ""}},
                    )
                    slot["id"] = call.get("id") or slot["id"]
                    function = call.get("function") or {}
                    slot["function"]["name"] += function.get("name") or ""
                    slot["function"]["arguments"] += function.get("arguments") or ""
                piece = delta.get("content")
                if isinstance(piece, str) and piece:
                    content.append(piece)
                    if not calls:
                        await speech.say(without_control_chars(piece))
    message: dict[str, Any] = {"role": "assistant", "content": "".join(content) or None}
    if calls:
        message["tool_calls"] = [calls[index] for index in sorted(calls)]
    return json.dumps({"choices": [{"index": 0, "message": message}], "usage": usage})


async def _acomplete(
    brain: OpenAIBrain,
    client: openai.AsyncOpenAI,
    step: ModelRequest,
    *,
    deadline: float,
    usage: TurnUsage,
    context: ToolContext,
    speech: _Speech | None,
) -> ModelMessage:
    request_timeout = _request_timeout(deadline)
    kwargs = brain.request_kwargs(step, request_timeout=request_timeout, context=context)
    started = time.monotonic()
    with _model_errors(request_timeout):
        # The whole request within the time left: httpx's timeout is per read, and a
        # server that trickles tokens would otherwise never time out.
        async with asyncio.timeout(request_timeout):
            raw: bytes | str
            if speech is None:
                body, options = _request_body(kwargs)
                response = await client.post("/chat/completions", body=body, options=options, cast_to=httpx.Response)
                raw = response.content
            else:
                raw = await _streamed_completion(client, kwargs, speech)
    return brain.read_answer(raw, usage=usage, started=started)


def _advance(steps: TurnSteps, answer: object) -> tuple[ModelRequest | ToolRun | None, BotReply | None]:
    """The next step, or the reply: StopIteration cannot cross into a Future."""
    try:
        return steps.send(answer), None
    except StopIteration as stop:
        return None, stop.value


@dataclass
class Opening:
    """A turn's first step, taken: the only one that reads the database (the prompt's facts,
    the history). The later steps are pure computation over the model's answers and the
    tools' results (the tools run in database phases of their own), so arespond runs them
    on the event loop: no thread hop per model request."""

    brain: OpenAIBrain
    usage: TurnUsage
    steps: TurnSteps
    step: ModelRequest | ToolRun | None
    reply: BotReply | None


def open_turn(*, text: str, context: ToolContext) -> Opening:
    """Sync, in a database phase: the engine takes it in the phase that begins the turn."""
    brain, usage = OpenAIBrain(), TurnUsage()
    steps = brain.steps(text=text, context=context, usage=usage)
    step, reply = _advance(steps, None)
    return Opening(brain=brain, usage=usage, steps=steps, step=step, reply=reply)


async def arespond(
    *,
    text: str,
    context: ToolContext,
    deadline: float | None = None,
    emit: Emit | None = None,
    opening: Opening | None = None,
) -> BotReply:
    """OpenAIBrain.respond for async callers; raises BrainUnavailable like it. With `emit`,
    everything in the returned reply's text has been emitted, and nothing else. `opening`:
    the turn's first step, when the caller has taken it already (open_turn)."""
    client = _client(_api_key(), settings.OPENAI_BASE_URL)
    turn_deadline = _turn_deadline(deadline)
    speech = _Speech(emit) if emit is not None else None
    opening = opening or await db_phase(open_turn)(text=text, context=context)
    brain, usage, steps, step, reply = opening.brain, opening.usage, opening.steps, opening.step, opening.reply
    while reply is None:
        if isinstance(step, ModelRequest):
            answer: object = await _acomplete(
                brain, client, step, deadline=turn_deadline, usage=usage, context=context, speech=speech
            )
        else:
            assert isinstance(step, ToolRun)
            answer = await db_phase(brain.run_tool)(step, context=context)
        step, reply = _advance(steps, answer)
    if speech is not None:
        said = speech.text.strip()
        if said and reply.text.startswith(said):
            await speech.say(reply.text[len(said) :])
        elif said:
            # Text said before the model turned to tools, then the answer from their results.
            await speech.say(" " + reply.text)
            reply.text = speech.text
        else:
            await speech.say(reply.text)
    return reply
