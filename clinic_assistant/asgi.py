"""The ASGI application that gunicorn's uvicorn workers serve (see render.yaml).

Three things sit in front of Django here, each small enough not to need a framework:

- **Bodies are read before Django sees the request**, within BODY_READ_SECONDS and at most
  DATA_UPLOAD_MAX_MEMORY_SIZE bytes (408 / 413 otherwise). Reading is awaited, so a client
  that trickles its body one byte at a time costs a coroutine, not a worker thread, and
  gives up its place after the timeout. Django would read the body too, but with no time
  limit; Render's proxy is not documented to buffer request bodies (README, Deployment).
- **WebSocket `/ws/voice`** goes to the ConversationRelay endpoint (bot/channels/relay_socket.py);
  any other WebSocket is refused. One route: django-channels (its consumers, routing and
  channel layer) would be a dependency for one endpoint that needs none of them.
- **lifespan** startup warms each worker before its first turn: the brains' imports, the data
  a turn loads on first use and the loop's model client (Django does not speak lifespan)."""

import asyncio
import importlib
import logging
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_assistant.settings")

django_application = get_asgi_application()

from django.conf import settings  # noqa: E402 - after Django is set up
from django.utils import timezone  # noqa: E402

from bot.channels.relay import RELAY_WS_PATH  # noqa: E402

logger = logging.getLogger(__name__)

BODY_READ_SECONDS = float(os.environ.get("BODY_READ_SECONDS", "10"))


async def _plain(send, status: int, text: str) -> None:
    await send(
        {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain; charset=utf-8")]}
    )
    await send({"type": "http.response.body", "body": text.encode()})


async def _read_body(receive, limit: int) -> bytes | int:
    """The whole body, or the status that refuses it (413 too big, 408 too slow, 400 gone)."""
    chunks: list[bytes] = []
    size = 0
    async with asyncio.timeout(BODY_READ_SECONDS):
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return 400
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return 413
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


async def guarded_http(scope, receive, send) -> None:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440
    declared = dict(scope.get("headers") or []).get(b"content-length", b"")
    if declared.isdigit() and int(declared) > limit:
        await _plain(send, 413, "Request body too large")
        return
    try:
        body = await _read_body(receive, limit)
    except TimeoutError:
        await _plain(send, 408, "Request body too slow")
        return
    if isinstance(body, int):
        await _plain(send, body, "Request body refused")
        return
    replayed = False

    async def replay():
        # The body once, then the client's own messages (Django listens for the disconnect).
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    await django_application(scope, replay, send)


# Exercises what the first turn loads on first use: safety's word lists and spelling
# dictionary, the NLU's lexicons and example index, dateparser's Spanish data.
WARM_UP_MESSAGE = "hola, kiero un turno de cardiologia para el 12 de diciembre a la mañana, me duele el pecho"


def _warm_up() -> None:
    """Import the brains and load what a turn loads on first use before the first turn
    (the openai SDK alone takes seconds to import; the word lists and dateparser's data
    ~0.3 s of CPU): otherwise the first patients after each deploy, in each worker, wait for
    it, all at once (bench/relay_latency.py, 10 calls: their second prompts took up to 659 ms
    in the server's record without it, at most 341 ms with it).
    A brain that fails to import is logged, and costs an apology per turn, not the site."""
    try:
        importlib.import_module("bot.brains.rules")
        importlib.import_module("bot.brains.openai_async")
        from bot import nlu, safety

        safety.assess(WARM_UP_MESSAGE)
        nlu.understand(WARM_UP_MESSAGE)
        nlu.extract_when(WARM_UP_MESSAGE, now=timezone.now())
        nlu.intent_from_examples(WARM_UP_MESSAGE)
    except Exception:
        logger.exception("Warm-up: a brain failed to import or to load its data")


async def _lifespan(receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await asyncio.to_thread(_warm_up)
            try:
                from bot.brains.openai_async import warm_client

                warm_client()  # on this worker's event loop, where its turns will use it
            except Exception:
                logger.exception("Warm-up: the model client could not be built")
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def application(scope, receive, send) -> None:
    if scope["type"] == "http":
        await guarded_http(scope, receive, send)
    elif scope["type"] == "websocket" and scope["path"] == RELAY_WS_PATH:
        from bot.channels.relay_socket import relay_session

        await relay_session(scope, receive, send)
    elif scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1008})
    elif scope["type"] == "lifespan":
        await _lifespan(receive, send)
