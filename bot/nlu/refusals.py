"""What the patient rules out in a message: a day ("el lunes no puedo", "menos lunes y
martes", "que no sea el jueves"), a part of the day ("a la mañana no puedo") or a time ("a las 10
no alcanzo"). Read over text prepared by bot.nlu.dates.prepare_for_dates; kept apart from
dates.py, which reads what is wanted."""

from __future__ import annotations

import re

from bot.nlu.date_context import WEEKDAY_RX

NEGATION_BEFORE = re.compile(
    r"\b(?:no|nunca|menos|excepto|salvo|ni)(?: (?:puedo|podria|podemos|me queda|sea|seria|me sirve))?\s*$"
)
NEGATION_AFTER = re.compile(
    r"^\s*(?:no(?: (?:puedo|podria|podre|podemos|me (?:sirve|queda|viene|va)|voy|llego|alcanzo|estoy))?|ni|imposible|me (?:es )?imposible|tampoco)\b"
)


# After a weekday, only a clear refusal rules it out: "el jueves no puedo", not "el jueves no, el viernes"
# (which, without its comma, reads like "el jueves, no el viernes"); "el jueves al final no puedo", "el
# viernes ya no puedo" too (round 7 dialogues).
AS_IT_TURNS_OUT = (
    r"(?:al final|al fin|finalmente|ya|siempre|creo que|me parece que|resulta que|la verdad(?: es que)?|en realidad"
    r"|pensandolo bien)"
)
DAY_RULED_OUT_AFTER = re.compile(
    rf"^\s*(?:{AS_IT_TURNS_OUT} )?"
    r"(?:no (?:puedo|podria|podre|podemos|me (?:sirve|queda|viene|va)|voy|llego|estoy)|imposible|tampoco)\b"
)


def day_ruled_out(text: str, span: tuple[int, int]) -> bool:
    before = re.sub(r"\b(?:para )?(?:el|los)\s*$", "", text[max(0, span[0] - 28) : span[0]])
    negation = NEGATION_BEFORE.search(before)
    # "el miércoles no puedo, el jueves ...": that refusal is the Wednesday's, not Thursday's.
    if negation and re.search(rf"\b(?:{WEEKDAY_RX})(?: {AS_IT_TURNS_OUT})?\s*$", before[: negation.start()]):
        negation = None
    return bool(negation or DAY_RULED_OUT_AFTER.match(text[span[1] :]))


def refused_weekdays(text: str, said: list[re.Match[str]]) -> list[re.Match[str]]:
    """The weekdays ruled out, a day listed after a refused one too ("menos lunes y martes")."""
    refused: list[re.Match[str]] = []
    for match in said:
        listed = (
            bool(refused)
            and refused[-1] is said[said.index(match) - 1]
            and LISTED_RX.match(text[refused[-1].end() : match.start()])
        )
        if listed or day_ruled_out(text, match.span()):
            refused.append(match)
    return refused


LISTED_RX = re.compile(r"^\s*(?:y|e|ni)\s+(?:el\s+|los\s+)?$")


def is_refused(text: str, span: tuple[int, int]) -> bool:
    return bool(NEGATION_BEFORE.search(text[max(0, span[0] - 24) : span[0]]) or NEGATION_AFTER.match(text[span[1] :]))
