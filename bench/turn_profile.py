"""Benchmark: CPU and database round trips per webhook turn, in one process, no concurrency.

Runs the ASGI application in this process (production settings: DEBUG off, signed
webhooks, the database pool) on a fresh PostgreSQL database, against the load benchmark's
model (bench/slow_model.py's responder, no delay, in a process of its own), and sends
signed WhatsApp turns one after another: the same three turns per conversation as
bench/slow_model.py (one model request, two, one). Prints per turn type: CPU ms (this
process: Django, the engine, the ORM, the SDK, and the in-process HTTP client), queries,
and database phases (each a thread hop with a pooled connection); with --profile, the top functions by cumulative time.

    .venv/bin/python bench/turn_profile.py [--conversations 20] [--profile]
"""

import argparse
import asyncio
import os
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import AUTH_TOKEN, free_port, percentile, prepare_database, production_env  # noqa: E402
from bench.slow_model import ONE_TEXT, TWO_TEXT, model_server  # noqa: E402
from bench.webhooks import whatsapp_form  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ca_turn_profile")
TURNS = (("wa 1 request", ONE_TEXT), ("wa 2 requests", TWO_TEXT), ("wa 1 request", ONE_TEXT))


class Counters:
    """Queries and database phases, whichever thread runs them: with the pool every phase
    takes a connection (connect(), so connection_created), and each connection gets the
    query counter as an execute wrapper."""

    def __init__(self):
        self.lock = threading.Lock()
        self.queries = 0
        self.phases = 0
        self.sql: list[str] = []

    def install(self) -> None:
        from django.db.backends.signals import connection_created

        connection_created.connect(self.opened, weak=False)

    def opened(self, sender, connection, **kwargs) -> None:
        with self.lock:
            self.phases += 1
        if self.counted not in connection.execute_wrappers:
            connection.execute_wrappers.append(self.counted)

    def counted(self, execute, sql, params, many, context):
        with self.lock:
            self.queries += 1
            self.sql.append(sql)
        return execute(sql, params, many, context)

    def take(self) -> tuple[int, int, list[str]]:
        with self.lock:
            taken = self.queries, self.phases, self.sql
            self.queries, self.phases, self.sql = 0, 0, []
        return taken


async def run(conversations: int, counters: Counters, base: str, profiler) -> dict:
    import httpx
    from twilio.request_validator import RequestValidator

    from clinic_assistant.asgi import application

    validator = RequestValidator(AUTH_TOKEN)
    transport = httpx.ASGITransport(app=application)
    rows: dict[str, list[tuple[float, int, int]]] = defaultdict(list)
    last_sql: dict[str, list[str]] = {}
    async with httpx.AsyncClient(transport=transport, base_url=base) as client:
        for index in range(conversations + 1):  # the first conversation warms up
            phone = f"+54911{4000_0000 + index:08d}"
            for kind, text in TURNS:
                form = whatsapp_form(text, phone)
                url = f"{base}/webhook/whatsapp"
                headers = {"X-Twilio-Signature": validator.compute_signature(url, form)}
                counters.take()
                cpu = time.process_time()
                if profiler and index:
                    profiler.resume()
                response = await client.post("/webhook/whatsapp", data=form, headers=headers)
                if profiler:
                    profiler.stop()
                spent = (time.process_time() - cpu) * 1000
                queries, phases, sql = counters.take()
                assert response.status_code == 200, response.text
                if index:
                    rows[kind].append((spent, queries, phases))
                    last_sql[kind] = sql
    return {"rows": rows, "sql": last_sql}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="print the top functions by cumulative time")
    parser.add_argument("--sql", action="store_true", help="print the last turn's queries per turn type")
    args = parser.parse_args()

    with model_server(0.0, hang=False) as model:
        base = f"http://127.0.0.1:{free_port()}"
        env = production_env(
            base=base,
            database_url=DATABASE_URL,
            BOT_BRAIN="openai",
            OPENAI_API_KEY="bench",
            OPENAI_BASE_URL=model.base_url,
            DATABASE_POOL="1",
            MESSAGE_RATE_PER_MINUTE="1000",
            LOG_LEVEL="WARNING",
        )
        prepare_database(DATABASE_URL, env=env)
        os.environ.update(env)
        import django

        django.setup()
        counters = Counters()
        counters.install()
        profiler = None
        if args.profile:
            # yappi (pip install yappi) follows the database phases into their threads; cProfile does not.
            import yappi

            yappi.set_clock_type("cpu")
            profiler = SimpleNamespace(resume=yappi.start, stop=yappi.stop)
        result = asyncio.run(run(args.conversations, counters, base, profiler))

    print(f"\n{args.conversations} conversations x {len(TURNS)} signed WhatsApp turns, one at a time, PostgreSQL")
    print(f"  {'turn':<16} {'n':>4} {'CPU p50 ms':>11} {'CPU p95 ms':>11} {'queries':>8} {'phases':>7}")
    for kind, rows in sorted(result["rows"].items()):
        cpu = [row[0] for row in rows]
        queries = sorted({row[1] for row in rows})
        phases = sorted({row[2] for row in rows})
        print(
            f"  {kind:<16} {len(rows):>4} {percentile(cpu, 0.5):>11.1f} {percentile(cpu, 0.95):>11.1f} "
            f"{'/'.join(map(str, queries)):>8} {'/'.join(map(str, phases)):>7}"
        )
    if args.sql:
        for kind, sql in result["sql"].items():
            print(f"\n{kind}:")
            for statement in sql:
                print("   ", statement[:160])
    if profiler:
        import yappi

        stats = yappi.get_func_stats()
        stats.sort("ttot").print_all(columns={0: ("name", 100), 1: ("ncall", 8), 3: ("ttot", 8), 4: ("tavg", 8)})
        stats.sort("tsub").print_all(columns={0: ("name", 100), 1: ("ncall", 8), 2: ("tsub", 8)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
