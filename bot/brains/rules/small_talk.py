"""Greetings, thanks, help, goodbyes, the hand-over to reception, guesses for a bare word and
the fallback that asks the pending question again.
"""

from __future__ import annotations

from bot import nlu, responses
from bot.brains.rules.booking import BookingForm
from bot.brains.rules.info import INFO_INTENTS, InfoAnswers
from bot.formatting import greeting_for
from bot.state import Step
from bot.types import BotReply

# Nothing asked of the patient: the last errand was answered.
IDLE_STEPS = {Step.NONE, Step.ANYTHING_ELSE}


class SmallTalk(InfoAnswers, BookingForm):
    """Everything around the errands."""

    # --- small talk, help, fallback ----------------------------------------------------------

    def small_talk(self) -> str | None:
        if self.has(nlu.HELP):
            return self.help_text()
        if self.has(nlu.GOODBYE):
            return self.do_goodbye()
        if self.pending in IDLE_STEPS and nlu.is_closing(self.text) and self.has(nlu.THANKS):
            # "bueno gracias" once the question is answered: done (its "bueno" is no greeting).
            return self.do_goodbye()
        if self.has(nlu.GREETING) and not self.names_what_to_guess():
            greeting = responses.greeting(greeting_for(self.local_now), clinic=self.clinic.name)
            if self.pending:
                return f"{greeting_for(self.local_now)}. {self.ask_pending_again(short=True)}"
            return greeting
        if self.declines_and_closes():
            return self.do_goodbye()
        if self.has(nlu.THANKS) and not (self.has(nlu.AFFIRM) and self.pending):
            if self.pending and self.pending != Step.ANYTHING_ELSE:
                return f"{responses.YOU_ARE_WELCOME} {self.ask_pending_again(short=True)}"
            self.state.go(Step.ANYTHING_ELSE)
            return f"{responses.YOU_ARE_WELCOME} {responses.ANYTHING_ELSE}"
        return None

    def help_text(self) -> str:
        return responses.help_short(self.clinic.name)

    def do_goodbye(self) -> str:
        self.tool("end_conversation", summary=responses.GOODBYE_SUMMARY)
        self.clear_flow()
        self.end = True
        return responses.farewell(self.clinic.name)

    def do_transfer(self) -> BotReply:
        result = self.tool("transfer_to_human", reason=self.text[:200])
        self.clear_flow()
        self.transfer = True
        return self.reply(
            responses.transfer(channel=self.context.channel, reception_phone=result.get("reception_phone") or "")
        )

    def names_what_to_guess(self) -> bool:
        """ "hola, me torcí el tobillo": the greeting comes with what the patient wants, and the
        guess answers that rather than greeting back."""
        return bool(self.specialty_in_text() or self.doctor_in_text() or self.coverage_in_text())

    def continue_offer_booking(self) -> str | None:
        # "¿Y los jueves?" after what a doctor's days are: that doctor's Thursdays, not slots yet.
        return self.doctor_follow_up() or super().continue_offer_booking()

    def guess(self) -> str | None:
        """No intent, no pending answer: a bare specialty ("cardiología"), coverage ("OSDE?")
        or day ("el jueves a las 10") still says what the patient wants."""
        if self.specialty_in_text() or self.doctor_in_text():
            return self.start_booking()
        if self.coverage_in_text():
            return self.answer_coverage()
        if self.when.date and self.pending in {Step.NONE, Step.ANYTHING_ELSE} and self.is_day_follow_up():
            return self.answer_hours()  # "¿y los sábados?" after the hours
        if self.when and self.state.booking.specialty_id:
            return self.offer_slots(self.current_specialty(), self.when_on_discussed_day())
        if self.yes_no is False and not self.pending:
            self.state.go(Step.ANYTHING_ELSE)
            return responses.OK_ANYTHING_ELSE
        return None

    def fallback(self) -> str:
        if self.pending and self.pending != Step.ANYTHING_ELSE:
            return responses.not_understood(self.ask_pending_again())
        return responses.not_understood()

    def ask_pending_again(self, *, short: bool = False) -> str:
        pending = self.pending
        if pending == Step.SPECIALTY:
            return responses.ASK_SPECIALTY
        if pending == Step.SLOT:
            if short or not self.offered():
                return responses.WHICH_TIME_SHORT
            return responses.slots_again(self.describe_offered())
        if pending == Step.NAME:
            return responses.name_question(self.state.booking.for_whom)
        if pending == Step.DOCUMENT:
            return responses.document_question(self.state.booking.for_whom)
        if pending == Step.CONFIRM_BOOKING:
            return self.booking_summary_question()
        if pending == Step.CONFIRM_CANCEL:
            target = self.target_appointment()
            return self.cancel_question(target) if target else responses.CONFIRM_CANCEL
        if pending == Step.CONFIRM_RESCHEDULE:
            return self.reschedule_question() or responses.CONFIRM_CHANGE
        if pending == Step.NEW_TIME:
            return responses.ASK_NEW_TIME
        if pending == Step.CHOOSE_APPOINTMENT:
            return responses.WHICH_TURNO
        if pending == Step.IDENTIFY:
            return responses.IDENTIFY_QUESTION
        if pending == Step.CODE:
            return responses.CODE_QUESTION
        if pending == Step.OFFER_BOOKING:
            specialty = self.current_specialty()
            return responses.offer_booking(specialty.name if specialty else "")
        if pending == Step.OFFER_TRANSFER:
            return responses.OFFER_RECEPTION
        return responses.HOW_CAN_I_HELP

    # --- yes/no answers to the brain's own offers --------------------------------------------

    def continue_offer_transfer(self) -> str | None:
        if self.declines_and_closes():
            return None  # "ok gracias", "no, gracias": a polite no, and done (small_talk)
        if self.yes_no is True:
            self.state.go(Step.NONE)
            reply = self.do_transfer()
            return reply.text
        if self.yes_no is False:
            self.state.go(Step.ANYTHING_ELSE)
            return responses.OK_ANYTHING_ELSE
        return None

    def continue_anything_else(self) -> str | None:
        # "y otra cita con el dermatólogo ese mismo día": a new task, on the day just booked.
        if (self.task and not self.asks_for_the_booked_day()) or any(self.has(intent) for intent in INFO_INTENTS):
            return None
        another = self.book_another()
        if another:
            return another
        if nlu.is_closing(self.text):
            return self.do_goodbye()  # "ok gracias", "joya", "vale, perfecto": done.
        if nlu.corrected_datum(self.text) and self.state.patient.last_booked_appointment_id:
            # "me equivoqué en el documento" after the booking: the turno's patient is reception's to fix.
            self.state.go(Step.OFFER_TRANSFER)
            return responses.CORRECTION_AFTER_BOOKING
        if self.yes_no is False or self.has(nlu.GOODBYE):
            return self.do_goodbye()
        if self.yes_no is True:
            self.state.go(Step.NONE)
            return responses.WHAT_ELSE
        return None
