"""A booking that committed is always told.

A turn can die after its turno committed and before its answer was stored: the database
connection lost right then, the worker killed. The patient heard "problema técnico" (or
nothing) and the conversation's state, never saved, does not know the turno; starting
over would walk the patient through a second booking for the same request. So every turn
first compares the conversation with the database: a turno it booked after its last
stored answer was never told. The engine tells it first thing, and the state learns it
(the booking's flow is over, the turno is the conversation's last booking)."""

from appointments.models import OCCUPYING_STATUSES, Appointment
from bot import responses
from bot.conversations import set_outcome
from bot.formatting import format_slot_datetime, with_doctor
from bot.models import Conversation, ConversationOutcome, MessageRole
from bot.state import ConversationState, Step

# What the flow was in the middle of (the rules brain's FLOW_KEYS and the offered slots).


def untold_booking(*, conversation: Conversation) -> Appointment | None:
    """The newest active turno booked in this conversation after its last stored answer."""
    if conversation.pk is None:
        return None
    last_answer = (
        conversation.messages.filter(role=MessageRole.ASSISTANT)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )
    booked = Appointment.objects.filter(
        conversation=conversation, status__in=OCCUPYING_STATUSES, rescheduled_from__isnull=True
    )
    if last_answer is not None:
        booked = booked.filter(created_at__gt=last_answer)
    return booked.select_related("doctor", "specialty").order_by("-created_at", "-pk").first()


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
