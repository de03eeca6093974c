"""The dialogue flow, written once for both brains: for each step, the flow it belongs to,
what it waits for, the tools it may call, and whether it is a read-back the patient must
confirm. Declared as data (`STEPS`), in the spirit of Rasa's forms and slots.

- The offline brain turns text into slot values and intents and moves between these steps.
- The OpenAI brain gets the current step, its goal and only its allowed tools; a tool it
  calls outside them is refused back to it (`refusal`).
- Both brains' tool results advance the same flow (`after_tool`, called by
  `bot.tools.execute_tool`), so either can continue what the other started.
- A booking, cancellation or move (`Write`) happens only on the patient's yes to its
  read-back: a write tool called without one holds the write in the state and answers with
  the read-back (`hold`); on the next turn the engine reads the patient's words once
  (`confirmed_write`), and only exactly the held write goes through, once. A model that
  read the write back in its own words gets it through on the yes to those words, when
  they name exactly that write (`bot.tools.confirmation._read_back_in_own_words`): one yes, never two.
  A yes that changes something ("sí, pero a las 11") is a yes to nothing (`yes_to_write`).
  Enforced in the tools for both brains, whatever the model's prompt says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from appointments.policy import InvalidDocument, parse_document
from bot import nlu
from bot.state import ConversationState, Flow, OfferedSlot, Step
from clinic.selectors import normalize_text

INFO_TOOLS = frozenset(
    {"get_clinic_info", "find_available_slots", "list_my_appointments", "transfer_to_human", "end_conversation"}
)
MANAGE_TOOLS = frozenset({"cancel_appointment", "reschedule_appointment"})
WAITLIST_TOOLS = frozenset({"join_waitlist"})
BOOKING_TOOLS = INFO_TOOLS | MANAGE_TOOLS | {"book_appointment"}
ALL_TOOLS = BOOKING_TOOLS | WAITLIST_TOOLS


@dataclass(frozen=True)
class StepSpec:
    flow: Flow
    goal: str  # what the step waits for, told to the model (English: it is prompt text)
    tools: frozenset[str]
    confirms: bool = False  # a read-back: the step's tool runs only after the patient's yes
    slots: tuple[str, ...] = ()  # the booking slots this step fills


# book_appointment only where slots have been offered: a booking never skips the offer.
WITHOUT_BOOKING = INFO_TOOLS | MANAGE_TOOLS

STEPS: dict[Step, StepSpec] = {
    Step.NONE: StepSpec(Flow.NONE, "find out what the patient needs", WITHOUT_BOOKING),
    Step.SPECIALTY: StepSpec(Flow.BOOK, "which specialty", WITHOUT_BOOKING, slots=("specialty_id",)),
    Step.OFFER_BOOKING: StepSpec(Flow.BOOK, "yes/no: look for a turno", WITHOUT_BOOKING),
    # The waitlist where a search found nothing to offer (see allowed_tools).
    Step.SLOT: StepSpec(Flow.BOOK, "patient picks an offered slot", ALL_TOOLS, slots=("selected_slot_id",)),
    Step.NAME: StepSpec(Flow.BOOK, "patient's full name", BOOKING_TOOLS, slots=("patient_name",)),
    Step.DOCUMENT: StepSpec(Flow.BOOK, "patient's DNI", BOOKING_TOOLS, slots=("document_number",)),
    Step.CONFIRM_BOOKING: StepSpec(Flow.BOOK, "yes to the read-back, then book", BOOKING_TOOLS, confirms=True),
    Step.IDENTIFY: StepSpec(Flow.NONE, "full name and DNI to find turnos", WITHOUT_BOOKING),
    Step.CODE: StepSpec(Flow.NONE, "the one-time code sent to the patient's phone", WITHOUT_BOOKING),
    Step.CHOOSE_APPOINTMENT: StepSpec(Flow.NONE, "which of the patient's turnos", WITHOUT_BOOKING),
    Step.CONFIRM_CANCEL: StepSpec(Flow.CANCEL, "yes to cancelling", WITHOUT_BOOKING, confirms=True),
    Step.NEW_TIME: StepSpec(Flow.RESCHEDULE, "new day and time", WITHOUT_BOOKING),
    Step.CONFIRM_RESCHEDULE: StepSpec(Flow.RESCHEDULE, "yes to the move", WITHOUT_BOOKING, confirms=True),
    Step.OFFER_TRANSFER: StepSpec(Flow.NONE, "yes/no: transfer to reception", WITHOUT_BOOKING),
    Step.OFFER_WAITLIST: StepSpec(Flow.WAITLIST, "yes/no: join the waitlist", WITHOUT_BOOKING | WAITLIST_TOOLS),
    Step.WAITLIST_PATIENT: StepSpec(
        Flow.WAITLIST,
        "full name and DNI, then join_waitlist",
        WITHOUT_BOOKING | WAITLIST_TOOLS,
        slots=("patient_name", "document_number"),
    ),
    Step.ANYTHING_ELSE: StepSpec(Flow.NONE, "anything else?", WITHOUT_BOOKING),
}

BOOKING_STEPS = frozenset(step for step, spec in STEPS.items() if "book_appointment" in spec.tools)


def spec(state: ConversationState) -> StepSpec:
    return STEPS[state.step]


def allowed_tools(state: ConversationState) -> frozenset[str]:
    """The tools the current step may call. Offered slots open the booking tool even when
    the step was left elsewhere (a side question asked while choosing). While slots are on
    offer the model books one rather than queueing: the waitlist tool opens when a search
    found nothing (and in the waitlist steps the offline brain leads). Its schema is then not
    re-sent with every request of an ordinary booking (bench/conversation_cost.py)."""
    tools = spec(state).tools
    if state.booking.offered_slots:
        tools = (tools | {"book_appointment"}) - (WAITLIST_TOOLS if state.step == Step.SLOT else frozenset())
    return tools


def refusal(state: ConversationState, name: str) -> dict | None:
    """The tool result for a call the current step does not allow, or None when allowed."""
    if name not in ALL_TOOLS or name in allowed_tools(state):
        return None
    return {
        "ok": False,
        "code": "not_allowed_now",
        "error": f"{name} no corresponde ahora: primero find_available_slots y que el paciente elija.",
    }


def after_tool(state: ConversationState, name: str, result: dict) -> None:
    """Advance the flow from a tool's successful result, whichever brain called it."""
    if not result.get("ok"):
        return
    moving = state.flow == Flow.RESCHEDULE or state.step in {Step.NEW_TIME, Step.CONFIRM_RESCHEDULE}
    if name == "find_available_slots" and state.booking.offered_slots:
        if not moving:
            state.flow = Flow.BOOK
        state.go(Step.NEW_TIME if moving else Step.SLOT)
        state.booking.selected_slot_id = None
    elif name == "find_available_slots" and not moving:
        # Nothing free to book: what is left to offer is the waitlist.
        state.flow = Flow.WAITLIST
        state.go(Step.OFFER_WAITLIST)
    elif name in {"book_appointment", "cancel_appointment", "reschedule_appointment", "join_waitlist"}:
        state.clear_flow()
        state.go(Step.ANYTHING_ELSE)


# --- writes happen on the patient's yes to their read-back ---------------------------------

WRITE_TOOLS = frozenset({"book_appointment", "cancel_appointment", "reschedule_appointment"})
CONFIRM_FIRST = "confirm_first"  # the code of a write tool's result that held the write


@dataclass(frozen=True)
class Write:
    """A booking, cancellation or move, compared by what was read back: the turno, the slot,
    and for a booking the name and document (normalised: "Pérez" and "perez" are one)."""

    tool: str
    appointment_id: int | None = None
    slot_id: str | None = None
    full_name: str = ""
    document_number: str = ""

    @classmethod
    def booking(cls, *, slot_id: str, full_name: str, document_number: str) -> Write:
        return cls(
            "book_appointment",
            slot_id=slot_id,
            full_name=name_key(full_name),
            document_number=document_key(document_number),
        )


def name_key(name: str) -> str:
    return normalize_text(name)


def document_key(document_number: str) -> str:
    try:
        return parse_document(document_number).number
    except InvalidDocument:
        return "".join(ch for ch in document_number if ch.isalnum()).upper()


def held_write(state: ConversationState) -> Write | None:
    """The write the patient was last asked to confirm: read from the confirm step and its
    slots, so a read-back by either brain holds the same thing."""
    booking, target = state.booking, state.target
    slot = state.selected_slot
    if state.step == Step.CONFIRM_CANCEL and target.appointment_id:
        return Write("cancel_appointment", appointment_id=target.appointment_id)
    if state.step == Step.CONFIRM_RESCHEDULE and target.appointment_id and slot:
        return Write("reschedule_appointment", appointment_id=target.appointment_id, slot_id=slot.slot_id)
    if state.step == Step.CONFIRM_BOOKING and slot and booking.patient_name and booking.document_number:
        return Write.booking(
            slot_id=slot.slot_id, full_name=booking.patient_name, document_number=booking.document_number
        )
    return None


def confirmed_write(state: ConversationState, text: str, *, now: dt.datetime) -> Write | None:
    """The held write, when the patient's words (read at the start of their turn, before any
    brain) are a yes to it (`yes_to_write`)."""
    held = held_write(state)
    slot = state.selected_slot if held and held.slot_id else None
    if held is None or not yes_to_write(text, held, start=slot.start if slot else None, now=now):
        return None
    return held


def yes_to_write(text: str, write: Write, *, start: dt.datetime | None, now: dt.datetime) -> bool:
    """The patient's words say yes to `write` and ask for nothing else: a yes ("cancélelo"
    answers a cancellation's read-back, as the offline brain reads it), not a no, and not a
    yes that changes something ("sí, pero a las 11", "sí, pero el DNI es ...", "sí, mejor con
    otro médico"): for that one the patient hears a read-back again, never the old write
    done. A day or time said must be the write's (`start`: its new slot, or the turno
    cancelled; unknown, any day or time said is a change); `now` is the clinic's local time."""
    answer = nlu.yes_no(text)
    if answer is None and write.tool == "cancel_appointment" and nlu.CANCEL in nlu.detect_intents(text):
        answer = True
    if answer is not True or nlu.asks_for_change(text) or nlu.corrected_datum(text):
        return False
    document = nlu.extract_document_number(text)
    if document and document_key(document) != write.document_number:
        return False
    name = nlu.extract_name(text)
    if write.tool == "book_appointment" and name and name_key(name) != write.full_name:
        return False
    when = nlu.extract_when(text, now=now)
    if not (when.date or when.time):
        return True
    local = start.astimezone(now.tzinfo) if start else None
    return bool(
        local
        and (when.date is None or when.date == local.date())
        and (when.time is None or when.time == local.time().replace(second=0, microsecond=0))
    )


def write_call(state: ConversationState, write: Write) -> tuple[str, dict] | None:
    """The tool call that makes `write` while the state still holds it as read back (None
    otherwise): for the patient's yes to it that the model answered in words instead."""
    if held_write(state) != write:
        return None
    arguments: dict[str, str | int | None]
    if write.tool == "book_appointment":
        booking = state.booking
        arguments = {"full_name": booking.patient_name, "document_number": booking.document_number}
    else:
        arguments = {"appointment_id": write.appointment_id}
    return write.tool, arguments | ({"slot_id": write.slot_id} if write.slot_id else {})


# Where a read-back that lapsed leaves the flow: choosing again.
_BEFORE_CONFIRMING = {
    Step.CONFIRM_BOOKING: Step.SLOT,
    Step.CONFIRM_RESCHEDULE: Step.NEW_TIME,
    Step.CONFIRM_CANCEL: Step.NONE,
}


def lapse_read_back(state: ConversationState) -> None:
    """The model answered in its own words, with no write, while a read-back waited: the
    patient said something else and the model asked on. The held write lapses, so a later
    "sí" to another question confirms nothing (the model's next write call reads back anew)."""
    if state.step in _BEFORE_CONFIRMING:
        state.go(_BEFORE_CONFIRMING[state.step])


def hold(
    state: ConversationState,
    write: Write,
    *,
    slot: OfferedSlot | None,
    tz,
    full_name: str = "",
    document_number: str = "",
) -> None:
    """Put the write in the state as the read-back the patient must answer (a slot named by
    its date and time joins the offered ones: it is the one read back)."""
    if slot and state.offered_slot(slot.slot_id) is None:
        state.offer([*state.booking.offered_slots, slot])
    if write.tool == "book_appointment" and slot:
        state.flow = Flow.BOOK
        state.select(slot, tz=tz)
        state.set_caller(name=full_name, document_number=document_number)
        state.go(Step.CONFIRM_BOOKING)
    elif write.appointment_id is not None:
        state.flow = Flow.CANCEL if write.tool == "cancel_appointment" else Flow.RESCHEDULE
        state.choose_target(write.appointment_id)
        if slot:
            state.select(slot, tz=tz)
        state.go(Step.CONFIRM_CANCEL if write.tool == "cancel_appointment" else Step.CONFIRM_RESCHEDULE)
