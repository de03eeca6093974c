"""Coded refusals of the identity rules and caps, shown to the model (and the offline brain)
as tool results. Messages never say whether a DNI exists or holds a turno."""

from enum import StrEnum


class IdentityErrorCode(StrEnum):
    NOT_REACHABLE = "not_owner"  # the turno is not one this number may manage
    BOOKING_LIMIT = "booking_limit"  # the number's daily cap, or a cap it may not be told about
    ACTIVE_LIMIT = "active_limit"  # the caller's own patient already holds the maximum
    TURN_LIMIT = "turn_limit"  # one booking per patient turn
    INVALID_PATIENT = "invalid_patient"
    NO_CODE_REQUESTED = "no_code_requested"
    CODE_WRONG = "code_wrong"
    CODE_EXPIRED = "code_expired"
    CODE_LOCKED = "code_locked"  # too many attempts: reception
    CODE_UNAVAILABLE = "code_unavailable"


class IdentityError(Exception):
    def __init__(self, code: IdentityErrorCode, message: str):
        super().__init__(message)
        self.code = IdentityErrorCode(code)
        self.message = message


NOT_REACHABLE_MESSAGE = (
    "Ese turno no figura entre los turnos que puedo gestionar desde este número. "
    "Si es suyo, puedo enviarle un código al teléfono registrado del paciente para verificarlo."
)
BOOKING_LIMIT_MESSAGE = (
    "Por este medio no puedo reservar más turnos en este momento. Para otro turno, comuníquese con recepción."
)
ACTIVE_LIMIT_MESSAGE = (
    "Ya tiene {count} turnos próximos, el máximo que puedo reservar por este medio. "
    "Si necesita otro, puedo cancelar o cambiar uno de ellos, o comunicarlo con recepción."
)
TURN_LIMIT_MESSAGE = "Ya reservé un turno en este mensaje; para otro turno, pídamelo en el próximo mensaje."
