"""Safety first: emergencies and statements of self-harm, answered by the engine before any
brain sees the message, so neither the rules brain nor the model can answer "De acuerdo".

What counts lives in data (`bot/lexicons/safety.toml`, later rounds in `safety_more.toml`,
what is said inside a conversation with the receptionist in `safety_dialogue.toml`), not in
code: short word patterns matched on a normalised message (bot/safety_normalise.py: accents,
punctuation, chat spellings and typos corrected, a pronoun joined to its infinitive). A pattern's words come from one clause ("no puedo vivir con esta migraña,
quiero turno" is no wish to die), and are ignored when negated, in hyperbole ("me muero de
risa", "maldita resaca quiero morir") or when a verb that may take an object has one the
pattern does not name ("quiero desaparecer las manchas", "mi hija se corta el pelo").
Patterns themselves: bot/safety_patterns.py.

Recall and precision are measured on real-world phrasings by `bench/safety_eval.py`."""

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings

from bot import nlu, responses

# Re-exported for the tests and the bench, which read the message as the check does.
from bot.safety_normalise import correct as correct
from bot.safety_normalise import dictionary_words as dictionary_words
from bot.safety_normalise import normalise
from bot.safety_normalise import spanish_words as spanish_words
from bot.safety_patterns import BOUNDARY, Pattern, clause_of, lexicon
from bot.types import BotReply, ToolContext
from clinic.models import Clinic


class Concern(StrEnum):
    EMERGENCY = "emergency"
    SELF_HARM = "self_harm"


@dataclass(frozen=True)
class Finding:
    concern: Concern
    pattern: str  # the lexicon entry that matched, for logs and the bench


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


# Skipped between the link and the hyperbole word: "morir de la vergüenza", "de tanto estudiar",
# "con esta factura".
_HYPERBOLE_SKIPPED = frozenset(
    ["la", "el", "los", "las", "este", "esta", "estos", "estas", "tanto", "tanta", "tantos", "tantas"]
)


def _hyperbole(tokens: list[str], start: int, end: int) -> bool:
    """ "me muero de risa", "me quiero morir de la vergüenza", "de tanto estudiar", "con el
    precio de los lentes": "de" ("del", "con") and a hyperbole word right after one of the
    matched words (the span's words may come in any order), or "de
    lo" and praise ("me quiero morir de lo linda que quedó"); or the effort it exaggerates
    ("me voy a matar estudiando"). Not when sorrow of the heart is named soon after ("del
    dolor que siento en el alma"): that pain is the statement, not its exaggeration."""
    lex = lexicon()
    for position in range(start, end + 1):
        following = [t for t in tokens[position + 1 : position + 4] if t not in _HYPERBOLE_SKIPPED]
        if len(following) >= 2 and following[0] in ("de", "del", "con") and following[1] in lex.hyperbole:
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


def _trifling(tokens: list[str], chosen: list[int]) -> bool:
    """ "maldita resaca quiero morir", "sin música la vida no tiene sentido", "me duele la
    garganta listo para morir": a trifling cause said in the clause of a plain death wish
    makes it hyperbole; never that of an act ("hace frío y quiero tirarme del puente")."""
    lex = lexicon()
    if lex.wishes.isdisjoint(tokens[p] for p in chosen):
        return False
    clause = clause_of(tokens, min(chosen))
    return not lex.heartache.intersection(clause) and _any(clause, lex.trifling)


def _named_after(tokens: list[str], end: int) -> bool:
    """ "perdón por lo que voy a hacer, voy a cancelar el turno", "tengo 20 pastillas en la
    mano, ¿cuál es la dosis del antibiótico?": the clause after the one that left an act
    unsaid names it as a booking or a medicine taken as prescribed."""
    boundary = next((i for i in range(end + 1, len(tokens)) if tokens[i] == BOUNDARY), len(tokens))
    following = next((i for i in range(boundary, len(tokens)) if tokens[i] != BOUNDARY), None)
    return following is not None and _any(clause_of(tokens, following), lexicon().named)


def _first_match(
    tokens: list[str], patterns: tuple[Pattern, ...], *, trifles: bool = False, unsaid: bool = False
) -> Pattern | None:
    """The first pattern found and not negated, hyperbole, of another object or a topic; with
    `trifles`, not of a trifling cause said beside it (death wishes only: a trifle is no excuse
    for an emergency); for an act left `unsaid`, not named by the next clause either."""
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
                or (trifles and _trifling(tokens, chosen))
                or (unsaid and _named_after(tokens, end))
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
    if pattern := _first_match(own, lex.self_harm, trifles=True) or _first_match(own, lex.unsaid, unsaid=True):
        return Finding(Concern.SELF_HARM, pattern.source)
    # One's own end said as bookings no longer needed, with a resolve, even in a cancellation
    # ("cancelen todo, no voy a necesitar más turnos, ya lo decidí"), unless a reason to leave
    # the clinic is given ("..., me atiendo en el hospital").
    parting = _first_match(tokens, lex.parting) and not _any(tokens, lex.leaving)
    if parting and (pattern := _first_match(tokens, lex.resolve)):
        return Finding(Concern.SELF_HARM, pattern.source)
    # An attempt said without its act, unless it is a booking retried ("lo intenté otra vez
    # por teléfono"); a follow-up asked for ("lo intenté otra vez, quiero seguir con la
    # psicóloga") leaves it a statement, unless placed in the past.
    heard = not booking or (_any(tokens, lex.care) and not _any(tokens, lex.history))
    if heard and not _any(tokens, lex.channel) and (pattern := _first_match(tokens, lex.implied)):
        return Finding(Concern.SELF_HARM, pattern.source)
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
