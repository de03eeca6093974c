"""The sentences the assistant says to patients that more than one part of a turn needs
(the engine, both brains, the channels), written once, and their rendering for speech.

Texts are written for a screen (WhatsApp, the simulator); `for_speech` turns any of them
into what text-to-speech should read: no bullets or emojis, "08:30" as "8:30" (never
"cero ocho"), "Dr." as "doctor", a short date like "2/12" as "2 de diciembre".
"""

from __future__ import annotations

import datetime as dt
import re

from appointments.policy import DocumentProblem
from bot.formatting import MONTH_NAMES, at_time, format_date, with_doctor

HELP = (
    "Soy el asistente virtual de {clinic}. Puedo:\n"
    "• Darle turno con un especialista (por ejemplo: «quiero un turno para cardiología»).\n"
    "• Decirle sus próximos turnos, cancelarlos o cambiarlos de horario.\n"
    "• Informarle especialidades, obras sociales y prepagas, horarios y dirección.\n"
    "• Comunicarlo con recepción.\n"
    "Escriba /reiniciar para empezar de nuevo."
)
# Ley 25.326: the first message of a conversation says who is answering and where the
# privacy notice is (health data is sensitive data).
AUTOMATED_NOTICE = "Le responde el asistente automático de {clinic}."
PRIVACY_LINK = "Aviso de privacidad: {url}"
AUTOMATED_NOTICE_SPOKEN = (
    "Le atiende el asistente automático de {clinic}. Lo que conversemos se guarda según nuestro aviso de "
    "privacidad, publicado en nuestra página."
)
NO_FREE_SLOTS = "No hay turnos libres de {specialty} en las próximas dos semanas."
OFFER_RECEPTION = "¿Quiere que lo comunique con recepción?"
WAITLIST_OR_OTHER_DAY = "De acuerdo. Puedo buscarle otro día u horario, o anotarlo en la lista de espera."
WAITLIST_QUESTION = (
    "¿Quiere que lo anote en la lista de espera de {specialty}? Si se libera un turno le aviso por WhatsApp "
    "y, si lo quiere, es suyo."
)
WAITLIST_WHICH_SPECIALTY = "¿Para qué especialidad quiere anotarse en la lista de espera?"
WAITLIST_WHO = "Para anotarlo necesito el nombre completo y el número de documento de quien se atenderá."
WAITLIST_NAME_MISSING = "Gracias. ¿Y el nombre completo de quien se atenderá?"
WAITLIST_DOCUMENT_MISSING = "Gracias. ¿Y su número de documento?"
RESET = "Listo, empecemos de nuevo. ¿En qué puedo ayudarlo?"
FAREWELL = "Gracias por comunicarse con {clinic}. ¡Que tenga un buen día!"
EMPTY = "No llegué a entenderlo. ¿Me lo repite, por favor?"
APOLOGY = "Disculpe, tuve un problema para procesar su mensaje. ¿Podría repetirlo en unos minutos?"
ANYTHING_ELSE = "¿Necesita algo más?"
RATE_LIMITED = "Recibí muchos mensajes seguidos desde este número. Por favor, espere un minuto y vuelva a escribirme."
TRANSFER_CALL = "Lo comunico con recepción, aguarde un momento, por favor."
TRANSFER_CHAT = "Le aviso a recepción para que lo atiendan."
RECEPTION_PHONE = "También puede llamar al {phone}."

PART_OF_DAY_PHRASES = {"morning": "a la mañana", "afternoon": "a la tarde", "evening": "a la noche"}


def waitlist_joined(waitlisted: dict) -> str:
    """What join_waitlist's result says, as the patient hears it (the name they gave)."""
    wishes = []
    if waitlisted.get("doctor"):
        wishes.append(f"con {waitlisted['doctor']}")
    if waitlisted.get("part_of_day"):
        wishes.append(PART_OF_DAY_PHRASES.get(waitlisted["part_of_day"], ""))
    detail = f" ({' '.join(w for w in wishes if w)})" if wishes else ""
    return (
        f"Listo, anoté a {waitlisted['name']} en la lista de espera de {waitlisted['specialty']}{detail}. "
        "Si se libera un turno le escribo por WhatsApp a este número."
    )


DOCUMENT_PROBLEMS = {
    DocumentProblem.MISSING: "Necesito su número de documento.",
    DocumentProblem.FORMAT: (
        "El número de documento no parece válido: un DNI tiene 7 u 8 dígitos "
        "(un RUT, su dígito verificador; un DNI o NIE español, su letra)."
    ),
    DocumentProblem.RUT_VERIFIER: "El dígito verificador de ese RUT no coincide.",
    DocumentProblem.CONTROL_LETTER: "La letra de ese documento no coincide con el número.",
    DocumentProblem.NOT_ACCEPTED: "Ese tipo de documento no lo puedo registrar; necesito su DNI.",
}


def farewell(clinic_name: str) -> str:
    return FAREWELL.format(clinic=clinic_name)


def transfer(*, channel: str, reception_phone: str = "") -> str:
    """Handing over to reception: on a call the line is transferred; on a chat, reception is told."""
    if channel == "phone":
        return TRANSFER_CALL
    return f"{TRANSFER_CHAT} {RECEPTION_PHONE.format(phone=reception_phone)}" if reception_phone else TRANSFER_CHAT


def document_problem(problem: DocumentProblem) -> str:
    return DOCUMENT_PROBLEMS[problem]


# --- speech ------------------------------------------------------------------------------------

_EMOJI_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")
_TIME_RE = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")
_DAY_MONTH_RE = re.compile(r"\b([0-3]?\d)/(1[0-2]|0?[1-9])\b(?!/)")
_TITLES = {r"\bDra\.": "doctora", r"\bDr\.": "doctor", r"\bLic\.": "licenciada", r"\bNº": "número"}


def _spoken_time(match: re.Match) -> str:
    """ "08:30" -> "8:30": a leading zero is read out ("cero ocho") by text-to-speech."""
    return f"{int(match[1])}:{match[2]}"


def _spoken_day_month(match: re.Match) -> str:
    day, month = int(match[1]), int(match[2])
    if not 1 <= day <= 31:
        return match[0]
    return f"{day} de {MONTH_NAMES[month - 1]}"


def for_speech(text: str) -> str:
    """A screen text as text-to-speech should read it: no bullets, emojis or markdown, line
    breaks as pauses, clock times without a leading zero, short dates and titles as words."""
    text = _EMOJI_RE.sub("", text or "")
    text = text.replace("•", "").replace("*", "").replace("_", " ")
    lines = [line.strip(" -\t") for line in text.splitlines()]
    sentences = [line if line[-1] in ".,;:!?¿¡»" else f"{line}." for line in lines if line]
    text = " ".join(sentences)
    text = _TIME_RE.sub(_spoken_time, text)
    text = _DAY_MONTH_RE.sub(_spoken_day_month, text)
    for pattern, word in _TITLES.items():
        text = re.sub(pattern, word, text)
    return re.sub(r"\s+", " ", text).strip()


# --- confirmations read from the tools' results (both brains say exactly what the database holds) ---


def day_phrase(day: dt.date, *, today: dt.date) -> str:
    """ "el jueves 3 de diciembre", but "hoy martes 1 de diciembre" / "mañana miércoles 2 de diciembre"."""
    text = format_date(day, today=today)
    return text if text.startswith(("hoy", "mañana")) else f"el {text}"


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


def cancel_confirmed(cancelled: dict, *, today: dt.date) -> str:
    return f"Listo, cancelé su turno de {appointment_phrase(cancelled, today=today)}. {ANYTHING_ELSE}"


def reschedule_confirmed(new: dict, *, today: dt.date) -> str:
    return f"Listo, su turno quedó para {appointment_phrase(new, today=today)}. {ANYTHING_ELSE}"


# --- understanding: what the clinic lacks, doctors' days, what to bring ---------------------

REQUIREMENTS = (
    "Para el turno traiga su documento y, si se atiende por obra social o prepaga, la credencial. "
    "Si un médico le dio una orden o tiene estudios previos, tráigalos también."
)
CLOSING = "De nada, que tenga un buen día."


def missing_service(name: str, *, suggested: str = "", reason: str = "") -> str:
    """ "No tenemos Kinesiología; para una lesión podemos darle turno con Traumatología." """
    if not suggested:
        return f"No tenemos {name}."
    return f"No tenemos {name}; {reason + ' ' if reason else ''}podemos darle turno con {suggested}."


def doctor_days(doctor: str, blocks: list[tuple[str, str]]) -> str:
    """ "La Dra. Carolina Herrera atiende Pediatría los lunes y miércoles de 8:00 a 12:00."
    `blocks`: (specialty, "los lunes y miércoles de 8:00 a 12:00") pairs."""
    if not blocks:
        return f"{doctor} no tiene días de atención cargados por ahora."
    said = [f"{specialty} {days}" for specialty, days in blocks]
    return f"{doctor} atiende {'; '.join(said)}."


def not_available_then(asked: str, specialty: str) -> str:
    """ "El jueves 3 de diciembre a la tarde no tengo turnos de Pediatría. Lo más cercano es" """
    return f"{asked[0].upper()}{asked[1:]} no tengo turnos de {specialty}. Lo más cercano que tengo es"


def name_question(for_whom: str = "") -> str:
    """The name of the patient of this turno: the caller's, or their relative's ("su hija")."""
    return f"¿Me dice el nombre completo de su {for_whom}?" if for_whom else "¿Me puede dar su nombre completo?"


def document_question(for_whom: str = "") -> str:
    return f"¿Y el número de documento de su {for_whom}?" if for_whom else "¿Y su número de documento?"


def now_for(for_whom: str) -> str:
    """Between two turnos asked in one message: "Ahora, para su hija:"."""
    return f"Ahora, para su {for_whom}:" if for_whom else "Ahora, para usted:"


def closed_on(day: str, *, reason: str = "") -> str:
    """ "No, el martes 8 de diciembre la clínica está cerrada por feriado." """
    why = f" por {reason[0].lower()}{reason[1:]}" if reason else ""
    return f"No, {day} la clínica está cerrada{why}."
