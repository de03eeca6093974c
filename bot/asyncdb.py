"""Database work from async code (the ASGI webhooks, the realtime voice socket).

Django's ORM is synchronous: async callers run each database phase of a turn in a thread.

With a pool (DATABASE_POOL, production): any thread of the event loop's small executor
takes a connection from the pool for the phase and hands it back at its end, so a turn
that then waits seconds on the model holds neither a thread nor a connection, and a
worker runs a handful of threads however many turns are in flight (dozens of threads
contending for the interpreter lock made every query wait for it). No transaction spans
two phases, so nothing needs the same connection twice.

Without a pool (development, tests): thread-sensitive, so one request's phases share its
thread and connection (a test's transaction included), as Django usually does."""

import functools
from collections.abc import Awaitable, Callable

from asgiref.sync import sync_to_async
from django.db import connection


def _pooled() -> bool:
    return bool(connection.settings_dict.get("OPTIONS", {}).get("pool"))


def db_phase[**P, T](function: Callable[P, T]) -> Callable[P, Awaitable[T]]:
    """`function` as an awaitable that runs in the request's thread."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return function(*args, **kwargs)
        finally:
            if _pooled() and not connection.in_atomic_block:
                connection.close()  # back to the pool

    return sync_to_async(run, thread_sensitive=not _pooled())
