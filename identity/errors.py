"""Coded refusals of the identity rules and caps, shown to the model (and the offline brain)
as tool results. What the patient reads for each code is in bot.responses (IDENTITY_ERRORS),
and never says whether a DNI exists or holds a turno."""

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
    """`values` fill the code's sentence (ACTIVE_LIMIT's count)."""

    def __init__(self, code: IdentityErrorCode, **values: object):
        super().__init__(code)
        self.code = IdentityErrorCode(code)
        self.values = values
