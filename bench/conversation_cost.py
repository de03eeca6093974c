"""What one booking conversation costs with the OpenAI brain.

Runs the design's booking conversation (cardiología → a day and time → name → DNI →
confirm → goodbye) through the real engine and the real `openai` SDK against the scripted
local OpenAI-compatible server of the tests (bot/tests/fake_openai.py), which plays the
model: it calls the tools a model would and reads slot ids back from the tool results
and the state the brain sends. Nothing leaves the machine.

For each model request it measures what is re-sent to the model: characters and prompt
tokens, counted with the o200k tokenizer that gpt-4o-mini uses (bpe-openai) following
the OpenAI cookbook: messages (3 tokens of overhead each, 3 to prime the reply) plus the
tool schemas (the cookbook's function-definition rules; the raw-JSON size of the schemas
is shown as an upper bound). Then it checks the targets of issue 3:

  < 6,000 prompt tokens per booking conversation, mean < 1,200 per model request,
  at most 2 model round trips per patient turn.

Usage:
  .venv/bin/python bench/conversation_cost.py              # throwaway SQLite file
  .venv/bin/python bench/conversation_cost.py --database-url   # the DATABASE_URL database
                                                               # (migrated; rows it makes are removed)
  add -v to print every request's messages.

Exit status 0 when every target passes, 1 otherwise.
"""

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_demo_django  # noqa: E402

TARGET_TOTAL_TOKENS = 6000
TARGET_MEAN_TOKENS = 1200
TARGET_MAX_ROUND_TRIPS = 2
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))  # a Tuesday morning
PHONE = "+5491155550123"
DNI = "30999111"


# --- the scripted model -------------------------------------------------------------------


def _state(body: dict) -> dict:
    """The structured state the brain put at the end of its system prompt."""
    system = body["messages"][0]["content"]
    return json.loads(system.rsplit("State:", 1)[1].strip())


def _slot_phrase(slot: dict) -> str:
    day = dt.date.fromisoformat(slot["date"])
    return f"el {slot['weekday']} {day.day}/{day.month} a las {slot['time']} con {slot['doctor']}"


def conversation_script(fake):
    """(patient line, what the model answers to each request of that turn)."""
    f = fake

    def offer_slots(body):
        slots = f.tool_results(body)[-1]["slots"]
        phrases = ", ".join(_slot_phrase(s) for s in slots[:-1]) + f" o {_slot_phrase(slots[-1])}"
        return f.text(f"Tengo turnos de Cardiología {phrases}. ¿Cuál prefiere?")

    def confirm_time(body):
        result = f.tool_results(body)[-1]
        slot = result["slots"][0] if result.get("requested_time_available") else None
        slot = next((s for s in result["slots"] if s["time"] == "10:00"), slot)
        return f.text(f"Perfecto, {_slot_phrase(slot)}. ¿Me puede dar su nombre completo?")

    def book(body):
        offered = _state(body)["offered_slots"]
        slot_id = next(slot_id for slot_id, when in offered.items() if when.endswith("10:00"))
        return f.tool_calls(
            f.call("book_appointment", {"slot_id": slot_id, "full_name": "Juan Pérez", "document_number": DNI})
        )

    def after_booking(body):  # only asked if the brain does not confirm from the tool result itself
        booked = f.tool_results(body)[-1]["booked"]
        return f.text(f"Listo, su turno quedó confirmado {_slot_phrase(booked)}. ¿Necesita algo más?")

    return [
        (
            "Hola, quiero sacar un turno para cardiología",
            [f.tool_calls(f.call("find_available_slots", {"specialty": "cardiología"})), offer_slots],
        ),
        (
            "El miércoles a las 10",
            [
                f.tool_calls(
                    f.call("find_available_slots", {"specialty": "cardiología", "date": "2026-12-02", "time": "10:00"})
                ),
                confirm_time,
            ],
        ),
        ("Juan Pérez", [f.text("Gracias, Juan. ¿Y su número de documento?")]),
        # The first call holds the booking: the patient hears the tool's read-back.
        (DNI, [book]),
        ("Sí, confirmo", [book, after_booking]),
        # The engine says goodbye itself; if it ever leaves it to the model, this is its answer.
        ("Gracias, nada más", [f.tool_calls(f.call("end_conversation", {"summary": "Turno de cardiología."}))]),
    ]


# --- the run ----------------------------------------------------------------------------------


def run(verbose: bool) -> int:
    import time_machine
    from django.test import override_settings

    from appointments.models import Appointment, Patient
    from bot import engine
    from bot.brains.openai_brain import model_tool_schemas
    from bot.models import Conversation, Message
    from bot.tests import fake_openai
    from clinic.models import Clinic

    clinic = Clinic.objects.get(name="Clínica San Rafael")
    tools = model_tool_schemas()
    tool_tokens = fake_openai.count_tool_tokens(tools)
    tool_json_tokens = fake_openai.count_tool_json_tokens(tools)

    rows = []
    conversation = None
    with (
        fake_openai.FakeOpenAI() as server,
        override_settings(
            OPENAI_API_KEY="bench", OPENAI_BASE_URL=server.base_url, BOT_BRAIN="openai", OPENAI_TIMEOUT=5
        ),
        time_machine.travel(NOW, tick=False),
    ):
        conversation = Conversation.objects.create(clinic=clinic, channel="whatsapp", participant=PHONE)
        try:
            for turn, (line, answers) in enumerate(conversation_script(fake_openai), start=1):
                server.clear()
                server.script(*answers)
                first = len(server.requests)
                reply = engine.reply(conversation, line)
                requests = server.requests[first:]
                rows.append((turn, line, reply, requests))
                if verbose:
                    for body in requests:
                        print(json.dumps(body["messages"], ensure_ascii=False, indent=1))
            booked = Appointment.objects.filter(conversation=conversation).select_related("doctor", "specialty")
            booked_line = ", ".join(
                f"#{a.pk} {a.specialty.name} {a.doctor.display_name} {a.start_at.astimezone(clinic.tzinfo):%a %d/%m %H:%M}"
                for a in booked
            )
        finally:
            created = Appointment.objects.filter(conversation=conversation)
            patients = list(Patient.objects.filter(appointments__in=created).values_list("pk", flat=True))
            created.delete()
            Patient.objects.filter(pk__in=patients, document_number=DNI).delete()
            Message.objects.filter(conversation=conversation).delete()
            conversation.delete()

    print(f"Booking conversation, OpenAI brain against the scripted local server (now = {NOW:%a %Y-%m-%d %H:%M %z})")
    print(
        f"Tool schemas: {len(tools)} tools, {tool_tokens} tokens (cookbook rules; {tool_json_tokens} as raw JSON), "
        f"sent with every request.\n"
    )
    header = f"{'turn':>4}  {'patient':<44} {'brain':<7} {'trips':>5} {'chars':>7} {'tokens':>7} {'max/req':>7}  reply"
    print(header)
    print("-" * len(header))
    all_requests = []
    max_trips = 0
    for turn, line, reply, requests in rows:
        tokens = [fake_openai.count_prompt_tokens(body) for body in requests]
        chars = sum(fake_openai.prompt_chars(body) for body in requests)
        all_requests.extend(requests)
        max_trips = max(max_trips, len(requests))
        print(
            f"{turn:>4}  {line[:44]:<44} {reply.brain:<7} {len(requests):>5} {chars:>7} {sum(tokens):>7} "
            f"{max(tokens, default=0):>7}  {reply.text[:70]}"
        )
    total_tokens = sum(fake_openai.count_prompt_tokens(body) for body in all_requests)
    total_upper = sum(
        fake_openai.count_message_tokens(body["messages"]) + fake_openai.count_tool_json_tokens(body.get("tools"))
        for body in all_requests
    )
    total_chars = sum(fake_openai.prompt_chars(body) for body in all_requests)
    n_requests = len(all_requests)
    mean_tokens = total_tokens / n_requests if n_requests else 0.0
    system_tokens = [fake_openai.count_text_tokens(body["messages"][0]["content"]) for body in all_requests]
    print("-" * len(header))
    print(
        f"Conversation: {len(rows)} patient turns, {n_requests} model requests, {total_chars} prompt characters, "
        f"{total_tokens} prompt tokens ({total_upper} counting the tool schemas as raw JSON)."
    )
    if system_tokens:
        print(f"System prompt: {min(system_tokens)}-{max(system_tokens)} tokens per request.")
    print(f"Booked: {booked_line or 'nothing'}\n")

    results = [
        (f"prompt tokens per conversation < {TARGET_TOTAL_TOKENS:,}", total_tokens < TARGET_TOTAL_TOKENS, total_tokens),
        (
            f"mean prompt tokens per request < {TARGET_MEAN_TOKENS:,}",
            mean_tokens < TARGET_MEAN_TOKENS,
            round(mean_tokens),
        ),
        (
            f"model round trips per patient turn <= {TARGET_MAX_ROUND_TRIPS}",
            max_trips <= TARGET_MAX_ROUND_TRIPS,
            max_trips,
        ),
        ("the turno is in the database", bool(booked_line), booked_line or "-"),
    ]
    for label, passed, value in results:
        print(f"{'PASS' if passed else 'FAIL'}  {label}: {value}")
    return 0 if all(passed for _label, passed, _value in results) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", action="store_true", help="use DATABASE_URL instead of a throwaway SQLite file"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print every request's messages")
    args = parser.parse_args()
    where = setup_demo_django(use_database_url=args.database_url, prefix="conversation_cost_")
    print(f"Database: {where}")
    return run(args.verbose)


if __name__ == "__main__":
    sys.exit(main())
