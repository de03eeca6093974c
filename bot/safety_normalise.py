"""How the safety check reads a message (bot/safety.py): lower case, no accents or
punctuation, chat abbreviations, stretched letters, spelling variants such as "pexo" or
"desmallo", and words that are not Spanish corrected towards the lexicon with rapidfuzz
("dlor fuerte d pcho", "suisidarme"). A real Spanish word is never corrected ("hecho" stays
"hecho", it does not become "pecho"): the word list is the Spanish dictionary shipped with
pyspellchecker plus the forms it lacks ("quiere", "matan"; bot/lexicons/spanish_forms.txt,
built by `manage.py safety_words`). A pronoun placed before the verb phrase joins its
infinitive ("me voy a tirar" reads as "me voy a tirarme"), so one pattern covers both word
orders; a misspelt verb of that phrase is read as the verb ("me quero morir", "me kiero
matra")."""

import gzip
import json
import re
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz, process
from unidecode import unidecode

from bot.safety_patterns import BOUNDARY, CLITICS, lexicon

# Real word forms the dictionary below lacks, near enough to the lexicon to be "corrected"
# into it (built by `manage.py safety_words`).
SPANISH_FORMS_PATH = Path(__file__).parent / "lexicons" / "spanish_forms.txt"


# Words that may stand between such a pronoun and the infinitive it belongs to. A verb in
# the third person makes "me" its object, not a reflexive: "mi jefe me va a matar" is not
# "va a matarme" said of oneself, while "se va a matar" is.
_BRIDGE_ANY = frozenset(["a", "que", "de", "ganas", "dan", "da", "por", "iba", "intento", "quieres", "vas", "vuelto"])
_BRIDGE_FIRST_PERSON = frozenset(
    ["quiero", "queria", "quisiera", "quise", "voy", "puedo", "tengo", "pienso", "pense", "planeo", "intente"]
    + ["estoy", "deberia", "podria", "acabo", "he", "volvi", "vuelvo", "sigo", "empece", "trate", "decidi"]
)
_BRIDGE_THIRD_PERSON = frozenset(
    ["quiere", "va", "puede", "tiene", "piensa", "esta", "deberia", "podria", "acaba", "ha", "volvio", "vuelve"]
    + ["sigue", "trato", "decidio", "intento", "quiso", "queria", "quisiera"]
)
_CLITIC_BRIDGE = {"me": _BRIDGE_ANY | _BRIDGE_FIRST_PERSON, "se": _BRIDGE_ANY | _BRIDGE_THIRD_PERSON}
_BRIDGE_WORDS = sorted(word for word in _BRIDGE_FIRST_PERSON | _BRIDGE_THIRD_PERSON if len(word) >= 4)
_INFINITIVE = re.compile(r"[a-z]{2,}(?:ar|er|ir)")
_TOKEN = re.compile(r"[a-z0-9]+|[,.;:!?]")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
# An infinitive said without its final r after a verb that governs it, as the Caribbean
# speaks and writes ("me voy a tirá", "ya no quiero seguí"): the accent marks it.
_ELIDED_R = re.compile(
    r"\b((?:voy|vas|va|vamos|van|iba) a|quiero|quiere|queria|quisiera|puedo|puede|pienso|ganas de)\s+(\w+[áéí])(?=\W|$)",
    re.IGNORECASE,
)
# Without its accent only after a pronoun and the governing verb, and only into an act the
# lexicon names with the pronoun ("me quiero tira del edificio" -> "tirar"): "no quiero
# esta" stays "esta".
_ELIDED_R_AFTER_PRONOUN = re.compile(
    r"\b((?:me|se) (?:(?:voy|vas|va|iba) a|quiero|quiere|queria|quisiera|pienso|piensa))\s+([a-z]+[aei])(?=\W|$)",
    re.IGNORECASE,
)
# No Spanish word ends in a doubled letter but "ee" ("lee", "cree"): "vivirr", "morirr".
_DOUBLED_END = re.compile(r"([a-df-z])\1\b")


@cache
def dictionary_words() -> frozenset[str]:
    """The Spanish dictionary of pyspellchecker (word frequencies from OpenSubtitles),
    without accents. Read from the package's data file directly: building a SpellChecker
    takes three times as long and this module only needs the word list."""
    data = resources.files("spellchecker").joinpath("resources", "es.json.gz").read_bytes()
    words = json.loads(gzip.decompress(data))
    return frozenset(unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode() for w in words)


@cache
def spanish_words() -> frozenset[str]:
    """Words that are never corrected: the dictionary plus the forms it lacks."""
    lines = SPANISH_FORMS_PATH.read_text(encoding="utf-8").splitlines()
    return dictionary_words() | frozenset(line for line in lines if line and not line.startswith("#"))


def fuzzy_cutoff(token: str) -> int:
    """How close (rapidfuzz ratio) an unknown word must be to a lexicon word to become it."""
    return 85 if len(token) == 4 else 80


@cache
def _vocabulary() -> tuple[frozenset[str], tuple[str, ...], list[str]]:
    vocabulary = lexicon().vocabulary
    return vocabulary, lexicon().prefixes, sorted(vocabulary)


@cache
def correct(token: str) -> str:
    """The lexicon word an unknown token was meant to be, or the token itself."""
    vocabulary, prefixes, choices = _vocabulary()
    if len(token) < 4 or token.isdigit() or token in vocabulary or token.startswith(prefixes):
        return token
    for old, new in lexicon().variants:
        variant = token.replace(old, new)
        if variant != token and (variant in vocabulary or variant.startswith(prefixes)):
            return variant
    if token in spanish_words() or _known_with_pronoun(token):
        return token
    for old, new in lexicon().variants:  # "kiere" -> "quiere": a chat spelling of a real word
        variant = token.replace(old, new)
        if variant != token and variant in spanish_words():
            return variant
    cutoff = fuzzy_cutoff(token)
    match = process.extractOne(token, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    # "quero" is "quiero", not the lexicon's "quebro": a misspelt verb that carries a
    # pronoun to its infinitive wins over an equally close lexicon word.
    bridge = process.extractOne(token, _BRIDGE_WORDS, scorer=fuzz.ratio, score_cutoff=cutoff)
    if bridge and (not match or bridge[1] >= match[1]):
        return bridge[0]
    if match:
        return match[0]
    return _corrected_prefix(token, prefixes) or token


def _known_with_pronoun(token: str) -> bool:
    """ "anotarme", "llamarlo", "anotame": a real infinitive, gerund or imperative with a
    pronoun attached (dictionaries list it alone). Other forms take no pronoun after them,
    so "morime" is "morirme" misspelt, not "morí" with "me"."""
    return any(
        token.endswith(pronoun) and stem.endswith(_TAKES_PRONOUN) and stem in spanish_words()
        for pronoun in ("me", "te", "se", "lo", "la", "le", "nos", "los", "las", "les")
        for stem in (token[: -len(pronoun)],)
    )


_TAKES_PRONOUN = ("ar", "er", "ir", "ndo", "a", "e")


def _corrected_prefix(token: str, prefixes: tuple[str, ...]) -> str:
    """A misspelt start of a prefix pattern ("suisidarme", "convulcion"): the token with its
    start replaced by the prefix it was meant to be."""
    best, best_score = "", 0.0
    for prefix in prefixes:
        if len(prefix) < 6 or len(token) < len(prefix):
            continue
        score = fuzz.ratio(token[: len(prefix)], prefix)
        if score >= (85 if len(prefix) >= 8 else 80) and score > best_score:
            best, best_score = prefix + token[len(prefix) :], score
    return best


def _fuse_clitics(tokens: list[str], raws: list[str]) -> list[str]:
    """ "me voy a tirar" -> "me voy a tirarme": the pronoun joins the infinitive it belongs
    to, so one pattern ("tirarme puente") covers both word orders; a misspelt word where
    the infinitive goes is read as the nearest act the lexicon names ("me kiero matra")."""
    fused = list(tokens)
    vocabulary = _vocabulary()[0]
    for i, token in enumerate(tokens):
        if token not in CLITICS:
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token == "se" and following.endswith("a") and following[:-1] + "arme" in vocabulary:
            # "se lastima", "se rasguña": the reflexive act of someone else reads "lastimarse",
            # which fills the lexicon's "lastimarme" (and only after "se": "qué lástima" is pity).
            fused[i + 1] = following[:-1] + "arse"
            continue
        for j in range(i + 1, min(i + 5, len(tokens))):
            word = tokens[j]
            if _INFINITIVE.fullmatch(word) or word in ("ir", "dar"):  # too short for the pattern
                fused[j] = word + token
                break
            if word not in _CLITIC_BRIDGE[token]:
                if infinitive := _misspelt_infinitive(raws[j]):
                    fused[j] = infinitive + token
                break
    return fused


@cache
def _misspelt_infinitive(raw: str) -> str | None:
    """ "matra", "ahorcr": an unknown word near an infinitive the lexicon names with a pronoun."""
    vocabulary, prefixes, _ = _vocabulary()
    if len(raw) < 4 or raw in vocabulary or raw.startswith(prefixes) or raw in spanish_words():
        return None
    match = process.extractOne(raw, _acts(), scorer=fuzz.ratio, score_cutoff=fuzzy_cutoff(raw))
    return match[0] if match else None


@cache
def _acts() -> list[str]:
    """The infinitives the lexicon names with a pronoun ("matarme" -> "matar")."""
    vocabulary = _vocabulary()[0]
    return sorted({w[:-2] for w in vocabulary if w.endswith(CLITICS) and _INFINITIVE.fullmatch(w[:-2])})


def _restored_r(match: re.Match) -> str:
    infinitive = unidecode(match[2]).lower() + "r"
    return f"{match[1]} {infinitive}" if infinitive in spanish_words() else match[0]


def _restored_r_after_pronoun(match: re.Match) -> str:
    stem = match[2].lower()
    # A present form of a stem-changing verb said for its infinitive ("me voy a avienta"
    # for "aventar"): the diphthong goes back to its vowel.
    for candidate in (stem, stem.replace("ie", "e", 1), stem.replace("ue", "o", 1)):
        infinitive = candidate + "r"
        if infinitive + "me" in _vocabulary()[0] and infinitive in spanish_words():
            return f"{match[1]} {infinitive}"
    return match[0]


# "se tomó las gotas, el frasco entero": the comma opens no new clause, the whole container
# says how much of what was swallowed.
_CONTAINERS = frozenset(
    ["frasco", "frasquito", "caja", "cajita", "blister", "botella", "tira", "pomo", "bote", "tarro"]
)
_WHOLE = frozenset(["entero", "entera", "completo", "completa"])


def _joined_appositives(tokens: list[str]) -> list[str]:
    joined = list(tokens)
    for i in range(len(tokens) - 4, 0, -1):
        after = tokens[i + 1 : i + 4]
        if tokens[i] == BOUNDARY and after[0] in ("el", "la") and after[1] in _CONTAINERS and after[2] in _WHOLE:
            del joined[i]
    return joined


def normalise(text: str) -> list[str]:
    """Words of the message as the lexicon spells them, with BOUNDARY for punctuation."""
    text = text or ""
    for emoji, word in lexicon().emoji.items():
        text = text.replace(emoji, f" {word} ")
    text = _ELIDED_R_AFTER_PRONOUN.sub(_restored_r_after_pronoun, _ELIDED_R.sub(_restored_r, text))
    plain = _DOUBLED_END.sub(r"\1", _STRETCHED.sub(r"\1", unidecode(text).lower()))
    abbreviations = lexicon().abbreviations
    tokens: list[str] = []
    raws: list[str] = []  # as written, for the words read as they are
    for raw in _TOKEN.findall(plain):
        if not raw[0].isalnum():
            tokens.append(BOUNDARY)
            raws.append(BOUNDARY)
            continue
        words = abbreviations.get(raw, correct(raw)).split()
        tokens.extend(words)
        raws.extend([raw] if len(words) == 1 else words)
    return _joined_appositives(_fuse_clitics(tokens, raws))
