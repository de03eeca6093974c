"""The identity step: the full name and DNI of a patient whose turnos this number cannot
reach yet, and the one-time code sent to that patient's registered number.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod

from bot import nlu, responses
from bot.brains.rules.base import TurnBase
from bot.state import Flow, Step
from clinic.selectors import normalize_text
from identity.codes import extract_code


class IdentifyStep(TurnBase, ABC):
    """Asks for what list_my_appointments needs to send or check a code. Once verified the
    caller's errand goes on in bot.brains.rules.manage."""

    def identify(self) -> str:
        """Start the identity step from this message's name and DNI."""
        self.state.booking.patient_name = ""
        self.state.booking.document_number = ""
        self.state.go(Step.IDENTIFY)
        return self.continue_identify() or responses.IDENTIFY_QUESTION

    def continue_identify(self) -> str | None:
        name = nlu.extract_name(self.text, expecting=True)
        document = nlu.extract_document_number(self.text, expecting=True)
        if name and len(name.split()) >= 2:
            self.state.booking.patient_name = name
        if document:
            self.state.booking.document_number = document
        if not (name or document):
            return None
        if not self.state.booking.patient_name:
            return responses.NAME_MISSING
        if not self.state.booking.document_number:
            return responses.DOCUMENT_MISSING
        result = self.tool(
            "list_my_appointments",
            document_number=self.state.booking.document_number,
            full_name=self.state.booking.patient_name,
        )
        flow = self.state.flow or Flow.LIST
        verification = result.get("verification")
        if verification == "code_sent":
            self.state.go(Step.CODE)
            return result["message"]
        if verification or not result.get("ok"):
            self.state.go(Step.OFFER_TRANSFER)
            message = result.get("message") or result.get("error") or responses.NOT_VERIFIED
            return responses.with_offer_reception(message)
        if not result.get("appointments"):
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return responses.NO_TURNOS_FOR_NAME
        # Identified: the DNI in these same words must not start the identity step again.
        return self.start_appointment_flow(flow, identified=True)

    def continue_code(self) -> str | None:
        """The one-time code sent to the patient's registered number, typed or dictated."""
        code = extract_code(nlu.words_to_digits(normalize_text(self.text)))
        if not code:
            if self.yes_no is False or re.search(r"\bno (?:me )?(?:llego|tengo|recibi)", normalize_text(self.text)):
                self.state.go(Step.OFFER_TRANSFER)
                return responses.NO_CODE_RECEIVED
            return None
        result = self.tool("list_my_appointments", code=code)
        if result.get("ok"):
            flow = self.state.flow or Flow.LIST
            return responses.verified(self.start_appointment_flow(flow, identified=True))
        if result.get("code") == "code_wrong":
            return responses.repeat_after(result["error"])
        self.state.go(Step.OFFER_TRANSFER)
        return responses.with_offer_reception(result.get("error", responses.CODE_NOT_CHECKED))

    @abstractmethod
    def start_appointment_flow(self, flow: Flow, *, identified: bool = False) -> str:
        """The caller's turnos, listed, or the one to cancel or move (ManageTurnos)."""
