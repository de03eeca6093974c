"""Listing, cancelling and moving the caller's turnos."""

from __future__ import annotations

import datetime as dt

from bot.responses.booking import appointment_phrase
from bot.responses.common import ANYTHING_ELSE

NO_TURNOS_HERE = (
    "No encuentro turnos próximos para este número. Si lo reservó desde otro teléfono, dígame "
    "el nombre completo y el número de documento del paciente y le envío un código a su teléfono registrado."
)
NOTHING_CHANGED = f"De acuerdo, no cambio nada. {ANYTHING_ELSE}"
KEPT = f"De acuerdo, su turno sigue en pie. {ANYTHING_ELSE}"
KEPT_AS_IT_WAS = "De acuerdo, su turno sigue como estaba. ¿Prefiere otro día u horario?"
ASK_OTHER_NEW_TIME = "De acuerdo. ¿Qué otro día y horario le quedan bien?"
ASK_NEW_TIME = "¿Para qué día y horario quiere pasar su turno?"
WHICH_TURNO = "¿Cuál de sus turnos? Dígame el día o la especialidad."
CONFIRM_CANCEL = "¿Confirma la cancelación?"
CONFIRM_CHANGE = "¿Confirma el cambio?"
NOT_CANCELLED = "No pude cancelar el turno."
NOT_MOVED = "No pude cambiar el turno."


def turnos_listed(count: int, listing: str) -> str:
    said = "un turno" if count == 1 else f"{count} turnos"
    return f"Tiene {said}: {listing}. {ANYTHING_ELSE}"


def which_to_manage(count: int, listing: str, *, cancel: bool) -> str:
    verb = "cancelar" if cancel else "cambiar"
    return f"Tiene {count} turnos: {listing}. ¿Cuál quiere {verb}?"


def ask_new_time_for(appointment: str) -> str:
    return f"Su turno es de {appointment}. ¿Para qué día y horario lo quiere pasar?"


def cancel_failed(error: str = "") -> str:
    return f"{error or NOT_CANCELLED} {ANYTHING_ELSE}"


def move_failed(error: str = "") -> str:
    return f"{error or NOT_MOVED} ¿Quiere probar con otro horario?"


def cancel_question(appointment: str) -> str:
    return f"¿Confirma que cancelo su turno de {appointment}?"


def reschedule_question(appointment: str, slot: str) -> str:
    return f"¿Confirma que paso su turno de {appointment} para {slot}?"


def cancel_confirmed(cancelled: dict, *, today: dt.date) -> str:
    return f"Listo, cancelé su turno de {appointment_phrase(cancelled, today=today)}. {ANYTHING_ELSE}"


def reschedule_confirmed(new: dict, *, today: dt.date) -> str:
    return f"Listo, su turno quedó para {appointment_phrase(new, today=today)}. {ANYTHING_ELSE}"
