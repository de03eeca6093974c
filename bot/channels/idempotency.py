"""Nothing twice: Twilio retries a webhook it got no answer for (and sometimes delivers the
same one twice at once). Each delivery has a key ("wa:<MessageSid>", "voice:<CallSid>:<turn>");
the first request claims it with a row in ProcessedWebhook and stores the TwiML it answered,
later copies replay that body without running the engine (so no second booking and no
second message in the history).

The claim is committed before the work starts: a concurrent copy then sees the row and waits
for the first to finish instead of blocking on the unique index or running the work too.
The work itself runs without an enclosing transaction, on purpose: the engine keeps none open
across model calls, so a turno booked mid-turn is committed (visible to reception, blocking
its slot) at once, and each tool writes in its own savepoint. A turn that fails releases
its claim for Twilio's retry; the booking tool is idempotent, so a retry cannot book twice.
A claim is also a lease (LEASE_SECONDS): one its request could not release (the process or
every connection gone) never blocks the retry for longer than that."""

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from bot.asyncdb import db_phase
from bot.models import Conversation, ProcessedWebhook
from bot.turns import on_live_connection

logger = logging.getLogger(__name__)

# A copy that arrives while the first is running waits this long for its reply. Twilio gives a
# webhook 15 s; waiting ~10 s leaves time to answer something before it gives up.
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.1
# A claim is a lease: still incomplete after this long, it belongs to a request that died
# (worker killed, deploy, connection lost) and a retry takes it over. Longer than a turn
# may take (Twilio gives up after 15 s), shorter than Twilio's retries are apart.
LEASE_SECONDS = 20.0
MAX_KEY_LENGTH = 120


@dataclass
class Work:
    """What a webhook's work produced: the TwiML body to answer (and replay) and the
    conversation it belongs to, for the admin's records."""

    body: str
    conversation: Conversation | None = None


class StillProcessing(Exception):
    """Another copy of this delivery is still running after the wait."""


def _claim(key: str) -> tuple[ProcessedWebhook, bool]:
    # INSERT first: a new delivery (the usual case) skips get_or_create's SELECT and
    # savepoint. In a request (autocommit) the INSERT commits on its own, and a failed one
    # breaks nothing; inside an enclosing transaction a savepoint keeps it from breaking that.
    guard = transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext()
    try:
        with guard:
            return ProcessedWebhook.objects.create(key=key, lease_expires_at=_lease_end()), True
    except IntegrityError:
        # A copy of this delivery got there first (or finished long ago).
        return ProcessedWebhook.objects.get(key=key), False


def _lease_end() -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=LEASE_SECONDS)


def _take_over_if_expired(row: ProcessedWebhook) -> bool:
    if row.is_complete or row.lease_expires_at > timezone.now():
        return False
    # Conditional update: of several retries only one wins the takeover.
    taken = ProcessedWebhook.objects.filter(pk=row.pk, is_complete=False, lease_expires_at=row.lease_expires_at).update(
        lease_expires_at=_lease_end()
    )
    if taken:
        logger.warning("Webhook %s: taking over a claim whose lease expired", row.key)
    return bool(taken)


def _release(row: ProcessedWebhook) -> None:
    """Release a failed turn's claim so Twilio's retry runs it again, also when what failed was
    the connection itself (then over a new one; if even that fails, the lease expires)."""
    try:
        on_live_connection(lambda: ProcessedWebhook.objects.filter(pk=row.pk, is_complete=False).delete())
    except DatabaseError:
        logger.exception("Webhook %s: claim not released (its lease expires in %s s)", row.key, LEASE_SECONDS)


def _complete(row: ProcessedWebhook, result: Work) -> str:
    row.response_body = result.body
    row.conversation = result.conversation
    row.is_complete = True
    row.completed_at = timezone.now()
    row.save(update_fields=["response_body", "conversation", "is_complete", "completed_at"])
    return result.body


def _run(row: ProcessedWebhook, work: Callable[..., Work], prepare: Callable[[], object] | None) -> str:
    try:
        # Slow network work without database writes (a voice note's transcription) is kept
        # apart from the turn's writes.
        result = work(prepare()) if prepare is not None else work()
    except BaseException:
        _release(row)
        raise
    return _complete(row, result)


def _look(key: str, row: ProcessedWebhook | None) -> tuple[ProcessedWebhook, bool]:
    """One look at the key's claim: (its row, whether it is ours to run). The first look
    claims it; later ones poll with a SELECT, not with failing INSERTs (each one an error in
    the server log), and claim it again if the first copy failed and released it."""
    if row is not None:
        polled = ProcessedWebhook.objects.filter(key=key).first()
        if polled is not None:
            return polled, _take_over_if_expired(polled)
    row, created = _claim(key)
    return row, created or _take_over_if_expired(row)


def run_once(
    key: str,
    work: Callable[..., Work],
    *,
    prepare: Callable[[], object] | None = None,
    wait_seconds: float = WAIT_SECONDS,
    poll_seconds: float = POLL_SECONDS,
) -> tuple[str, bool]:
    """Run `work` once for `key` and return (body, replayed). A completed key replays its
    stored body; a key being processed by another request is waited for. Raises
    StillProcessing when the other request does not finish in time.

    With `prepare`, its result is passed to `work`; it runs once too, under the claim."""
    key = key[:MAX_KEY_LENGTH]
    deadline = time.monotonic() + wait_seconds
    row, ours = _look(key, None)
    while not ours:
        if row.is_complete:
            return row.response_body, True
        if time.monotonic() >= deadline:
            raise StillProcessing(key)
        time.sleep(poll_seconds)
        row, ours = _look(key, row)
    return _run(row, work, prepare), False


async def arun_once(
    key: str,
    work: Callable[..., Awaitable[Work]],
    *,
    prepare: Callable[[], object] | None = None,
    wait_seconds: float = WAIT_SECONDS,
    poll_seconds: float = POLL_SECONDS,
) -> tuple[str, bool]:
    """run_once for async work (the ASGI webhooks): the same claim, its looks and writes as
    database phases, the waits as asyncio sleeps. `prepare` is sync (it runs in a thread).
    A cancelled turn (the client went away) releases its claim like a failed one."""
    key = key[:MAX_KEY_LENGTH]
    deadline = time.monotonic() + wait_seconds
    row, ours = await db_phase(_look)(key, None)
    while not ours:
        if row.is_complete:
            return row.response_body, True
        if time.monotonic() >= deadline:
            raise StillProcessing(key)
        await asyncio.sleep(poll_seconds)
        row, ours = await db_phase(_look)(key, row)
    try:
        result = await work(await db_phase(prepare)()) if prepare is not None else await work()
    except BaseException:
        await db_phase(_release)(row)
        raise
    return await db_phase(_complete)(row, result), False
