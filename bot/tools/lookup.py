"""The read-only tools: the clinic's facts (address, hours, coverages, holidays) and the free
slots of a specialty or doctor, thin wrappers over clinic.selectors and
appointments.selectors. The slots found are recorded in the state as offered, which is
what the booking tools later book or move to by id.
"""

import datetime as dt

from appointments import selectors as appointment_selectors
from appointments.policy import Actor, PartOfDay, earliest_bookable, in_part_of_day
from bot import responses
from bot.models import ConversationOutcome
from bot.state import OfferedSlot
from bot.tools.common import (
    DATE_SCHEMA,
    TIME_SCHEMA,
    Tool,
    ToolArgumentError,
    describe_time,
    doctor_by_name,
    mark_outcome,
    parse_date_argument,
    parse_time_argument,
    slot_id_of,
    specialty_by_name,
)
from bot.types import ToolContext
from clinic import selectors as clinic_selectors
from clinic.models import Doctor

MAX_SLOTS = 6
# Offered slots start at least this long after the first bookable moment: the patient still
# gives a name, a document and a yes before the booking.
OFFER_MARGIN = dt.timedelta(minutes=5)


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
    if day := parse_date_argument(date):
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
    mark_outcome(context, ConversationOutcome.INFORMED)
    return result


GET_CLINIC_INFO = Tool(
    "get_clinic_info",
    "Clinic facts (address, hours...); coverage: check one.",
    {
        "type": "object",
        "properties": {
            "topic": {"type": "string", "enum": ["all", "specialties", "coverages", "hours", "contact"]},
            "coverage": {"type": "string"},
            "date": DATE_SCHEMA,
        },
    },
    get_clinic_info,
)


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
    specialty_obj = specialty_by_name(context, specialty)
    doctor_obj = doctor_by_name(context, doctor, specialty_obj)
    day = parse_date_argument(date)
    at = parse_time_argument(time)
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
            slot_id=slot_id_of(s.doctor_id, s.start), doctor_id=s.doctor_id, specialty_id=s.specialty_id, start=s.start
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


FIND_AVAILABLE_SLOTS = Tool(
    "find_available_slots",
    "Free slots; with date+time, the nearest. Offer only these.",
    {
        "type": "object",
        "properties": {
            "specialty": {"type": "string"},
            "date": DATE_SCHEMA,
            "time": TIME_SCHEMA,
            "part_of_day": {"type": "string", "enum": [part.value for part in PartOfDay]},
            "doctor": {"type": "string", "description": "surname"},
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_SLOTS},
        },
        "required": ["specialty"],
    },
    find_available_slots,
)
