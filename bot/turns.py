"""Turns of one conversation run one after another.

Two messages from one number at the same moment used to run side by side: each loaded the
conversation, and the one that finished last saved its stale copy over the other's work
(outcome, patient, booked turno lost; used slots offered again). Now every turn of a
conversation first takes its lease, a row in TurnLease keyed by who the conversation is
("whatsapp:+54911…", "phone:CA…"): a conditional UPDATE (or the INSERT of a new key) that
only one request can win, committed at once. The others poll until it is released, so
they run next, in order, on the state the first one saved.

Why a lease row: no transaction may stay open across model calls, an ASGI turn may run
its database phases on different connections, and several web instances share one
PostgreSQL; a row works for all three (and on SQLite). If the holder dies, its lease
expires by itself after LEASE_SECONDS, longer than any turn may take (Twilio waits 15 s).
A holder that only lost its connection releases the lease over a new one."""

import asyncio
import logging
import random
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import timedelta

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from bot.asyncdb import db_phase
from bot.models import TurnLease

logger = logging.getLogger(__name__)

LEASE_SECONDS = 30.0
# A second message waits this long for the first one's turn (model time included).
WAIT_SECONDS = 12.0
POLL_SECONDS = 0.05


class TurnBusy(Exception):
    """The conversation's previous turn did not finish within the wait."""


def turn_key(*, channel: str, participant: str, call_sid: str | None = None) -> str:
    """Who the conversation is: a call is its CallSid, any other channel the number."""
    return f"phone:{call_sid}" if call_sid else f"{channel}:{participant}"[:120]


def on_live_connection[T](operation: Callable[[], T]) -> T:
    """Run a single-statement cleanup; if the connection died under the request (killed by
    the server, network cut), open a new one and run it again, so the cleanup still lands."""
    try:
        return operation()
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        logger.warning("Database connection lost; retrying the cleanup on a new connection")
        connection.close()
        return operation()


def try_begin_turn(key: str, holder: str) -> bool:
    """Take the lease of `key` for `holder` (a random id) if it is free; True if taken.
    One short statement: async callers poll it from their database phases."""
    now = timezone.now()
    expires_at = now + timedelta(seconds=LEASE_SECONDS)
    free = Q(holder="") | Q(expires_at__lt=now)
    if TurnLease.objects.filter(free, key=key).update(holder=holder, expires_at=expires_at):
        return True
    try:
        with transaction.atomic():
            TurnLease.objects.create(key=key, holder=holder, expires_at=expires_at)
        return True
    except IntegrityError:
        return False  # the row exists and someone holds it


def end_turn(key: str, holder: str) -> None:
    """Release the lease, over a new connection if the turn's one died. Only our own: if it
    expired and someone else took it, it is theirs now. Never raises (the lease expires)."""
    try:
        on_live_connection(lambda: TurnLease.objects.filter(key=key, holder=holder).update(holder=""))
    except DatabaseError:
        logger.exception("Turn %s: lease not released (it expires in %s s)", key, LEASE_SECONDS)


@contextmanager
def serialized_turn(key: str, *, wait_seconds: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the conversation's lease for the duration of the block. Raises TurnBusy if the
    previous turn still holds it after `wait_seconds`. Must not run inside a transaction
    (the lease must be visible to other requests at once)."""
    holder = uuid.uuid4().hex
    deadline = time.monotonic() + wait_seconds
    waited = False
    while not try_begin_turn(key, holder):
        if time.monotonic() >= deadline:
            raise TurnBusy(key)
        waited = True
        time.sleep(POLL_SECONDS * random.uniform(0.5, 1.5))
    if waited:
        logger.info("Turn %s waited for the previous one", key)
    try:
        yield
    finally:
        end_turn(key, holder)


def _begin_and_load[T](key: str, holder: str, load: Callable[[], T] | None) -> tuple[bool, T | None]:
    if not try_begin_turn(key, holder):
        return False, None
    return True, load() if load is not None else None


@asynccontextmanager
async def aserialized_turn[T](
    key: str, *, load: Callable[[], T] | None = None, wait_seconds: float = WAIT_SECONDS
) -> AsyncIterator[T | None]:
    """serialized_turn for async turns: the lease's statements as database phases, the
    wait as asyncio sleeps (a waiting turn holds no thread). Released also when the turn
    is cancelled (the client went away). `load` runs in the phase that wins the lease (one
    phase less per turn) and its result is what the block gets."""
    holder = uuid.uuid4().hex
    deadline = time.monotonic() + wait_seconds
    begun, loaded = await db_phase(_begin_and_load)(key, holder, load)
    while not begun:
        if time.monotonic() >= deadline:
            raise TurnBusy(key)
        await asyncio.sleep(POLL_SECONDS * random.uniform(0.5, 1.5))
        begun, loaded = await db_phase(_begin_and_load)(key, holder, load)
    try:
        yield loaded
    finally:
        await db_phase(end_turn)(key, holder)
