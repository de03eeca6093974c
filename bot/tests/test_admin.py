"""The conversations admin and the simulator where staff talk to the assistant."""

import pytest
from django.urls import reverse

from appointments.models import Appointment
from bot.engine import reply
from bot.models import Conversation, ConversationChannel, ConversationStatus, MessageRole

pytestmark = pytest.mark.usefixtures("offline_brain")


def test_conversation_list_and_transcript_render_for_reception(demo_clinic, tuesday, client, make_staff_user):
    conversation = Conversation.objects.create(clinic=demo_clinic, channel="whatsapp", participant="+5491155550001")
    reply(conversation, "¿Trabajan con OSDE?")
    client.force_login(make_staff_user("recepcion", "Recepción"))
    listing = client.get(reverse("admin:bot_conversation_changelist"))
    assert listing.status_code == 200
    assert "+5491155550001" in listing.text
    detail = client.get(reverse("admin:bot_conversation_change", args=[conversation.pk]))
    assert detail.status_code == 200
    assert "Sí, trabajamos con OSDE" in detail.text
    # The record of what the assistant said is not editable, not even by the desk.
    assert (
        client.post(reverse("admin:bot_conversation_delete", args=[conversation.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Conversation.objects.filter(pk=conversation.pk).exists()


def test_simulator_books_through_the_real_engine(demo_clinic, tuesday, admin_client):
    url = reverse("admin:bot_simulator")
    first = admin_client.get(url)
    assert first.status_code == 200
    assert "Buenos días, Clínica San Rafael" in first.text
    for text in ["quiero un turno para cardiologia", "el primero", "Juan Pérez", "12345678", "si"]:
        assert admin_client.post(url, {"text": text}).status_code == 302
    page = admin_client.get(url)
    assert "su turno está confirmado" in page.text
    appointment = Appointment.objects.get()
    assert appointment.conversation.channel == ConversationChannel.SIMULATOR
    assert appointment.specialty.name == "Cardiología"


def test_simulator_restart_starts_a_new_conversation(demo_clinic, tuesday, admin_client):
    url = reverse("admin:bot_simulator")
    admin_client.get(url)
    admin_client.post(url, {"text": "hola"})
    admin_client.post(url, {"restart": "1"})
    admin_client.get(url)
    old, new = Conversation.objects.filter(channel=ConversationChannel.SIMULATOR).order_by("pk")
    assert old.status == ConversationStatus.ENDED
    assert new.status == ConversationStatus.ACTIVE
    assert list(new.messages.values_list("role", flat=True)) == [MessageRole.ASSISTANT]  # just the greeting


def test_simulator_needs_permission(demo_clinic, client, django_user_model):
    user = django_user_model.objects.create_user(username="nadie", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:bot_simulator")).status_code == 403


@pytest.mark.usefixtures("transactional_db")
def test_staff_try_the_assistant_in_a_browser(browser_page, live_server, make_staff_user):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    make_staff_user("recepcion", "Recepción")
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "recepcion")
    page.fill("#id_password", make_staff_user.password)
    page.click("input[type=submit]")
    page.get_by_role("link", name="Probar el asistente").click()
    page.fill("#simulator-text", "¿Trabajan con OSDE?")
    page.click("#simulator-send")
    bubbles = page.locator("#transcript .assistant")
    bubbles.last.wait_for()
    assert "trabajamos con OSDE" in bubbles.last.inner_text()
    assert (
        Conversation.objects.get(channel=ConversationChannel.SIMULATOR)
        .messages.filter(role=MessageRole.USER, text="¿Trabajan con OSDE?")
        .exists()
    )
