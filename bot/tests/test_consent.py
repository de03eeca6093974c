"""Consent (Ley 25.326): the first message of every conversation says an automated assistant
of the clinic is answering and where its privacy notice is; later ones do not repeat it."""

import pytest
import time_machine

from bot import responses
from bot.models import Conversation
from bot.tests.twilio_helpers import WHATSAPP_PATIENT, messages, post_signed, twiml, whatsapp_params
from reminders.services import messaging_settings

PUBLIC = "https://clinica.example.com"
NOTICE = responses.AUTOMATED_NOTICE.format(clinic="Clínica San Rafael")


@pytest.fixture(autouse=True)
def public_address(twilio_settings, settings):
    settings.PUBLIC_BASE_URL = PUBLIC
    with time_machine.travel("2026-12-05 11:00 -03:00", tick=True):  # a Saturday
        yield


def send(client, body: str) -> list[str]:
    params = whatsapp_params(body)
    return messages(twiml(post_signed(client, "/webhook/whatsapp", params, signed_url=f"{PUBLIC}/webhook/whatsapp")))


def test_the_first_whatsapp_answer_carries_the_notice_and_the_clinics_privacy_page(client, demo_clinic):
    (first,) = send(client, "Hola, ¿trabajan con OSDE?")
    (second,) = send(client, "¿y con Swiss Medical?")

    assert first.startswith(f"{NOTICE} Aviso de privacidad: {PUBLIC}/privacidad/\n\n")
    assert "OSDE" in first
    assert "asistente automático" not in second and "privacidad" not in second
    assert Conversation.objects.get(participant=WHATSAPP_PATIENT).load_state().notice_given


def test_a_clinic_that_publishes_its_own_notice_gets_its_link(client, demo_clinic):
    messaging = messaging_settings(clinic=demo_clinic)
    messaging.privacy_notice_url = "https://sanrafael.example.com/privacidad"
    messaging.save()

    (first,) = send(client, "hola")

    assert "Aviso de privacidad: https://sanrafael.example.com/privacidad" in first


def test_restarting_does_not_repeat_the_notice(client, demo_clinic):
    send(client, "hola")
    (after_restart,) = send(client, "/reiniciar")
    assert "privacidad" not in after_restart


def test_a_call_hears_the_notice_in_words_after_the_greeting(client, demo_clinic):
    from bot.engine import greet

    conversation = Conversation.objects.create(clinic=demo_clinic, channel="phone", participant="+5491155550009")
    spoken = greet(conversation).text

    assert spoken.endswith(responses.AUTOMATED_NOTICE_SPOKEN.format(clinic="Clínica San Rafael"))
    assert "http" not in spoken  # a link cannot be heard
    conversation.refresh_from_db()
    assert conversation.load_state().notice_given


def test_the_privacy_page_names_the_clinic_its_retention_and_the_patients_rights(client, demo_clinic):
    messaging = messaging_settings(clinic=demo_clinic)
    messaging.retention_days = 90
    messaging.save()

    page = client.get("/privacidad/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Clínica San Rafael" in html and "90 días" in html
    assert "Ley N° 25.326" in html and "Agencia de Acceso a la Información Pública" in html
    assert client.post("/privacidad/").status_code == 405
