"""Retention (Ley 25.326 treats health data as sensitive): after a clinic's retention period a
conversation keeps only what the dashboard counts — channel, outcome, dates, duration, and per
message its role, brain, tokens and latency — and loses everything a person said or was told:
message texts (voice-note transcripts included), tool arguments and results, the summary, the
structured state, and the caller's full number. Turnos are the clinic's records and stay."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from appointments.phones import mask_phone
from bot.models import Conversation, ConversationStatus, Message, ProcessedWebhook

PURGED_MARK = "[depurado]"


def purge_conversations(*, older_than: dt.timedelta, clinic=None, now: dt.datetime | None = None) -> int:
    """Purge ended conversations whose last activity is older than `older_than`; returns how
    many were purged. Idempotent: purging twice changes nothing more."""
    now = now or timezone.now()
    cutoff = now - older_than
    conversations = Conversation.objects.filter(status=ConversationStatus.ENDED, last_activity_at__lt=cutoff).exclude(
        summary=PURGED_MARK
    )
    if clinic is not None:
        conversations = conversations.filter(clinic=clinic)
    purged = 0
    with transaction.atomic():
        ids = list(conversations.values_list("pk", flat=True))
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            Message.objects.filter(conversation_id__in=chunk).update(text="", tool_arguments=None, tool_result=None)
            ProcessedWebhook.objects.filter(conversation_id__in=chunk).delete()
            for conversation in Conversation.objects.filter(pk__in=chunk).only("pk", "participant"):
                # update(): last_activity_at is auto_now and must keep saying when it really ended.
                Conversation.objects.filter(pk=conversation.pk).update(
                    summary=PURGED_MARK, state={}, participant=mask_phone(conversation.participant)
                )
            purged += len(chunk)
        # Replayed replies are only needed for Twilio's retries, minutes after the request.
        ProcessedWebhook.objects.filter(created_at__lt=cutoff).delete()
    return purged
