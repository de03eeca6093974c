"""Greetings, thanks, help, goodbyes, the hand-over to reception, guesses for a bare word and
the fallback that asks the pending question again.
"""

from __future__ import annotations

import re

from bot import nlu, responses
from bot.brains.rules.booking import BookingForm
from bot.brains.rules.info import INFO_INTENTS, InfoAnswers
from bot.formatting import greeting_for
from bot.state import Step
from bot.types import BotReply
from clinic.selectors import find_coverage

# Where "ok gracias" declines what was offered rather than answering yes.
CLOSABLE_STEPS = {Step.OFFER_BOOKING, Step.OFFER_TRANSFER, Step.SLOT, Step.SPECIALTY}


class SmallTalk(InfoAnswers, BookingForm):
    """Everything around the errands."""

    # --- small talk, help, fallback ----------------------------------------------------------

    def small_talk(self) -> str | None:
        if self.has(nlu.HELP):
            return self.help_text()
        if self.has(nlu.GOODBYE):
            return self.do_goodbye()
        if self.has(nlu.GREETING):
            greeting = f"{greeting_for(self.local_now)}, {self.clinic.name}, ¿en qué puedo ayudarlo?"
            if self.pending:
                return f"{greeting_for(self.local_now)}. {self.ask_pending_again(short=True)}"
            return greeting
        if self.has(nlu.THANKS) and nlu.is_closing(self.text) and self.pending in CLOSABLE_STEPS:
            # "ok gracias" to an offer is a polite no, not a yes.
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return f"De nada. {responses.ANYTHING_ELSE}"
        if self.has(nlu.THANKS) and not (self.has(nlu.AFFIRM) and self.pending):
            if self.pending and self.pending != Step.ANYTHING_ELSE:
                return f"De nada. {self.ask_pending_again(short=True)}"
            self.state.go(Step.ANYTHING_ELSE)
            return "De nada. ¿Necesita algo más?"
        return None

    def help_text(self) -> str:
        return (
            f"Soy el asistente de {self.clinic.name}. Puedo darle un turno, decirle sus próximos turnos, "
            "cambiarlos o cancelarlos, e informarle especialidades, obras sociales, horarios y dirección. "
            "También puedo comunicarlo con recepción. ¿Qué necesita?"
        )

    def do_goodbye(self) -> str:
        self.tool("end_conversation", summary="El paciente se despidió.")
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

    def guess(self) -> str | None:
        """No intent, no pending answer: a bare specialty ("cardiología"), coverage ("OSDE?")
        or day ("el jueves a las 10") still says what the patient wants."""
        if self.specialty_in_text() or self.doctor_in_text():
            return self.start_booking()
        if find_coverage(clinic=self.clinic, text=self.text_without_clinic_name()):
            return self.answer_coverage()
        if (
            self.when.date
            and self.pending in {Step.NONE, Step.ANYTHING_ELSE}
            and re.match(
                r"\s*y (?:los |el |las )?(?:\w+ )?(?:sabados?|domingos?|lunes|martes|miercoles|jueves|viernes|feriados?)\b",
                nlu.understand(self.text),
            )
        ):
            return self.answer_hours()  # "¿y los sábados?" after the hours
        if self.when and self.state.booking.specialty_id:
            return self.offer_slots(self.current_specialty(), self.when_on_discussed_day())
        if self.yes_no is False and not self.pending:
            self.state.go(Step.ANYTHING_ELSE)
            return "De acuerdo. ¿Necesita algo más?"
        return None

    def fallback(self) -> str:
        if self.pending and self.pending != Step.ANYTHING_ELSE:
            return f"Disculpe, no le entendí. {self.ask_pending_again()}"
        return (
            "Disculpe, no le entendí. Puedo darle un turno, decirle sus turnos, cambiarlos o cancelarlos, "
            "e informarle especialidades, obras sociales, horarios y dirección. ¿Qué necesita?"
        )

    def ask_pending_again(self, *, short: bool = False) -> str:
        pending = self.pending
        if pending == Step.SPECIALTY:
            return "¿Para qué especialidad necesita el turno?"
        if pending == Step.SLOT:
            if short or not self.offered():
                return "¿Qué horario prefiere? También puede decirme otro día u horario."
            return f"Tengo {self.describe_offered()}. ¿Cuál prefiere? También puede decirme otro día u horario."
        if pending == Step.NAME:
            return responses.name_question(self.state.booking.for_whom)
        if pending == Step.DOCUMENT:
            return responses.document_question(self.state.booking.for_whom)
        if pending == Step.CONFIRM_BOOKING:
            return self.booking_summary_question()
        if pending == Step.CONFIRM_CANCEL:
            target = self.target_appointment()
            return self.cancel_question(target) if target else "¿Confirma la cancelación?"
        if pending == Step.CONFIRM_RESCHEDULE:
            return self.reschedule_question() or "¿Confirma el cambio?"
        if pending == Step.NEW_TIME:
            return "¿Para qué día y horario quiere pasar su turno?"
        if pending == Step.CHOOSE_APPOINTMENT:
            return "¿Cuál de sus turnos? Dígame el día o la especialidad."
        if pending == Step.IDENTIFY:
            return "Dígame su nombre completo y su número de documento, por favor."
        if pending == Step.CODE:
            return "Dígame el código que le envié, por favor."
        if pending == Step.OFFER_BOOKING:
            specialty = self.current_specialty()
            return (
                f"¿Quiere que le busque un turno de {specialty.name}?"
                if specialty
                else "¿Quiere que le busque un turno?"
            )
        if pending == Step.OFFER_TRANSFER:
            return "¿Quiere que lo comunique con recepción?"
        return "¿En qué puedo ayudarlo?"

    # --- yes/no answers to the brain's own offers --------------------------------------------

    def continue_offer_transfer(self) -> str | None:
        if self.has(nlu.THANKS) and nlu.is_closing(self.text):
            return None  # "ok gracias": a polite no (small_talk)
        if self.yes_no is True:
            self.state.go(Step.NONE)
            reply = self.do_transfer()
            return reply.text
        if self.yes_no is False:
            self.state.go(Step.ANYTHING_ELSE)
            return "De acuerdo. ¿Necesita algo más?"
        return None

    def continue_anything_else(self) -> str | None:
        if self.task or any(self.has(intent) for intent in INFO_INTENTS):
            return None
        if nlu.is_closing(self.text):
            return self.do_goodbye()  # "ok gracias", "joya", "vale, perfecto": done.
        if self.yes_no is False or self.has(nlu.GOODBYE):
            return self.do_goodbye()
        if self.yes_no is True:
            self.state.go(Step.NONE)
            return "Claro, ¿en qué más puedo ayudarlo?"
        return None
