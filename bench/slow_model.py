"""Benchmark: Monday 8:00 with a slow model. Many WhatsApp conversations and calls at once
while every model request takes DELAY seconds (or never answers).

Starts the app the way render.yaml's start command does (gunicorn + uvicorn workers) on a
fresh PostgreSQL database, and a local OpenAI-compatible server (bot/tests/fake_openai.py)
that answers after --delay seconds, or hangs with --hang. Then C WhatsApp conversations and
K calls at once, each message signed like Twilio signs it:

- WhatsApp: three turns per conversation: one model request, two (a tool call, then the
  answer), one again;
- calls: the greeting (no model), then a one-request and a two-request turn.

Conversations start within --ramp seconds and each patient pauses --think seconds (±50 %)
before each message, as people do; with --ramp 0 --think 0 every turn of a wave arrives in
the same instant. The random pauses are seeded: BEFORE and AFTER get the same load.

The same load runs first against BEFORE: the last commit served by sync gunicorn (2 workers
x 4 threads, as render.yaml said then; --before-ref), extracted with `git archive`, on its
own database; then against AFTER, this tree. Prints p50/p95/p99 per turn type, the ratio
to the model's own time, turns over 10 s and over 15 s (Twilio gives up at 15 s), turns the
offline brain answered, and errors.

    .venv/bin/python bench/slow_model.py                       # 50 chats + 20 calls, 1.0 s model
    .venv/bin/python bench/slow_model.py --hang                # model never answers
    .venv/bin/python bench/slow_model.py --conversations 8 --calls 4 --only after
"""

import argparse
import asyncio
import contextlib
import os
import random
import secrets
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import httpx
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import ACCOUNT_SID, AUTH_TOKEN, RENDER_START, free_port, percentile, served_app  # noqa: E402
from bench.webhooks import whatsapp_form  # noqa: E402
from bot.tests import fake_openai  # noqa: E402

# The last commit whose render.yaml served WSGI under gunicorn with threads.
BEFORE_REF = "b0152d2"
BEFORE_START = "gunicorn clinic_assistant.wsgi:application --bind 0.0.0.0:$PORT --workers 2 --threads 4 --timeout 30"
DATABASE_BASE = os.environ.get("BENCH_DATABASE_BASE", "postgres://postgres@127.0.0.1:5432/ca_realtime_slow")
MODEL_TEXT = "Con gusto: atendemos de lunes a viernes."
TWO_MARK = "(dos)"
ONE_TEXT = "Quisiera saber cómo trabajan ustedes"
TWO_TEXT = f"Cuénteme sobre la clínica {TWO_MARK}"
STREAMED_TEXT = "Con gusto. Atendemos de lunes a viernes de ocho a veinte, y los sábados por la mañana."


def responder(delay: float, hang: bool, stream: bool = False):
    """One model request: a tool call for a two-request turn's first request, else words.
    With `stream` (a streaming request, bench/relay_latency.py), the words stream in
    deltas, the first after `delay`."""

    def answer(body: dict):
        if hang:
            return fake_openai.Hang(120)
        if stream:
            return fake_openai.Stream(
                then=fake_openai.text(STREAMED_TEXT), first_token_seconds=delay, chunk_seconds=0.05
            )
        messages = body.get("messages") or []
        last = messages[-1] if messages else {}
        # Usage given: the server need not count tokens (CPU the app would compete with).
        usage = {"prompt_tokens": 600, "completion_tokens": 12, "total_tokens": 612}
        if last.get("role") == "user" and TWO_MARK in (last.get("content") or ""):
            item = fake_openai.tool_calls(fake_openai.call("get_clinic_info", {}), usage=usage)
        else:
            item = fake_openai.text(MODEL_TEXT, usage=usage)
        return fake_openai.Hang(delay, then=item)

    return answer


@dataclass
class Timings:
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    fallbacks: int = 0

    def add(self, kind: str, seconds: float) -> None:
        self.by_kind.setdefault(kind, []).append(seconds)


async def post(client, base, path, form, validator, timings: Timings, kind: str) -> ET.Element | None:
    url = f"{base}{path}"
    headers = {"X-Twilio-Signature": validator.compute_signature(url, form)}
    started = time.perf_counter()
    try:
        response = await client.post(url, data=form, headers=headers)
    except httpx.HTTPError as error:
        timings.errors.append(f"{kind}: {error.__class__.__name__}")
        return None
    timings.add(kind, time.perf_counter() - started)
    if response.status_code != 200:
        timings.errors.append(f"{kind}: HTTP {response.status_code}")
        return None
    try:
        return ET.fromstring(response.content)
    except ET.ParseError:
        timings.errors.append(f"{kind}: invalid TwiML")
        return None


def spoken(root: ET.Element | None) -> str:
    if root is None:
        return ""
    return " ".join((node.text or "") for node in root.iter() if node.tag in {"Say", "Message"})


async def pause(seconds: float) -> None:
    """A person's pause: `seconds` on average, ±50 %."""
    await asyncio.sleep(seconds * random.uniform(0.5, 1.5))


async def whatsapp_conversation(client, base, validator, timings: Timings, index: int, args) -> None:
    phone = f"+54911{7000_0000 + index:08d}"
    await asyncio.sleep(random.uniform(0, args.ramp))
    for kind, body in (("wa 1 request", ONE_TEXT), ("wa 2 requests", TWO_TEXT), ("wa 1 request", ONE_TEXT)):
        await pause(args.think)
        root = await post(client, base, "/webhook/whatsapp", whatsapp_form(body, phone), validator, timings, kind)
        if root is not None and MODEL_TEXT not in spoken(root):
            timings.fallbacks += 1


def call_form(call_sid: str, phone: str, **extra) -> dict:
    return {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "CallSid": call_sid,
        "CallStatus": "in-progress",
        "Direction": "inbound",
        "From": phone,
        "To": "+541152630000",
        **extra,
    }


async def call(client, base, validator, timings: Timings, index: int, args) -> None:
    call_sid = "CA" + secrets.token_hex(16)
    phone = f"+54911{8000_0000 + index:08d}"
    await asyncio.sleep(random.uniform(0, args.ramp))
    await post(client, base, "/webhook/voice", call_form(call_sid, phone), validator, timings, "call greeting")
    for turn, (kind, speech) in enumerate((("call 1 request", ONE_TEXT), ("call 2 requests", TWO_TEXT)), start=1):
        await pause(args.think)
        form = call_form(call_sid, phone, SpeechResult=speech, Confidence="0.9")
        root = await post(client, base, f"/webhook/voice/gather?turn={turn}", form, validator, timings, kind)
        if root is not None and MODEL_TEXT not in spoken(root):
            timings.fallbacks += 1


async def load(base: str, conversations: int, calls: int, args) -> Timings:
    timings = Timings()
    validator = RequestValidator(AUTH_TOKEN)
    limits = httpx.Limits(max_connections=conversations + calls, max_keepalive_connections=conversations + calls)
    async with httpx.AsyncClient(limits=limits, timeout=40) as client:
        await asyncio.gather(
            *(whatsapp_conversation(client, base, validator, timings, i, args) for i in range(conversations)),
            *(call(client, base, validator, timings, i, args) for i in range(calls)),
        )
    return timings


@contextlib.contextmanager
def model_server(delay: float, hang: bool, stream: bool = False) -> Iterator[SimpleNamespace]:
    """The fake model in a process of its own, so its threads do not share this process's
    interpreter lock with the load's clients."""
    port = free_port()
    code = (
        "import sys, threading; sys.path.insert(0, sys.argv[1]);"
        "from bench.slow_model import serve_model;"
        "serve_model(int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == '1', sys.argv[5] == '1')"
    )
    flags = ["1" if hang else "0", "1" if stream else "0"]
    process = subprocess.Popen([sys.executable, "-c", code, str(ROOT), str(port), str(delay), *flags])
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        yield SimpleNamespace(base_url=f"http://127.0.0.1:{port}/v1")
    finally:
        process.terminate()
        process.wait(timeout=10)


def serve_model(port: int, delay: float, hang: bool, stream: bool) -> None:
    fake = fake_openai.FakeOpenAI(responder=responder(delay, hang, stream), record=False)
    fake.start(port=port)
    threading.Event().wait()


def extract(ref: str) -> Path:
    """The tree of `ref` in a temporary folder (nothing in the repository changes)."""
    target = Path(tempfile.mkdtemp(prefix="bench_before_"))
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def serve_and_load(*, label, tree, command, database_url, fake, args) -> Timings:
    with served_app(
        label=f"slow_model_{label}",
        database_url=database_url,
        command=command,
        tree=tree,
        BOT_BRAIN="openai",
        OPENAI_API_KEY="bench",
        OPENAI_BASE_URL=fake.base_url,
        MESSAGE_RATE_PER_MINUTE="100",
        LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
    ) as app:
        base = app.base
        asyncio.run(load(base, 2, 1, args))  # warm imports, connections and caches
        print(f"[{label}] {args.conversations} WhatsApp conversations + {args.calls} calls at once ...", flush=True)
        random.seed(args.seed)  # the same load for BEFORE and AFTER
        return asyncio.run(load(base, args.conversations, args.calls, args))


def report(label: str, timings: Timings, model_seconds: dict[str, float]) -> dict[str, float]:
    print(f"\n{label}")
    print(f"  {'turn':<16} {'n':>4} {'p50 s':>7} {'p95 s':>7} {'p99 s':>7} {'model s':>8} {'p95/model':>10}")
    p95s = {}
    everything = [seconds for values in timings.by_kind.values() for seconds in values]
    for kind in sorted(timings.by_kind):
        values = timings.by_kind[kind]
        p50, p95, p99 = (percentile(values, q) for q in (0.5, 0.95, 0.99))
        p95s[kind] = p95
        model = model_seconds[kind]
        ratio = f"{p95 / model:.2f}x" if model else "-"
        print(f"  {kind:<16} {len(values):>4} {p50:>7.2f} {p95:>7.2f} {p99:>7.2f} {model:>8.1f} {ratio:>10}")
    print(
        f"  turns over 10 s: {sum(s > 10 for s in everything)}, over 15 s: {sum(s > 15 for s in everything)}, "
        f"of {len(everything)}; answered by the offline brain: {timings.fallbacks}; "
        f"errors: {len(timings.errors)}" + (f" e.g. {timings.errors[:3]}" if timings.errors else "")
    )
    return p95s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--delay", type=float, default=1.0, help="seconds the model takes per request")
    parser.add_argument("--hang", action="store_true", help="the model never answers")
    parser.add_argument("--ramp", type=float, default=1.0, help="conversations start within this many seconds")
    parser.add_argument("--think", type=float, default=1.0, help="a patient's pause before each message (±50 %%)")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--before-ref", default=BEFORE_REF)
    parser.add_argument("--only", choices=["before", "after"])
    args = parser.parse_args()

    delay = 0.0 if args.hang else args.delay
    model_seconds = {
        "wa 1 request": delay,
        "wa 2 requests": 2 * delay,
        "call greeting": 0.0,
        "call 1 request": delay,
        "call 2 requests": 2 * delay,
    }
    results: dict[str, dict[str, float]] = {}
    with model_server(args.delay, args.hang) as fake:
        runs = []
        if args.only != "after":
            runs.append(("before", extract(args.before_ref), BEFORE_START.split(), f"{DATABASE_BASE}_before"))
        if args.only != "before":
            runs.append(("after", ROOT, RENDER_START, f"{DATABASE_BASE}_after"))
        timings = {}
        for label, tree, command, url in runs:
            timings[label] = serve_and_load(
                label=label, tree=tree, command=command, database_url=url, fake=fake, args=args
            )
    model = "hanging model" if args.hang else f"model {args.delay:.1f} s per request"
    print(
        f"\n=== {args.conversations} WhatsApp conversations + {args.calls} calls at once (started within "
        f"{args.ramp:.0f} s, {args.think:.1f} s pauses), {model}, PostgreSQL ==="
    )
    for label, result in timings.items():
        title = (
            f"BEFORE ({args.before_ref}: {' '.join(BEFORE_START.split()[:2])}, 2 workers x 4 threads)"
            if label == "before"
            else f"AFTER (render.yaml: {' '.join(RENDER_START[:4])}, 2 workers)"
        )
        results[label] = report(title, result, model_seconds)
    if len(results) == 2:
        print(
            "\np95 ratio before/after: "
            + ", ".join(
                f"{kind} {results['before'][kind] / results['after'][kind]:.1f}x"
                for kind in results["after"]
                if results["after"][kind] and kind in results["before"]
            )
        )
    return 1 if any(t.errors for t in timings.values() if t is timings.get("after")) else 0


if __name__ == "__main__":
    sys.exit(main())
