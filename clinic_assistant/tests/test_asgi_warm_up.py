"""The ASGI lifespan warms each worker before its first turn: without it, the first
concurrent turns after a deploy all load the same word lists at once (bench/relay_latency.py)."""

import asyncio

from bot import safety
from bot.brains import openai_async
from clinic_assistant import asgi


def run_lifespan() -> tuple[list[str], dict]:
    sent: list[str] = []

    async def lifespan() -> dict:
        messages = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]

        async def receive() -> dict:
            return messages.pop(0)

        async def send(message: dict) -> None:
            sent.append(message["type"])

        await asgi.application({"type": "lifespan"}, receive, send)
        return dict(openai_async._clients.get(asyncio.get_running_loop(), {}))

    return sent, asyncio.run(lifespan())


def test_startup_loads_the_first_turns_data_and_the_loops_model_client(settings):
    settings.OPENAI_API_KEY = "sk-warm-up"
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"
    safety.lexicon.cache_clear()  # as in a new worker

    sent, clients = run_lifespan()

    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert safety.lexicon.cache_info().currsize == 1
    assert ("sk-warm-up", "http://127.0.0.1:9/v1") in clients


def test_without_a_model_key_startup_still_completes(settings):
    settings.OPENAI_API_KEY = ""
    settings.OPENAI_BASE_URL = ""

    sent, clients = run_lifespan()

    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert clients == {}
