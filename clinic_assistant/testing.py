"""Test support shared by the apps' race tests.

Races are only real when each caller has its own database connection and all of them
start at the same instant, so `run_at_once` gives every call its own thread (Django opens
one connection per thread), releases them together from a barrier, and closes each
thread's connection afterwards so the test database can be torn down.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections


def run_at_once(calls: Sequence[Callable[[], Any]], *, timeout: float = 60) -> list[Any]:
    """Run each call in its own thread, all released at the same moment. Returns, in the
    order of `calls`, each call's result or the exception it raised (a refusal is an
    outcome a race test counts, not a failure of the test)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = calls[index]()
        except Exception as error:  # handed back to the test as an outcome
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError(f"a concurrent call did not finish within {timeout} s")
    return outcomes
