"""Held-out measurement of how well the offline assistant understands patients.

Two frozen, labelled sets under bench/data/ (see their headers for the format and sources):

- first_messages.txt: first messages of a conversation, labelled with intents and entities.
  Scored on the NLU the offline brain uses (through bench/understanding_adapter.py):
  intent accuracy (the set of intents, greeting/yes/no aside when the message says more),
  entity accuracy (labelled entities right, plus every entity extracted that is not there
  as an error), and messages understood (intents and entities all right); then the same
  on the messages no tuning text equals word for word (bench/tuning_overlap.py).
- dialogues.txt: whole conversations through the real engine with the offline brain, the
  clock frozen at each dialogue's start (30 s more each turn), each one inside a rolled-back
  transaction. Completed = the database ends as the expectations say and nothing else was
  booked, cancelled or moved. After every turn each slot on offer is checked against the
  real availability: an offered slot that is not free counts as an "invented slot".

These sets are for measuring, never for tuning (tune on tests and the dev sets).

Usage:
  .venv/bin/python bench/understanding_eval.py                  # throwaway SQLite file
  .venv/bin/python bench/understanding_eval.py --database-url   # the DATABASE_URL database (PostgreSQL)
  add -v to list every miss (message labels vs. prediction, failed dialogue transcripts);
  --dev scores the tuning sets bench/data/dev_*.txt (every file) (same format, own writing) instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_demo_django  # noqa: E402
from bench.understanding_data import (  # noqa: E402
    CLINIC_TZ,
    DEV_DIALOGUES_FILES,
    DEV_MESSAGES_FILES,
    DIALOGUES_FILE,
    MESSAGES_FILE,
    Dialogue,
    LabelledMessage,
    load_dialogues,
    load_messages,
)

MESSAGES_NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=CLINIC_TZ)  # a Tuesday morning
TURN_STEP = dt.timedelta(seconds=30)
# "earliest": no free slot that a patient could still reach (this far ahead) starts before it.
EARLIEST_LEAD = dt.timedelta(minutes=30)
# Said along with a request, these do not change what the message asks for.
MINOR_INTENTS = {"greeting", "affirm", "deny"}
ENTITY_KEYS = ("specialty", "date", "time", "part", "doctor", "coverage", "name", "dni")
AFTERNOON_FROM_HOUR = 13  # the tools' split of the day


# --- first messages ---------------------------------------------------------------------------


def _main_intents(intents: set[str]) -> set[str]:
    main = intents - MINOR_INTENTS
    return main if main else set(intents)


def _norm(value) -> str:
    from clinic.selectors import normalize_text

    return normalize_text(str(value))


def _entity_right(key: str, label: str, predicted) -> bool:
    if key == "specialty":
        wanted = {_norm(v) for v in label.split(",") if v.strip()}
        got = {_norm(v) for v in (predicted if isinstance(predicted, list | tuple | set) else [predicted])}
        return wanted == got
    if key == "dni":
        return re.sub(r"\D", "", label) == re.sub(r"\D", "", str(predicted))
    return _norm(label) == _norm(predicted)


@dataclass
class MessageScore:
    intent_right: bool
    entities_right: int
    entities_total: int
    misses: list[str]


def score_message(message: LabelledMessage, clinic) -> MessageScore:
    from bench.understanding_adapter import understand_message

    understood = understand_message(text=message.text, clinic=clinic, now=MESSAGES_NOW)
    misses = []
    intent_right = _main_intents(understood.intents) == _main_intents(message.intents)
    if not intent_right:
        misses.append(f"intents {sorted(_main_intents(message.intents))} got {sorted(understood.intents)}")
    right = total = 0
    for key in ENTITY_KEYS:
        label, predicted = message.entities.get(key), understood.entities.get(key)
        if label == "~" or (label is None and predicted is None):
            continue
        total += 1
        if label is not None and predicted is not None and _entity_right(key, label, predicted):
            right += 1
        else:
            misses.append(f"{key}: {label!r} got {predicted!r}")
    return MessageScore(intent_right, right, total, misses)


def run_messages(clinic, *, verbose: bool, paths: tuple[Path, ...] = (MESSAGES_FILE,)) -> dict:
    from bench.tuning_overlap import seen_in_tuning

    messages = load_messages(*paths)
    by_country: dict[str, list[MessageScore]] = defaultdict(list)
    entity_misses: Counter = Counter()
    unseen: list[MessageScore] = []
    for message in messages:
        score = score_message(message, clinic)
        by_country[message.country].append(score)
        if not seen_in_tuning(message.text):
            unseen.append(score)
        for miss in score.misses:
            entity_misses[miss.split(":")[0].split(" ")[0]] += 1
        if verbose and score.misses:
            print(f"  [{message.country}] {message.text!r}: " + "; ".join(score.misses))
    scores = [s for group in by_country.values() for s in group]
    result = {
        "messages": len(scores),
        "intent_accuracy": sum(s.intent_right for s in scores) / len(scores),
        "entity_accuracy": sum(s.entities_right for s in scores) / max(1, sum(s.entities_total for s in scores)),
        "understood": sum(not s.misses for s in scores) / len(scores),
    }
    print(f"\nFirst messages: {len(scores)} ({', '.join(f'{c} {len(g)}' for c, g in by_country.items())})")
    print(f"  intent accuracy      {result['intent_accuracy']:6.1%}")
    print(f"  entity accuracy      {result['entity_accuracy']:6.1%}")
    print(f"  understood (all)     {result['understood']:6.1%}   target >= 95%")
    if paths == (MESSAGES_FILE,):
        result["understood_unseen"] = sum(not s.misses for s in unseen) / max(1, len(unseen))
        print(
            f"  understood (unseen)  {result['understood_unseen']:6.1%}   the {len(unseen)} messages no tuning text"
            f" equals ({len(scores) - len(unseen)} do: bench/tuning_overlap.py)"
        )
    for country, group in by_country.items():
        intent = sum(s.intent_right for s in group) / len(group)
        whole = sum(not s.misses for s in group) / len(group)
        print(f"    {country:6} intents {intent:6.1%}  understood {whole:6.1%}")
    print("  misses by kind: " + ", ".join(f"{kind} {count}" for kind, count in entity_misses.most_common()))
    return result


# --- dialogues ------------------------------------------------------------------------------------


def _setup(dialogue: Dialogue, *, clinic, phone: str) -> dict[str, int]:
    """Rows the dialogue starts from; returns the setup turnos by their local start."""
    from appointments import services
    from appointments.models import Patient
    from clinic.models import Closure

    appointments = {}
    for kind, values in dialogue.setup:
        if kind == "closure":
            day = dt.date.fromisoformat(values["date"])
            Closure.objects.create(clinic=clinic, start_date=day, end_date=day, reason=values.get("reason", ""))
        elif kind == "appointment":
            specialty = clinic.specialties.get(name=values["specialty"])
            doctor = clinic.doctors.get(last_name=values["doctor"])
            patient, _ = Patient.objects.get_or_create(
                document_number=values["dni"], defaults={"full_name": values["name"], "phone": phone}
            )
            start = dt.datetime.fromisoformat(values["start"]).replace(tzinfo=CLINIC_TZ)
            # Booked earlier from this same phone, so the dialogue's caller may manage it.
            appointment = services.book_appointment(
                patient=patient,
                doctor=doctor,
                specialty=specialty,
                start=start,
                now=dialogue.start,
                booked_by_number=phone,
                booked_as_name=values["name"],
            )
            appointments[values["start"]] = appointment.pk
        else:
            raise ValueError(f"{dialogue.id}: unknown setup {kind!r}")
    return appointments


def _matches(appointment, values: dict[str, str], *, end_of_dialogue: dt.datetime) -> list[str]:
    """What in `values` the turno does not satisfy (empty when it all holds)."""
    from appointments.selectors import find_available_slots

    start = appointment.start_at.astimezone(CLINIC_TZ)
    wrong = []
    checks = {
        "specialty": lambda v: _norm(appointment.specialty.name) == _norm(v),
        "doctor": lambda v: _norm(appointment.doctor.last_name) == _norm(v),
        "date": lambda v: start.date().isoformat() == v,
        "time": lambda v: start.strftime("%H:%M") == v,
        "part": lambda v: (start.hour >= AFTERNOON_FROM_HOUR) == (v == "afternoon"),
        "name": lambda v: _norm(appointment.patient.full_name) == _norm(v),
        "dni": lambda v: appointment.patient.document_number == v,
    }
    for key, check in checks.items():
        if key in values and not check(values[key]):
            wrong.append(f"{key} {values[key]!r}")
    if "earliest" in values or "latest" in values:
        doctor = appointment.doctor if "doctor" in values else None
        day = dt.date.fromisoformat(values["date"]) if "date" in values else None
        slots = find_available_slots(
            specialty=appointment.specialty, doctor=doctor, start=end_of_dialogue + EARLIEST_LEAD, now=end_of_dialogue
        )
        free = [slot.start.astimezone(CLINIC_TZ) for slot in slots]
        free = [s for s in free if day is None or s.date() == day]
        if "part" in values:
            free = [s for s in free if (s.hour >= AFTERNOON_FROM_HOUR) == (values["part"] == "afternoon")]
        if "earliest" in values and any(s < start for s in free):
            wrong.append(f"earliest (free {min(free):%a %d %H:%M})")
        if "latest" in values and any(s > start and s.date() == start.date() for s in free):
            wrong.append(f"latest (free {max(free):%a %d %H:%M})")
    return wrong


@dataclass
class DialogueResult:
    completed: bool
    offered: int
    invented: int
    problems: list[str]
    transcript: list[str]


def run_dialogue(dialogue: Dialogue, *, clinic, index: int) -> DialogueResult:
    import time_machine

    from appointments.models import Appointment, AppointmentStatus
    from appointments.selectors import find_slot
    from bench.understanding_adapter import offered_slots
    from bot import engine
    from bot.conversations import get_or_start_conversation
    from bot.models import ConversationOutcome, ConversationStatus

    phone = f"+54911{5000_0000 + index:08d}"
    transcript, problems = [], []
    offered = invented = 0
    ended = transferred = False
    with time_machine.travel(dialogue.start, tick=False):
        setup = _setup(dialogue, clinic=clinic, phone=phone)
        before = set(Appointment.objects.values_list("pk", flat=True))
        conversation = get_or_start_conversation(
            channel=dialogue.channel,
            participant=phone,
            call_sid=f"CA{index:032d}" if dialogue.channel == "phone" else None,
        )
    now = dialogue.start
    for turn_index, text in enumerate(dialogue.turns):
        now = dialogue.start + turn_index * TURN_STEP
        with time_machine.travel(now, tick=False):
            reply = engine.reply(conversation, text)
            ended |= reply.end_conversation
            transferred |= reply.transfer_to_human
            transcript += [f"    P: {text}", f"    A: {reply.text}"]
            for slot in offered_slots(conversation):
                offered += 1
                specialty = clinic.specialties.get(pk=slot.specialty_id)
                doctor = clinic.doctors.get(pk=slot.doctor_id)
                if find_slot(specialty=specialty, start=slot.start, doctor=doctor, now=now) is None:
                    invented += 1
                    problems.append(f"invented slot {slot.start.astimezone(CLINIC_TZ):%a %d %H:%M} ({doctor})")
    conversation.refresh_from_db()
    ended |= conversation.status == ConversationStatus.ENDED
    transferred |= conversation.outcome == ConversationOutcome.TRANSFERRED

    new = list(Appointment.objects.exclude(pk__in=before).filter(status__in=["booked", "confirmed"]))
    cancelled = {
        start for start, pk in setup.items() if Appointment.objects.get(pk=pk).status == AppointmentStatus.CANCELLED
    }
    expected_cancelled = set()
    for kind, values in dialogue.expect:
        if kind in {"booked", "moved"}:
            if kind == "moved":
                expected_cancelled.add(values["from"])
            candidates = [(a, _matches(a, values, end_of_dialogue=now)) for a in new]
            match = next((a for a, wrong in candidates if not wrong), None)
            if match is None:
                closest = min((wrong for _a, wrong in candidates), key=len, default=["no turno booked"])
                problems.append(f"{kind} {values}: " + ", ".join(closest))
            else:
                new.remove(match)
        elif kind == "cancelled":
            expected_cancelled.add(values["start"])
        elif kind == "ended" and not ended:
            problems.append("the conversation did not end")
        elif kind == "transferred" and not transferred:
            problems.append("not transferred to reception")
    problems += [
        f"unexpected turno {a.specialty} {a.doctor} {a.start_at.astimezone(CLINIC_TZ):%a %d %H:%M} {a.patient.full_name}"
        for a in new
    ]
    if cancelled != expected_cancelled:
        problems.append(f"cancelled {sorted(cancelled)}, expected {sorted(expected_cancelled)}")
    return DialogueResult(not problems, offered, invented, problems, transcript)


def run_dialogues(clinic, *, verbose: bool, paths: tuple[Path, ...] = (DIALOGUES_FILE,)) -> dict:
    from django.db import transaction

    dialogues = load_dialogues(*paths)
    results: list[tuple[Dialogue, DialogueResult]] = []
    for index, dialogue in enumerate(dialogues):
        with transaction.atomic():
            try:
                result = run_dialogue(dialogue, clinic=clinic, index=index)
            except Exception as error:  # a crash is a failed dialogue, and the run goes on
                result = DialogueResult(False, 0, 0, [f"crashed: {error!r}"], [])
            transaction.set_rollback(True)
        results.append((dialogue, result))
        if verbose and not result.completed:
            print(f"  {dialogue.id} [{dialogue.country} {dialogue.channel}]: " + "; ".join(result.problems))
            print("\n".join(result.transcript))
    completed = sum(r.completed for _d, r in results)
    offered = sum(r.offered for _d, r in results)
    invented = sum(r.invented for _d, r in results)
    by_country: dict[str, list[bool]] = defaultdict(list)
    for dialogue, result in results:
        by_country[dialogue.country].append(result.completed)
    print(f"\nDialogues: {len(results)}")
    print(f"  completed correctly  {completed / len(results):6.1%}   ({completed}/{len(results)}; target >= 90%)")
    print(f"  invented slots       {invented} of {offered} offered   (target 0)")
    print("    " + "  ".join(f"{c} {sum(v)}/{len(v)}" for c, v in by_country.items()))
    print("  failed: " + (", ".join(d.id for d, r in results if not r.completed) or "none"))
    return {"dialogues": len(results), "completed": completed / len(results), "invented": invented}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", action="store_true", help="use DATABASE_URL (PostgreSQL) instead of SQLite")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    parser.add_argument("--only", choices=["messages", "dialogues"], help="run one of the two sets")
    parser.add_argument(
        "--dev", action="store_true", help="score the tuning sets bench/data/dev_*.txt instead of the held-out ones"
    )
    parser.add_argument(
        "--file",
        action="append",
        default=[],
        metavar="NAME",
        help="with --dev: score only these dev files (by name, e.g. dev_dialogues_mx.txt); repeatable",
    )
    args = parser.parse_args()
    if args.file and not args.dev:
        parser.error("--file picks among the dev sets: use it with --dev")
    where = setup_demo_django(use_database_url=args.database_url, prefix="understanding_eval_")

    from django.conf import settings

    from clinic.models import Clinic

    settings.BOT_BRAIN = "rules"  # the offline brain: what this set measures
    settings.OPENAI_API_KEY = ""
    clinic = Clinic.objects.get(name="Clínica San Rafael")
    print(f"Database: {where}. Brain: offline rules.")
    messages_files, dialogues_files = (
        (DEV_MESSAGES_FILES, DEV_DIALOGUES_FILES) if args.dev else ((MESSAGES_FILE,), (DIALOGUES_FILE,))
    )
    if args.file:
        unknown = set(args.file) - {path.name for path in (*messages_files, *dialogues_files)}
        if unknown:
            parser.error(f"not a dev set: {', '.join(sorted(unknown))}")
        messages_files = tuple(path for path in messages_files if path.name in args.file)
        dialogues_files = tuple(path for path in dialogues_files if path.name in args.file)
    # The sets are frozen: the same digests before and after a change mean the same questions.
    for path in (*messages_files, *dialogues_files):
        print(f"{path.name}: sha256 {hashlib.sha256(path.read_bytes()).hexdigest()[:16]}")
    if args.only != "dialogues" and messages_files:
        run_messages(clinic, verbose=args.verbose, paths=messages_files)
    if args.only != "messages" and dialogues_files:
        run_dialogues(clinic, verbose=args.verbose, paths=dialogues_files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
