"""How bench/understanding_eval.py asks the code under test what it understood.

The labelled data and the scoring stay fixed; this module is the only part that follows the
code when its interfaces change (the labels use their own names, the code its own).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot import nlu
from bot.models import Conversation
from bot.types import ToolContext
from clinic.models import Clinic
from clinic.selectors import find_coverage

# The eval's intent names that the code spells differently (none so far).
INTENT_NAMES: dict[str, str] = {}
# Intents the brain acts on before guessing from a bare specialty, doctor or coverage (a
# greeting does not stop the guess: "hola, me torcí el tobillo" asks for a turno).
GUESSED_ONLY_WITHOUT = nlu.TASK_INTENTS | nlu.QUESTION_INTENTS | {nlu.THANKS, nlu.GOODBYE, nlu.HELP}


@dataclass
class Understood:
    intents: set[str]
    entities: dict[str, object] = field(default_factory=dict)


def understand_message(*, text: str, clinic: Clinic, now: dt.datetime) -> Understood:
    """Intents and entities of a first message, as the offline brain reads them."""
    from bot.brains.rules import Turn

    context = ToolContext(conversation=Conversation(clinic=clinic), clinic=clinic, now=now)
    turn = Turn(text=text, context=context, confirm_before_booking=True)
    intents = {INTENT_NAMES.get(intent, intent) for intent in turn.intents}
    entities: dict[str, object] = {}

    specialty = turn.specialty_in_text()
    specialties = [s.name for s in turn.specialties_in_text()] or ([specialty.name] if specialty else [])
    missing_service = turn.missing_in_text()
    if missing_service is not None:
        # What the patient asked for is the service the clinic lacks, not the suggestion.
        specialties = [missing_service.name] + [
            name for name in specialties if specialty is None or name != specialty.name
        ]
    if specialties:
        entities["specialty"] = specialties
    elif missing := nlu.find_common_specialty(text):
        entities["specialty"] = [missing]
    doctor = turn.doctor_in_text()
    if doctor is not None:
        entities["doctor"] = doctor.last_name
    coverage = find_coverage(clinic=clinic, text=turn.text_without_clinic_name())
    if coverage is not None:
        entities["coverage"] = coverage.name
    elif common := nlu.find_common_coverage(text):
        entities["coverage"] = common
    when = turn.when
    if when.date:
        entities["date"] = when.date.isoformat()
    if when.time:
        entities["time"] = when.time.strftime("%H:%M")
    if when.avoided_part_of_day:
        entities["part"] = f"!{when.avoided_part_of_day}"
    elif when.part_of_day:
        entities["part"] = when.part_of_day
    # The brain's guess for a message with no intent of its own: a bare specialty or doctor
    # ("cardiología") asks for a turno, a bare coverage ("OSDE?") asks whether it is accepted.
    if not intents & GUESSED_ONLY_WITHOUT:
        if "specialty" in entities and specialty is not None or doctor is not None:
            intents.add("book")
        elif "coverage" in entities:
            intents.add("ask_coverage")
    name = nlu.extract_name(text)
    if name:
        entities["name"] = name
    document = nlu.extract_document_number(text)
    if document:
        entities["dni"] = document
    return Understood(intents=intents, entities=entities)


@dataclass(frozen=True)
class OfferedSlot:
    specialty_id: int
    doctor_id: int
    start: dt.datetime


def offered_slots(conversation: Conversation) -> list[OfferedSlot]:
    """The slots the assistant has on offer after a turn (what the patient may pick)."""
    return [
        OfferedSlot(specialty_id=slot.specialty_id, doctor_id=slot.doctor_id, start=slot.start)
        for slot in conversation.load_state().booking.offered_slots
    ]
