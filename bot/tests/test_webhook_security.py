"""Only Twilio gets in: signatures over the exact URL and every parameter; refusals touch
nothing; CSRF-exempt and POST-only."""

import logging

import pytest
from django.test import Client

from appointments.models import Appointment, Patient
from bot.models import Conversation, Message, ProcessedWebhook
from bot.tests.twilio_helpers import (
    AUTH_TOKEN,
    call_sid,
    post_signed,
    sign,
    twiml,
    voice_params,
    whatsapp_params,
)

WEBHOOKS = ["/webhook/voice", "/webhook/voice/gather?turn=1", "/webhook/voice/status", "/webhook/whatsapp"]


def params_for(path: str) -> dict:
    if path == "/webhook/whatsapp":
        return whatsapp_params("Quiero un turno para cardiología")
    if path == "/webhook/voice/status":
        return voice_params(call_sid(), CallStatus="completed", CallDuration="30")
    return voice_params(call_sid(), SpeechResult="quiero un turno para cardiologia", Confidence="0.9")


def assert_nothing_written():
    assert Conversation.objects.count() == 0
    assert Message.objects.count() == 0
    assert ProcessedWebhook.objects.count() == 0
    assert Patient.objects.count() == 0
    assert Appointment.objects.count() == 0


@pytest.mark.parametrize("path", WEBHOOKS)
def test_forged_signature_is_refused_and_writes_nothing(client, demo_clinic, twilio_settings, path):
    params = params_for(path)
    forged = sign(f"http://testserver{path}", params, token="not-the-real-token")
    response = client.post(path, data=params, HTTP_X_TWILIO_SIGNATURE=forged)
    assert response.status_code == 403
    assert_nothing_written()


@pytest.mark.parametrize("path", WEBHOOKS)
def test_missing_signature_is_refused_and_writes_nothing(client, demo_clinic, twilio_settings, path):
    response = client.post(path, data=params_for(path))
    assert response.status_code == 403
    assert_nothing_written()


@pytest.mark.parametrize("path", WEBHOOKS)
def test_signature_for_another_url_is_refused(client, demo_clinic, twilio_settings, path):
    params = params_for(path)
    other = "/webhook/voice/status" if path != "/webhook/voice/status" else "/webhook/voice"
    response = post_signed(client, path, params, signed_url=f"http://testserver{other}")
    assert response.status_code == 403
    assert_nothing_written()


def test_signature_for_another_host_or_scheme_is_refused(client, demo_clinic, twilio_settings):
    params = whatsapp_params("Hola")
    for url in ("https://testserver/webhook/whatsapp", "http://evil.example/webhook/whatsapp"):
        assert post_signed(client, "/webhook/whatsapp", params, signed_url=url).status_code == 403
    assert_nothing_written()


def test_tampered_parameter_is_refused(client, demo_clinic, twilio_settings):
    params = whatsapp_params("Hola")
    signature = sign("http://testserver/webhook/whatsapp", params)
    response = client.post(
        "/webhook/whatsapp", data={**params, "Body": "/reiniciar"}, HTTP_X_TWILIO_SIGNATURE=signature
    )
    assert response.status_code == 403
    assert_nothing_written()


def test_unsigned_extra_parameter_is_refused(client, demo_clinic, twilio_settings):
    params = whatsapp_params("Hola")
    signature = sign("http://testserver/webhook/whatsapp", params)
    response = client.post("/webhook/whatsapp", data={**params, "Injected": "1"}, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 403
    assert_nothing_written()


def test_every_parameter_is_validated_including_new_ones(client, demo_clinic, twilio_settings):
    # Twilio adds parameters without notice: a signed unknown parameter must still pass.
    sid = call_sid()
    params = voice_params(sid, CallStatus="completed", CallDuration="12", SomethingNew="valor", StirVerstat="TN-A")
    root = twiml(post_signed(client, "/webhook/voice/status", params))
    assert list(root) == []
    assert Conversation.objects.get(call_sid=sid).duration_seconds == 12


def test_public_base_url_is_the_signed_url_behind_a_proxy(client, demo_clinic, twilio_settings):
    twilio_settings.PUBLIC_BASE_URL = "https://clinica.example.com"
    sid = call_sid()
    params = voice_params(sid, CallStatus="completed", CallDuration="5")
    # Django sees http://testserver (the proxy's internal hop); Twilio signed the public URL.
    response = post_signed(
        client, "/webhook/voice/status", params, signed_url="https://clinica.example.com/webhook/voice/status"
    )
    assert response.status_code == 200
    assert post_signed(client, "/webhook/voice/status", voice_params(call_sid())).status_code == 403


def test_forwarded_proto_is_honoured_without_public_base_url(client, demo_clinic, twilio_settings):
    sid = call_sid()
    params = voice_params(sid, CallStatus="completed", CallDuration="5")
    response = post_signed(
        client,
        "/webhook/voice/status",
        params,
        signed_url="https://testserver/webhook/voice/status",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert response.status_code == 200
    assert Conversation.objects.filter(call_sid=sid).exists()


def test_query_string_is_part_of_the_signed_url(client, demo_clinic, twilio_settings):
    params = params_for("/webhook/voice/gather?turn=1")
    response = post_signed(
        client, "/webhook/voice/gather?turn=2", params, signed_url="http://testserver/webhook/voice/gather?turn=1"
    )
    assert response.status_code == 403
    assert_nothing_written()


def test_no_token_with_debug_serves_with_a_warning(client, demo_clinic, twilio_settings, caplog):
    twilio_settings.TWILIO_AUTH_TOKEN = ""
    twilio_settings.DEBUG = True
    sid = call_sid()
    with caplog.at_level(logging.WARNING, logger="bot.channels.security"):
        response = client.post("/webhook/voice/status", data=voice_params(sid, CallStatus="completed"))
    assert response.status_code == 200
    assert "WITHOUT signature check" in caplog.text
    assert Conversation.objects.filter(call_sid=sid).exists()


@pytest.mark.parametrize("path", WEBHOOKS)
def test_no_token_without_debug_refuses_to_serve(client, demo_clinic, twilio_settings, path):
    twilio_settings.TWILIO_AUTH_TOKEN = ""
    twilio_settings.DEBUG = False
    params = params_for(path)
    response = client.post(path, data=params, HTTP_X_TWILIO_SIGNATURE=sign(f"http://testserver{path}", params))
    assert response.status_code == 503
    assert_nothing_written()


@pytest.mark.parametrize("path", WEBHOOKS)
def test_webhooks_are_post_only(client, twilio_settings, path):
    assert client.get(path).status_code == 405


def test_webhooks_are_csrf_exempt(demo_clinic, twilio_settings):
    csrf_client = Client(enforce_csrf_checks=True)
    sid = call_sid()
    response = post_signed(csrf_client, "/webhook/voice/status", voice_params(sid, CallStatus="completed"))
    assert response.status_code == 200


def test_oversized_body_is_a_400_not_a_500(client, demo_clinic, twilio_settings):
    twilio_settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    params = whatsapp_params("x" * 20_000)
    response = post_signed(client, "/webhook/whatsapp", params)
    assert response.status_code == 400
    assert_nothing_written()


def test_signature_check_uses_the_configured_token(client, demo_clinic, twilio_settings):
    twilio_settings.TWILIO_AUTH_TOKEN = "rotated-token"
    params = voice_params(call_sid(), CallStatus="completed")
    assert post_signed(client, "/webhook/voice/status", params, token=AUTH_TOKEN).status_code == 403
    assert post_signed(client, "/webhook/voice/status", params, token="rotated-token").status_code == 200
