"""Every sentence the clinic sends first, in one place. No diagnosis and no specialty unless
the clinic turns details on: a lock screen shows the message to whoever holds the phone."""

import datetime as dt

from bot.formatting import at_time, format_date

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
RESCHEDULE_PROMPT = "Quiero cambiar mi turno"


def whatsapp_link(clinic_number: str) -> str:
    """A wa.me link that opens the clinic's chat with the reschedule request already typed."""
    from urllib.parse import quote

    return f"https://wa.me/{clinic_number.lstrip('+')}?text={quote(RESCHEDULE_PROMPT)}"


def when_phrase(start: dt.datetime, tz) -> str:
    local = start.astimezone(tz)
    return f"{format_date(local.date())} {at_time(local.time())}"


def details_phrase(*, doctor_name: str, specialty_name: str, include: bool) -> str:
    return f" con {doctor_name} ({specialty_name})" if include else ""


def first_name(full_name: str) -> str:
    return (full_name.split() or [""])[0].title()
