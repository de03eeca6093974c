"""Model spend: one price table, and the daily budget that hands the day to the offline brain."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from bot import engine
from bot.models import Conversation, Message, MessageRole
from bot.tests import fake_openai as fake
from bot.usage import estimated_cost_usd, over_daily_budget, spent_usd

BUENOS_AIRES = dt.timezone(dt.timedelta(hours=-3))
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=BUENOS_AIRES)


def test_cost_uses_the_models_prices():
    assert estimated_cost_usd(tokens_in=1_000_000, tokens_out=0, model="gpt-4o-mini") == Decimal("0.15")
    assert estimated_cost_usd(tokens_in=0, tokens_out=1_000_000, model="gpt-4o") == Decimal("10.00")
    assert estimated_cost_usd(tokens_in=None, tokens_out=None) == 0


@pytest.fixture
def server():
    with fake.FakeOpenAI() as running:
        yield running


@pytest.fixture
def conversation(demo_clinic, settings, server):
    settings.OPENAI_API_KEY = "test"
    settings.OPENAI_BASE_URL = server.base_url
    settings.OPENAI_MODEL = "gpt-4o-mini"
    settings.BOT_BRAIN = "openai"
    with time_machine.travel(NOW, tick=False):
        yield Conversation.objects.create(clinic=demo_clinic, channel="whatsapp", participant="+5491155550001")


def spend(conversation, *, tokens_in: int, at: dt.datetime) -> None:
    message = Message.objects.create(conversation=conversation, role=MessageRole.ASSISTANT, tokens_in=tokens_in)
    Message.objects.filter(pk=message.pk).update(created_at=at)


def test_spend_counts_only_the_clinics_local_day(conversation, settings):
    settings.OPENAI_DAILY_BUDGET_USD = Decimal("1.00")
    spend(conversation, tokens_in=10_000_000, at=NOW - dt.timedelta(hours=10))  # yesterday 23:00 local: $1.50
    assert spent_usd(since=NOW.replace(hour=0)) == 0
    assert not over_daily_budget(now=NOW, tz=BUENOS_AIRES)

    spend(conversation, tokens_in=6_000_000, at=NOW - dt.timedelta(hours=1))  # today: $0.90
    assert not over_daily_budget(now=NOW, tz=BUENOS_AIRES)
    spend(conversation, tokens_in=1_000_000, at=NOW - dt.timedelta(minutes=5))  # today: $1.05
    assert over_daily_budget(now=NOW, tz=BUENOS_AIRES)


def test_past_the_budget_the_offline_brain_answers_without_asking_the_model(conversation, settings, server):
    settings.OPENAI_DAILY_BUDGET_USD = Decimal("0.10")
    spend(conversation, tokens_in=1_000_000, at=NOW - dt.timedelta(minutes=5))
    server.script(fake.text("no debería usarse"))

    reply = engine.reply(conversation, "¿Qué especialidades tienen?")

    assert reply.brain == "rules"
    assert server.requests == []


def test_without_a_budget_the_model_answers(conversation, settings, server):
    settings.OPENAI_DAILY_BUDGET_USD = None
    spend(conversation, tokens_in=100_000_000, at=NOW - dt.timedelta(minutes=5))
    server.script(fake.text("Buenos días, ¿en qué puedo ayudarlo?"))

    assert engine.reply(conversation, "Hola").brain == "openai"
    assert len(server.requests) == 1
