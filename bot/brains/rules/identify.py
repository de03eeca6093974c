"""The identity step: the full name and DNI of a patient whose turnos this number cannot
reach yet, and the one-time code sent to that patient's registered number.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod

from bot import nlu
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
        return self.continue_identify() or "Dígame su nombre completo y su número de documento, por favor."

    def continue_identify(self) -> str | None:
        name = nlu.extract_name(self.text, expecting=True)
        document = nlu.extract_document_number(self.text)
        if name and len(name.split()) >= 2:
            self.state.booking.patient_name = name
        if document:
            self.state.booking.document_number = document
        if not (name or document):
            return None
        if not self.state.booking.patient_name:
            return "Gracias. ¿Y su nombre completo?"
        if not self.state.booking.document_number:
            return "Gracias. ¿Y su número de documento?"
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
            message = result.get("message") or result.get("error") or "No pude verificar sus datos."
            return f"{message} ¿Quiere que lo comunique con recepción?"
        if not result.get("appointments"):
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return "No encuentro turnos próximos a su nombre. ¿Quiere sacar uno?"
        # Identified: the DNI in these same words must not start the identity step again.
        return self.start_appointment_flow(flow, identified=True)

    def continue_code(self) -> str | None:
        """The one-time code sent to the patient's registered number, typed or dictated."""
        code = extract_code(nlu.words_to_digits(normalize_text(self.text)))
        if not code:
            if self.yes_no is False or re.search(r"\bno (?:me )?(?:llego|tengo|recibi)", normalize_text(self.text)):
                self.state.go(Step.OFFER_TRANSFER)
                return "Entiendo. ¿Quiere que lo comunique con recepción?"
            return None
        result = self.tool("list_my_appointments", code=code)
        if result.get("ok"):
            flow = self.state.flow or Flow.LIST
            return f"Gracias, verifiqué sus datos. {self.start_appointment_flow(flow, identified=True)}"
        if result.get("code") == "code_wrong":
            return f"{result['error']} ¿Me lo repite, por favor?"
        self.state.go(Step.OFFER_TRANSFER)
        return f"{result.get('error', 'No pude verificar el código.')} ¿Quiere que lo comunique con recepción?"

    @abstractmethod
    def start_appointment_flow(self, flow: Flow, *, identified: bool = False) -> str:
        """The caller's turnos, listed, or the one to cancel or move (ManageTurnos)."""
