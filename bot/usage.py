"""What the model costs: one price table for the conversation list, the dashboard and the
daily budget, so the three never disagree about a dollar."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Coalesce

from bot.models import Message

# USD per million tokens (input, output), from OpenAI's price list. A model missing here is
# priced as gpt-4o-mini: an estimate is more useful to a clinic than no number at all.
PRICES_PER_MILLION = {
    "gpt-4o-mini": (Decimal("0.15"), Decimal("0.60")),
    "gpt-4o": (Decimal("2.50"), Decimal("10.00")),
    "gpt-4.1-mini": (Decimal("0.40"), Decimal("1.60")),
    "gpt-4.1-nano": (Decimal("0.10"), Decimal("0.40")),
}
DEFAULT_PRICE = PRICES_PER_MILLION["gpt-4o-mini"]


def estimated_cost_usd(*, tokens_in: int | None, tokens_out: int | None, model: str | None = None) -> Decimal:
    price_in, price_out = PRICES_PER_MILLION.get(model or settings.OPENAI_MODEL, DEFAULT_PRICE)
    return ((tokens_in or 0) * price_in + (tokens_out or 0) * price_out) / Decimal(1_000_000)


def spent_usd(*, since: dt.datetime, until: dt.datetime | None = None, clinic=None) -> Decimal:
    """Estimated model spend over [since, until): one aggregate query over the messages."""
    messages = Message.objects.filter(created_at__gte=since, tokens_in__isnull=False)
    if until is not None:
        messages = messages.filter(created_at__lt=until)
    if clinic is not None:
        messages = messages.filter(conversation__clinic=clinic)
    totals = messages.aggregate(tokens_in=Coalesce(Sum("tokens_in"), 0), tokens_out=Coalesce(Sum("tokens_out"), 0))
    return estimated_cost_usd(tokens_in=totals["tokens_in"], tokens_out=totals["tokens_out"])


def over_daily_budget(*, now: dt.datetime, tz) -> bool:
    """True once today's (clinic-local) estimated spend reaches OPENAI_DAILY_BUDGET_USD; then
    the offline brain answers until midnight. No budget configured means no limit."""
    budget = settings.OPENAI_DAILY_BUDGET_USD
    if budget is None:
        return False
    local_midnight = now.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    return spent_usd(since=local_midnight) >= budget
