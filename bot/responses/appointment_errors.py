"""What the patient hears when a turno rule says no (appointments.errors): worded for the
patient, by code. The domain keeps its own message for the desk; the assistant never passes
that one on.
"""

from __future__ import annotations

from appointments.errors import AppointmentError
from appointments.errors import AppointmentErrorCode as Code
from bot.responses.tool_errors import IDENTITY_ERRORS
from identity.errors import IdentityErrorCode

PATIENT_NAMES = {"doctor": "El profesional", "specialty": "esa especialidad"}
APPOINTMENT_ERRORS: dict[Code, str] = {
    Code.INVALID_TIME: "La fecha y hora del turno no son válidas.",
    Code.IN_PAST: "Ese horario ya pasó. Elija un horario futuro, por favor.",
    Code.DOCTOR_UNAVAILABLE: "Ese profesional no está atendiendo en este momento.",
    Code.WRONG_SPECIALTY: "{doctor} no atiende {specialty}.",
    Code.CLOSED: "Ese día la clínica está cerrada. Elija otro día, por favor.",
    Code.DOCTOR_ABSENT: "{doctor} no atiende ese día. Elija otro día u otro profesional, por favor.",
    Code.OUTSIDE_SCHEDULE: "{doctor} no atiende {specialty} en ese horario.",
    Code.OFF_GRID: (
        "Ese horario no coincide con el inicio de un turno de {doctor}. Elija uno de los horarios libres, por favor."
    ),
    Code.OUTSIDE_OPENING_HOURS: "Ese horario está fuera del horario de atención de la clínica.",
    Code.TOO_SOON: "Ese turno empieza demasiado pronto para reservarlo. Elija uno más adelante, por favor.",
    Code.SLOT_TAKEN: "Ese horario acaba de ser reservado por otra persona. Elija otro, por favor.",
    Code.PATIENT_BUSY: "Ya tiene otro turno a esa misma hora.",
    Code.NOT_OWNER: "Ese turno no figura a su nombre.",
    Code.NOT_FOUND: "No encuentro ese turno.",
    Code.NOT_CANCELLABLE: "Ese turno ya no se puede cancelar.",
    Code.NOT_RESCHEDULABLE: "Ese turno ya no se puede reprogramar.",
    Code.INVALID_PATIENT: IDENTITY_ERRORS[IdentityErrorCode.INVALID_PATIENT],
}
# A refusal about one doctor, when the specialty's doctors were tried together.
NO_SLOTS_THEN = "No tengo turnos de {specialty} en ese horario. Elija otro, por favor."
DOCTOR_CODES = frozenset({Code.DOCTOR_ABSENT, Code.OUTSIDE_SCHEDULE, Code.OFF_GRID})
# The desk's codes (a state change, a reason to give) should not reach the assistant.
NOT_CHANGED = "No pude hacer ese cambio en su turno. Recepción puede ayudarlo."


def appointment_error(error: AppointmentError) -> str:
    if error.code in DOCTOR_CODES and "doctor" not in error.names and "specialty" in error.names:
        template = NO_SLOTS_THEN
    else:
        template = APPOINTMENT_ERRORS.get(error.code, NOT_CHANGED)
    return template.format_map(PATIENT_NAMES | error.names)
