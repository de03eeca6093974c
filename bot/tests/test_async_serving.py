"""The ASGI serving path: webhook turns awaiting the model on the async client, the turn's
deadline, and request bodies read with a time limit and a size limit (clinic_assistant/asgi.py)."""

import asyncio

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bot import responses
from bot.models import Message, MessageRole
from bot.tests import fake_openai as fake
from bot.tests.twilio_helpers import messages, post_signed, twiml, whatsapp_params
from clinic_assistant import asgi

PATH = "/webhook/whatsapp"


def test_a_webhook_turn_runs_the_model_and_its_tools_on_the_async_client(client, demo_clinic, scripted_model):
    scripted_model.script(fake.tool_calls(fake.call("get_clinic_info", {})), fake.text("Atendemos de lunes a viernes."))
    (reply,) = messages(twiml(post_signed(client, PATH, whatsapp_params("¿Cómo trabajan?"))))
    assert reply.endswith("Atendemos de lunes a viernes.")  # after the first message's notice
    assert len(scripted_model.requests) == 2
    tool_result = fake.tool_results(scripted_model.requests[1])[0]
    assert tool_result["ok"] and tool_result["name"] == demo_clinic.name
    assert Message.objects.filter(role=MessageRole.TOOL, tool_name="get_clinic_info").count() == 1
    assert Message.objects.filter(role=MessageRole.ASSISTANT).last().brain == "openai"


def test_past_the_turn_deadline_the_offline_brain_answers_instead_of_the_hanging_model(
    client, demo_clinic, scripted_model, twilio_settings
):
    twilio_settings.TURN_DEADLINE_SECONDS = 1.0
    scripted_model.script(fake.Hang(30))
    (reply,) = messages(twiml(post_signed(client, PATH, whatsapp_params("¿Qué especialidades tienen?"))))
    assert "Cardiología" in reply
    assert Message.objects.filter(role=MessageRole.ASSISTANT).last().brain == "rules"
    # Never a second request once the deadline is near (on a loaded machine the deadline can
    # pass before the first one is even sent).
    assert len(scripted_model.requests) <= 1


def test_a_webhook_turn_makes_a_fixed_number_of_queries(client, demo_clinic, scripted_model):
    """What one WhatsApp turn answered by the model costs the database (clinic data comes from
    the per-process catalog): claim the delivery; take the conversation's lease and load it
    with its clinic; a turno told late?; the patient's words; the rate count; the history;
    the answer; the conversation; release the lease; complete the delivery (a question
    answers no clinic message: no query for one). A new query per turn shows here first."""
    scripted_model.script(fake.text("Buenos días."), fake.text("Atendemos de lunes a viernes."))
    post_signed(client, PATH, whatsapp_params("Hola"))  # the conversation starts, the catalog is built
    with CaptureQueriesContext(connection) as queries:
        (reply,) = messages(twiml(post_signed(client, PATH, whatsapp_params("¿Cómo trabajan?"))))
    assert reply == "Atendemos de lunes a viernes."
    statements = [query["sql"].split(" ", 1)[0] for query in queries if "SAVEPOINT" not in query["sql"]]
    assert len(statements) == 11, "\n".join(query["sql"][:120] for query in queries)


# --- Bodies ---------------------------------------------------------------------------------


def run_http(body_messages, *, headers=(), delay: float = 0.0) -> dict:
    """Drive the ASGI app with a POST whose body arrives as `body_messages` (each after
    `delay` seconds); returns the response's start message."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": PATH,
        "raw_path": PATH.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    pending = list(body_messages)
    sent: list[dict] = []

    async def receive():
        if pending:
            await asyncio.sleep(delay)
            return pending.pop(0)
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(asgi.application(scope, receive, send))
    return sent[0]


def test_a_body_trickling_past_the_read_time_is_refused_with_408(monkeypatch, db):
    monkeypatch.setattr(asgi, "BODY_READ_SECONDS", 0.2)
    trickle = [{"type": "http.request", "body": b"B", "more_body": True}] * 20
    assert run_http(trickle, delay=0.05)["status"] == 408


def test_a_body_over_the_limit_is_refused_with_413_declared_or_not(settings, db):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    declared = run_http([], headers=[(b"content-length", b"5000")])
    assert declared["status"] == 413
    chunks = [{"type": "http.request", "body": b"x" * 600, "more_body": True}] * 3
    assert run_http(chunks)["status"] == 413


def test_a_whole_body_reaches_the_webhook_past_the_browser_middleware(twilio_settings, demo_clinic_tx):
    from urllib.parse import urlencode

    from bot.tests.twilio_helpers import sign

    params = whatsapp_params("/ayuda")
    body = urlencode(params).encode()
    headers = [
        (b"content-type", b"application/x-www-form-urlencoded"),
        (b"content-length", str(len(body)).encode()),
        (b"x-twilio-signature", sign(f"http://testserver{PATH}", params).encode()),
    ]
    halves = [
        {"type": "http.request", "body": body[:40], "more_body": True},
        {"type": "http.request", "body": body[40:], "more_body": False},
    ]
    start = run_http(halves, headers=headers)
    assert start["status"] == 200
    # Straight to the view (clinic_assistant.middleware.webhooks_first): the browser
    # middleware's clickjacking header is not there.
    assert b"x-frame-options" not in {name.lower() for name, _value in start["headers"]}
    assert Message.objects.filter(role=MessageRole.USER, text="/ayuda").exists()
    assert responses.CHAT_APOLOGY not in Message.objects.filter(role=MessageRole.ASSISTANT).last().text
