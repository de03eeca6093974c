"""The booking form's questions and answers: the specialty, the free slots offered, the
caller's name and document, the read-back and the confirmation read from the tool's result.
"""

from __future__ import annotations

import datetime as dt

from bot.formatting import at_time, format_date, with_doctor
from bot.responses.common import ANYTHING_ELSE, REPEAT_PLEASE

ASK_SPECIALTY = "¿Para qué especialidad necesita el turno?"
OK_ASK_SPECIALTY = f"De acuerdo. {ASK_SPECIALTY}"
NO_FREE_SLOTS = "No hay turnos libres de {specialty} en las próximas dos semanas."
SLOTS_NOT_FOUND = "No pude buscar turnos."
ASK_OTHER_DAY = "¿Qué otro día le queda bien?"
ASK_DAY_AND_TIME = "¿Qué día y horario prefiere?"
OK_ASK_BETTER_DAY = "De acuerdo. ¿Qué día y horario le quedan mejor?"
WHICH_SLOT = "¿Cuál de los horarios? Puede decirme «el primero», o el día y la hora."
WHICH_TIME_SHORT = "¿Qué horario prefiere? También puede decirme otro día u horario."
WHICH_ONE = "¿Cuál prefiere?"
NAME_MISSING = "Gracias. ¿Y su nombre completo?"


def name_missing(for_whom: str = "") -> str:
    """The document came first; the name of this turno's patient is still missing."""
    return f"Gracias. {name_question(for_whom)}" if for_whom else NAME_MISSING


DOCUMENT_MISSING = "Gracias. ¿Y su número de documento?"
FULL_NAME_NEEDED = "Necesito su nombre y apellido. ¿Me los dice, por favor?"
ASK_DOCUMENT_AGAIN = "Disculpe. ¿Me dice de nuevo su número de documento?"
ASK_NAME_AGAIN = "Disculpe. ¿Me dice de nuevo su nombre completo?"
# A correction after the turno is booked: the patient record is reception's to fix.
CORRECTION_AFTER_BOOKING = (
    "Su turno ya quedó reservado. Para corregir el nombre o el documento lo comunico con recepción. "
    "¿Quiere que lo comunique?"
)
WHOSE_TURNO = "De acuerdo. ¿A nombre de quién es el turno? Dígame el nombre completo."
NOTHING_BOOKED = "De acuerdo, no reservé nada. ¿Prefiere otro día u horario?"
SLOT_LOST = f"Perdón, se me perdió el horario elegido. {ASK_DAY_AND_TIME}"
NOT_BOOKED = "No pude reservar el turno."
OTHER_SLOT = "¿Quiere elegir otro horario?"
OFFER_A_TURNO = "¿Quiere que le busque un turno?"


def offer_booking(specialty: str = "") -> str:
    """ "¿Quiere que le busque un turno de Cardiología?" """
    return f"¿Quiere que le busque un turno de {specialty}?" if specialty else OFFER_A_TURNO


def which_specialty(names: str) -> str:
    return f"{ASK_SPECIALTY} Tenemos {names}."


def not_offered(asked: str, names: str, *, but: bool = True) -> str:
    """ "No tenemos Kinesiología, pero tenemos Cardiología y Pediatría. ¿Para cuál quiere el turno?" """
    rest = f", pero tenemos {names}." if but else f". Tenemos {names}."
    return f"No tenemos {asked}{rest} ¿Para cuál quiere el turno?"


def search_failed(error: str = "") -> str:
    return f"{error or SLOTS_NOT_FOUND} {ASK_OTHER_DAY}"


def no_slot_at(asked: str, specialty: str) -> str:
    """ "El jueves a las 10:00 no tengo turno libre de Pediatría. Lo más cercano que tengo es" """
    return f"{asked[0].upper()}{asked[1:]} no tengo turno libre de {specialty}. Lo más cercano que tengo es"


def nearest_after(away: str) -> str:
    """ "El miércoles 16 de diciembre no atiende el Dr. Martín Gutiérrez. Lo más cercano que tengo es" """
    return f"{away} Lo más cercano que tengo es"


def not_available_then(asked: str, specialty: str) -> str:
    """ "El jueves 3 de diciembre a la tarde no tengo turnos de Pediatría. Lo más cercano es" """
    return f"{asked[0].upper()}{asked[1:]} no tengo turnos de {specialty}. Lo más cercano que tengo es"


def and_other_part(nearest: str, part: str, same_day: str) -> str:
    """ "el viernes 4 de diciembre a las 15:00 con la Dra. Florencia Álvarez; y a la mañana, el
    jueves 3 de diciembre a las 8:00 con la Dra. Carolina Herrera" """
    return f"{nearest}; y {part}, {same_day}"


def slots_for(specialty: str, part: str = "") -> str:
    """ "Para Cardiología a la tarde tengo" """
    return f"Para {specialty} {part} tengo" if part else f"Para {specialty} tengo"


def slots_offer(intro: str, offered: str) -> str:
    return f"{intro} {offered}. {WHICH_ONE} Si ninguno le sirve, dígame otro día u horario."


def slots_again(offered: str) -> str:
    return f"Tengo {offered}. {WHICH_ONE} También puede decirme otro día u horario."


def nothing_else_then(day: str, *, later: bool, offered: str) -> str:
    """ "El jueves no tengo nada más tarde. Tengo ... ¿Cuál prefiere?" """
    which = "más tarde" if later else "más temprano"
    return f"{day} no tengo nada {which}. Tengo {offered}. {WHICH_ONE}"


OFFER_MOVES = {"later": "Más tarde", "earlier": "Más temprano", "latest": "Lo último que tengo"}


def moved_offer(move: str, offered: str) -> str:
    return f"{OFFER_MOVES[move]} {offered}. {WHICH_ONE}"


def which_time_given_data(offered: str) -> str:
    return f"Gracias. ¿Cuál horario prefiere: {offered}?"


def for_whom_noted(for_whom: str, offered: str) -> str:
    """ "Es para mi hija" while choosing: noted, and the choice asked again."""
    return f"De acuerdo, el turno es para su {for_whom}. ¿Cuál horario prefiere: {offered}?"


def slot_chosen(slot: str) -> str:
    return f"Perfecto, {slot}."


def ask_surname(name: str) -> str:
    return f"Gracias, {name}. ¿Me dice también su apellido?"


def repeat_after(error: str) -> str:
    return f"{error} {REPEAT_PLEASE}"


def other_slot_after(error: str) -> str:
    return f"{error} {OTHER_SLOT}"


def name_question(for_whom: str = "") -> str:
    """The name of the patient of this turno: the caller's, or their relative's ("su hija")."""
    return f"¿Me dice el nombre completo de su {for_whom}?" if for_whom else "¿Me puede dar su nombre completo?"


def document_question(for_whom: str = "") -> str:
    return f"¿Y el número de documento de su {for_whom}?" if for_whom else "¿Y su número de documento?"


def now_for(for_whom: str) -> str:
    """Between two turnos asked in one message: "Ahora, para su hija:"."""
    return f"Ahora, para su {for_whom}:" if for_whom else "Ahora, para usted:"


def ask_specialty_for(for_whom: str) -> str:
    """The next turno asked in the same message, when its specialty is not known."""
    return f"{now_for(for_whom)} ¿para qué especialidad necesita el turno?"


def booking_summary(*, specialty: str, slot: str, name: str, document: str) -> str:
    """The read-back before booking."""
    return f"¿Confirma el turno de {specialty} {slot}, a nombre de {name}, documento {document}?"


# --- confirmations read from the tools' results (both brains say exactly what the database holds) ---


def day_phrase(day: dt.date, *, today: dt.date) -> str:
    """ "el jueves 3 de diciembre", but "hoy martes 1 de diciembre" / "mañana miércoles 2 de diciembre"."""
    text = format_date(day, today=today)
    return text if text.startswith(("hoy", "mañana")) else f"el {text}"


def slot_phrase(slot: dict, *, today: dt.date) -> str:
    """A slot as the tools describe it: "el miércoles 2 de diciembre a las 10:00 con el Dr. Martín Gutiérrez"."""
    day = dt.date.fromisoformat(slot["date"])
    time = dt.time.fromisoformat(slot["time"])
    return f"{day_phrase(day, today=today)} {at_time(time)} {with_doctor(slot['doctor'])}".strip()


def appointment_phrase(appointment: dict, *, today: dt.date) -> str:
    """A turno as the tools describe it: "Cardiología con el Dr. Martín Gutiérrez el miércoles
    2 de diciembre a las 10:00"."""
    day = dt.date.fromisoformat(appointment["date"])
    time = dt.time.fromisoformat(appointment["time"])
    return f"{appointment['specialty']} {with_doctor(appointment['doctor'])} {day_phrase(day, today=today)} {at_time(time)}"


def booking_confirmed(booked: dict, *, address: str, today: dt.date) -> str:
    day = dt.date.fromisoformat(booked["date"])
    time = dt.time.fromisoformat(booked["time"])
    where = f" Lo esperamos en {address}." if address else ""
    return (
        f"Excelente, su turno está confirmado: {booked['specialty']} {with_doctor(booked['doctor'])}, "
        f"{day_phrase(day, today=today)} {at_time(time)}, a nombre de {booked['patient']}.{where} {ANYTHING_ELSE}"
    )
