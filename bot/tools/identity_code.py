"""The listing of the caller's turnos, and the one-time code that opens another patient's:
list_my_appointments asks identity.codes for a code sent to that patient's registered
number and checks the one the caller types. Apart from the booking tools because it is
the identity side of the assistant: what a number may see and manage.
"""

from appointments.models import Patient, normalize_document_number
from bot import responses
from bot.tools.common import Tool, caller_number_of, describe_appointment, manageable_appointments_of
from bot.types import ToolContext
from identity import codes
from identity import selectors as identity_selectors
from identity.errors import IdentityError, IdentityErrorCode

CODE_FAILURES = {
    codes.CodeCheckResult.WRONG: IdentityErrorCode.CODE_WRONG,
    codes.CodeCheckResult.EXPIRED: IdentityErrorCode.CODE_EXPIRED,
    codes.CodeCheckResult.LOCKED: IdentityErrorCode.CODE_LOCKED,
    codes.CodeCheckResult.UNAVAILABLE: IdentityErrorCode.CODE_UNAVAILABLE,
}
CODE_REQUEST_FAILURES = {
    codes.CodeRequestResult.THROTTLED: responses.CODES_THROTTLED,
    codes.CodeRequestResult.UNAVAILABLE: responses.CODES_UNAVAILABLE,
}


def _listing(context: ToolContext) -> list[dict]:
    return [
        describe_appointment(a, context.tz, patient_name=identity_selectors.name_for_caller(a))
        for a in manageable_appointments_of(context)[:10]
    ]


def _check_code(context: ToolContext, code: str) -> dict:
    verification_id = context.state.patient.code_verification_id
    if not verification_id:
        raise IdentityError(IdentityErrorCode.NO_CODE_REQUESTED)
    check = codes.check_code(
        verification_id=verification_id, requester=caller_number_of(context), code=code, now=context.now
    )
    if check.result == codes.CodeCheckResult.APPROVED:
        context.state.patient.code_verification_id = None
        return {"ok": True, "verified": True, "appointments": _listing(context)}
    result = check.result
    if result == codes.CodeCheckResult.WRONG and check.attempts_left == 0:
        result = codes.CodeCheckResult.LOCKED  # that was the last attempt
    if result != codes.CodeCheckResult.WRONG:
        context.state.patient.code_verification_id = None
    error_code = CODE_FAILURES[result]
    # Returned, not raised: raising would roll the tool's savepoint back, attempt count included.
    return {"ok": False, "code": error_code, "error": responses.identity_error(error_code, left=check.attempts_left)}


def _request_code(context: ToolContext, document_number: str, full_name: str) -> dict:
    number = caller_number_of(context)
    patient = Patient.objects.filter(document_number=normalize_document_number(document_number)).first()
    if patient is not None and identity_selectors.is_verified_number(number=number, patient=patient):
        return {"ok": True, "appointments": _listing(context)}  # already reachable: nothing to prove
    request = codes.request_code(
        requester=number, document_number=document_number, full_name=full_name or "", now=context.now
    )
    if request.result != codes.CodeRequestResult.REQUESTED:
        return {
            "ok": True,
            "appointments": _listing(context),
            "verification": str(request.result),
            "message": CODE_REQUEST_FAILURES[request.result],
        }
    context.state.patient.code_verification_id = request.verification_id
    return {
        "ok": True,
        "appointments": _listing(context),
        "verification": "code_sent",
        "message": responses.CODE_REQUESTED,
    }


def list_my_appointments(
    context: ToolContext, *, document_number: str | None = None, full_name: str | None = None, code: str | None = None
) -> dict:
    """The turnos this number may manage. With another patient's DNI and full name: a
    one-time code goes to that patient's registered number (the answer is the same whether
    the DNI exists or not); with `code`: the code typed by the caller, which, when right,
    makes this number a verified number of the patient and opens all of their turnos."""
    if code:
        return _check_code(context, code)
    if document_number:
        return _request_code(context, document_number, full_name or "")
    return {"ok": True, "appointments": _listing(context)}


LIST_MY_APPOINTMENTS = Tool(
    "list_my_appointments",
    "Caller's turnos. Others': DNI+full_name sends a code to the patient; then pass the code.",
    {
        "type": "object",
        "properties": {
            "document_number": {"type": "string"},
            "full_name": {"type": "string"},
            "code": {"type": "string"},
        },
    },
    list_my_appointments,
)
