"""The assistant's tools: the only way either brain reads or changes clinic data.

Each tool is a thin wrapper over a clinic/appointments/identity selector or service, with
its JSON schema beside it. Tools take the caller's identity from the ToolContext (the
channel's number; see identity.selectors.manageable_appointments for what it reaches),
never from arguments: a DNI or a name typed by the caller or the model opens nothing, and
a patient's stored name is read back only to a verified number of that patient. Tools
return compact JSON-able dicts. Bad arguments come back as {"ok": false, "error": ...}
so the model can correct itself instead of the turn crashing.

What a tool learns goes into the typed conversation state (bot/state.py) through its
methods: offered slots, the booked turno and the caller's data, a transfer's reason, the
end of the conversation; the offline brain reads the same fields.
"""

import datetime as dt
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from appointments import selectors as appointment_selectors
from appointments import services as appointment_services
from appointments.audit import attributed_to_conversation
from appointments.booking_policy import bookable_doctor
from appointments.models import Appointment, Channel, Patient, normalize_document_number
from appointments.policy import Actor, InvalidDocument, PartOfDay, earliest_bookable, in_part_of_day, parse_document
from bot import flow, nlu, responses
from bot.formatting import weekday_name
from bot.models import ConversationOutcome, Message, MessageRole
from bot.state import OfferedSlot
from bot.types import ToolContext
from clinic import selectors as clinic_selectors
from clinic.models import Doctor
from identity import codes
from identity import selectors as identity_selectors
from identity.errors import IdentityError, IdentityErrorCode
from identity.services import book_for_caller
from reminders.services import WaitlistRefused, join_waitlist_for_caller

logger = logging.getLogger(__name__)

MAX_SLOTS = 6
# Offered slots start at least this long after the first bookable moment: the patient still
# gives a name, a document and a yes before the booking.
OFFER_MARGIN = dt.timedelta(minutes=5)
CHANNEL_FOR_CONVERSATION = {"phone": Channel.PHONE, "whatsapp": Channel.WHATSAPP}


class ToolArgumentError(ValueError):
    """An argument the model (or a brain) got wrong; its message is shown back to it."""


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    parameters: dict
    handler: Callable[..., dict]

    def schema(self) -> dict:
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }


# --- helpers -------------------------------------------------------------------------


def _slot_id(doctor_id: int, start: dt.datetime) -> str:
    return f"{doctor_id}-{start.astimezone(dt.UTC):%Y%m%d%H%M}"


def describe_time(value: dt.datetime, tz) -> dict:
    local = value.astimezone(tz)
    return {
        "date": local.date().isoformat(),
        "weekday": weekday_name(local.date()),
        "time": f"{local:%H:%M}",
    }


def _describe_appointment(appointment: Appointment, tz, *, patient_name: str) -> dict:
    """`patient_name` is the name this caller may hear (identity.selectors.name_for_caller)."""
    return {
        "appointment_id": appointment.pk,
        "specialty": appointment.specialty.name,
        "doctor": appointment.doctor.display_name,
        **describe_time(appointment.start_at, tz),
        "status": appointment.get_status_display(),
        "patient": patient_name,
    }


def _parse_date(value: str | None, field: str = "date") -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise ToolArgumentError(responses.bad_date(field, value)) from exc


def _parse_time(value: str | None, field: str = "time") -> dt.time | None:
    if not value:
        return None
    try:
        return dt.time.fromisoformat(str(value).strip()[:5].zfill(5))
    except ValueError as exc:
        raise ToolArgumentError(responses.bad_time(field, value)) from exc


def _specialty(context: ToolContext, name: str | None):
    if not name:
        raise ToolArgumentError(responses.SPECIALTY_MISSING)
    specialty = clinic_selectors.find_specialty(clinic=context.clinic, text=name)
    if specialty is None:
        info = clinic_selectors.clinic_info(clinic=context.clinic)
        raise ToolArgumentError(responses.unknown_specialty(name, info["specialties"]))
    return specialty


def _doctor(context: ToolContext, name: str | None, specialty) -> Doctor | None:
    if not name:
        return None
    wanted = clinic_selectors.normalize_text(name)
    for doctor in clinic_selectors.catalog_for(context.clinic).doctors_of(specialty):
        if clinic_selectors.normalize_text(doctor.last_name) in wanted or wanted in clinic_selectors.normalize_text(
            doctor.display_name
        ):
            return doctor
    raise ToolArgumentError(responses.unknown_doctor(name, specialty.name))


def _caller(context: ToolContext) -> str:
    return identity_selectors.caller_number(context.phone)


def _manageable(context: ToolContext):
    return identity_selectors.manageable_appointments(number=_caller(context), now=context.now)


def turn_cap_reached(context: ToolContext) -> bool:
    """This turn has booked as many turnos as the per-turn cap allows."""
    return context.bookings_this_turn >= identity_selectors.caps_for(context.clinic).per_turn


def _owned_appointment(context: ToolContext, appointment_id) -> Appointment:
    """One of the upcoming turnos this number may manage, or an error that says so (the
    same error whether the id exists, is someone else's or was never there)."""
    try:
        appointment_id = int(appointment_id)
    except (TypeError, ValueError) as exc:
        raise ToolArgumentError(responses.BAD_APPOINTMENT_ID) from exc
    appointment = _manageable(context).filter(pk=appointment_id).first()
    if appointment is None:
        raise IdentityError(IdentityErrorCode.NOT_REACHABLE)
    return appointment


def _offered_slot(context: ToolContext, slot_id: str) -> OfferedSlot:
    offered = context.state.offered_slot(slot_id)
    if offered is None:
        raise ToolArgumentError(responses.UNKNOWN_SLOT)
    return offered


def _unconfirmed(
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


def booking_cap_refusal(context: ToolContext, *, document_number: str) -> IdentityError | None:
    """The cap that refuses this caller one more turno, if any, asked before a booking is
    read back (by either brain): a patient over a cap is told so before being asked to
    confirm, not after the yes. `book_for_caller` decides again under its locks."""
    return identity_selectors.booking_cap_refusal(
        clinic=context.clinic,
        number=_caller(context),
        quota_key=_quota_key(context),
        document_number=document_number,
        now=context.now or timezone.now(),
    )


def _quota_key(context: ToolContext) -> str:
    """What stands for the number in the daily cap when the caller's number is withheld."""
    return context.phone or f"conversation:{context.conversation.pk}"


def _today(context: ToolContext) -> dt.date:
    return context.now.astimezone(context.tz).date()


def _conversation_channel(context: ToolContext) -> str:
    return CHANNEL_FOR_CONVERSATION.get(context.channel, Channel.CHAT)


def _mark_outcome(context: ToolContext, outcome: str) -> None:
    from bot.conversations import set_outcome

    set_outcome(conversation=context.conversation, outcome=outcome)


# --- tools ---------------------------------------------------------------------------


def _closed_on(context: ToolContext, day: dt.date, doctors: list[Doctor] | None = None) -> dict:
    """What is closed on `day`: the clinic (a holiday) and the doctors absent (all of them, or
    of `doctors`), so that both brains say so instead of reading out weekly hours."""
    closures = clinic_selectors.closures_on(clinic=context.clinic, day=day)
    wanted = None if doctors is None else {doctor.pk for doctor in doctors}
    return {
        "date": day.isoformat(),
        "clinic_closed": next(({"reason": c.reason} for c in closures if c.doctor_id is None), None),
        "doctors_absent": [
            c.doctor.display_name
            for c in closures
            if c.doctor is not None and (wanted is None or c.doctor_id in wanted)
        ],
    }


def get_clinic_info(
    context: ToolContext, *, topic: str = "all", coverage: str | None = None, date: str | None = None
) -> dict:
    info = clinic_selectors.clinic_info(clinic=context.clinic)
    result: dict = {"ok": True}
    if day := _parse_date(date):
        # "¿Atienden el 8 de diciembre?": the weekly hours do not know about holidays.
        result |= _closed_on(context, day)
    if coverage:
        match = clinic_selectors.find_coverage(clinic=context.clinic, text=coverage)
        result["coverage_query"] = coverage
        result["coverage_found"] = match.name if match else None
        result["coverage_accepted"] = bool(match and match.is_accepted)
        if match and match.notes:
            result["coverage_notes"] = match.notes
    sections = {
        "specialties": ["specialties"],
        "coverages": ["coverages_accepted", "private_pay"],
        "hours": ["opening_hours"],
        "contact": ["name", "address", "phone", "emergency_number"],
    }
    keys = sections.get(topic) or [key for group in sections.values() for key in group]
    result.update({key: info[key] for key in keys})
    _mark_outcome(context, ConversationOutcome.INFORMED)
    return result


def find_available_slots(
    context: ToolContext,
    *,
    specialty: str,
    date: str | None = None,
    time: str | None = None,
    part_of_day: str | None = None,
    doctor: str | None = None,
    limit: int = 3,
) -> dict:
    specialty_obj = _specialty(context, specialty)
    doctor_obj = _doctor(context, doctor, specialty_obj)
    day = _parse_date(date)
    at = _parse_time(time)
    tz = context.tz
    limit = max(1, min(int(limit or 3), MAX_SLOTS))
    if day and day < context.now.astimezone(tz).date():
        raise ToolArgumentError(responses.date_passed(day.isoformat(), str(context.now.astimezone(tz).date())))

    exact_available = None
    if day and at:
        wanted = dt.datetime.combine(day, at, tzinfo=tz)
        slots = appointment_selectors.find_nearest_slots(
            specialty=specialty_obj, doctor=doctor_obj, around=wanted, limit=limit, now=context.now
        )
        exact_available = any(slot.start == wanted for slot in slots)
    else:
        start = dt.datetime.combine(day, dt.time.min, tzinfo=tz) if day else None
        end = start + dt.timedelta(days=1) if start else None
        # A slot offered must still be bookable when the patient, a few turns later, says yes.
        floor = earliest_bookable(now=context.now, actor=Actor.ASSISTANT) + OFFER_MARGIN
        start = max(start, floor) if start else floor
        slots = appointment_selectors.find_available_slots(
            specialty=specialty_obj, doctor=doctor_obj, start=start, end=end, now=context.now
        )

        def in_part(found: list) -> list:
            if part_of_day is None or part_of_day not in PartOfDay:
                return found
            return [s for s in found if in_part_of_day(s.start.astimezone(tz).time(), part_of_day)]

        slots = in_part(slots)
        if day and not slots:
            # Nothing that day: offer the next days (in the part of the day asked for, when
            # there are any) rather than a dead end.
            later = appointment_selectors.find_available_slots(
                specialty=specialty_obj, doctor=doctor_obj, start=start, now=context.now
            )
            slots = in_part(later) or later
        slots = _spread(slots, limit, tz)

    offered = [
        OfferedSlot(
            slot_id=_slot_id(s.doctor_id, s.start), doctor_id=s.doctor_id, specialty_id=s.specialty_id, start=s.start
        )
        for s in slots
    ]
    context.state.offer(offered, specialty_id=specialty_obj.pk)
    result = {
        "ok": True,
        "specialty": specialty_obj.name,
        "slots": [
            {"slot_id": o.slot_id, "doctor": s.doctor_name, **describe_time(s.start, tz)}
            for o, s in zip(offered, slots, strict=True)
        ],
    }
    if exact_available is not None:
        result["requested_time_available"] = exact_available
    if day:
        # "¿Gutiérrez atiende el 16?": the slots offered are of other days; say why (only
        # when something is closed: every key is re-sent to the model).
        doctors = [doctor_obj] if doctor_obj else clinic_selectors.catalog_for(context.clinic).doctors_of(specialty_obj)
        closed = _closed_on(context, day, doctors)
        if closed["clinic_closed"] or closed["doctors_absent"]:
            result |= closed
    if not slots:
        result["message"] = responses.NO_FREE_SLOTS.format(specialty=specialty_obj.name)
    return result


def _spread(slots: list, limit: int, tz) -> list:
    """Prefer different days over three consecutive slots of one morning, so the patient gets a real choice."""
    chosen: list = []
    seen_days: set = set()
    for slot in slots:
        day = slot.start.astimezone(tz).date()
        if day not in seen_days:
            chosen.append(slot)
            seen_days.add(day)
        if len(chosen) == limit:
            break
    for slot in slots:
        if len(chosen) >= limit:
            break
        if slot not in chosen:
            chosen.append(slot)
    return sorted(chosen, key=lambda s: s.start)


def book_appointment(
    context: ToolContext,
    *,
    full_name: str,
    document_number: str,
    slot_id: str | None = None,
    specialty: str | None = None,
    date: str | None = None,
    time: str | None = None,
    coverage: str | None = None,
) -> dict:
    if turn_cap_reached(context):
        # However many book_appointment calls one model answer holds, one turno per turn.
        raise IdentityError(IdentityErrorCode.TURN_LIMIT)
    if not full_name or len(full_name.split()) < 2:
        raise ToolArgumentError(responses.FULL_NAME_MISSING)
    try:
        digits = parse_document(document_number).number
    except InvalidDocument as error:
        raise ToolArgumentError(responses.document_problem(error.problem)) from error
    tz = context.tz
    if slot_id:
        offered = _offered_slot(context, slot_id)
        specialty_obj = context.clinic.specialties.get(pk=offered.specialty_id)
        doctor = Doctor.objects.get(pk=offered.doctor_id)
        start = offered.start
    else:
        specialty_obj = _specialty(context, specialty)
        day, at = _parse_date(date), _parse_time(time)
        if not (day and at):
            raise ToolArgumentError(responses.SLOT_OR_SPECIALTY_DATE_TIME)
        start = dt.datetime.combine(day, at, tzinfo=tz)
        # The booking policy picks the doctor, or says why nobody can take that time.
        doctor = bookable_doctor(specialty=specialty_obj, start=start, now=context.now, actor=Actor.ASSISTANT)
        offered = OfferedSlot(
            slot_id=_slot_id(doctor.pk, start), doctor_id=doctor.pk, specialty_id=specialty_obj.pk, start=start
        )
    read_back = responses.booking_summary(
        specialty=specialty_obj.name,
        slot=responses.slot_phrase({"doctor": doctor.display_name, **describe_time(start, tz)}, today=_today(context)),
        name=full_name,
        document=digits,
    )
    write = flow.Write.booking(slot_id=offered.slot_id, full_name=full_name, document_number=digits)
    if held := _unconfirmed(
        context,
        write,
        read_back=read_back,
        refuse_hold=lambda: booking_cap_refusal(context, document_number=digits),
        slot=offered,
        full_name=full_name,
        document_number=digits,
    ):
        return held
    coverage_obj = clinic_selectors.find_coverage(clinic=context.clinic, text=coverage) if coverage else None
    booking = book_for_caller(
        clinic=context.clinic,
        number=_caller(context),
        quota_key=_quota_key(context),
        channel=_conversation_channel(context),
        full_name=full_name,
        document_number=digits,
        doctor=doctor,
        specialty=specialty_obj,
        start=start,
        coverage=coverage_obj,
        conversation=context.conversation,
        now=context.now,
    )
    context.bookings_this_turn += 1
    context.state.record_booking(
        patient_name=booking.name_read_back,
        document_number=booking.patient.document_number,
        appointment_id=booking.appointment.pk,
    )
    if context.conversation.patient_id is None and booking.caller_verified:
        context.conversation.patient = booking.patient
    _mark_outcome(context, ConversationOutcome.BOOKED)
    return {
        "ok": True,
        "booked": _describe_appointment(booking.appointment, tz, patient_name=booking.name_read_back),
        "address": context.clinic.address,
    }


CODE_FAILURES = {
    codes.CodeCheckResult.WRONG: IdentityErrorCode.CODE_WRONG,
    codes.CodeCheckResult.EXPIRED: IdentityErrorCode.CODE_EXPIRED,
    codes.CodeCheckResult.LOCKED: IdentityErrorCode.CODE_LOCKED,
    codes.CodeCheckResult.UNAVAILABLE: IdentityErrorCode.CODE_UNAVAILABLE,
}
CODE_REQUEST_FAILURES = {
    codes.CodeRequestResult.THROTTLED: responses.CODES_THROTTLED,
    codes.CodeRequestResult.UNAVAILABLE: responses.CODES_UNAVAILABLE,
}


def _listing(context: ToolContext) -> list[dict]:
    return [
        _describe_appointment(a, context.tz, patient_name=identity_selectors.name_for_caller(a))
        for a in _manageable(context)[:10]
    ]


def _check_code(context: ToolContext, code: str) -> dict:
    verification_id = context.state.patient.code_verification_id
    if not verification_id:
        raise IdentityError(IdentityErrorCode.NO_CODE_REQUESTED)
    check = codes.check_code(verification_id=verification_id, requester=_caller(context), code=code, now=context.now)
    if check.result == codes.CodeCheckResult.APPROVED:
        context.state.patient.code_verification_id = None
        return {"ok": True, "verified": True, "appointments": _listing(context)}
    result = check.result
    if result == codes.CodeCheckResult.WRONG and check.attempts_left == 0:
        result = codes.CodeCheckResult.LOCKED  # that was the last attempt
    if result != codes.CodeCheckResult.WRONG:
        context.state.patient.code_verification_id = None
    error_code = CODE_FAILURES[result]
    # Returned, not raised: raising would roll the tool's savepoint back, attempt count included.
    return {"ok": False, "code": error_code, "error": responses.identity_error(error_code, left=check.attempts_left)}


def _request_code(context: ToolContext, document_number: str, full_name: str) -> dict:
    number = _caller(context)
    patient = Patient.objects.filter(document_number=normalize_document_number(document_number)).first()
    if patient is not None and identity_selectors.is_verified_number(number=number, patient=patient):
        return {"ok": True, "appointments": _listing(context)}  # already reachable: nothing to prove
    request = codes.request_code(
        requester=number, document_number=document_number, full_name=full_name or "", now=context.now
    )
    if request.result != codes.CodeRequestResult.REQUESTED:
        return {
            "ok": True,
            "appointments": _listing(context),
            "verification": str(request.result),
            "message": CODE_REQUEST_FAILURES[request.result],
        }
    context.state.patient.code_verification_id = request.verification_id
    return {
        "ok": True,
        "appointments": _listing(context),
        "verification": "code_sent",
        "message": responses.CODE_REQUESTED,
    }


def list_my_appointments(
    context: ToolContext, *, document_number: str | None = None, full_name: str | None = None, code: str | None = None
) -> dict:
    """The turnos this number may manage. With another patient's DNI and full name: a
    one-time code goes to that patient's registered number (the answer is the same whether
    the DNI exists or not); with `code`: the code typed by the caller, which, when right,
    makes this number a verified number of the patient and opens all of their turnos."""
    if code:
        return _check_code(context, code)
    if document_number:
        return _request_code(context, document_number, full_name or "")
    return {"ok": True, "appointments": _listing(context)}


def cancel_appointment(context: ToolContext, *, appointment_id: int) -> dict:
    appointment = _owned_appointment(context, appointment_id)
    name = identity_selectors.name_for_caller(appointment)
    read_back = responses.cancel_question(
        responses.appointment_phrase(
            _describe_appointment(appointment, context.tz, patient_name=name), today=_today(context)
        )
    )
    if held := _unconfirmed(
        context,
        flow.Write("cancel_appointment", appointment_id=appointment.pk),
        read_back=read_back,
        appointment=appointment,
    ):
        return held
    appointment = appointment_services.cancel_appointment(
        appointment=appointment, by_patient=appointment.patient, reason="pedido del paciente", now=context.now
    )
    _mark_outcome(context, ConversationOutcome.CANCELLED)
    return {"ok": True, "cancelled": _describe_appointment(appointment, context.tz, patient_name=name)}


def reschedule_appointment(
    context: ToolContext,
    *,
    appointment_id: int,
    slot_id: str | None = None,
    date: str | None = None,
    time: str | None = None,
) -> dict:
    appointment = _owned_appointment(context, appointment_id)
    new_doctor = None
    if slot_id:
        offered = _offered_slot(context, slot_id)
        if offered.specialty_id != appointment.specialty_id:
            raise ToolArgumentError(responses.OTHER_SPECIALTY_SLOT)
        new_start = offered.start
        new_doctor = Doctor.objects.get(pk=offered.doctor_id)
    else:
        day, at = _parse_date(date), _parse_time(time)
        if not (day and at):
            raise ToolArgumentError(responses.SLOT_OR_DATE_TIME)
        new_start = dt.datetime.combine(day, at, tzinfo=context.tz)
        offered = OfferedSlot(
            slot_id=_slot_id(appointment.doctor_id, new_start),
            doctor_id=appointment.doctor_id,
            specialty_id=appointment.specialty_id,
            start=new_start,
        )
    name = identity_selectors.name_for_caller(appointment)
    today = _today(context)
    read_back = responses.reschedule_question(
        responses.appointment_phrase(_describe_appointment(appointment, context.tz, patient_name=name), today=today),
        responses.slot_phrase(
            {"doctor": (new_doctor or appointment.doctor).display_name, **describe_time(new_start, context.tz)},
            today=today,
        ),
    )
    write = flow.Write("reschedule_appointment", appointment_id=appointment.pk, slot_id=offered.slot_id)
    if held := _unconfirmed(context, write, read_back=read_back, slot=offered, appointment=appointment):
        return held
    moved = appointment_services.reschedule_appointment(
        appointment=appointment,
        new_start=new_start,
        new_doctor=new_doctor,
        by_patient=appointment.patient,
        conversation=context.conversation,
        now=context.now,
    )
    context.state.offer([])
    _mark_outcome(context, ConversationOutcome.RESCHEDULED)
    return {
        "ok": True,
        "previous_appointment_id": appointment.pk,
        "new": _describe_appointment(moved, context.tz, patient_name=name),
    }


def join_waitlist(
    context: ToolContext,
    *,
    specialty: str,
    full_name: str,
    document_number: str,
    doctor: str | None = None,
    part_of_day: str | None = None,
) -> dict:
    """Nothing suitable is free: the caller waits for a freed slot and hears of it by WhatsApp."""
    specialty_obj = _specialty(context, specialty)
    doctor_obj = _doctor(context, doctor, specialty_obj)
    if not full_name or len(full_name.split()) < 2:
        raise ToolArgumentError(responses.FULL_NAME_MISSING)
    try:
        digits = parse_document(document_number).number
    except InvalidDocument as error:
        raise ToolArgumentError(responses.document_problem(error.problem)) from error
    part = part_of_day if part_of_day in PartOfDay else ""
    try:
        join_waitlist_for_caller(
            clinic=context.clinic,
            number=_caller(context),
            channel=_conversation_channel(context),
            full_name=full_name,
            document_number=digits,
            specialty=specialty_obj,
            doctor=doctor_obj,
            part_of_day=part or "",
        )
    except WaitlistRefused as refusal:
        return {"ok": False, "code": "waitlist_refused", "error": str(refusal)}
    _mark_outcome(context, ConversationOutcome.WAITLISTED)
    return {
        "ok": True,
        "waitlisted": {
            "specialty": specialty_obj.name,
            "doctor": doctor_obj.display_name if doctor_obj else None,
            "part_of_day": part or None,
            "name": full_name,
        },
    }


def transfer_to_human(context: ToolContext, *, reason: str = "") -> dict:
    _mark_outcome(context, ConversationOutcome.TRANSFERRED)
    context.state.transfer_reason = reason[:200]
    return {"ok": True, "transfer": True, "reception_phone": context.clinic.reception_phone or context.clinic.phone}


def end_conversation(context: ToolContext, *, summary: str = "") -> dict:
    context.state.end_requested = True
    if summary:
        context.state.model_summary = summary[:500]
    return {"ok": True, "end": True}


# Descriptions are re-sent with every model request: keep them short (bench/conversation_cost.py).
_DATE = {"type": "string", "description": "YYYY-MM-DD"}
_TIME = {"type": "string", "description": "HH:MM"}

TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in [
        Tool(
            "get_clinic_info",
            "Clinic facts (address, hours...); coverage: check one.",
            {
                "type": "object",
                "properties": {
                    "topic": {"type": "string", "enum": ["all", "specialties", "coverages", "hours", "contact"]},
                    "coverage": {"type": "string"},
                    "date": _DATE,
                },
            },
            get_clinic_info,
        ),
        Tool(
            "find_available_slots",
            "Free slots; with date+time, the nearest. Offer only these.",
            {
                "type": "object",
                "properties": {
                    "specialty": {"type": "string"},
                    "date": _DATE,
                    "time": _TIME,
                    "part_of_day": {"type": "string", "enum": [part.value for part in PartOfDay]},
                    "doctor": {"type": "string", "description": "surname"},
                    "limit": {"type": "integer", "minimum": 1, "maximum": MAX_SLOTS},
                },
                "required": ["specialty"],
            },
            find_available_slots,
        ),
        Tool(
            "book_appointment",
            "Book an offered slot for full name and DNI.",
            {
                "type": "object",
                "properties": {
                    "slot_id": {"type": "string"},
                    "specialty": {"type": "string"},
                    "date": _DATE,
                    "time": _TIME,
                    "full_name": {"type": "string"},
                    "document_number": {"type": "string", "description": "DNI"},
                    "coverage": {"type": "string"},
                },
                "required": ["full_name", "document_number"],
            },
            book_appointment,
        ),
        Tool(
            "list_my_appointments",
            "Caller's turnos. Others': DNI+full_name sends a code to the patient; then pass the code.",
            {
                "type": "object",
                "properties": {
                    "document_number": {"type": "string"},
                    "full_name": {"type": "string"},
                    "code": {"type": "string"},
                },
            },
            list_my_appointments,
        ),
        Tool(
            "cancel_appointment",
            "Cancel a turno (id from list_my_appointments).",
            {
                "type": "object",
                "properties": {"appointment_id": {"type": "integer"}},
                "required": ["appointment_id"],
            },
            cancel_appointment,
        ),
        Tool(
            "reschedule_appointment",
            "Move a turno to an offered slot.",
            {
                "type": "object",
                "properties": {
                    "appointment_id": {"type": "integer"},
                    "slot_id": {"type": "string"},
                    "date": _DATE,
                    "time": _TIME,
                },
                "required": ["appointment_id"],
            },
            reschedule_appointment,
        ),
        Tool(
            "join_waitlist",
            "No slot suits: waitlist.",
            {
                "type": "object",
                "properties": {
                    "specialty": {"type": "string"},
                    "full_name": {"type": "string"},
                    "document_number": {"type": "string"},
                    "doctor": {"type": "string", "description": "surname"},
                    "part_of_day": {"type": "string", "enum": [part.value for part in PartOfDay]},
                },
                "required": ["specialty", "full_name", "document_number"],
            },
            join_waitlist,
        ),
        Tool(
            "transfer_to_human",
            "Hand over to reception.",
            {"type": "object", "properties": {"reason": {"type": "string"}}},
            transfer_to_human,
        ),
        Tool(
            "end_conversation",
            "Patient said goodbye.",
            {"type": "object", "properties": {"summary": {"type": "string"}}},
            end_conversation,
        ),
    ]
}


def tool_schemas() -> list[dict]:
    return [tool.schema() for tool in TOOLS.values()]


def _checked_arguments(arguments: dict, properties: dict) -> dict:
    """The arguments with the JSON types their schema declares, so a handler never meets a
    list where it expects text. Harmless slips are fixed (12345678 for a DNI string, "12"
    for an integer id); anything else is an error the model can read. null means absent."""
    checked = {}
    for key, value in arguments.items():
        if value is None:
            continue
        spec = properties.get(key) or {}
        expected = spec.get("type")
        if expected == "string" and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        elif expected == "integer" and isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        elif expected == "integer" and isinstance(value, float) and value.is_integer():
            value = int(value)
        valid = {
            "string": isinstance(value, str),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
        }.get(expected or "", True)
        if not valid:
            raise ToolArgumentError(
                responses.wrong_type(key, expected or "", json.dumps(value, ensure_ascii=False)[:60])
            )
        if "enum" in spec and value not in spec["enum"]:
            raise ToolArgumentError(responses.not_in_enum(key, list(map(str, spec["enum"]))))
        checked[key] = value
    return checked


def execute_tool(*, name: str, arguments: dict | str | None, context: ToolContext) -> dict:
    """Run a tool and always return a dict: domain refusals and bad arguments become
    {"ok": false, "error": ..., "code": ...} for the model (or the offline brain) to read."""
    tool = TOOLS.get(name)
    if tool is None:
        return {
            "ok": False,
            "code": "unknown_tool",
            "error": responses.unknown_tool(name, list(TOOLS)),
        }
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments or "{}")
        except json.JSONDecodeError:
            return {"ok": False, "code": "invalid_arguments", "error": responses.ARGUMENTS_NOT_JSON}
    arguments = arguments or {}
    if not isinstance(arguments, dict):
        return {"ok": False, "code": "invalid_arguments", "error": responses.ARGUMENTS_NOT_OBJECT}
    allowed = set(tool.parameters.get("properties", {}))
    unknown = sorted(set(arguments) - allowed)
    if unknown:
        return {"ok": False, "code": "invalid_arguments", "error": responses.unknown_arguments(unknown)}
    missing = [key for key in tool.parameters.get("required", []) if arguments.get(key) in (None, "")]
    if missing:
        return {"ok": False, "code": "invalid_arguments", "error": responses.missing_arguments(missing)}
    try:
        arguments = _checked_arguments(arguments, tool.parameters.get("properties", {}))
    except ToolArgumentError as error:
        return {"ok": False, "code": "invalid_arguments", "error": str(error)}
    context.now = context.now or timezone.now()
    try:
        # A savepoint per tool: one that fails leaves no half-written rows behind. What it
        # writes is attributed to the conversation in the audit trail.
        with transaction.atomic(), attributed_to_conversation(context.conversation.pk):
            result = tool.handler(context, **arguments)
    except ToolArgumentError as error:
        return {"ok": False, "code": "invalid_arguments", "error": str(error)}
    except IdentityError as error:
        return {"ok": False, "code": error.code, "error": responses.identity_error(error.code, **error.values)}
    except appointment_services.AppointmentError as error:
        return {"ok": False, "code": error.code, "error": responses.appointment_error(error)}
    except (TypeError, ValueError) as error:
        logger.warning("Tool %s rejected arguments %r: %s", name, arguments, error)
        return {"ok": False, "code": "invalid_arguments", "error": responses.ARGUMENTS_INVALID}
    flow.after_tool(context.state, name, result)
    return result
