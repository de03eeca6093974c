"""One-time codes through the real twilio SDK against the local fake Verify API."""

import datetime as dt

import pytest
import time_machine

from appointments.tests.factories import make_patient
from identity import codes
from identity.codes import CodeCheckResult, CodeRequestResult, check_code, extract_code, request_code
from identity.models import CodeVerification, NumberSource, VerifiedNumber

PATIENT_PHONE = "+5491155550001"
CALLER = "+5491166660002"
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def patient(db):
    return make_patient(document_number="30111222", phone=PATIENT_PHONE, name="María Laura Gómez")


def ask(django_capture_on_commit_callbacks, *, name="María Laura Gómez", dni="30.111.222", requester=CALLER):
    with django_capture_on_commit_callbacks(execute=True):
        return request_code(requester=requester, document_number=dni, full_name=name)


def test_a_correct_code_verifies_the_callers_number(patient, fake_twilio, clock, django_capture_on_commit_callbacks):
    request = ask(django_capture_on_commit_callbacks)
    assert request.result == CodeRequestResult.REQUESTED
    assert fake_twilio.verify.sent == [
        {"to": PATIENT_PHONE, "channel": "sms", "code": fake_twilio.verify.last_code(PATIENT_PHONE)}
    ]
    code = fake_twilio.verify.last_code(PATIENT_PHONE)
    check = check_code(verification_id=request.verification_id, requester=CALLER, code=f"{code[:3]} {code[3:]}")
    assert check.result == CodeCheckResult.APPROVED and check.patient == patient
    assert VerifiedNumber.objects.get(number=CALLER).source == NumberSource.CODE
    # Used once: the same code again is refused.
    again = check_code(verification_id=request.verification_id, requester=CALLER, code=code)
    assert again.result == CodeCheckResult.EXPIRED


def test_whatsapp_patients_get_the_code_on_whatsapp(db, fake_twilio, clock, django_capture_on_commit_callbacks):
    patient = make_patient(document_number="30111222", phone="", name="María Laura Gómez")
    patient.whatsapp_id = PATIENT_PHONE
    patient.save()
    ask(django_capture_on_commit_callbacks)
    assert fake_twilio.verify.sent[0]["channel"] == "whatsapp"


@pytest.mark.parametrize(
    ("name", "dni"),
    [("María Gómez", "30111222"), ("Gómez", "30111222"), ("María Laura Gómez", "99999999")],
)
def test_partial_name_or_unknown_dni_sends_nothing_and_answers_the_same(
    patient, fake_twilio, clock, django_capture_on_commit_callbacks, name, dni
):
    request = ask(django_capture_on_commit_callbacks, name=name, dni=dni)
    assert request.result == CodeRequestResult.REQUESTED  # the caller cannot tell it apart
    assert fake_twilio.verify.sent == []
    check = check_code(verification_id=request.verification_id, requester=CALLER, code="123456")
    assert check.result == CodeCheckResult.WRONG
    assert not VerifiedNumber.objects.exists()


def test_wrong_code_then_sixth_attempt_refused(patient, fake_twilio, clock, django_capture_on_commit_callbacks):
    request = ask(django_capture_on_commit_callbacks)
    code = fake_twilio.verify.last_code(PATIENT_PHONE)
    wrong = "000000" if code != "000000" else "111111"
    results = [check_code(verification_id=request.verification_id, requester=CALLER, code=wrong) for _ in range(5)]
    assert [r.result for r in results] == [CodeCheckResult.WRONG] * 5
    assert [r.attempts_left for r in results] == [4, 3, 2, 1, 0]
    sixth = check_code(verification_id=request.verification_id, requester=CALLER, code=code)
    assert sixth.result == CodeCheckResult.LOCKED
    assert not VerifiedNumber.objects.exists()
    assert len(fake_twilio.verify.checks) == 5  # the sixth never reached Twilio


def test_expired_code_refused(patient, fake_twilio, clock, django_capture_on_commit_callbacks):
    request = ask(django_capture_on_commit_callbacks)
    clock.shift(codes.CODE_TTL + dt.timedelta(seconds=1))
    check = check_code(
        verification_id=request.verification_id, requester=CALLER, code=fake_twilio.verify.last_code(PATIENT_PHONE)
    )
    assert check.result == CodeCheckResult.EXPIRED
    assert not VerifiedNumber.objects.exists()


def test_a_code_only_works_for_the_number_that_asked(patient, fake_twilio, clock, django_capture_on_commit_callbacks):
    request = ask(django_capture_on_commit_callbacks)
    check = check_code(
        verification_id=request.verification_id,
        requester="+5491177770003",
        code=fake_twilio.verify.last_code(PATIENT_PHONE),
    )
    assert check.result == CodeCheckResult.EXPIRED
    assert not VerifiedNumber.objects.exists()


def test_codes_per_number_are_throttled(patient, fake_twilio, clock, django_capture_on_commit_callbacks):
    for _ in range(codes.MAX_REQUESTS_PER_HOUR):
        assert ask(django_capture_on_commit_callbacks).result == CodeRequestResult.REQUESTED
    assert ask(django_capture_on_commit_callbacks).result == CodeRequestResult.THROTTLED
    assert CodeVerification.objects.count() == codes.MAX_REQUESTS_PER_HOUR


def test_withheld_number_or_no_verify_service_cannot_ask(
    patient, fake_twilio, settings, django_capture_on_commit_callbacks
):
    assert ask(django_capture_on_commit_callbacks, requester="").result == CodeRequestResult.UNAVAILABLE
    settings.TWILIO_VERIFY_SERVICE_SID = ""
    assert ask(django_capture_on_commit_callbacks).result == CodeRequestResult.UNAVAILABLE
    assert fake_twilio.verify.sent == []


def test_twilio_failing_to_send_leaves_nothing_to_guess(
    patient, fake_twilio, settings, clock, django_capture_on_commit_callbacks
):
    settings.TWILIO_AUTH_TOKEN = "revoked"
    request = ask(django_capture_on_commit_callbacks)
    assert request.result == CodeRequestResult.REQUESTED
    assert CodeVerification.objects.get().destination == ""
    assert (
        check_code(verification_id=request.verification_id, requester=CALLER, code="123456").result
        == CodeCheckResult.WRONG
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [("123456", "123456"), ("el código es 123 456", "123456"), ("12-34-56", "123456"), ("hola", ""), ("12", "")],
)
def test_codes_are_read_as_people_type_them(text, code):
    assert extract_code(text) == code
