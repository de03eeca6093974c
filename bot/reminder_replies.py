"""The reminder flow: a patient answering a message the clinic sent first (a reminder's
buttons "Confirmo" / "Necesito cambiarlo" / "No voy a poder ir", a waitlist offer, or the
same in their own words). The engine asks here before any brain; None means "not an answer
to a clinic message", and the brains carry on as usual.

A button press is unambiguous (WhatsApp says which message it answers). Free text counts as
an answer only while the clinic's message is the last thing the patient was told, so a "sí"
to the assistant's own question is never taken as a confirmation."""

from django.utils import timezone

from appointments.services import AppointmentError
from bot import nlu, responses
from bot.conversations import set_outcome
from bot.models import ConversationOutcome, MessageRole
from bot.state import ConversationState, Flow, Step
from bot.types import BotReply, QuickReply, ToolContext
from reminders.models import MessageKind, OfferStatus
from reminders.selectors import answerable_message
from reminders.services import ReminderAnswer, accept_offer, answer_reminder, decline_offer
from reminders.texts import when_phrase

# Button ids of the approved reminder template, and the same answers as people type them.
REMINDER_PHRASES = {
    ReminderAnswer.CONFIRM: ("confirmo", "confirmar", "confirmado", "asistire", "ahi estare", "voy a ir", "si voy"),
    ReminderAnswer.CANCEL: (
        "no voy a poder ir",
        "no voy a ir",
        "no puedo ir",
        "no voy",
        "no asistire",
        "cancelo",
        "cancelar",
        "cancelalo",
    ),
    ReminderAnswer.CHANGE: (
        "necesito cambiarlo",
        "cambiarlo",
        "cambialo",
        "cambiar",
        "reprogramar",
        "otro dia",
        "otro horario",
        "pasarlo",
    ),
}
REMINDER_KINDS = (MessageKind.REMINDER, MessageKind.WAITLIST_OFFER, MessageKind.CLINIC_MOVED)


def _reminder_answer(text: str, payload: str) -> str | None:
    if payload in REMINDER_PHRASES:
        return payload
    prepared = nlu.prepare(text)
    # Longest phrases first: "no voy a poder ir" must not read as "voy a ir".
    phrases = sorted(((p, answer) for answer, ps in REMINDER_PHRASES.items() for p in ps), key=lambda x: -len(x[0]))
    for phrase, answer in phrases:
        if f" {phrase} " in f" {prepared} ":
            return answer
    if nlu.yes_no(text) is True:
        return ReminderAnswer.CONFIRM
    return None


def _start_reschedule(state: ConversationState, appointment) -> None:
    """Put the conversation where the brains' reschedule flow waits for the new time, with
    this turno as its target (the state the rules brain reaches after "quiero cambiar mi turno")."""
    state.start(Flow.RESCHEDULE)
    state.choose_target(appointment.pk)
    state.booking.specialty_id = appointment.specialty_id
    state.go(Step.NEW_TIME)


def _clinic_message_was_last(context: ToolContext, message) -> bool:
    last_reply = context.conversation.messages.filter(role=MessageRole.ASSISTANT).order_by("-created_at").first()
    return last_reply is None or last_reply.created_at < message.sent_at


def _could_answer(text: str, quick_reply: QuickReply) -> bool:
    """Whether the words (or the button) could answer any clinic message: a reminder's
    phrases or a yes/no. Most turns could not, and then cost no query (this runs on every
    turn, before any brain)."""
    return bool(quick_reply.payload) or _reminder_answer(text, "") is not None or nlu.yes_no(text) is not None


def answer_clinic_message(*, text: str, context: ToolContext, quick_reply: QuickReply) -> BotReply | None:
    if not _could_answer(text, quick_reply):
        return None
    message = answerable_message(
        number=context.phone, kinds=REMINDER_KINDS, now=context.now, replied_sid=quick_reply.replied_to
    )
    if message is None or not (
        quick_reply.payload or quick_reply.replied_to or _clinic_message_was_last(context, message)
    ):
        return None
    if message.kind == MessageKind.WAITLIST_OFFER:
        return _answer_offer(message, text=text, payload=quick_reply.payload, context=context)
    answer = _reminder_answer(text, quick_reply.payload)
    if answer is None:
        return None
    appointment = message.appointment
    when = when_phrase(appointment.start_at, context.tz)
    if answer == ReminderAnswer.CHANGE:
        answer_reminder(message=message, answer=answer)
        _start_reschedule(context.state, appointment)
        if nlu.extract_when(text, now=context.now):
            return None  # "cambialo para el jueves": the reschedule flow offers Thursday's slots
        return BotReply(text=responses.reminder_change(when), brain="engine")
    try:
        answer_reminder(message=message, answer=answer, now=context.now)
    except AppointmentError as error:
        return BotReply(text=responses.reminder_refused(responses.appointment_error(error)), brain="engine")
    if answer == ReminderAnswer.CONFIRM:
        return BotReply(text=responses.reminder_confirmed(when), brain="engine")
    set_outcome(conversation=context.conversation, outcome=ConversationOutcome.CANCELLED)
    return BotReply(text=responses.reminder_cancelled(when), brain="engine")


def _answer_offer(message, *, text: str, payload: str, context: ToolContext) -> BotReply | None:
    offer = message.offer
    decision = {"accept": True, "decline": False}.get(payload, nlu.yes_no(text))
    if decision is None:
        return None
    when = when_phrase(offer.start_at, context.tz)
    if decision is False:
        decline_offer(offer=offer, now=context.now)
        return BotReply(text=responses.STILL_WAITING, brain="engine")
    offer = accept_offer(offer=offer, now=timezone.now())
    if offer.status == OfferStatus.ACCEPTED:
        set_outcome(conversation=context.conversation, outcome=ConversationOutcome.BOOKED)
        return BotReply(text=responses.offer_accepted(when), brain="engine")
    return BotReply(text=responses.OFFER_GONE, brain="engine")
