"""What a channel says on its own, before or instead of a brain's reply: a call's silence,
keypad hint and failed transfer; a chat's media, voice notes, over-long or overlapping
messages; and the apologies when something broke.
"""

from __future__ import annotations

# --- calls (bot.channels.voice, the relay) ----------------------------------------------------

CALL_SILENCE = "No pude escucharlo, ¿podría repetir?"
CALL_KEYPAD = "Si le resulta más fácil, marque su DNI en el teclado y luego numeral."
CALL_SILENCE_GOODBYE = (
    "Parece que no logro escucharlo. Vamos a terminar la llamada; si lo prefiere, escríbanos por WhatsApp "
    "y lo ayudamos por ahí. ¡Que tenga un buen día!"
)
CALL_NO_ANSWER = (
    "En este momento no hay nadie disponible en recepción. Puede volver a llamar más tarde o escribirnos "
    "por WhatsApp. ¿Lo puedo ayudar yo con algo más?"
)
CALL_NO_RECEPTION = "En este momento no puedo comunicarlo con recepción. ¿Lo puedo ayudar yo con algo más?"
CALL_APOLOGY = "Disculpe, tuvimos un problema técnico. ¿Podría repetirme lo que me dijo?"
CALL_FATAL_APOLOGY = (
    "Disculpe, en este momento tenemos un problema técnico. Por favor, vuelva a llamar en unos minutos "
    "o escríbanos por WhatsApp."
)
CALL_RESUMED = "Disculpe, se cortó un momento. Sigo aquí: ¿en qué estábamos?"
CALL_CONTINUE = "¿En qué más lo puedo ayudar?"

# --- WhatsApp -----------------------------------------------------------------------------------

CHAT_TOO_LONG = (
    "Su mensaje es demasiado largo para que pueda leerlo. ¿Podría escribirme lo que necesita en un mensaje más corto?"
)
CHAT_MEDIA = (
    "Recibí su archivo, pero solo puedo leer mensajes de texto y audios. Puedo darle un turno, decirle "
    "sus próximos turnos, cancelarlos o cambiarlos, e informarle especialidades, obras sociales y "
    "horarios. Escriba /ayuda para ver qué más puedo hacer."
)
CHAT_MEDIA_WITH_TEXT = "Recibí su archivo, pero solo puedo leer el texto que lo acompaña."
CHAT_UNSUPPORTED = (
    "Por ahora solo puedo leer mensajes de texto y audios. Cuénteme en qué puedo ayudarlo: por ejemplo, "
    "«quiero un turno para cardiología». Escriba /ayuda para ver todo lo que puedo hacer."
)
VOICE_NOTES_UNAVAILABLE = (
    "Disculpe, por el momento no puedo escuchar mensajes de voz. ¿Podría escribirme lo que necesita?"
)
VOICE_NOTE_FAILED = "Disculpe, no pude escuchar bien su audio. ¿Podría escribirme lo que necesita?"
VOICE_NOTE_EMPTY = "No llegué a entender su audio. ¿Podría repetirlo o escribirme lo que necesita?"
CHAT_APOLOGY = "Disculpe, tuvimos un problema técnico. ¿Podría escribirme de nuevo en unos minutos?"
CHAT_BUSY = "Disculpe, todavía estoy respondiendo su mensaje anterior. ¿Me lo envía de nuevo en un momento?"


def voice_note_understood(quote: str, reply: str) -> str:
    """Quoting what was understood lets the patient catch a misheard date or name."""
    return f"Entendí: «{quote}».\n\n{reply}"
