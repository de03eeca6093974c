"""Answers about the clinic: coverages, specialties, hours, address, doctors' days, what to
bring, and what the clinic lacks.
"""

from __future__ import annotations

from bot.formatting import join_spanish, with_doctor

REQUIREMENTS = (
    "Para el turno traiga su documento y, si se atiende por obra social o prepaga, la credencial. "
    "Si un médico le dio una orden o tiene estudios previos, tráigalos también."
)
PRICES = "Los valores de las consultas se los informa recepción."
PRICES_OFFER = "Los valores de las consultas se los informa recepción. ¿Quiere que lo comunique?"
PRIVATE_PAY = "También puede atenderse en forma particular."
NO_HOURS = "No tengo cargado el horario de atención."


def address(where: str) -> str:
    return f"Estamos en {where}."


def phone(number: str) -> str:
    return f"Puede llamarnos al {number}."


def coverage_private(notes: str = "") -> str:
    return f"Sí, puede atenderse en forma particular.{notes}"


def coverage_accepted(found: str, *, notes: str, listing: str, private: str) -> str:
    """`notes` and `private` come with their leading space ("" when there are none)."""
    return f"Sí, trabajamos con {found}.{notes} Las coberturas que aceptamos son {listing}.{private}"


def coverage_not_accepted(asked: str, *, listing: str, private: str) -> str:
    return f"No, no trabajamos con {asked}. Aceptamos {listing}.{private}"


def coverages(listing: str, *, private: str) -> str:
    return f"Trabajamos con {listing}.{private}"


def specialty_offered(name: str) -> str:
    return f"Sí, tenemos {name}."


def specialty_not_offered(asked: str, names: str, *, offer: bool) -> str:
    question = " ¿Le busco un turno en alguna?" if offer else ""
    return f"No, no tenemos {asked}, pero tenemos {names}.{question}"


def unknown_subject(subject: str) -> str:
    return (
        f"No tengo información sobre «{subject}». Le puedo informar especialidades, obras sociales, "
        "horarios y dirección, o comunicarlo con recepción."
    )


def specialties(names: str, *, ask: bool) -> str:
    return f"Tenemos {names}. ¿Para cuál necesita turno?" if ask else f"Tenemos {names}."


def closed_weekday(when: str, schedule: str) -> str:
    return f"No, {when} la clínica está cerrada. Nuestro horario es: {schedule}."


def open_weekday(when: str, ranges: str) -> str:
    return f"Sí, {when} atendemos {ranges}."


def opening_hours(schedule: str) -> str:
    return f"Nuestro horario de atención es: {schedule}." if schedule else NO_HOURS


def closed_on(day: str, *, reason: str = "") -> str:
    """ "No, el martes 8 de diciembre la clínica está cerrada por feriado." """
    why = f" por {reason[0].lower()}{reason[1:]}" if reason else ""
    return f"No, {day} la clínica está cerrada{why}."


def doctors_absent_on(day: str, names: list[str]) -> str:
    """ "El miércoles 16 de diciembre no atiende el Dr. Martín Gutiérrez." Without the reason:
    a doctor's leave or illness is theirs, not the patients'."""
    who = join_spanish([with_doctor(name).removeprefix("con ") for name in names])
    return f"{day[0].upper()}{day[1:]} no {'atiende' if len(names) == 1 else 'atienden'} {who}."


def doctor_absent_on(day: str, doctor: str) -> str:
    """ "No, el miércoles 16 de diciembre no atiende el Dr. Martín Gutiérrez." """
    return f"No, {day} no atiende {doctor}."


def missing_service(name: str, *, suggested: str = "", reason: str = "") -> str:
    """ "No tenemos Kinesiología; para una lesión podemos darle turno con Traumatología." """
    if not suggested:
        return f"No tenemos {name}."
    return f"No tenemos {name}; {reason + ' ' if reason else ''}podemos darle turno con {suggested}."


def specialty_doctors(specialty: str, names: str) -> str:
    """ "Sí, atendemos en Pediatría con la Dra. Carolina Herrera" (the days follow)."""
    return f"Sí, atendemos en {specialty}" + (f" con {names}" if names else "")


def doctor_not_on(doctor: str, weekday: str) -> str:
    return f"No, {doctor} no atiende los {weekday}."


def doctor_on(doctor: str, *, specialty: str, weekday: str, hours: str) -> str:
    return f"Sí, {doctor} atiende {specialty} los {weekday} {hours}."


def doctor_days(doctor: str, blocks: list[tuple[str, str]]) -> str:
    """ "La Dra. Carolina Herrera atiende Pediatría los lunes y miércoles de 8:00 a 12:00."
    `blocks`: (specialty, "los lunes y miércoles de 8:00 a 12:00") pairs."""
    if not blocks:
        return f"{doctor} no tiene días de atención cargados por ahora."
    said = [f"{specialty} {days}" for specialty, days in blocks]
    return f"{doctor} atiende {'; '.join(said)}."
