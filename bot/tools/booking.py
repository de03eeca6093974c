"""The tools that write a turno or a waitlist entry (book, cancel, reschedule, join the
waitlist), each a thin wrapper over identity.services, appointments.services or
reminders.services with its schema beside it, and the caps a booking is checked against
before it is read back. Every write but the waitlist passes the read-back guard of
bot.tools.confirmation first.
"""

import datetime as dt

from django.utils import timezone

from appointments import services as appointment_services
from appointments.booking_policy import bookable_doctor
from appointments.models import Appointment, Channel
from appointments.policy import Actor, InvalidDocument, PartOfDay, parse_document
from bot import flow, responses
from bot.models import ConversationOutcome
from bot.state import OfferedSlot
from bot.tools.common import (
    DATE_SCHEMA,
    TIME_SCHEMA,
    Tool,
    ToolArgumentError,
    caller_number_of,
    describe_appointment,
    describe_time,
    doctor_by_name,
    manageable_appointments_of,
    mark_outcome,
    parse_date_argument,
    parse_time_argument,
    slot_id_of,
    specialty_by_name,
)
from bot.tools.confirmation import held_unless_confirmed
from bot.types import ToolContext
from clinic import selectors as clinic_selectors
from clinic.models import Doctor
from identity import selectors as identity_selectors
from identity.errors import IdentityError, IdentityErrorCode
from identity.services import book_for_caller
from reminders.services import WaitlistRefused, join_waitlist_for_caller

CHANNEL_FOR_CONVERSATION = {"phone": Channel.PHONE, "whatsapp": Channel.WHATSAPP}


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
    appointment = manageable_appointments_of(context).filter(pk=appointment_id).first()
    if appointment is None:
        raise IdentityError(IdentityErrorCode.NOT_REACHABLE)
    return appointment


def _offered_slot(context: ToolContext, slot_id: str) -> OfferedSlot:
    offered = context.state.offered_slot(slot_id)
    if offered is None:
        raise ToolArgumentError(responses.UNKNOWN_SLOT)
    return offered


def booking_cap_refusal(context: ToolContext, *, document_number: str) -> IdentityError | None:
    """The cap that refuses this caller one more turno, if any, asked before a booking is
    read back (by either brain): a patient over a cap is told so before being asked to
    confirm, not after the yes. `book_for_caller` decides again under its locks."""
    return identity_selectors.booking_cap_refusal(
        clinic=context.clinic,
        number=caller_number_of(context),
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
        digits = parse_document(document_number, accepted=context.clinic.document_kinds).number
    except InvalidDocument as error:
        raise ToolArgumentError(responses.document_problem(error.problem)) from error
    tz = context.tz
    if slot_id:
        offered = _offered_slot(context, slot_id)
        specialty_obj = context.clinic.specialties.get(pk=offered.specialty_id)
        doctor = Doctor.objects.get(pk=offered.doctor_id)
        start = offered.start
    else:
        specialty_obj = specialty_by_name(context, specialty)
        day, at = parse_date_argument(date), parse_time_argument(time)
        if not (day and at):
            raise ToolArgumentError(responses.SLOT_OR_SPECIALTY_DATE_TIME)
        start = dt.datetime.combine(day, at, tzinfo=tz)
        # The booking policy picks the doctor, or says why nobody can take that time.
        doctor = bookable_doctor(specialty=specialty_obj, start=start, now=context.now, actor=Actor.ASSISTANT)
        offered = OfferedSlot(
            slot_id=slot_id_of(doctor.pk, start), doctor_id=doctor.pk, specialty_id=specialty_obj.pk, start=start
        )
    read_back = responses.booking_summary(
        specialty=specialty_obj.name,
        slot=responses.slot_phrase({"doctor": doctor.display_name, **describe_time(start, tz)}, today=_today(context)),
        name=full_name,
        document=digits,
    )
    write = flow.Write.booking(slot_id=offered.slot_id, full_name=full_name, document_number=digits)
    if held := held_unless_confirmed(
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
        number=caller_number_of(context),
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
    mark_outcome(context, ConversationOutcome.BOOKED)
    return {
        "ok": True,
        "booked": describe_appointment(booking.appointment, tz, patient_name=booking.name_read_back),
        "address": context.clinic.address,
    }


BOOK_APPOINTMENT = Tool(
    "book_appointment",
    "Book an offered slot for full name and DNI.",
    {
        "type": "object",
        "properties": {
            "slot_id": {"type": "string"},
            "specialty": {"type": "string"},
            "date": DATE_SCHEMA,
            "time": TIME_SCHEMA,
            "full_name": {"type": "string"},
            "document_number": {"type": "string", "description": "DNI"},
            "coverage": {"type": "string"},
        },
        "required": ["full_name", "document_number"],
    },
    book_appointment,
)


def cancel_appointment(context: ToolContext, *, appointment_id: int) -> dict:
    appointment = _owned_appointment(context, appointment_id)
    name = identity_selectors.name_for_caller(appointment)
    read_back = responses.cancel_question(
        responses.appointment_phrase(
            describe_appointment(appointment, context.tz, patient_name=name), today=_today(context)
        )
    )
    if held := held_unless_confirmed(
        context,
        flow.Write("cancel_appointment", appointment_id=appointment.pk),
        read_back=read_back,
        appointment=appointment,
    ):
        return held
    appointment = appointment_services.cancel_appointment(
        appointment=appointment, by_patient=appointment.patient, reason="pedido del paciente", now=context.now
    )
    mark_outcome(context, ConversationOutcome.CANCELLED)
    return {"ok": True, "cancelled": describe_appointment(appointment, context.tz, patient_name=name)}


CANCEL_APPOINTMENT = Tool(
    "cancel_appointment",
    "Cancel a turno (id from list_my_appointments).",
    {
        "type": "object",
        "properties": {"appointment_id": {"type": "integer"}},
        "required": ["appointment_id"],
    },
    cancel_appointment,
)


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
        day, at = parse_date_argument(date), parse_time_argument(time)
        if not (day and at):
            raise ToolArgumentError(responses.SLOT_OR_DATE_TIME)
        new_start = dt.datetime.combine(day, at, tzinfo=context.tz)
        offered = OfferedSlot(
            slot_id=slot_id_of(appointment.doctor_id, new_start),
            doctor_id=appointment.doctor_id,
            specialty_id=appointment.specialty_id,
            start=new_start,
        )
    name = identity_selectors.name_for_caller(appointment)
    today = _today(context)
    read_back = responses.reschedule_question(
        responses.appointment_phrase(describe_appointment(appointment, context.tz, patient_name=name), today=today),
        responses.slot_phrase(
            {"doctor": (new_doctor or appointment.doctor).display_name, **describe_time(new_start, context.tz)},
            today=today,
        ),
    )
    write = flow.Write("reschedule_appointment", appointment_id=appointment.pk, slot_id=offered.slot_id)
    if held := held_unless_confirmed(context, write, read_back=read_back, slot=offered, appointment=appointment):
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
    mark_outcome(context, ConversationOutcome.RESCHEDULED)
    return {
        "ok": True,
        "previous_appointment_id": appointment.pk,
        "new": describe_appointment(moved, context.tz, patient_name=name),
    }


RESCHEDULE_APPOINTMENT = Tool(
    "reschedule_appointment",
    "Move a turno to an offered slot.",
    {
        "type": "object",
        "properties": {
            "appointment_id": {"type": "integer"},
            "slot_id": {"type": "string"},
            "date": DATE_SCHEMA,
            "time": TIME_SCHEMA,
        },
        "required": ["appointment_id"],
    },
    reschedule_appointment,
)


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
    specialty_obj = specialty_by_name(context, specialty)
    doctor_obj = doctor_by_name(context, doctor, specialty_obj)
    if not full_name or len(full_name.split()) < 2:
        raise ToolArgumentError(responses.FULL_NAME_MISSING)
    try:
        digits = parse_document(document_number, accepted=context.clinic.document_kinds).number
    except InvalidDocument as error:
        raise ToolArgumentError(responses.document_problem(error.problem)) from error
    part = part_of_day if part_of_day in PartOfDay else ""
    try:
        join_waitlist_for_caller(
            clinic=context.clinic,
            number=caller_number_of(context),
            channel=_conversation_channel(context),
            full_name=full_name,
            document_number=digits,
            specialty=specialty_obj,
            doctor=doctor_obj,
            part_of_day=part or "",
        )
    except WaitlistRefused as refusal:
        return {"ok": False, "code": "waitlist_refused", "error": str(refusal)}
    mark_outcome(context, ConversationOutcome.WAITLISTED)
    return {
        "ok": True,
        "waitlisted": {
            "specialty": specialty_obj.name,
            "doctor": doctor_obj.display_name if doctor_obj else None,
            "part_of_day": part or None,
            "name": full_name,
        },
    }


JOIN_WAITLIST = Tool(
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
)
