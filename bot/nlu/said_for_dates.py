"""What the patient said about the day, rephrased the way bot/nlu/dates.py reads it, before it
reads it: the value taken back dropped ("el jueves, perdón, el viernes": bot/nlu/self_corrections),
and today's parts of the day said with "esta" ("¿hay pediatra esta tarde?" is today in the
afternoon, Spain's and everyone's) or with the siesta ("hoy de siesta", Paraguay's and
Argentina's early afternoon)."""

from __future__ import annotations

import datetime as dt
import re

from bot.nlu.dates import When
from bot.nlu.dates import extract_when as _extract_when
from bot.nlu.self_corrections import without_self_corrections

# "esta tarde", "esta noche" are today's; "esta mañana" only when asked for ("para esta mañana",
# "¿hay algo esta mañana?"): told, it is usually when something began ("esta mañana amaneció con
# fiebre"), as "desde esta tarde" is, and never tomorrow; asked at the end of a question
# ("¿la pediatra tiene algo libre esta mañana?") it is asked for too.
REPHRASED = (
    # round 13: a duration told ("llevo toda la mañana llamando") is no day asked for.
    (re.compile(r"\btod[ao] (?:la|esta|el) (?:santa |santo )?(?:ma[nñ]ana|tarde|noche|dia)\b", re.IGNORECASE), " "),
    (re.compile(r"(?<!desde )\besta (tarde|tardecita|noche)\b", re.IGNORECASE), r"hoy a la \1"),
    (
        re.compile(
            r"\b(para|hay|tienen|tenes|tiene|teneis|algo|turno|cita|hora|ser|seria|puedo|podria|quiero|queria"
            # "¿le puede ver la pediatra esta mañana?", "¿me atienden esta mañana?": to be seen then.
            r"|ver|verlo|verla|verle|verme|atender|atenderlo|atenderla|atenderme|atienden|atiende|me dan|darme|"
            r"vean|vea|atiendan|atienda|pasar|venir|ir) esta ma[nñ]ana\b",
            re.IGNORECASE,
        ),
        r"\1 hoy a la manana",
    ),
    (re.compile(r"(?<!desde )\besta ma[nñ]ana\s*\?", re.IGNORECASE), "hoy a la manana?"),
    # Told, "esta mañana" is no tomorrow ("mañana").
    (re.compile(r"\besta ma[nñ]ana\b", re.IGNORECASE), " "),
    (re.compile(r"\b(?:de|en la|por la|durante la|pa la|para la) siesta\b", re.IGNORECASE), "a la siesta"),
)


def rephrased_for_dates(text: str) -> str:
    text = without_self_corrections(text)
    for pattern, replacement in REPHRASED:
        text = pattern.sub(replacement, text)
    return text


def extract_when(text: str, *, now: dt.datetime) -> When:
    """bot.nlu.dates.extract_when of what the patient meant (`rephrased_for_dates`)."""
    return _extract_when(rephrased_for_dates(text), now=now)
