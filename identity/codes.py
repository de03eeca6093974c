"""One-time codes that let a number manage a patient's turnos: Twilio Verify sends a code
to the patient's registered number (WhatsApp when the patient has one, else SMS) and the
caller types it into the conversation. A correct code makes the caller's number a verified
number of that patient.

Limits, counted here in PostgreSQL whatever the Verify service allows: a code lives
CODE_TTL, takes MAX_ATTEMPTS checks (the next one is refused without asking Twilio), and
one number may ask for MAX_REQUESTS_PER_HOUR codes (each one an SMS someone pays for, and
a message the patient did not ask for). A patient receives at most MAX_SENDS_PER_PATIENT_PER_HOUR.

A request always answers the same way, whether the DNI exists, the full name matches or a
code was really sent: the caller learns nothing about a DNI they do not own."""

import datetime as dt
import logging
import re
from dataclasses import dataclass
from enum import StrEnum

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from twilio.base.exceptions import TwilioException, TwilioRestException

from appointments.models import Patient, normalize_document_number
from appointments.phones import mask_phone, normalize_phone
from clinic_assistant.twilio_rest import twilio_client
from identity.models import CodeStatus, CodeVerification, NumberSource
from identity.selectors import full_name_matches
from identity.services import record_verified_number

logger = logging.getLogger(__name__)

CODE_TTL = dt.timedelta(minutes=10)  # Twilio Verify's own default lifetime
MAX_ATTEMPTS = 5  # Twilio Verify's own limit: the 6th check is refused
MAX_REQUESTS_PER_HOUR = 3
MAX_SENDS_PER_PATIENT_PER_HOUR = 3
CODE_PATTERN = re.compile(r"(?<!\d)(\d[\d\s-]{2,10}\d)(?!\d)")
VERIFY_LOCALE = "es"


class CodeRequestResult(StrEnum):
    REQUESTED = "requested"  # sent if the data matched a patient with a number; the caller cannot tell
    THROTTLED = "throttled"  # this number asked for too many codes lately
    UNAVAILABLE = "unavailable"  # no Verify service configured, or no number to verify (withheld)


class CodeCheckResult(StrEnum):
    APPROVED = "approved"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"  # too many attempts
    UNAVAILABLE = "unavailable"  # Twilio could not be asked


@dataclass(frozen=True)
class CodeRequest:
    result: CodeRequestResult
    verification_id: int | None = None


@dataclass(frozen=True)
class CodeCheck:
    result: CodeCheckResult
    patient: Patient | None = None
    attempts_left: int = 0


def verification_available() -> bool:
    return bool(settings.TWILIO_VERIFY_SERVICE_SID and settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN)


def registered_destination(patient: Patient) -> tuple[str, str]:
    """(number, Verify channel) a code for `patient` goes to, or ("", "") with none."""
    whatsapp = patient.whatsapp_id.strip()
    if whatsapp:
        number = normalize_phone(whatsapp if whatsapp.startswith(("+", "whatsapp:")) else f"+{whatsapp}")
        if number:
            return number, "whatsapp"
    phone = normalize_phone(patient.phone)
    return (phone, "sms") if phone else ("", "")


def extract_code(text: str) -> str:
    """The digits of a code typed or dictated as "123 456" / "123-456", or ""."""
    match = CODE_PATTERN.search(text or "")
    if not match:
        return ""
    digits = re.sub(r"\D", "", match.group(1))
    return digits if 4 <= len(digits) <= 10 else ""


def _verify_service():
    return twilio_client().verify.v2.services(settings.TWILIO_VERIFY_SERVICE_SID)


def _send(verification_id: int) -> None:
    """After commit: ask Twilio to deliver the code. A failure leaves the row without a
    destination, so checks fail like for any unmatched request (and reception helps)."""
    verification = CodeVerification.objects.get(pk=verification_id)
    try:
        _verify_service().verifications.create(
            to=verification.destination, channel=verification.channel, locale=VERIFY_LOCALE
        )
    except (TwilioException, requests.RequestException) as error:
        logger.warning("Verify: no se pudo enviar el código a %s: %s", mask_phone(verification.destination), error)
        CodeVerification.objects.filter(pk=verification_id).update(destination="", patient=None)


def request_code(
    *, requester: str, document_number: str, full_name: str, now: dt.datetime | None = None
) -> CodeRequest:
    """Ask for a code to manage the turnos of the patient with this DNI and full name."""
    now = now or timezone.now()
    if not requester or not verification_available():
        return CodeRequest(CodeRequestResult.UNAVAILABLE)
    hour_ago = now - dt.timedelta(hours=1)
    if CodeVerification.objects.filter(requester=requester, created_at__gt=hour_ago).count() >= MAX_REQUESTS_PER_HOUR:
        return CodeRequest(CodeRequestResult.THROTTLED)
    patient = Patient.objects.filter(document_number=normalize_document_number(document_number or "")).first()
    destination = channel = ""
    if patient is not None and full_name_matches(stored=patient.full_name, given=full_name or ""):
        sent_lately = CodeVerification.objects.filter(
            patient=patient, created_at__gt=hour_ago, destination__gt=""
        ).count()
        if sent_lately < MAX_SENDS_PER_PATIENT_PER_HOUR:
            destination, channel = registered_destination(patient)
    with transaction.atomic():
        verification = CodeVerification.objects.create(
            requester=requester,
            patient=patient if destination else None,
            destination=destination,
            channel=channel,
            created_at=now,
            expires_at=now + CODE_TTL,
        )
        if destination:
            transaction.on_commit(lambda: _send(verification.pk))
    return CodeRequest(CodeRequestResult.REQUESTED, verification.pk)


def _count_attempt(*, verification_id: int, requester: str, now: dt.datetime) -> CodeVerification | CodeCheckResult:
    """Count one attempt (committed before Twilio is asked, so a failing call still counts)."""
    with transaction.atomic():
        verification = (
            CodeVerification.objects.select_for_update().filter(pk=verification_id, requester=requester).first()
        )
        if verification is None or verification.status in (CodeStatus.APPROVED, CodeStatus.EXPIRED):
            return CodeCheckResult.EXPIRED
        if verification.status == CodeStatus.LOCKED or verification.attempts >= MAX_ATTEMPTS:
            verification.status = CodeStatus.LOCKED
            verification.save(update_fields=["status"])
            return CodeCheckResult.LOCKED
        if now >= verification.expires_at:
            verification.status = CodeStatus.EXPIRED
            verification.save(update_fields=["status"])
            return CodeCheckResult.EXPIRED
        verification.attempts += 1
        verification.save(update_fields=["attempts"])
        return verification


def _ask_twilio(verification: CodeVerification, code: str) -> CodeCheckResult:
    try:
        check = _verify_service().verification_checks.create(to=verification.destination, code=code)
    except TwilioRestException as error:
        if error.status == 404:  # expired, already used, or never created (20404)
            return CodeCheckResult.EXPIRED
        if error.status == 429:  # max check attempts (60202)
            return CodeCheckResult.LOCKED
        logger.warning("Verify: error al comprobar el código (%s %s)", error.status, error.code)
        return CodeCheckResult.UNAVAILABLE
    except (TwilioException, requests.RequestException) as error:
        logger.warning("Verify: no se pudo comprobar el código: %s", error)
        return CodeCheckResult.UNAVAILABLE
    return CodeCheckResult.APPROVED if check.status == "approved" else CodeCheckResult.WRONG


def check_code(*, verification_id: int, requester: str, code: str, now: dt.datetime | None = None) -> CodeCheck:
    """Check a code typed by `requester`; a correct one verifies the number for the patient."""
    now = now or timezone.now()
    counted = _count_attempt(verification_id=verification_id, requester=requester, now=now)
    if isinstance(counted, CodeCheckResult):
        return CodeCheck(counted)
    verification = counted
    attempts_left = MAX_ATTEMPTS - verification.attempts
    if not verification.destination:
        result = CodeCheckResult.WRONG  # nothing was sent: no code can be right
    else:
        result = _ask_twilio(verification, extract_code(code) or code.strip())
    status = {
        CodeCheckResult.APPROVED: CodeStatus.APPROVED,
        CodeCheckResult.EXPIRED: CodeStatus.EXPIRED,
        CodeCheckResult.LOCKED: CodeStatus.LOCKED,
    }.get(result)
    if result == CodeCheckResult.WRONG and attempts_left == 0:
        status = CodeStatus.LOCKED
    with transaction.atomic():
        if status:
            CodeVerification.objects.filter(pk=verification.pk).update(status=status)
        if result == CodeCheckResult.APPROVED and verification.patient is not None:
            record_verified_number(patient=verification.patient, number=requester, source=NumberSource.CODE, now=now)
    return CodeCheck(result, verification.patient if result == CodeCheckResult.APPROVED else None, attempts_left)
