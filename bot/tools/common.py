"""What every tool module shares: the Tool record (a handler with the JSON schema the model
sees), the ToolArgumentError a handler raises for a bad argument, and the small parsing and
lookup helpers (dates and times, specialty and doctor by name, the caller's number and the
turnos it reaches, how a turno or a time is described). Kept apart so each tool module
imports them from one place and none imports another tool module for a helper.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from appointments.models import Appointment
from bot import responses
from bot.formatting import weekday_name
from bot.types import ToolContext
from clinic import selectors as clinic_selectors
from clinic.models import Doctor
from identity import selectors as identity_selectors


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


def slot_id_of(doctor_id: int, start: dt.datetime) -> str:
    """The id a slot is offered, booked and moved to by: its doctor and its start in UTC, so
    the same slot found twice (or built from a date and time) has the same id."""
    return f"{doctor_id}-{start.astimezone(dt.UTC):%Y%m%d%H%M}"


def describe_time(value: dt.datetime, tz) -> dict:
    local = value.astimezone(tz)
    return {
        "date": local.date().isoformat(),
        "weekday": weekday_name(local.date()),
        "time": f"{local:%H:%M}",
    }


def describe_appointment(appointment: Appointment, tz, *, patient_name: str) -> dict:
    """`patient_name` is the name this caller may hear (identity.selectors.name_for_caller)."""
    return {
        "appointment_id": appointment.pk,
        "specialty": appointment.specialty.name,
        "doctor": appointment.doctor.display_name,
        **describe_time(appointment.start_at, tz),
        "status": appointment.get_status_display(),
        "patient": patient_name,
    }


def parse_date_argument(value: str | None, field: str = "date") -> dt.date | None:
    """A tool's YYYY-MM-DD argument (a longer ISO string is cut to its date); a bad one is an
    error naming `field`, for the model to correct."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise ToolArgumentError(responses.bad_date(field, value)) from exc


def parse_time_argument(value: str | None, field: str = "time") -> dt.time | None:
    """A tool's HH:MM argument ("9:30" too); a bad one is an error naming `field`."""
    if not value:
        return None
    try:
        return dt.time.fromisoformat(str(value).strip()[:5].zfill(5))
    except ValueError as exc:
        raise ToolArgumentError(responses.bad_time(field, value)) from exc


def specialty_by_name(context: ToolContext, name: str | None):
    """The clinic's specialty the model named (in the patient's words or the catalog's); an
    unknown one is an error that lists the clinic's specialties."""
    if not name:
        raise ToolArgumentError(responses.SPECIALTY_MISSING)
    specialty = clinic_selectors.find_specialty(clinic=context.clinic, text=name)
    if specialty is None:
        info = clinic_selectors.clinic_info(clinic=context.clinic)
        raise ToolArgumentError(responses.unknown_specialty(name, info["specialties"]))
    return specialty


def doctor_by_name(context: ToolContext, name: str | None, specialty) -> Doctor | None:
    """The doctor of `specialty` the model named by surname or full name, None when it named
    none; a doctor outside the specialty is an error rather than a silent other doctor."""
    if not name:
        return None
    wanted = clinic_selectors.normalize_text(name)
    for doctor in clinic_selectors.catalog_for(context.clinic).doctors_of(specialty):
        if clinic_selectors.normalize_text(doctor.last_name) in wanted or wanted in clinic_selectors.normalize_text(
            doctor.display_name
        ):
            return doctor
    raise ToolArgumentError(responses.unknown_doctor(name, specialty.name))


def caller_number_of(context: ToolContext) -> str:
    """The channel's number, the only identity a tool acts for (never a typed DNI or name)."""
    return identity_selectors.caller_number(context.phone)


def manageable_appointments_of(context: ToolContext):
    """The upcoming turnos the caller's number may see and manage."""
    return identity_selectors.manageable_appointments(number=caller_number_of(context), now=context.now)


def mark_outcome(context: ToolContext, outcome: str) -> None:
    """Record what the conversation achieved (bot.conversations.set_outcome keeps the most telling)."""
    from bot.conversations import set_outcome

    set_outcome(conversation=context.conversation, outcome=outcome)


# Descriptions are re-sent with every model request: keep them short (bench/conversation_cost.py).
DATE_SCHEMA = {"type": "string", "description": "YYYY-MM-DD"}
TIME_SCHEMA = {"type": "string", "description": "HH:MM"}
