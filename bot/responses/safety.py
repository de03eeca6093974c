"""Safety answers (bot.safety): an emergency gets the clinic's emergency number and an offer
to transfer; a statement of self-harm a calm answer with the crisis line, never "De acuerdo".
"""

from __future__ import annotations

EMERGENCY = (
    "Si se trata de una emergencia, llame ahora mismo al {emergency} o acuda a la guardia más cercana. "
    "Yo no puedo dar indicaciones médicas. ¿Quiere que lo comunique con recepción?"
)
CRISIS = (
    "Lamento mucho que esté pasando por un momento tan difícil, y gracias por contármelo. "
    "Puede hablar ahora mismo con alguien que sabe escuchar, gratis y a cualquier hora: {crisis_line}. "
    "Si está en peligro inmediato, llame al {emergency}. "
    "¿Quiere que lo comunique con una persona de la clínica?"
)
CRISIS_TRANSFER = (
    "Lo comunico con una persona de la clínica, aguarde un momento. "
    "La línea {crisis_line} también lo atiende en cualquier momento."
)
EMERGENCY_DECLINED = "Entendido. Ante cualquier urgencia llame al {emergency}. ¿En qué más puedo ayudarlo?"
CRISIS_DECLINED = (
    "Entendido. Recuerde que la línea {crisis_line} atiende a cualquier hora, "
    "y que si está en peligro puede llamar al {emergency}. Aquí sigo si me necesita."
)
