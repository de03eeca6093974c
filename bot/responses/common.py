"""What the assistant says around the errands: the first message's notice, help, greetings,
thanks, goodbyes, the hand-over to reception and the fallback when it did not understand.
"""

from __future__ import annotations

HELP = (
    "Soy el asistente virtual de {clinic}. Puedo:\n"
    "• Darle turno con un especialista (por ejemplo: «quiero un turno para cardiología»).\n"
    "• Decirle sus próximos turnos, cancelarlos o cambiarlos de horario.\n"
    "• Informarle especialidades, obras sociales y prepagas, horarios y dirección.\n"
    "• Comunicarlo con recepción.\n"
    "Escriba /reiniciar para empezar de nuevo."
)
# Ley 25.326: the first message of a conversation says who is answering and where the
# privacy notice is (health data is sensitive data).
AUTOMATED_NOTICE = "Le responde el asistente automático de {clinic}."
PRIVACY_LINK = "Aviso de privacidad: {url}"
AUTOMATED_NOTICE_SPOKEN = (
    "Le atiende el asistente automático de {clinic}. Lo que conversemos se guarda según nuestro aviso de "
    "privacidad, publicado en nuestra página."
)
OFFER_RECEPTION = "¿Quiere que lo comunique con recepción?"
RESET = "Listo, empecemos de nuevo. ¿En qué puedo ayudarlo?"
FAREWELL = "Gracias por comunicarse con {clinic}. ¡Que tenga un buen día!"
EMPTY = "No llegué a entenderlo. ¿Me lo repite, por favor?"
REPEAT_PLEASE = "¿Me lo repite, por favor?"
APOLOGY = "Disculpe, tuve un problema para procesar su mensaje. ¿Podría repetirlo en unos minutos?"
ANYTHING_ELSE = "¿Necesita algo más?"
OK_ANYTHING_ELSE = f"De acuerdo. {ANYTHING_ELSE}"
YOU_ARE_WELCOME = "De nada."
HOW_CAN_I_HELP = "¿En qué puedo ayudarlo?"
WHAT_ELSE = "Claro, ¿en qué más puedo ayudarlo?"
RATE_LIMITED = "Recibí muchos mensajes seguidos desde este número. Por favor, espere un minuto y vuelva a escribirme."
TRANSFER_CALL = "Lo comunico con recepción, aguarde un momento, por favor."
TRANSFER_CHAT = "Le aviso a recepción para que lo atiendan."
RECEPTION_PHONE = "También puede llamar al {phone}."
# What the offline brain can do, said when it did not understand (HELP lists it for /ayuda).
ABILITIES = (
    "Puedo darle un turno, decirle sus turnos, cambiarlos o cancelarlos, "
    "e informarle especialidades, obras sociales, horarios y dirección. ¿Qué necesita?"
)
NOT_UNDERSTOOD = "Disculpe, no le entendí."
# The summary reception reads in the conversation's record when the patient says goodbye.
GOODBYE_SUMMARY = "El paciente se despidió."


def greeting(salutation: str, *, clinic: str) -> str:
    """ "Buenos días, Clínica San Rafael, ¿en qué puedo ayudarlo?" """
    return f"{salutation}, {clinic}, ¿en qué puedo ayudarlo?"


def help_short(clinic: str) -> str:
    """The offline brain's answer to "¿qué podés hacer?"."""
    return (
        f"Soy el asistente de {clinic}. Puedo darle un turno, decirle sus próximos turnos, "
        "cambiarlos o cancelarlos, e informarle especialidades, obras sociales, horarios y dirección. "
        "También puedo comunicarlo con recepción. ¿Qué necesita?"
    )


def not_understood(question: str = "") -> str:
    """ "Disculpe, no le entendí." and the pending question again, or what the assistant can do."""
    return f"{NOT_UNDERSTOOD} {question or ABILITIES}"


def farewell(clinic_name: str) -> str:
    return FAREWELL.format(clinic=clinic_name)


def transfer(*, channel: str, reception_phone: str = "") -> str:
    """Handing over to reception: on a call the line is transferred; on a chat, reception is told."""
    if channel == "phone":
        return TRANSFER_CALL
    return f"{TRANSFER_CHAT} {RECEPTION_PHONE.format(phone=reception_phone)}" if reception_phone else TRANSFER_CHAT
