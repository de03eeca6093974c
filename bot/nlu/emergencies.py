"""Words that call for the emergency number before anything else, from the intent rules
(bot/nlu/data/intents.toml [emergency]): the NLU's own emergency intent, beside the engine's
safety check (bot/safety.py), which runs first and knows self-harm too."""

from __future__ import annotations

import re

from bot.nlu.lexicon import load
from bot.nlu.normalize import understand

_RULES = load("intents")
EMERGENCY_PATTERNS = [re.compile(pattern) for pattern in _RULES["emergency"]["patterns"]]
# "Vengo de urgencias y me dijeron que pida cita", "ayer estuve en la guardia": the emergency
# room already seen is no emergency now (what the patient says besides still counts).
BEEN_TO_THE_ER = re.compile(
    r"\b(?:vengo|vine|volvi|sali|salgo|regrese|me dieron de alta|me mandaron|me derivaron) (?:de|desde) (?:la |el )?"
    r"(?:urgencias?|guardia|emergencias?|sala de emergencias?)\b"
    r"|\b(?:estuve|fui|pase|me atendieron|me vieron|me vio) (?:\w+ )?(?:en|a|por) (?:la |el )?(?:urgencias?|guardia|emergencias?)\b"
)
NOT_AN_EMERGENCY = re.compile(_RULES["emergency"]["not_an_emergency"])


def is_emergency(text: str) -> bool:
    """Words that call for the emergency number before anything else ("me duele el pecho",
    "no puedo respirar", "sangrado", ...). Errs on the side of caution."""
    understood = understand(text)
    if NOT_AN_EMERGENCY.search(understood):
        return False
    understood = BEEN_TO_THE_ER.sub(" ", understood)
    return any(pattern.search(understood) for pattern in EMERGENCY_PATTERNS)
