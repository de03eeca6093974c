"""The waitlist: offering it when nothing suits, who waits, and what was written down."""

from __future__ import annotations

WAITLIST_OR_OTHER_DAY = "De acuerdo. Puedo buscarle otro día u horario, o anotarlo en la lista de espera."
WAITLIST_QUESTION = (
    "¿Quiere que lo anote en la lista de espera de {specialty}? Si se libera un turno le aviso por WhatsApp "
    "y, si lo quiere, es suyo."
)
WAITLIST_WHICH_SPECIALTY = "¿Para qué especialidad quiere anotarse en la lista de espera?"
WAITLIST_WHO = "Para anotarlo necesito el nombre completo y el número de documento de quien se atenderá."
WAITLIST_NAME_MISSING = "Gracias. ¿Y el nombre completo de quien se atenderá?"

PART_OF_DAY_PHRASES = {"morning": "a la mañana", "afternoon": "a la tarde", "evening": "a la noche"}


def waitlist_joined(waitlisted: dict) -> str:
    """What join_waitlist's result says, as the patient hears it (the name they gave)."""
    wishes = []
    if waitlisted.get("doctor"):
        wishes.append(f"con {waitlisted['doctor']}")
    if waitlisted.get("part_of_day"):
        wishes.append(PART_OF_DAY_PHRASES.get(waitlisted["part_of_day"], ""))
    detail = f" ({' '.join(w for w in wishes if w)})" if wishes else ""
    return (
        f"Listo, anoté a {waitlisted['name']} en la lista de espera de {waitlisted['specialty']}{detail}. "
        "Si se libera un turno le escribo por WhatsApp a este número."
    )
