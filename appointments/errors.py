"""Coded refusals of the turno rules. Programs (the brains, the admin, tests) read the
code; people read the message, which is Spanish and says what to do next.

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


# {doctor} and {specialty} are filled in when the refusal is about one doctor.
MESSAGES: dict[AppointmentErrorCode, str] = {
    AppointmentErrorCode.INVALID_TIME: "La fecha y hora del turno no son válidas.",
    AppointmentErrorCode.IN_PAST: "Ese horario ya pasó. Elija un horario futuro, por favor.",
    AppointmentErrorCode.DOCTOR_UNAVAILABLE: "Ese profesional no está atendiendo en este momento.",
    AppointmentErrorCode.WRONG_SPECIALTY: "{doctor} no atiende {specialty}.",
    AppointmentErrorCode.CLOSED: "Ese día la clínica está cerrada. Elija otro día, por favor.",
    AppointmentErrorCode.DOCTOR_ABSENT: "{doctor} no atiende ese día. Elija otro día u otro profesional, por favor.",
    AppointmentErrorCode.OUTSIDE_SCHEDULE: "{doctor} no atiende {specialty} en ese horario.",
    AppointmentErrorCode.OFF_GRID: "Ese horario no coincide con el inicio de un turno de {doctor}. "
    "Elija uno de los horarios libres, por favor.",
    AppointmentErrorCode.OUTSIDE_OPENING_HOURS: "Ese horario está fuera del horario de atención de la clínica.",
    AppointmentErrorCode.TOO_SOON: "Ese turno empieza demasiado pronto para reservarlo. Elija uno más adelante, por favor.",
    AppointmentErrorCode.SLOT_TAKEN: "Ese horario acaba de ser reservado por otra persona. Elija otro, por favor.",
    AppointmentErrorCode.PATIENT_BUSY: "El paciente ya tiene otro turno a esa misma hora.",
    AppointmentErrorCode.NOT_OWNER: "Ese turno no figura a su nombre.",
    AppointmentErrorCode.NOT_FOUND: "No encuentro ese turno.",
    AppointmentErrorCode.NOT_CANCELLABLE: "Ese turno ya no se puede cancelar.",
    AppointmentErrorCode.NOT_CANCELLED: "Ese turno no está cancelado.",
    AppointmentErrorCode.NOT_RESCHEDULABLE: "Ese turno ya no se puede reprogramar.",
    AppointmentErrorCode.MOVED: "Ese turno se reprogramó; para volver al horario anterior, mueva el turno nuevo.",
    AppointmentErrorCode.INVALID_TRANSITION: "Ese turno no puede pasar a ese estado.",
    AppointmentErrorCode.NOT_STARTED: "Ese turno todavía no empezó.",
    AppointmentErrorCode.REASON_REQUIRED: "Indique el motivo de la cancelación.",
    AppointmentErrorCode.INVALID_PATIENT: "Necesito el nombre completo y el número de documento.",
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
    """A turno rule said no. `code` is for programs, `message` for people (Spanish): the
    code's own message unless the caller words it for its audience."""

    def __init__(self, code: AppointmentErrorCode | str, message: str | None = None, **names: str):
        self.code = AppointmentErrorCode(code)
        self.message = message or MESSAGES[self.code].format_map(DEFAULT_NAMES | names)
        super().__init__(self.message)
