"""Benchmark: the WhatsApp webhook under gunicorn vs. a bare endpoint in the same process.

Starts gunicorn on loopback exactly as render.yaml runs it (2 uvicorn workers) against a
fresh PostgreSQL database (migrated, seed_demo), with the offline brain (BOT_BRAIN=rules)
and a Twilio auth token, so every request is signed and checked. Then:

1. the assistant: N concurrent WhatsApp conversations (a greeting, questions, a booking
   through to the confirmed turno), each message signed like Twilio signs it;
2. the bare endpoint (/bench/bare, routed only with BENCH_BARE_ENDPOINT=1): the same
   number of requests at the same concurrency, answered with a fixed TwiML by the same
   gunicorn, middleware included, without signature check, engine or database.

Prints requests/s and p50/p95/p99 latency for both, the p95 ratio, and the error count.

    .venv/bin/python bench/webhooks.py [--conversations 16] [--rounds 2]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic_webhooks_bench .venv/bin/python bench/webhooks.py
"""

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import ACCOUNT_SID, AUTH_TOKEN, percentile, served_app  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/clinic_webhooks_bench"
SPECIALTIES = ["cardiología", "odontología", "pediatría", "dermatología", "clínica médica", "ginecología"]
CHOICES = ["el primero", "el segundo", "el tercero", "el último"]
FIRST_NAMES = ["Juan", "María", "Carlos", "Lucía", "Jorge", "Ana", "Diego", "Sofía", "Pablo", "Laura"]
LAST_NAMES = ["Pérez", "González", "Rodríguez", "Fernández", "López", "Martínez", "García", "Romero", "Sosa", "Díaz"]


def count_appointments(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM appointments_appointment").fetchone()[0]


def script_for(index: int) -> list[str]:
    """One patient's messages: questions, then a booking answered step by step (the
    offline brain asks for the slot, the name and the document)."""
    return [
        "Hola",
        "¿Trabajan con OSDE?",
        "¿A qué hora abren?",
        f"Quiero un turno para {SPECIALTIES[index % len(SPECIALTIES)]}",
        CHOICES[index % len(CHOICES)],
        f"{FIRST_NAMES[index % 10]} {LAST_NAMES[(index // 10) % 10]}",
        str(30_000_000 + index),
        "sí, confirmo",
        "gracias, nada más",
    ]


def whatsapp_form(body: str, phone: str) -> dict:
    return {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "Body": body,
        "From": f"whatsapp:{phone}",
        "MessageSid": "SM" + secrets.token_hex(16),
        "NumMedia": "0",
        "NumSegments": "1",
        "ProfileName": "Bench",
        "SmsStatus": "received",
        "To": "whatsapp:+14155238886",
        "WaId": phone.lstrip("+"),
    }


class Results:
    def __init__(self):
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.started = 0.0
        self.finished = 0.0

    def summary(self) -> dict:
        elapsed = self.finished - self.started
        ms = [latency * 1000 for latency in self.latencies]
        return {
            "requests": len(ms),
            "rps": len(ms) / elapsed if elapsed else 0.0,
            "p50": percentile(ms, 0.50) if ms else 0.0,
            "p95": percentile(ms, 0.95) if ms else 0.0,
            "p99": percentile(ms, 0.99) if ms else 0.0,
            "mean": statistics.fmean(ms) if ms else 0.0,
            "errors": len(self.errors),
        }


async def post(client: httpx.AsyncClient, base: str, path: str, form: dict, results: Results, validator) -> str:
    url = f"{base}{path}"
    headers = {"X-Twilio-Signature": validator.compute_signature(url, form)}
    started = time.perf_counter()
    try:
        response = await client.post(url, data=form, headers=headers)
    except httpx.HTTPError as error:
        results.errors.append(f"{path}: {error.__class__.__name__}")
        return ""
    results.latencies.append(time.perf_counter() - started)
    if response.status_code != 200 or not response.headers.get("content-type", "").startswith("text/xml"):
        results.errors.append(f"{path}: HTTP {response.status_code}")
        return ""
    try:
        root = ET.fromstring(response.content)
    except ET.ParseError:
        results.errors.append(f"{path}: invalid TwiML")
        return ""
    return " ".join(node.text or "" for node in root.iter("Message"))


async def run_assistant(
    base: str, conversations: int, rounds: int, validator, *, first_patient: int = 0
) -> tuple[Results, list[str]]:
    results = Results()
    last_replies: list[str] = []

    async def conversation(client: httpx.AsyncClient, index: int) -> None:
        phone = f"+54911{5000_0000 + index:08d}"
        reply = ""
        for body in script_for(index):
            reply = await post(client, base, "/webhook/whatsapp", whatsapp_form(body, phone), results, validator)
        last_replies.append(reply)

    limits = httpx.Limits(max_connections=conversations, max_keepalive_connections=conversations)
    async with httpx.AsyncClient(limits=limits, timeout=20) as client:
        results.started = time.perf_counter()
        for round_index in range(rounds):
            offset = first_patient + round_index * conversations
            await asyncio.gather(*(conversation(client, offset + i) for i in range(conversations)))
        results.finished = time.perf_counter()
    return results, last_replies


async def run_bare(base: str, concurrency: int, per_client: int, validator) -> Results:
    results = Results()

    async def worker(client: httpx.AsyncClient, index: int) -> None:
        phone = f"+54911{6000_0000 + index:08d}"
        for _ in range(per_client):
            await post(client, base, "/bench/bare", whatsapp_form("Hola", phone), results, validator)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=20) as client:
        results.started = time.perf_counter()
        await asyncio.gather(*(worker(client, i) for i in range(concurrency)))
        results.finished = time.perf_counter()
    return results


def print_row(name: str, summary: dict) -> None:
    print(
        f"{name:<10} {summary['requests']:>6} req  {summary['rps']:>8.1f} req/s  "
        f"p50 {summary['p50']:>7.1f} ms  p95 {summary['p95']:>7.1f} ms  p99 {summary['p99']:>7.1f} ms  "
        f"errors {summary['errors']}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=16, help="concurrent WhatsApp conversations")
    parser.add_argument("--rounds", type=int, default=6, help="conversations per concurrent slot")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not database_url.startswith("postgres"):
        print("bench/webhooks.py needs PostgreSQL (DATABASE_URL=postgres://...)", file=sys.stderr)
        return 2
    validator = RequestValidator(AUTH_TOKEN)
    with served_app(
        label="webhooks_gunicorn",
        database_url=database_url,
        BOT_BRAIN="rules",
        OPENAI_API_KEY="",
        BENCH_BARE_ENDPOINT="1",
        LOG_LEVEL="INFO",
    ) as app:
        base = app.base
        # Warm both paths (imports, connections, caches) before measuring.
        asyncio.run(run_bare(base, 4, 5, validator))
        asyncio.run(run_assistant(base, 2, 1, validator, first_patient=9000))

        assistant, replies = asyncio.run(run_assistant(base, args.conversations, args.rounds, validator))
        per_client = max(1, assistant.summary()["requests"] // args.conversations)
        bare = asyncio.run(run_bare(base, args.conversations, per_client, validator))

    booked = count_appointments(database_url)
    a, b = assistant.summary(), bare.summary()
    print(f"\ngunicorn 2 uvicorn workers, {args.conversations} concurrent clients, PostgreSQL, BOT_BRAIN=rules")
    print_row("assistant", a)
    print_row("bare", b)
    ratio = a["p95"] / b["p95"] if b["p95"] else float("inf")
    print(f"\np95 overhead ratio (assistant / bare): {ratio:.2f}x  (target <= 1.5x)")
    print(f"throughput ratio (bare / assistant): {b['rps'] / a['rps']:.1f}x" if a["rps"] else "")
    print(f"turnos booked: {booked} (of {args.conversations * args.rounds + 2} conversations)")
    errors = assistant.errors + bare.errors
    print(f"errors: {len(errors)}" + (f" e.g. {errors[:3]}" if errors else ""))
    farewells = sum("gracias por comunicarse" in reply.lower() for reply in replies)
    print(f"conversations that reached the farewell: {farewells} of {len(replies)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
