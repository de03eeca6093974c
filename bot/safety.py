"""Safety first: emergencies and statements of self-harm, answered by the engine before any
brain sees the message, so neither the rules brain nor the model can answer "De acuerdo".

What counts lives in data (`bot/lexicons/safety.toml`, later rounds in `safety_more.toml`), not in code: short word patterns
matched on a normalised message. Patients write in a hurry and speak to a phone, so the
message is normalised first (accents, punctuation, chat abbreviations, stretched letters,
spelling variants such as "pexo" or "desmallo"), and words that are not Spanish are
corrected towards the lexicon with rapidfuzz ("dlor fuerte d pcho", "suisidarme"). A real
Spanish word is never corrected ("hecho" stays "hecho", it does not become "pecho"): the
word list is the Spanish dictionary shipped with pyspellchecker plus the forms it lacks
("quiere", "matan"; bot/lexicons/spanish_forms.txt, built by `manage.py safety_words`).
A pronoun placed before the verb phrase joins its infinitive ("me voy a tirar" reads as
"me voy a tirarme", "me he vuelto a hacer daño" as "hacerme daño"), so one pattern covers
both word orders; a misspelt verb of that phrase is read as the verb ("me quero morir").
A pattern's words come from one clause ("no puedo vivir con esta migraña, quiero turno" is
no wish to die), and are ignored when negated, in hyperbole ("me muero de risa") or when a
verb that may take an object has one the pattern does not name ("quiero desaparecer las
manchas", "mi hija se corta el pelo"). Patterns themselves: bot/safety_patterns.py.

Recall and precision are measured on real-world phrasings by `bench/safety_eval.py`."""

import gzip
import json
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

from django.conf import settings
from rapidfuzz import fuzz, process
from unidecode import unidecode

from bot import nlu, responses
from bot.safety_patterns import BOUNDARY, CLITICS, Pattern, lexicon
from bot.types import BotReply, ToolContext
from clinic.models import Clinic

# Real word forms the dictionary below lacks, near enough to the lexicon to be "corrected"
# into it (built by `manage.py safety_words`).
SPANISH_FORMS_PATH = Path(__file__).parent / "lexicons" / "spanish_forms.txt"


class Concern(StrEnum):
    EMERGENCY = "emergency"
    SELF_HARM = "self_harm"


@dataclass(frozen=True)
class Finding:
    concern: Concern
    pattern: str  # the lexicon entry that matched, for logs and the bench


# --- normalisation ---------------------------------------------------------------------

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


def _fuse_clitics(tokens: list[str]) -> list[str]:
    """ "me voy a tirar" -> "me voy a tirarme": the pronoun joins the infinitive it belongs
    to, so one pattern ("tirarme puente") covers both word orders."""
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
                break
    return fused


def _restored_r(match: re.Match) -> str:
    infinitive = unidecode(match[2]).lower() + "r"
    return f"{match[1]} {infinitive}" if infinitive in spanish_words() else match[0]


def normalise(text: str) -> list[str]:
    """Words of the message as the lexicon spells them, with BOUNDARY for punctuation."""
    text = text or ""
    for emoji, word in lexicon().emoji.items():
        text = text.replace(emoji, f" {word} ")
    text = _ELIDED_R.sub(_restored_r, text)
    plain = _DOUBLED_END.sub(r"\1", _STRETCHED.sub(r"\1", unidecode(text).lower()))
    abbreviations = lexicon().abbreviations
    tokens: list[str] = []
    for raw in _TOKEN.findall(plain):
        if not raw[0].isalnum():
            tokens.append(BOUNDARY)
            continue
        tokens.extend(abbreviations.get(raw, correct(raw)).split())
    return _fuse_clitics(tokens)


# --- assessment ------------------------------------------------------------------------


def _negated(tokens: list[str], start: int, pattern: Pattern) -> bool:
    """A negation right before the words ("no me duele el pecho"), unless the pattern itself
    is negative ("no puedo respirar")."""
    lex = lexicon()
    if any(slot.words & lex.negators for slot in pattern.slots):
        return False
    position = start - 1
    while position >= 0 and tokens[position] in lex.transparent:
        position -= 1
    if position >= 1 and tokens[position] == "nunca" and tokens[position - 1] in {"que", "como"}:
        return False  # "hoy más que nunca quiero desaparecer": a comparison, not a negation
    if tokens[position + 1 : position + 2] == ["se"] and position + 2 <= start and tokens[position + 2] in _QUESTION:
        return False  # "no sé para qué sigo vivo": not knowing, the question is asserted
    return position >= 0 and tokens[position] in lex.negators


_QUESTION = frozenset(["que", "para", "por", "porque", "como", "cuando", "si"])


def _hyperbole(tokens: list[str], start: int, end: int) -> bool:
    """ "me muero de risa", "me quiero morir de la vergüenza": "de" ("del") and a hyperbole word
    right after one of the matched words (the span's words may come in any order), or "de
    lo" and praise ("me quiero morir de lo linda que quedó"); or the effort it exaggerates
    ("me voy a matar estudiando"). Not when sorrow of the heart is named soon after ("del
    dolor que siento en el alma"): that pain is the statement, not its exaggeration."""
    lex = lexicon()
    for position in range(start, end + 1):
        following = [t for t in tokens[position + 1 : position + 4] if t not in {"la", "el", "los", "las"}]
        if len(following) >= 2 and following[0] in ("de", "del") and following[1] in lex.hyperbole:
            return not lex.heartache.intersection(tokens[position + 1 : position + 12])
        if following[:2] == ["de", "lo"] and len(following) == 3 and following[2] in lex.degree:
            return True
        if following and following[0] in lex.effort:  # "me voy a matar estudiando"
            return True
    return False


def _with_object(tokens: list[str], chosen: list[int]) -> bool:
    """ "quiero desaparecer las manchas", "se corta el pelo": a verb that may take an object,
    followed by one the pattern does not name (in "me corto los brazos" it does)."""
    lex = lexicon()
    for p in chosen:
        markers = lex.determiners if tokens[p] in lex.transitive else lex.objects.get(tokens[p], frozenset())
        following = p + 2 if p + 2 < len(tokens) and tokens[p + 1] == "mas" else p + 1  # "vivir más en"
        named = following + 1 < len(tokens) and tokens[following] in markers and following + 1 not in chosen
        if named and tokens[following + 1] not in lex.spans:  # "desaparecer un rato" is for how long
            # "no quiero vivir más con este dolor en el alma": sorrow is no object to leave alone.
            return not lex.heartache.intersection(tokens[following + 1 : following + 6])
    return False


def _topic(tokens: list[str], start: int) -> bool:
    """ "la prevención del suicidio", "somos una especie suicida": the words name a topic, or
    qualify something else, rather than say what the writer means to do."""
    position = start - 1
    while position >= 0 and tokens[position] in _TOPIC_LINKS:
        position -= 1
    return position >= 0 and tokens[position] in lexicon().topics


_TOPIC_LINKS = frozenset(["de", "del", "el", "la", "al", "sobre", "los", "las"])


def _first_match(tokens: list[str], patterns: tuple[Pattern, ...]) -> Pattern | None:
    present = set(tokens)
    for pattern in patterns:
        if not pattern.may_occur(present):
            continue
        for chosen in pattern.occurrences(tokens):
            start, end = min(chosen), max(chosen)
            if not (
                _negated(tokens, start, pattern)
                or _hyperbole(tokens, start, end)
                or _with_object(tokens, chosen)
                or _topic(tokens, start)
            ):
                return pattern
    return None


def _any(tokens: list[str], patterns: tuple[Pattern, ...]) -> bool:
    present = set(tokens)
    return any(pattern.may_occur(present) and pattern.find(tokens) for pattern in patterns)


def _masked(tokens: list[str], patterns: tuple[Pattern, ...]) -> list[str]:
    """The tokens with every occurrence of the patterns blanked out (as a clause boundary)."""
    masked = list(tokens)
    for pattern in patterns:
        for chosen in pattern.occurrences(tokens):
            masked[min(chosen) : max(chosen) + 1] = [BOUNDARY] * (max(chosen) - min(chosen) + 1)
    return masked


def assess(text: str) -> Finding | None:
    """Whether a message calls for the crisis line or the emergency number, and why.

    Self-harm first, whatever the context; then an attempt said without its act, and despair
    said with a goodbye, unless the message asks for something ("no tiene sentido esperar, chau, pido turno en otro lado").
    An emergency word inside a booking request is still an emergency when it happens now
    ("me duele mucho el pecho, quiero turno"); it is a booking when the request places it
    in the past, makes it mild or conditional, or, asking for nothing, says it is over ("el
    perro comió veneno hace un mes, ya está bien"). A past attempt told to book a follow-up
    ("hace un año tuve un intento de suicidio, quiero seguir con la psicóloga") is history:
    only what the rest of the message says counts."""
    tokens = normalise(text)
    lex = lexicon()
    booking = _any(tokens, lex.booking)
    acute = _any(tokens, lex.acute)
    own = _masked(tokens, lex.past) if booking and not acute else tokens
    if pattern := _first_match(own, lex.self_harm):
        return Finding(Concern.SELF_HARM, pattern.source)
    if not booking and (pattern := _first_match(tokens, lex.implied)):
        return Finding(Concern.SELF_HARM, pattern.source)  # an attempt said without its act
    if not booking and _first_match(tokens, lex.hopeless) and (pattern := _first_match(tokens, lex.farewell)):
        return Finding(Concern.SELF_HARM, pattern.source)  # despair and a goodbye: a farewell
    if pattern := _first_match(tokens, lex.strong):
        history = _any(tokens, lex.history) and not acute
        if not ((booking or _any(tokens, lex.resolved)) and history):
            return Finding(Concern.EMERGENCY, pattern.source)
    if not booking and not _any(tokens, lex.hypothetical) and (pattern := _first_match(tokens, lex.weak)):
        return Finding(Concern.EMERGENCY, pattern.source)
    return None


# --- the engine's answer ---------------------------------------------------------------


def crisis_line_for(clinic: Clinic) -> str:
    """The clinic's crisis line, or the deployment's default (Argentina's by default)."""
    return clinic.crisis_line.strip() or settings.SAFETY_CRISIS_LINE


def _numbers(clinic: Clinic) -> dict[str, str]:
    return {"emergency": clinic.emergency_number, "crisis_line": crisis_line_for(clinic)}


def engine_reply(text: str, context: ToolContext) -> BotReply | None:
    """The engine's safety turn: the answer to an emergency or a statement of self-harm, or
    to the transfer offer made right before; None when safety has nothing to say.

    Declining the offer resumes the step the emergency interrupted, so a patient who was
    choosing a slot continues where they were."""
    state = context.state
    numbers = _numbers(context.clinic)
    finding = assess(text)
    if finding is not None:
        state.interrupt_for_emergency(concern=finding.concern.value)
        template = responses.CRISIS if finding.concern == Concern.SELF_HARM else responses.EMERGENCY
        return BotReply(text=template.format(**numbers), brain="engine")
    if not state.after_emergency:
        return None
    crisis = state.safety_concern == Concern.SELF_HARM
    state.resume_after_emergency()
    if nlu.is_affirmative(text):
        template = responses.CRISIS_TRANSFER if crisis else responses.TRANSFER_CALL
        return BotReply(text=template.format(**numbers), transfer_to_human=True, brain="engine")
    if nlu.is_negative(text):
        template = responses.CRISIS_DECLINED if crisis else responses.EMERGENCY_DECLINED
        return BotReply(text=template.format(**numbers), brain="engine")
    return None
