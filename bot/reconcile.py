"""A booking that committed is always told.

A turn can die after its turno committed and before its answer was stored: the database
connection lost right then, the worker killed. The patient heard "problema técnico" (or
nothing) and the conversation's state, never saved, does not know the turno; starting
over would walk the patient through a second booking for the same request. So every turn
first compares the conversation with the database: a turno it booked after its last
stored answer was never told. The engine tells it first thing, and the state learns it
(the booking's flow is over, the turno is the conversation's last booking)."""

import datetime as dt

from django.db import models
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce

from appointments.models import OCCUPYING_STATUSES, Appointment
from bot import responses
from bot.conversations import set_outcome
from bot.formatting import format_slot_datetime, with_doctor
from bot.models import Conversation, ConversationOutcome, MessageRole
from bot.state import ConversationState, Step

# Before any turno: a conversation without an answer yet has all of its turnos untold.
NO_ANSWER_YET = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def untold_booking(*, conversation: Conversation) -> Appointment | None:
    """The newest active turno booked in this conversation after its last stored answer."""
    if conversation.pk is None:
        return None
    # One query (it runs on every turn): the last answer's time as a subquery.
    last_answer = (
        conversation.messages.filter(role=MessageRole.ASSISTANT).order_by("-created_at", "-id").values("created_at")[:1]
    )
    after = Coalesce(Subquery(last_answer), Value(NO_ANSWER_YET), output_field=models.DateTimeField())
    return (
        Appointment.objects.filter(
            conversation=conversation,
            status__in=OCCUPYING_STATUSES,
            rescheduled_from__isnull=True,
            created_at__gt=after,
        )
        .select_related("doctor", "specialty")
        .order_by("-created_at", "-pk")
        .first()
    )


def learn_booking(*, conversation: Conversation, state: ConversationState, appointment: Appointment) -> str:
    """Bring the conversation and its state in line with the turno; the sentence telling it."""
    state.clear_flow()
    state.offer([])
    state.patient.last_booked_appointment_id = appointment.pk
    state.go(Step.ANYTHING_ELSE)
    if conversation.patient_id is None:
        conversation.patient_id = appointment.patient_id
    set_outcome(conversation=conversation, outcome=ConversationOutcome.BOOKED)
    tz = conversation.clinic.tzinfo
    return responses.booking_reconciled(
        specialty=appointment.specialty.name,
        when=format_slot_datetime(appointment.start_at, tz),
        doctor=with_doctor(appointment.doctor.display_name),
    )
