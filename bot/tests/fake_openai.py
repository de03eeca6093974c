"""A scripted OpenAI-compatible chat.completions server for tests and the cost benchmark.

It runs in a thread on 127.0.0.1 (a free port), so the real `openai` SDK talks real HTTP
to it. Each test queues the answers it wants, in order: a completion body (`text(...)`,
`tool_calls(...)`), a callable that builds one from the request it receives (to read a
slot_id the previous tool result returned), `Hang(seconds)`, `Status(code)` or `Raw(body)`
(a body sent as it is). Instead of a script, a `responder` (a callable from request to item)
answers every request: the load benchmarks use it. A request with `"stream": true` gets
the completion as server-sent events, its text in small deltas, the first one after
`Stream.first_token_seconds` when the item is a `Stream`. Every request is recorded, so tests can assert what the brain sent
(system prompt, tools, tool results). Usage is filled in like OpenAI would report it, estimated with the o200k
tokenizer (`count_prompt_tokens`), unless the scripted body sets its own.
"""

import itertools
import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import bpe_openai

_ids = itertools.count(1)


# --- token counting (OpenAI cookbook: "How to count tokens with tiktoken") ----------------

_ENCODING = None


def encoding():
    """o200k_base, the tokenizer of gpt-4o and gpt-4o-mini (bundled with bpe-openai)."""
    global _ENCODING
    if _ENCODING is None:
        _ENCODING = bpe_openai.get_encoding("o200k_base")
    return _ENCODING


def count_text_tokens(text: str) -> int:
    return len(encoding().encode(text or "", disallowed_special=()))


TOKENS_PER_MESSAGE = 3  # <|start|>{role}<|message|>...<|end|>
TOKENS_PER_NAME = 1
REPLY_PRIMING_TOKENS = 3  # every reply is primed with <|start|>assistant<|message|>
# The cookbook's constants for gpt-4o / gpt-4o-mini function definitions.
FUNC_INIT, PROP_INIT, PROP_KEY, ENUM_INIT, ENUM_ITEM, FUNC_END = 7, 3, 3, -3, 3, 12


def count_message_tokens(messages: list[dict]) -> int:
    total = 0
    for message in messages:
        total += TOKENS_PER_MESSAGE
        for key, value in message.items():
            if value is None:
                continue
            if key == "tool_calls":
                for call in value:
                    function = call.get("function") or {}
                    total += TOKENS_PER_MESSAGE + count_text_tokens(function.get("name", ""))
                    total += count_text_tokens(function.get("arguments", ""))
                continue
            total += count_text_tokens(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
            if key == "name":
                total += TOKENS_PER_NAME
    return total + REPLY_PRIMING_TOKENS


def count_tool_tokens(tools: list[dict] | None) -> int:
    """Tool schemas the cookbook's way (name:description, then each property's
    name:type:description and enum items), which tracks how OpenAI bills them."""
    if not tools:
        return 0
    total = 0
    for tool in tools:
        function = tool.get("function") or {}
        total += FUNC_INIT
        total += count_text_tokens(
            f"{function.get('name', '')}:{(function.get('description') or '').removesuffix('.')}"
        )
        properties = (function.get("parameters") or {}).get("properties") or {}
        if properties:
            total += PROP_INIT
            for key, spec in properties.items():
                total += PROP_KEY
                if "enum" in spec:
                    total += ENUM_INIT
                    for item in spec["enum"]:
                        total += ENUM_ITEM + count_text_tokens(str(item))
                description = (spec.get("description") or "").removesuffix(".")
                total += count_text_tokens(f"{key}:{spec.get('type', '')}:{description}")
    return total + FUNC_END


def count_tool_json_tokens(tools: list[dict] | None) -> int:
    """Upper bound: the tool schemas serialized as compact JSON."""
    return count_text_tokens(json.dumps(tools, ensure_ascii=False, separators=(",", ":"))) if tools else 0


def count_prompt_tokens(body: dict) -> int:
    """Estimated prompt tokens of one chat.completions request: messages plus tools."""
    return count_message_tokens(body.get("messages") or []) + count_tool_tokens(body.get("tools"))


def prompt_chars(body: dict) -> int:
    """Characters the request re-sends to the model: message contents, tool calls, tool schemas."""
    chars = 0
    for message in body.get("messages") or []:
        chars += len(message.get("content") or "")
        for call in message.get("tool_calls") or []:
            chars += len(call["function"]["name"]) + len(call["function"].get("arguments") or "")
    return chars + len(json.dumps(body.get("tools") or [], ensure_ascii=False, separators=(",", ":")))


# --- scripted answers ------------------------------------------------------------------


@dataclass
class Hang:
    """Answer only after `seconds` (longer than the client's timeout), then `then`."""

    seconds: float
    then: dict | None = None


@dataclass
class Status:
    """An HTTP error answer, like OpenAI's 500 or 429."""

    code: int
    message: str = "The server had an error while processing your request."


@dataclass
class Raw:
    """A 200 answer with exactly this body (invalid JSON, an array, a proxy's HTML page...)."""

    body: bytes
    content_type: str = "application/json"


@dataclass
class Stream:
    """Stream `then` (a completion) with its first delta after `first_token_seconds` and
    `chunk_seconds` between the following ones (a model streaming tokens)."""

    then: dict
    first_token_seconds: float = 0.0
    chunk_seconds: float = 0.0


def completion(*, content: str | None = None, calls: list[dict] | None = None, usage: dict | None = None) -> dict:
    message: dict = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = calls
    body = {
        "id": f"chatcmpl-fake{next(_ids)}",
        "object": "chat.completion",
        "created": 1_800_000_000,
        "model": "gpt-4o-mini-fake",
        "choices": [
            {"index": 0, "message": message, "finish_reason": "tool_calls" if calls else "stop", "logprobs": None}
        ],
    }
    if usage is not None:
        body["usage"] = usage
    return body


def text(content: str, **kwargs) -> dict:
    """A final answer in words."""
    return completion(content=content, **kwargs)


def call(name: str, arguments: dict | str, call_id: str | None = None) -> dict:
    """One tool call; `arguments` may be a raw (even invalid) JSON string."""
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
    return {"id": call_id or f"call_fake{next(_ids)}", "type": "function", "function": {"name": name, "arguments": raw}}


def tool_calls(*calls: dict, content: str | None = None, **kwargs) -> dict:
    """An answer that calls tools: tool_calls(call("find_available_slots", {...}))."""
    return completion(content=content, calls=list(calls), **kwargs)


def tool_results(body: dict) -> list[dict]:
    """The tool results a request carries back to the model, parsed (newest last)."""
    return [json.loads(m["content"]) for m in body.get("messages", []) if m.get("role") == "tool"]


ScriptItem = dict | Hang | Status | Raw | Stream | Callable[[dict], "ScriptItem"]


class FakeOpenAI:
    """Usage: `with FakeOpenAI() as server: server.script(...); ... server.requests`."""

    def __init__(self, responder: Callable[[dict], ScriptItem] | None = None, *, record: bool = True):
        self._script: deque = deque()
        self.responder = responder
        self.record = record  # a load benchmark keeps no copy of every request
        self.requests: list[dict] = []  # the JSON bodies received, in order
        self.paths: list[str] = []
        self.headers: list[dict] = []
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle
    def start(self, port: int = 0) -> "FakeOpenAI":
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes up hanging handlers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "FakeOpenAI":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # scripting
    def script(self, *items: ScriptItem) -> None:
        with self._lock:
            self._script.extend(items)

    def clear(self) -> None:
        """Drop the answers not used yet (the requests stay recorded)."""
        with self._lock:
            self._script.clear()

    @property
    def pending(self) -> int:
        return len(self._script)

    def _next(self, body: dict) -> ScriptItem:
        with self._lock:
            if self.record:
                self.requests.append(body)
            if self._script:
                item = self._script.popleft()
            elif self.responder is not None:
                item = self.responder
            else:
                item = Status(500, "fake server: script exhausted")
        while callable(item):
            item = item(body)
        return item


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAI
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, {"error": {"message": f"unknown path {self.path}", "type": "invalid_request_error"}})
            return
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._send(400, {"error": {"message": "invalid JSON body", "type": "invalid_request_error"}})
            return
        if self.fake.record:
            self.fake.paths.append(self.path)
            self.fake.headers.append({key.lower(): value for key, value in self.headers.items()})
        item = self.fake._next(body)
        if isinstance(item, Hang):
            self.fake._stopping.wait(item.seconds)
            item = item.then or text("(too late)")
        if isinstance(item, Stream) or (isinstance(item, dict) and body.get("stream")):
            self._stream(item if isinstance(item, Stream) else Stream(then=item))
            return
        if isinstance(item, Raw):
            self._send_bytes(200, item.body, item.content_type)
            return
        if isinstance(item, Status):
            self._send(item.code, {"error": {"message": item.message, "type": "server_error", "code": None}})
            return
        response = dict(item)
        if "usage" not in response:
            message = response["choices"][0]["message"]
            completion_tokens = count_text_tokens(message.get("content") or "") + sum(
                count_text_tokens(c["function"]["name"]) + count_text_tokens(c["function"]["arguments"])
                for c in message.get("tool_calls") or []
            )
            prompt_tokens = count_prompt_tokens(body)
            response["usage"] = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            }
        self._send(200, response)

    def _stream(self, item: Stream) -> None:
        """The completion as chat.completion.chunk events: text in deltas of a few words,
        tool calls in one delta each, then usage, then [DONE]."""
        message = item.then["choices"][0]["message"]
        words = (message.get("content") or "").split(" ")
        pieces = [" ".join(words[i : i + 3]) + (" " if i + 3 < len(words) else "") for i in range(0, len(words), 3)]
        deltas: list[dict] = [{"role": "assistant", "content": piece} for piece in pieces if piece]
        for index, call in enumerate(message.get("tool_calls") or []):
            deltas.append({"tool_calls": [{"index": index, **call}]})
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if self.fake._stopping.wait(item.first_token_seconds):
                return
            for number, delta in enumerate(deltas):
                if number and self.fake._stopping.wait(item.chunk_seconds):
                    return
                self._event(
                    {
                        "id": item.then["id"],
                        "object": "chat.completion.chunk",
                        "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
                    }
                )
            self._event(
                {
                    "id": item.then["id"],
                    "object": "chat.completion.chunk",
                    "choices": [],
                    "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                }
            )
            self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up

    def _event(self, payload: dict) -> None:
        self._chunk(f"data: {json.dumps(payload)}\n\n".encode())

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _send(self, status: int, payload: dict) -> None:
        self._send_bytes(status, json.dumps(payload).encode(), "application/json")

    def _send_bytes(self, status: int, data: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): nothing to answer
