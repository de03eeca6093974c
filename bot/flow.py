"""The dialogue flow, written once for both brains: for each step, the flow it belongs to,
what it waits for, the tools it may call, and whether it is a read-back the patient must
confirm. Declared as data (`STEPS`), in the spirit of Rasa's forms and slots.

- The offline brain turns text into slot values and intents and moves between these steps.
- The OpenAI brain gets the current step, its goal and only its allowed tools; a tool it
  calls outside them is refused back to it (`refusal`).
- Both brains' tool results advance the same flow (`after_tool`, called by
  `bot.tools.execute_tool`), so either can continue what the other started.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.state import ConversationState, Flow, Step

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
