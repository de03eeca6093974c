"""Text as the rules read it: emojis as words, lower case without accents or punctuation
(`clinic.selectors.normalize_text`), and typos corrected towards the rules' own vocabulary
(bot/nlu/data/vocabulary.toml) with rapidfuzz, so "afendar un truno" reads "agendar un turno"."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.nlu.lexicon import load
from clinic.selectors import normalize_text

_WORDS = load("vocabulary")
EMOJI_WORDS: dict[str, str] = {emoji: f" {word} " for emoji, word in _WORDS["emoji"].items()}
NUMBER_WORDS_SPELLED = frozenset(_WORDS["number_words"])
# Words the rules are written with: an unknown word is corrected only towards these, and a
# word already here is never "corrected".
VOCABULARY: list[str] = [*_WORDS["vocabulary"], *_WORDS["number_words"]]
VOCABULARY_SET = frozenset(VOCABULARY)
PROTECTED_WORDS = frozenset(_WORDS["protected"])
SHORTHAND: dict[str, str] = _WORDS["shorthand"]
# Number words are spelled right by speech recognition and typed as digits; as targets they
# would turn surnames into numbers ("Castro" -> "cuatro") and break a DNI.
CORRECTION_TARGETS = [word for word in _WORDS["vocabulary"] if word not in NUMBER_WORDS_SPELLED]
# Short words have too many neighbours ("hora"/"ahora"/"ora") to correct safely.
MIN_CORRECTED_LENGTH = 5
CORRECTION_CUTOFF = 80.0


# Folded hands after a question ask for what was asked ("¿lo puede ver la pediatra hoy? 🙏"):
# please; alone or after thanks they thank (EMOJI_WORDS).
PLEASE_AFTER_QUESTION = re.compile(r"\?\s*🙏+")


def emojis_to_words(text: str) -> str:
    text = PLEASE_AFTER_QUESTION.sub("? por favor", text or "")
    for emoji, word in EMOJI_WORDS.items():
        text = (text or "").replace(emoji, word)
    return text or ""


def prepare(text: str) -> str:
    """Emojis to words, then lower case without accents or punctuation."""
    return normalize_text(emojis_to_words(text))


@lru_cache(maxsize=4096)
def correct_word(word: str) -> str:
    if len(word) < MIN_CORRECTED_LENGTH or word in VOCABULARY_SET or word in PROTECTED_WORDS or not word.isalpha():
        return word
    # Typing slips rarely hit the first letter; requiring it keeps real words like
    # "martinez" from turning into "martes". The silent h is the exception ("orarios").
    # A slip changes a letter or two, rarely the length by more than one: "Camila" is a name,
    # not "cambiala".
    candidates = [
        v
        for v in CORRECTION_TARGETS
        if (v[0] == word[0] or (v[0] == "h" and v[1:2] == word[0])) and abs(len(v) - len(word)) <= 1
    ]
    match = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=CORRECTION_CUTOFF)
    return match[0] if match else word


def expand_shorthand(normalized: str) -> str:
    """ "q dias atiende xq necesito" -> "que dias atiende porque necesito" (input already
    normalized); "rayos x" keeps its x."""
    words = normalized.split()
    return " ".join(
        word if word == "x" and index and words[index - 1] in ("rayos", "rayo") else SHORTHAND.get(word, word)
        for index, word in enumerate(words)
    )


def correct_typos(normalized: str) -> str:
    """ "quiero afendar un truno" -> "quiero agendar un turno" (input already normalized)."""
    return " ".join(correct_word(word) for word in normalized.split())


# Cached: the engine and the brain read the same message several times a turn (~9 calls).
@lru_cache(maxsize=1024)
def understand(text: str) -> str:
    """The text as the rules read it: prepared, shorthand spelled out and typo-corrected."""
    return correct_typos(expand_shorthand(prepare(text)))
