"""The shared Twilio REST client against the local fake: the real SDK, real HTTP."""

import datetime as dt

import pytest
import time_machine
from twilio.base.exceptions import TwilioRestException

from bot.tests.fake_twilio import VERIFY_SERVICE_SID
from clinic_assistant.twilio_rest import RedirectingHttpClient, TwilioNotConfigured, twilio_client

PATIENT = "+5491155551234"


def verify_service():
    return twilio_client().verify.v2.services(VERIFY_SERVICE_SID)


def test_verify_round_trip_reaches_the_fake_with_the_original_host(fake_twilio):
    verification = verify_service().verifications.create(to=PATIENT, channel="whatsapp")
    assert verification.status == "pending"
    assert fake_twilio.requests[-1].host == "verify.twilio.com"
    assert fake_twilio.requests[-1].path == f"/v2/Services/{VERIFY_SERVICE_SID}/Verifications"

    wrong = verify_service().verification_checks.create(to=PATIENT, code="000000x")
    assert wrong.status == "pending"
    right = verify_service().verification_checks.create(to=PATIENT, code=fake_twilio.verify.last_code(PATIENT))
    assert right.status == "approved" and right.valid is True


def test_sixth_check_and_expired_code_are_twilio_errors(fake_twilio):
    with time_machine.travel(dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC), tick=False) as clock:
        verify_service().verifications.create(to=PATIENT, channel="sms")
        for _ in range(5):
            assert verify_service().verification_checks.create(to=PATIENT, code="999999x").status == "pending"
        with pytest.raises(TwilioRestException) as too_many:
            verify_service().verification_checks.create(to=PATIENT, code=fake_twilio.verify.last_code(PATIENT))
        assert (too_many.value.status, too_many.value.code) == (429, 60202)

        other = "+5491155559999"
        verify_service().verifications.create(to=other, channel="sms")
        clock.shift(dt.timedelta(minutes=11))
        with pytest.raises(TwilioRestException) as expired:
            verify_service().verification_checks.create(to=other, code=fake_twilio.verify.last_code(other))
        assert (expired.value.status, expired.value.code) == (404, 20404)


def test_wrong_credentials_get_twilios_401(fake_twilio, settings):
    settings.TWILIO_AUTH_TOKEN = "wrong"
    with pytest.raises(TwilioRestException) as error:
        verify_service().verifications.create(to=PATIENT, channel="sms")
    assert (error.value.status, error.value.code) == (401, 20003)
    assert fake_twilio.verify.sent == []


def test_without_credentials_nothing_is_sent(settings):
    settings.TWILIO_ACCOUNT_SID = ""
    with pytest.raises(TwilioNotConfigured):
        twilio_client()


def test_only_twilio_hosts_are_redirected():
    client = RedirectingHttpClient("http://127.0.0.1:9999/prefix")
    assert client.rewrite("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?x=1") == (
        "http://127.0.0.1:9999/prefix/2010-04-01/Accounts/AC1/Messages.json?x=1",
        "api.twilio.com",
    )
    assert client.rewrite("https://example.com/twilio.com/x") == ("https://example.com/twilio.com/x", "")
    assert client.rewrite("https://eviltwilio.com/x")[1] == ""
    with pytest.raises(ValueError):
        RedirectingHttpClient("127.0.0.1:9999")
