"""Per-number message rate limit, counted in the database so that every web instance
shares one count (a per-process or cache counter would let each instance allow its own
quota; Django's database cache increments with a read and a write, which races).

A fixed window per minute: one INSERT ... ON CONFLICT DO UPDATE ... RETURNING per message
(PostgreSQL, and SQLite >= 3.35) increments and reads the count atomically. Past the
limit the engine answers without any brain: no model call, no booking."""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from identity.models import MessageCount

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    count: int
    # The first message past the limit in its window: the one that gets the polite answer
    # (later ones too on a call, where silence is not an option; WhatsApp may stay quiet).
    first_refusal: bool


def _window_start(now: dt.datetime, seconds: int) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def register_message(*, key: str, limit: int, now: dt.datetime | None = None) -> RateDecision:
    """Count one message from `key` (the conversation's participant) and say whether it is
    within `limit` messages this minute."""
    start = _window_start(now or timezone.now(), WINDOW_SECONDS)
    quote = connection.ops.quote_name
    table, key_column, window_column, start_column, count_column = (
        quote(name) for name in (MessageCount._meta.db_table, "key", "window_seconds", "window_start", "count")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {window_column}, {start_column}, {count_column}) "
            f"VALUES (%s, %s, %s, 1) ON CONFLICT ({key_column}, {window_column}, {start_column}) "
            f"DO UPDATE SET {count_column} = {table}.{count_column} + 1 RETURNING {count_column}",
            [key, WINDOW_SECONDS, connection.ops.adapt_datetimefield_value(start)],
        )
        count = cursor.fetchone()[0]
    if count == 1:
        # A new window for this key: the old ones are no use any more.
        MessageCount.objects.filter(key=key, window_start__lt=start).delete()
    return RateDecision(allowed=count <= limit, count=count, first_refusal=count == limit + 1)


def is_over_limit(*, key: str, limit: int, now: dt.datetime | None = None) -> bool:
    """Whether `key` has used up its `limit` this minute, without counting a message: for
    costly work that comes before the engine counts the message (a voice note's transcription)."""
    start = _window_start(now or timezone.now(), WINDOW_SECONDS)
    count = (
        MessageCount.objects.filter(key=key, window_seconds=WINDOW_SECONDS, window_start=start)
        .values_list("count", flat=True)
        .first()
    )
    return (count or 0) >= limit
