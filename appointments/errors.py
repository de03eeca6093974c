"""Coded refusals of the turno rules. Programs (the brains, the admin, tests) read the
code; the desk reads the message, in Spanish; the patient hears the assistant's sentence
for the code (bot.responses.appointment_errors).

The booking policy (appointments.booking_policy) refuses with the first codes; the
services add the ones about an existing turno's state."""

from enum import StrEnum


class AppointmentErrorCode(StrEnum):
    # --- the booking policy, in the order it checks ---------------------------------
    INVALID_TIME = "invalid_time"
    IN_PAST = "in_past"
    DOCTOR_UNAVAILABLE = "doctor_unavailable"
    WRONG_SPECIALTY = "wrong_specialty"
    CLOSED = "closed"  # the whole clinic (a holiday)
    DOCTOR_ABSENT = "doctor_absent"  # the doctor's own closure (leave, congress)
    OUTSIDE_SCHEDULE = "outside_schedule"  # no schedule block of the doctor for that specialty then
    OFF_GRID = "off_grid"  # inside a block, but not where one of its slots starts
    OUTSIDE_OPENING_HOURS = "outside_opening_hours"
    TOO_SOON = "too_soon"  # before the lead time of who books
    SLOT_TAKEN = "slot_taken"
    PATIENT_BUSY = "patient_busy"  # the patient holds another active turno then (any doctor)
    # --- an existing turno, its patient, the desk's input --------------------------------
    NOT_OWNER = "not_owner"
    NOT_FOUND = "not_found"
    NOT_CANCELLABLE = "not_cancellable"
    NOT_CANCELLED = "not_cancelled"
    NOT_RESCHEDULABLE = "not_reschedulable"
    MOVED = "moved"
    INVALID_TRANSITION = "invalid_transition"
    NOT_STARTED = "not_started"
    REASON_REQUIRED = "reason_required"
    INVALID_PATIENT = "invalid_patient"
    INVALID_OPERATION = "invalid_operation"


# The desk's wording (the admin, the agenda). The patient hears bot.responses' sentence for
# the code instead. {doctor} and {specialty} are filled in when the refusal is about one doctor.
MESSAGES: dict[AppointmentErrorCode, str] = {
    AppointmentErrorCode.INVALID_TIME: "Fecha u hora del turno inválida.",
    AppointmentErrorCode.IN_PAST: "El horario ya pasó.",
    AppointmentErrorCode.DOCTOR_UNAVAILABLE: "El profesional está inactivo.",
    AppointmentErrorCode.WRONG_SPECIALTY: "{doctor} no tiene {specialty} entre sus especialidades.",
    AppointmentErrorCode.CLOSED: "La clínica está cerrada ese día (feriado o cierre cargado).",
    AppointmentErrorCode.DOCTOR_ABSENT: "{doctor} tiene una ausencia cargada ese día.",
    AppointmentErrorCode.OUTSIDE_SCHEDULE: "{doctor} no tiene agenda de {specialty} en ese horario.",
    AppointmentErrorCode.OFF_GRID: "El horario no coincide con el inicio de un turno de la agenda de {doctor}.",
    AppointmentErrorCode.OUTSIDE_OPENING_HOURS: "El horario cae fuera del horario de atención de la clínica.",
    AppointmentErrorCode.TOO_SOON: "El turno empieza antes de la anticipación mínima para reservarlo.",
    AppointmentErrorCode.SLOT_TAKEN: "Ese horario acaba de ser reservado por otra persona: elija otro horario libre.",
    AppointmentErrorCode.PATIENT_BUSY: "El paciente ya tiene otro turno a esa misma hora.",
    AppointmentErrorCode.NOT_OWNER: "El turno no es de ese paciente.",
    AppointmentErrorCode.NOT_FOUND: "El turno no existe.",
    AppointmentErrorCode.NOT_CANCELLABLE: "El turno ya no se puede cancelar por su estado.",
    AppointmentErrorCode.NOT_CANCELLED: "Ese turno no está cancelado.",
    AppointmentErrorCode.NOT_RESCHEDULABLE: "El turno ya no se puede reprogramar por su estado.",
    AppointmentErrorCode.MOVED: "Ese turno se reprogramó; para volver al horario anterior, mueva el turno nuevo.",
    AppointmentErrorCode.INVALID_TRANSITION: "Ese turno no puede pasar a ese estado.",
    AppointmentErrorCode.NOT_STARTED: "Ese turno todavía no empezó.",
    AppointmentErrorCode.REASON_REQUIRED: "Indique el motivo de la cancelación.",
    AppointmentErrorCode.INVALID_PATIENT: "Faltan el nombre completo o el documento del paciente.",
    AppointmentErrorCode.INVALID_OPERATION: "Esa acción no existe.",
}

DEFAULT_NAMES = {"doctor": "El profesional", "specialty": "esa especialidad"}

# Refusals that mean "not this slot": the brains offer other free slots instead.
SLOT_UNAVAILABLE_CODES = frozenset(
    {
        AppointmentErrorCode.IN_PAST,
        AppointmentErrorCode.DOCTOR_UNAVAILABLE,
        AppointmentErrorCode.CLOSED,
        AppointmentErrorCode.DOCTOR_ABSENT,
        AppointmentErrorCode.OUTSIDE_SCHEDULE,
        AppointmentErrorCode.OFF_GRID,
        AppointmentErrorCode.OUTSIDE_OPENING_HOURS,
        AppointmentErrorCode.TOO_SOON,
        AppointmentErrorCode.SLOT_TAKEN,
    }
)


class AppointmentError(Exception):
    """A turno rule said no. `code` is for programs, `message` for the desk (Spanish): the
    code's own message unless the caller words it for the desk. `names` (doctor, specialty)
    let the assistant word the code for the patient (bot.responses)."""

    def __init__(self, code: AppointmentErrorCode | str, message: str | None = None, **names: str):
        self.code = AppointmentErrorCode(code)
        self.names = names
        self.message = message or MESSAGES[self.code].format_map(DEFAULT_NAMES | names)
        super().__init__(self.message)
