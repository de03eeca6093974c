"""Terms of endearment said to whoever answers, taken out before the patient's words are read:
the lexicon (clinic/lexicon.py) and the intents and yes/no (bot/nlu) read them alike."""

import re

# A term of endearment said to whoever answers ("hola mi amor, ¿tienen nutricionista?", "gracias
# mi reina", "mija, ¿me das un turno?", "buenas corazón", Chile's "hola tía") names no one and no
# specialty (the heart). "Mi amor", "mi reina", "mi vida" anywhere unless someone is told about
# ("mi amor tiene fiebre" is the partner); the bare words as the first words, after a greeting or
# thanks, or as the last words ("para mi amiga" is a friend). Read on normalised text.
_ENDEARMENTS = (
    "amor|amorcito|reina|reinita|rey|vida|vidita|cielo|cielito|corazon|corazoncito|linda|lindo|bella|hermosa|preciosa"
    "|querida|querido|negra|negrita|chula|chulo|guapa|guapo"
)
_BARE_ENDEARMENTS = f"(?:mi )?(?:{_ENDEARMENTS}|carino|mija|mijo|mijita|mijito|amiga|amigo|princesa)|tia|tio"
_TOLD_ABOUT = "tiene|esta|anda|amanecio|se|le|lo|la|les|los|necesita|quiere|tuvo|sufre|va|fue|no|ya|me|es|era"
_OPENERS = ("hola", "holi", "buenas", "dia", "dias", "tardes", "noches", "gracias", "oye", "oiga", "mire", "disculpe", "tal")  # fmt: skip
_FIRST = "|".join(["^", *(rf"(?<=\b{word} )" for word in _OPENERS)])
_LAST = "".join(rf"(?<!\b{word})" for word in ("para", "de", "del", "con", "a", "al", "el", "la", "su", "mi", "tu"))
TERM_OF_ENDEARMENT = re.compile(
    rf"\bmi (?:{_ENDEARMENTS})\b(?! (?:{_TOLD_ABOUT})\b)"
    rf"|(?:{_FIRST})(?:{_BARE_ENDEARMENTS})\b(?! (?:{_TOLD_ABOUT})\b)"
    rf"|{_LAST} (?:{_BARE_ENDEARMENTS})\s*$"
)


def without_endearments(said: str) -> str:
    """Normalised text without the terms of endearment said to whoever answers."""
    return " ".join(TERM_OF_ENDEARMENT.sub(" ", said).split())
