"""The per-number message count is one atomic upsert: exact under concurrency."""

import datetime as dt

import pytest
from django.db import connection

from clinic_assistant.testing import run_at_once
from identity.models import MessageCount
from identity.ratelimit import register_message

NOW = dt.datetime(2026, 12, 1, 12, 0, 30, tzinfo=dt.UTC)


def test_past_the_limit_the_first_refusal_is_flagged_once(db):
    decisions = [register_message(key="+5491155550001", limit=3, now=NOW) for _ in range(6)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False, False]
    assert [d.first_refusal for d in decisions] == [False, False, False, True, False, False]
    # Another number has its own count.
    assert register_message(key="+5491166660002", limit=3, now=NOW).allowed


def test_a_new_minute_starts_over_and_drops_the_old_window(db):
    for _ in range(4):
        register_message(key="+5491155550001", limit=3, now=NOW)
    later = register_message(key="+5491155550001", limit=3, now=NOW + dt.timedelta(seconds=40))
    assert later.allowed and later.count == 1
    assert MessageCount.objects.filter(key="+5491155550001").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (several connections)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_messages_from_several_instances_are_all_counted():
    def send() -> list[bool]:
        return [register_message(key="+5491155550001", limit=12, now=NOW).allowed for _ in range(5)]

    allowed = [flag for flags in run_at_once([send] * 8) for flag in flags]
    assert MessageCount.objects.get().count == 40
    assert allowed.count(True) == 12
