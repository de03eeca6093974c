"""The caller's identity: the name and document asked, their format problems, and the
one-time code sent to a patient's registered number.
"""

from __future__ import annotations

from appointments.policy import DocumentProblem
from bot.responses.common import OFFER_RECEPTION

IDENTIFY_QUESTION = "Dígame su nombre completo y su número de documento, por favor."
CODE_QUESTION = "Dígame el código que le envié, por favor."
NO_TURNOS_FOR_NAME = "No encuentro turnos próximos a su nombre. ¿Quiere sacar uno?"
NOT_VERIFIED = "No pude verificar sus datos."
CODE_NOT_CHECKED = "No pude verificar el código."
NO_CODE_RECEIVED = f"Entiendo. {OFFER_RECEPTION}"

DOCUMENT_PROBLEMS = {
    DocumentProblem.MISSING: "Necesito su número de documento.",
    DocumentProblem.FORMAT: (
        "El número de documento no parece válido. Escríbalo tal como figura en el documento, "
        "con su dígito verificador o su letra si los tiene."
    ),
    DocumentProblem.RUT_VERIFIER: "El dígito verificador de ese RUT no coincide.",
    DocumentProblem.CONTROL_LETTER: "La letra de ese documento no coincide con el número.",
    DocumentProblem.CHECK_DIGIT: "El dígito verificador de ese documento no coincide con el número.",
    DocumentProblem.NOT_ACCEPTED: "Ese tipo de documento no lo puedo registrar; necesito su documento de identidad (DNI o cédula).",
}


def document_problem(problem: DocumentProblem) -> str:
    return DOCUMENT_PROBLEMS[problem]


def verified(then: str) -> str:
    return f"Gracias, verifiqué sus datos. {then}"


def with_offer_reception(message: str) -> str:
    """A refusal the caller cannot fix here: reception can."""
    return f"{message} {OFFER_RECEPTION}"
