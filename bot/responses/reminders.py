"""What the clinic sends first (reminders, waitlist offers, the desk's changes) and the
answers to the patient's reply to one of them.

The first messages name no diagnosis and no specialty unless the clinic turns details on:
a lock screen shows the message to whoever holds the phone.
"""

from __future__ import annotations

REMINDER_SMS = (
    "{clinic}: le recordamos su turno del {when}{details}. Responda CONFIRMO, CAMBIAR o NO VOY. Mensaje automático."
)
WAITLIST_OFFER = (
    "{clinic}: se liberó un turno el {when}{details}. Usted está en nuestra lista de espera. "
    "¿Lo quiere? Responda SÍ para reservarlo o NO para seguir esperando otro."
)
WAITLIST_TAKEN = (
    "{clinic}: el turno del {when}{details} que le ofrecimos ya lo tomó otro paciente. "
    "Usted sigue en nuestra lista de espera y le avisaremos cuando se libere otro."
)
# The desk's reason is not repeated: it may name a diagnosis or a doctor's leave.
CLINIC_CANCELLED = (
    "{clinic}: lamentamos informarle que su turno del {when} fue cancelado por la clínica. "
    "Responda a este mensaje o escríbanos en {link} y le buscamos otro horario."
)
CLINIC_MOVED = (
    "{clinic}: su turno fue cambiado al {when}{details}. Si no le queda bien, responda CAMBIAR "
    "o escríbanos en {link} y le buscamos otro."
)
# Typed in the clinic's chat by the link in CLINIC_CANCELLED / CLINIC_MOVED.
RESCHEDULE_PROMPT = "Quiero cambiar mi turno"

STILL_WAITING = "Entendido. Sigue en la lista de espera y le avisamos si se libera otro turno."
OFFER_GONE = "Lo siento, ese turno ya lo tomó otro paciente. Sigue en la lista de espera y le avisamos del próximo."


def reminder_change(when: str) -> str:
    return f"Claro. Su turno es el {when}. ¿Para qué día y horario lo quiere pasar?"


def reminder_refused(error: str) -> str:
    return f"{error} Si necesita ayuda, escríbanos y lo comunico con recepción."


def reminder_confirmed(when: str) -> str:
    return f"¡Gracias! Su turno del {when} quedó confirmado. Lo esperamos."


def reminder_cancelled(when: str) -> str:
    return (
        f"Gracias por avisar. Cancelé su turno del {when} y el horario queda libre para otro paciente. "
        "Si quiere otro turno, escríbame cuándo le queda bien."
    )


def offer_accepted(when: str) -> str:
    return f"¡Listo! Le reservé el turno del {when}. Lo esperamos."


def booking_reconciled(*, specialty: str, when: str, doctor: str) -> str:
    """A turno that committed while the reply was lost (bot.reconcile), told on the next turn."""
    return (
        f"Le confirmo que su turno de {specialty} quedó reservado para el {when} {doctor}. "
        "Disculpe que no se lo haya podido confirmar antes."
    )
