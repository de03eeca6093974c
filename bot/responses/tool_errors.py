"""What a tool answers when it refuses (bot.tools): read by the model, and said as is to the
patient by the offline brain, so written in the patient's Spanish like every other reply.
"""

from __future__ import annotations

from identity.errors import IdentityErrorCode

FULL_NAME_MISSING = "Falta el nombre completo del paciente (nombre y apellido)."
SPECIALTY_MISSING = "Falta la especialidad."
UNKNOWN_SLOT = "slot_id desconocido: use uno de los devueltos por find_available_slots."
SLOT_OR_SPECIALTY_DATE_TIME = "Indique slot_id, o bien specialty, date y time."
SLOT_OR_DATE_TIME = "Indique slot_id, o bien date y time del nuevo horario."
OTHER_SPECIALTY_SLOT = "Ese horario es de otra especialidad que el turno a reprogramar."
BAD_APPOINTMENT_ID = "appointment_id debe ser el número de turno que dio list_my_appointments."
ARGUMENTS_NOT_JSON = "Los argumentos no son JSON válido."
ARGUMENTS_NOT_OBJECT = "Los argumentos deben ser un objeto JSON."
ARGUMENTS_INVALID = "Argumentos inválidos para esta herramienta."
TOOL_FAILED = "La herramienta falló; intente otra cosa."
# A write held for the patient's yes to its read-back, and the writes refused after it (bot.flow.Write).
WRITE_HELD = "Nada hecho todavía: lea esto al paciente; se hace con su sí en el próximo turno."
ONE_WRITE_PER_TURN = "Ya hay una acción en curso en este turno."
NOT_READ_BACK = "El paciente confirmó otra acción, no esta: repita esa o pregúntele de nuevo."
TYPE_NAMES = {"string": "texto", "integer": "un número entero", "number": "un número", "boolean": "true o false"}

CODE_REQUESTED = (
    "Si el documento y el nombre completo coinciden con un paciente con teléfono registrado, le envié "
    "un código por WhatsApp o SMS a ese teléfono. Dígame el código para ver sus turnos. Si no le llega, "
    "puedo comunicarlo con recepción."
)
CODES_THROTTLED = "Ya le envié varios códigos; para seguir, recepción puede ayudarlo."
CODES_UNAVAILABLE = "Desde este medio no puedo verificar los turnos de otro número. Recepción puede ayudarlo."

# The identity rules' refusals (identity.errors): never whether a DNI exists or holds a turno.
IDENTITY_ERRORS = {
    IdentityErrorCode.NOT_REACHABLE: (
        "Ese turno no figura entre los turnos que puedo gestionar desde este número. "
        "Si es suyo, puedo enviarle un código al teléfono registrado del paciente para verificarlo."
    ),
    IdentityErrorCode.BOOKING_LIMIT: (
        "Por este medio no puedo reservar más turnos en este momento. Para otro turno, comuníquese con recepción."
    ),
    IdentityErrorCode.ACTIVE_LIMIT: (
        "Ya tiene {upcoming}, el máximo que puedo reservar por este medio. "
        "Si necesita otro, puedo cancelar o cambiar uno de ellos, o comunicarlo con recepción."
    ),
    IdentityErrorCode.TURN_LIMIT: "Ya reservé un turno en este mensaje; para otro turno, pídamelo en el próximo mensaje.",
    IdentityErrorCode.INVALID_PATIENT: "Necesito el nombre completo y el número de documento.",
    IdentityErrorCode.NO_CODE_REQUESTED: "No hay un código pendiente: pida uno con document_number y full_name.",
    IdentityErrorCode.CODE_WRONG: "El código no es correcto. Le quedan {left} intentos.",
    IdentityErrorCode.CODE_EXPIRED: (
        "El código venció o ya se usó. Puedo enviarle uno nuevo si me da otra vez el documento y el nombre completo."
    ),
    IdentityErrorCode.CODE_LOCKED: "Hubo demasiados intentos con ese código. Para seguir, recepción puede ayudarlo.",
    IdentityErrorCode.CODE_UNAVAILABLE: "No puedo verificar el código en este momento. Recepción puede ayudarlo.",
}


def identity_error(code: IdentityErrorCode, **values: object) -> str:
    if "count" in values:  # a clinic may cap at one turno: "1 turno próximo", not "1 turnos"
        values["upcoming"] = "1 turno próximo" if values["count"] == 1 else f"{values['count']} turnos próximos"
    return IDENTITY_ERRORS[code].format(**values)


def bad_date(field: str, value: object) -> str:
    return f"{field} debe tener el formato AAAA-MM-DD (recibido: {value!r})."


def bad_time(field: str, value: object) -> str:
    return f"{field} debe tener el formato HH:MM de 24 horas (recibido: {value!r})."


def unknown_specialty(name: str, specialties: list[str]) -> str:
    return f"La clínica no tiene la especialidad {name!r}. Especialidades: {', '.join(specialties)}."


def unknown_doctor(name: str, specialty: str) -> str:
    return f"No hay un profesional llamado {name!r} en {specialty}."


def date_passed(day: str, today: str) -> str:
    return f"La fecha {day} ya pasó; hoy es {today}."


def wrong_type(key: str, expected: str, received: str) -> str:
    return f"{key} debe ser {TYPE_NAMES[expected]} (recibido: {received})."


def not_in_enum(key: str, allowed: list[str]) -> str:
    return f"{key} debe ser uno de: {', '.join(allowed)}."


def unknown_tool(name: str, tools: list[str]) -> str:
    return f"No existe la herramienta {name!r}. Herramientas: {', '.join(tools)}."


def unknown_arguments(names: list[str]) -> str:
    return f"Argumentos desconocidos: {', '.join(names)}."


def missing_arguments(names: list[str]) -> str:
    return f"Faltan argumentos: {', '.join(names)}."
