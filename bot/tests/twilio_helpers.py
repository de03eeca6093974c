"""Signing and parsing helpers for tests that drive the Twilio webhooks like Twilio does."""

import secrets
import xml.etree.ElementTree as ET

from twilio.request_validator import RequestValidator

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
ACCOUNT_SID = "AC" + "0" * 32
CALLER = "+5491155551278"
CALLER_MASKED = "+54911******78"
CLINIC_NUMBER = "+541148765400"
WHATSAPP_PATIENT = "+5491166667788"


def call_sid() -> str:
    return "CA" + secrets.token_hex(16)


def message_sid(prefix: str = "SM") -> str:
    return prefix + secrets.token_hex(16)


def sign(url: str, params: dict, token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


def post_signed(client, path: str, params: dict, *, signed_url: str | None = None, token: str = AUTH_TOKEN, **extra):
    """POST `params` to `path` with the signature Twilio would send for `signed_url`
    (by default the URL the test client serves: http://testserver + path)."""
    url = signed_url or f"http://testserver{path}"
    return client.post(path, data=params, HTTP_X_TWILIO_SIGNATURE=sign(url, params, token), **extra)


def twiml(response) -> ET.Element:
    assert response.status_code == 200, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("text/xml"), response["Content-Type"]
    root = ET.fromstring(response.content)
    assert root.tag == "Response"
    return root


def said(root: ET.Element) -> str:
    """Everything <Say> says in a voice TwiML document, in order."""
    return " ".join((node.text or "") for node in root.iter("Say"))


def messages(root: ET.Element) -> list[str]:
    return [node.text or "" for node in root.findall("Message")]


def voice_params(sid: str, **extra) -> dict:
    params = {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "CallSid": sid,
        "CallStatus": "in-progress",
        "Called": CLINIC_NUMBER,
        "Caller": CALLER,
        "Direction": "inbound",
        "From": CALLER,
        "FromCountry": "AR",
        "To": CLINIC_NUMBER,
        "ToCountry": "AR",
    }
    params.update(extra)
    return params


def whatsapp_params(body: str = "", *, sid: str | None = None, phone: str = WHATSAPP_PATIENT, **extra) -> dict:
    params = {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "Body": body,
        "From": f"whatsapp:{phone}",
        "MessageSid": sid or message_sid(),
        "NumMedia": "0",
        "NumSegments": "1",
        "ProfileName": "Juan",
        "SmsStatus": "received",
        "To": "whatsapp:+14155238886",
        "WaId": phone.lstrip("+"),
    }
    params.update(extra)
    return params
