"""Benchmark: slow clients (slow-loris) do not delay signed webhooks.

16 unauthenticated clients open connections and send a request's body one byte every 2 s
(reconnecting when cut off), while signed WhatsApp conversations run as in bench/webhooks.py
(offline brain, so the model is not what is measured). The same signed load runs first
alone, then beside the trickling clients; both against BEFORE (the last commit served by
sync gunicorn, 2 workers x 4 threads: --before-ref) and AFTER (this tree, as render.yaml
serves it). Prints p50/p95 of the signed webhooks in both cases, the ratio, errors, and how
the app answered the trickling clients (AFTER: 408 once BODY_READ_SECONDS is up).

    .venv/bin/python bench/slow_clients.py [--conversations 8] [--rounds 2] [--slow 16]
"""

import argparse
import asyncio
import contextlib
import os
import sys
from collections import Counter
from pathlib import Path

from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import AUTH_TOKEN, RENDER_START, served_app  # noqa: E402
from bench.slow_model import BEFORE_REF, BEFORE_START, extract  # noqa: E402
from bench.webhooks import run_assistant  # noqa: E402

DATABASE_BASE = os.environ.get("BENCH_DATABASE_BASE", "postgres://postgres@127.0.0.1:5432/ca_realtime_slowloris")


async def trickle(port: int, stop: asyncio.Event, answers: Counter) -> None:
    """One slow client: a POST whose 1,000-byte body comes one byte every 2 s, again and again."""
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(
                b"POST /webhook/whatsapp HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
            )
            await writer.drain()
            for _ in range(1000):
                writer.write(b"a")
                await writer.drain()
                with contextlib.suppress(TimeoutError):
                    line = await asyncio.wait_for(reader.readline(), timeout=2)
                    if line:
                        answers[line.split(b" ")[1].decode() if b" " in line else "?"] += 1
                        break
                    answers["closed"] += 1
                    break
                if stop.is_set():
                    break
            writer.close()
        except OSError:
            answers["refused"] += 1
            await asyncio.sleep(0.5)


async def measure(base: str, port: int, args, *, slow: int) -> tuple[dict, Counter]:
    validator = RequestValidator(AUTH_TOKEN)
    stop = asyncio.Event()
    answers: Counter = Counter()
    clients = [asyncio.create_task(trickle(port, stop, answers)) for _ in range(slow)]
    if slow:
        await asyncio.sleep(3)  # let them take their places first
    results, _replies = await run_assistant(base, args.conversations, args.rounds, validator, first_patient=slow * 1000)
    stop.set()
    for client in clients:
        client.cancel()
    await asyncio.gather(*clients, return_exceptions=True)
    return results.summary(), answers


def serve(label: str, tree: Path, command: list[str], args) -> list[tuple[str, dict, Counter]]:
    with served_app(
        label=f"slow_clients_{label}",
        database_url=f"{DATABASE_BASE}_{label}",
        command=command,
        tree=tree,
        BOT_BRAIN="rules",
        OPENAI_API_KEY="",
        MESSAGE_RATE_PER_MINUTE="1000",
    ) as app:
        base, port = app.base, app.port
        asyncio.run(run_assistant(base, 2, 1, RequestValidator(AUTH_TOKEN), first_patient=90_000))  # warm up
        alone = asyncio.run(measure(base, port, args, slow=0))
        beside = asyncio.run(measure(base, port, args, slow=args.slow))
    return [("alone", *alone), (f"beside {args.slow} slow clients", *beside)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--slow", type=int, default=16)
    parser.add_argument("--before-ref", default=BEFORE_REF)
    parser.add_argument("--only", choices=["before", "after"])
    args = parser.parse_args()
    runs = []
    if args.only != "after":
        runs.append(("before", extract(args.before_ref), BEFORE_START.split()))
    if args.only != "before":
        runs.append(("after", ROOT, RENDER_START))
    failed = False
    for label, tree, command in runs:
        rows = serve(label, tree, command, args)
        print(f"\n{label.upper()} ({' '.join(command[:2])}), {args.conversations} signed conversations, offline brain")
        for name, summary, answers in rows:
            print(
                f"  {name:<26} {summary['requests']:>4} req  p50 {summary['p50']:>7.1f} ms  p95 {summary['p95']:>8.1f} ms"
                f"  errors {summary['errors']}" + (f"  slow clients got: {dict(answers)}" if answers else "")
            )
        alone, beside = rows[0][1], rows[1][1]
        ratio = beside["p95"] / alone["p95"] if alone["p95"] else float("inf")
        print(f"  p95 beside slow clients / alone: {ratio:.2f}x")
        failed = failed or (label == "after" and (beside["errors"] or alone["errors"]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
