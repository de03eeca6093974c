"""The conversation list shows each conversation's tokens and estimated cost, from bot.usage's
price table, in a fixed number of queries however many conversations it lists."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bot.models import Conversation, Message, MessageRole
from bot.usage import estimated_cost_usd


def conversation_with(clinic, index, tokens):
    conversation = Conversation.objects.create(
        clinic=clinic, channel="whatsapp", participant=f"+54911555500{index:02d}"
    )
    for tokens_in, tokens_out in tokens:
        Message.objects.create(
            conversation=conversation,
            role=MessageRole.ASSISTANT,
            text="Hola",
            tokens_in=tokens_in,
            tokens_out=tokens_out,
        )
    Message.objects.create(conversation=conversation, role=MessageRole.USER, text="Hola")  # no tokens
    return conversation


@pytest.mark.django_db
def test_conversation_list_shows_tokens_and_cost_without_a_query_per_row(
    demo_clinic, admin_client, django_assert_max_num_queries, settings
):
    settings.OPENAI_MODEL = "gpt-4o-mini"
    url = reverse("admin:bot_conversation_changelist")
    conversation_with(demo_clinic, 1, [(1200, 300), (800, 200)])
    with django_assert_max_num_queries(12) as few:
        admin_client.get(url)
    for index in range(2, 12):
        conversation_with(demo_clinic, index, [(100, 10)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(url)
    row = next(c for c in response.context["cl"].result_list if c.participant.endswith("01"))
    assert (row.tokens_in, row.tokens_out) == (2000, 500)
    cost = estimated_cost_usd(tokens_in=2000, tokens_out=500)
    assert cost == Decimal("0.0006")  # 2000 × 0.15/M + 500 × 0.60/M
    assert "2.000 / 500" in response.text and "0,0006" in response.text
