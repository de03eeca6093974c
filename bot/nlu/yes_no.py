"""Yes and no, a closing, and the assistant's own read-back: what a short reply means
after a question (data: the [yes_no], [closing] and [read_back] tables of
bot/nlu/data/intents.toml). Kept apart from the intent rules in bot/nlu/intents.py, which
only ask yes_no() whether a message also says yes or no."""

from __future__ import annotations

import re

from bot.nlu.lexicon import load
from bot.nlu.normalize import understand
from clinic.endearments import without_endearments

_RULES = load("intents")
_YES_NO = _RULES["yes_no"]
AFFIRM_PHRASES = tuple(_YES_NO["affirm"])
WEAK_AFFIRM = tuple(_YES_NO["weak_affirm"])
DENY_PHRASES = tuple(_YES_NO["deny"])
AFFIRM_DESPITE_NO = tuple(_YES_NO["affirm_despite_no"])
LATE_DENY = frozenset(_YES_NO["late_deny"])
LATE_AFFIRM = frozenset(_YES_NO["late_affirm"])
CLOSING_WORDS = frozenset(_RULES["closing"]["words"])
WHETHER_AFTER = frozenset(_YES_NO["whether_after"])
GREETING_WORDS = frozenset(_YES_NO["greeting_words"])
CHANGE = re.compile(rf"\b(?:{'|'.join(_YES_NO['change'])})\b")
SENTENCE_END = re.compile(r"(?<!\bDr)(?<!\bDra)(?<!\bSr)(?<!\bSra)(?<!\d)[.:](?!\d)|[!;\n]")
_READ_BACK = {key: re.compile(rf"\b(?:{'|'.join(words)})\b") for key, words in _RULES["read_back"].items()}


def yes_no(text: str) -> bool | None:
    """True for a yes, False for a no, None when the patient said neither (or both)."""
    understood = understand(text)
    if not understood:
        return None
    words = understood.split()

    def starts_with(phrases) -> bool:
        return any(understood == p or understood.startswith(p + " ") for p in phrases)

    if starts_with(AFFIRM_DESPITE_NO):
        return True
    if starts_with(DENY_PHRASES):
        return False
    if starts_with(AFFIRM_PHRASES):
        return True
    if len(words) <= 3 and starts_with(WEAK_AFFIRM):
        return True
    for index, word in enumerate(words[:4]):
        if word in LATE_DENY:
            return False
        # "quisiera saber si tienen ...": "si" there is "whether", not "yes".
        # "hola sí, buenas": "sí" between greetings opens a call.
        if word == "si" and 0 < index < len(words) - 1 and {words[index - 1], words[index + 1]} <= GREETING_WORDS:
            continue
        if word in LATE_AFFIRM and not (word == "si" and index and words[index - 1] in WHETHER_AFTER):
            return True
    return None


def asks_for_change(text: str) -> bool:
    """Something besides the yes or no: "sí, pero a las 11", "sí, mejor con otro médico"."""
    return bool(CHANGE.search(understand(text)))


def read_back_question(text: str) -> str | None:
    """What an assistant's message asks the patient to go ahead with, when its last sentence
    is its only question and asks for that ("¿Confirmo el turno...?", "... ¿Es correcto?"):
    "cancel" or "reschedule" when it names that, "book" when it names neither, None when it
    asks something else or several things (a yes to it is a yes to no write)."""
    body = text.strip()
    if body.count("?") != 1 or re.search(r"\w", body.rsplit("?", 1)[1]):
        return None
    asked = body.rsplit("?", 1)[0]
    # The question opens at its "¿", else after the sentence before it ("Dr." ends none).
    question = asked.rsplit("¿", 1)[1] if "¿" in asked else SENTENCE_END.split(asked)[-1]
    if not _READ_BACK["go_ahead"].search(understand(question)):
        return None
    understood = understand(body)
    cancel, move = (bool(_READ_BACK[key].search(understood)) for key in ("cancel", "reschedule"))
    if cancel and move:
        return None
    return "cancel" if cancel else "reschedule" if move else "book"


def is_affirmative(text: str) -> bool:
    """A clear yes ("sí", "dale", "confirmo", "de una", "👍")."""
    return yes_no(text) is True


def is_negative(text: str) -> bool:
    """A clear no ("no", "nel", "ninguno", "mejor no")."""
    return yes_no(text) is False


def is_closing(text: str) -> bool:
    """Only acknowledgement and thanks ("ok gracias", "joya", "vale, perfecto"): the patient
    is done, whatever the last question was."""
    words = without_endearments(understand(text)).split()  # "mil gracias mi reina"
    return bool(words) and all(word in CLOSING_WORDS for word in words)
