"""The read-back guard of the three writes (book, cancel, reschedule): a write goes through
only after the patient's yes to exactly that write, either to the read-back a tool held or
to the model's own read-back of it, and at most one write a turn. Apart from the tools
because it is one rule for all of them, enforced here for both brains whatever the model's
prompt says (see bot/flow.py for the steps and what a yes is).
"""

import re
from collections.abc import Callable

from appointments.models import Appointment
from bot import flow, nlu, responses
from bot.models import Message, MessageRole
from bot.state import OfferedSlot
from bot.types import ToolContext
from clinic import selectors as clinic_selectors


def held_unless_confirmed(
    context: ToolContext,
    write: flow.Write,
    *,
    read_back: str,
    refuse_hold: Callable[[], Exception | None] | None = None,
    slot: OfferedSlot | None = None,
    appointment: Appointment | None = None,
    **caller,
) -> dict | None:
    """None when the write may go through: the patient's yes at the start of this turn was
    to exactly this write, held by a tool or read back by the model in its own words
    (`_read_back_in_own_words`; `slot` is the write's new slot, `appointment` the turno it
    changes). Otherwise nothing is written. Without a yes, the turn's first write is held
    as the read-back the patient must answer, unless `refuse_hold` gives a reason it could
    never go through (raised: the patient hears it instead of a read-back to say yes to).
    Refused: a second write (or hold) in one turn, and after a yes, a write other than the
    one read back."""
    if context.write_settled:
        return {"ok": False, "code": "one_write_per_turn", "error": responses.ONE_WRITE_PER_TURN}
    if context.confirmed is not None and context.confirmed != write:
        return {
            "ok": False,
            "code": "not_read_back",
            "error": responses.NOT_READ_BACK,
        }
    if context.confirmed is None and _read_back_in_own_words(
        context=context, write=write, slot=slot, appointment=appointment
    ):
        context.confirmed = write
    specialty_id = appointment.specialty_id if appointment else slot.specialty_id if slot else None
    if context.confirmed == write and _names_another_specialty(context=context, specialty_id=specialty_id):
        context.confirmed = None  # "sí, el de dermatología" to Cardiología's read-back: read back anew
    if context.confirmed is None and refuse_hold is not None and (refusal := refuse_hold()):
        raise refusal
    context.write_settled = True
    if context.confirmed == write:
        context.confirmed = None
        return None
    flow.hold(context.state, write, slot=slot, tz=context.tz, **caller)
    return {
        "ok": False,
        "code": flow.CONFIRM_FIRST,
        "error": responses.WRITE_HELD,
        "read_back": read_back,
    }


WRITE_KINDS = {"book_appointment": "book", "cancel_appointment": "cancel", "reschedule_appointment": "reschedule"}


def _read_back_in_own_words(
    *, context: ToolContext, write: flow.Write, slot: OfferedSlot | None, appointment: Appointment | None
) -> bool:
    """A model often reads a write back itself ("¿Confirmo el turno con Pediatría el jueves 3
    a las 10:30 a nombre de Ana Pérez, DNI 30.999.111?") and calls the tool only after the
    patient's "sí": that yes was to exactly this write, so it counts as the yes to its
    read-back and the patient is not asked twice. Read from the conversation as stored, not
    from what the model claims: the patient's latest message is a yes that changes nothing
    (flow.yes_to_write), and the message right before it is the assistant's, whose only
    question asks to go ahead with this kind of write and which names, parsed by bot/nlu
    rather than compared as strings, exactly the write's days and times (the new slot; for
    a cancellation or move the turno's too), its specialty (or, naming none, the doctor),
    and for a booking the name as the tool got it, and its document (read back, or else the
    one the patient last typed). Anything else (another time, name or DNI, a yes to another
    question, a message in between) is held as usual."""
    rows = list(
        Message.objects.filter(conversation=context.conversation, role__in=[MessageRole.USER, MessageRole.ASSISTANT])
        .exclude(text="")
        .order_by("-created_at", "-id")
        .values_list("role", "text")[:2]
    )
    if [role for role, _text in rows] != [MessageRole.USER, MessageRole.ASSISTANT]:
        return False
    (_, answer), (_, asked) = rows
    now = context.now.astimezone(context.tz)
    start = slot.start if slot else appointment.start_at if appointment else None
    if nlu.read_back_question(asked) != WRITE_KINDS[write.tool] or not flow.yes_to_write(
        answer, write, start=start, now=now
    ):
        return False
    starts = {s.astimezone(context.tz) for s in (slot and slot.start, appointment and appointment.start_at) if s}
    if {(when.date, when.time) for when in nlu.extract_date_times(asked, now=now)} != {
        (local.date(), local.time().replace(second=0, microsecond=0)) for local in starts
    }:
        return False
    catalog = clinic_selectors.catalog_for(context.clinic)
    specialty_id = appointment.specialty_id if appointment else slot.specialty_id if slot else None
    doctors = [catalog.doctor(pk) for pk in {slot and slot.doctor_id, appointment and appointment.doctor_id} if pk]
    named = clinic_selectors.find_specialties(
        clinic=context.clinic, text=clinic_selectors.without_clinic_name(clinic=context.clinic, text=asked)
    )
    text = clinic_selectors.normalize_text(asked)

    def says(phrase: str) -> bool:
        return (
            bool(phrase) and re.search(rf"\b{re.escape(clinic_selectors.normalize_text(phrase))}\b", text) is not None
        )

    if [specialty.pk for specialty in named] != [specialty_id] and not (
        not named and any(doctor and says(doctor.last_name) for doctor in doctors)
    ):
        return False
    if write.tool != "book_appointment":
        return True
    # The document as read back, or, when the read-back names none, as the patient last typed it.
    document = nlu.extract_document_number(asked) or _document_typed(context)
    return says(write.full_name) and document is not None and flow.document_key(document) == write.document_number


def _names_another_specialty(*, context: ToolContext, specialty_id: int | None) -> bool:
    """The patient's yes names a specialty other than the write's ("sí, el de dermatología"
    to the cancellation of a cardiología turno): the words a yes needs cannot tell that
    (bot.flow is pure), the clinic's catalog can. Then that yes is to no write."""
    said = (
        Message.objects.filter(conversation=context.conversation, role=MessageRole.USER)
        .order_by("-created_at", "-id")
        .values_list("text", flat=True)
        .first()
    )
    text = clinic_selectors.without_clinic_name(clinic=context.clinic, text=said or "")
    named = clinic_selectors.find_specialties(clinic=context.clinic, text=text) if text else []
    return any(specialty.pk != specialty_id for specialty in named)


def _document_typed(context: ToolContext) -> str | None:
    """The document number in the patient's latest message of this conversation that holds one."""
    typed = (
        Message.objects.filter(conversation=context.conversation, role=MessageRole.USER)
        .exclude(text="")
        .order_by("-created_at", "-id")
        .values_list("text", flat=True)[:20]
    )
    return next((document for text in typed if (document := nlu.extract_document_number(text))), None)
