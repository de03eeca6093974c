"""One turn of the offline brain: side questions first, then the pending step, a new task,
small talk, a guess, the fallback.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import nlu, responses
from bot.brains.rules.info import INFO_INTENTS
from bot.brains.rules.manage import ManageTurnos
from bot.brains.rules.small_talk import SmallTalk
from bot.state import Flow, Step
from bot.types import BotReply

APPOINTMENT_STEPS = {
    Step.CHOOSE_APPOINTMENT,
    Step.CONFIRM_CANCEL,
    Step.NEW_TIME,
    Step.CONFIRM_RESCHEDULE,
    Step.IDENTIFY,
    Step.CODE,
}
# The read-backs whose yes writes (bot.flow.Write).
WRITE_STEPS = {Step.CONFIRM_BOOKING, Step.CONFIRM_CANCEL, Step.CONFIRM_RESCHEDULE}
TASK_FLOWS = {nlu.CANCEL: Flow.CANCEL, nlu.RESCHEDULE: Flow.RESCHEDULE, nlu.MY_APPOINTMENTS: Flow.LIST}


class Turn(SmallTalk, ManageTurnos):
    """The whole turn, assembled from the job modules."""

    def run(self) -> BotReply:
        if not self.text.strip():
            return self.reply(responses.EMPTY)
        if self.has(nlu.EMERGENCY):
            # The engine answers emergencies before any brain; this is the same answer for
            # when the brain is called directly.
            self.state.go(Step.OFFER_TRANSFER)
            return self.reply(responses.EMERGENCY.format(emergency=self.clinic.emergency_number))
        if self.has(nlu.TRANSFER):
            return self.do_transfer()

        # Read before answering side questions: those may set a new pending question that
        # this same message must not be taken to answer.
        pending = self.pending
        info_intents = [intent for intent in self.intents if intent in INFO_INTENTS]
        info = [answer for intent in info_intents if (answer := self.answer_info(intent))]
        flow = None
        if self.asks_for_waitlist() and pending not in {Step.OFFER_WAITLIST, Step.WAITLIST_PATIENT}:
            flow = self.start_waitlist()  # "anóteme en la lista de espera", whatever was pending
        elif pending and not self.switches_task(pending):
            flow = self.continue_pending(pending)
        if flow is None and self.task:
            flow = self.start_task(self.task)
        if flow is None and not info:
            flow = self.small_talk()
        if flow is None and not info:
            flow = self.guess()
        if flow is None and info and pending and self.pending == pending and pending != Step.ANYTHING_ELSE:
            # Answered a side question in the middle of a flow: ask again what was pending.
            flow = self.ask_pending_again(short=True)
        if flow is None and not info:
            flow = self.fallback()
        if flow and pending in WRITE_STEPS and self.state.step == Step.ANYTHING_ELSE and nlu.is_goodbye(self.text):
            flow = self.written_and_goodbye(flow)
        return self.reply(*info, flow or "")

    def written_and_goodbye(self, told: str) -> str:
        """ "Sí, confirmo, gracias, chau": the write read back is done, and so is the patient."""
        self.do_goodbye()
        return f"{told.removesuffix(responses.ANYTHING_ELSE).strip()} {responses.farewell(self.clinic.name)}"

    def switches_task(self, pending: Step) -> bool:
        task = self.task
        if task is None:
            return False
        # "Sí, confirmo el turno" answers the question; it is not a new request about turnos.
        if pending.startswith(("confirm", "offer")) and self.yes_no is not None:
            return False
        if task == nlu.BOOK:
            return pending in APPOINTMENT_STEPS - {Step.NEW_TIME, Step.CONFIRM_RESCHEDULE} or (
                pending == Step.ANYTHING_ELSE and not self.asks_for_the_booked_day()
            )
        return not (pending in APPOINTMENT_STEPS and self.state.flow == TASK_FLOWS[task])

    def start_task(self, task: str) -> str | None:
        if task == nlu.BOOK:
            return self.start_booking()
        if task == nlu.CANCEL and (second := self.booking_after_task()):
            # "Cancelá el de pediatría y dame otro para el viernes" moves the turno; with another
            # specialty named, the new turno is booked once the cancellation is answered.
            tail, specialty = second
            if specialty is None:
                return self.start_appointment_flow(Flow.RESCHEDULE)
            told = self.start_appointment_flow(Flow.CANCEL)
            self.queue_booking(tail, specialty)
            return told
        if task in TASK_FLOWS:
            return self.start_appointment_flow(TASK_FLOWS[task])
        return None

    def continue_pending(self, pending: Step) -> str | None:
        """The patient's words as the answer to the step's question, or None when they are not."""
        handler = CONTINUATIONS.get(pending)
        return handler(self) if handler else None


# What each step's answer is read by (bot.flow.STEPS declares what the step waits for).
CONTINUATIONS: dict[Step, Callable[[Turn], str | None]] = {
    Step.SPECIALTY: Turn.continue_specialty,
    Step.OFFER_BOOKING: Turn.continue_offer_booking,
    Step.SLOT: Turn.continue_slot,
    Step.NAME: Turn.continue_name,
    Step.DOCUMENT: Turn.continue_document,
    Step.CONFIRM_BOOKING: Turn.continue_confirm_booking,
    Step.IDENTIFY: Turn.continue_identify,
    Step.CODE: Turn.continue_code,
    Step.CHOOSE_APPOINTMENT: Turn.continue_choose_appointment,
    Step.CONFIRM_CANCEL: Turn.continue_confirm_cancel,
    Step.NEW_TIME: Turn.continue_new_time,
    Step.CONFIRM_RESCHEDULE: Turn.continue_confirm_reschedule,
    Step.OFFER_TRANSFER: Turn.continue_offer_transfer,
    Step.OFFER_WAITLIST: Turn.continue_offer_waitlist,
    Step.WAITLIST_PATIENT: Turn.continue_waitlist_patient,
    Step.ANYTHING_ELSE: Turn.continue_anything_else,
}
