"""Patients correct themselves as they type or speak: "el jueves, perdón, el viernes", "el
martes... no, mejor el miércoles", "a las diez, digo, a las once". The value they meant is the
last one: `without_self_corrections` drops the first value with its marker when both are the
same kind (a day, a time, a part of the day), so the dates read only what was meant.

"el jueves o el viernes" offers two days and "perdón la molestia, quería el jueves" apologises:
neither has a value of the same kind on both sides of a correction marker. (Specialties said
and corrected, "con el pediatra... perdón, con el dentista", are the lexicon's: clinic.lexicon.)
"""

from __future__ import annotations

import re

SEP = r"[\s,.;:…!¡¿?()-]+"
# What says "I meant": "perdón", "digo", "mejor", "no, mejor", "o sea", "quise decir", "me
# equivoqué", and a bare "no" between two values ("el martes no, el miércoles").
MARKER = (
    r"(?:perd[oó]n(?:a(?:me)?)?|disculp[ae](?:me)?|digo|mejor|no+(?:" + SEP + r"(?:no+|mejor|perd[oó]n|espera))*"
    r"|o sea|osea|quise decir|quiero decir|me equivoqu[eé]|error|espera|corrijo)"
)
NUMBER_WORD = r"(?:una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce)"
DAY = (
    r"(?:(?:el|este|esta|para el|pal|al|del)\s+)?(?:lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)"
    r"(?:\s+\d{1,2})?|(?:para\s+)?(?:pasado\s+)?ma[nñ]ana(?!\s+(?:a|en|de|por)\b)|(?:para\s+)?hoy"
    r"|(?:el|para el)\s+\d{1,2}(?:\s+de\s+[a-z]+)?"
)
TIME = (
    r"(?:(?:a|para|tipo|como a)\s+)?las?\s+(?:\d{1,2}(?::\d{2})?|" + NUMBER_WORD + r")"
    r"(?:\s+y\s+(?:media|cuarto))?(?:\s*(?:hs|h|am|pm|horas))?"
)
PART = r"(?:a|en|de|por|para|pa)\s+la\s+(?:ma[nñ]ana|tarde|noche)"
CORRECTED = [
    re.compile(rf"\b(?:{kind})(?:{SEP})(?:{MARKER})(?:{SEP})(?=(?:{kind})\b)", re.IGNORECASE)
    for kind in (DAY, TIME, PART)
]


def without_self_corrections(text: str) -> str:
    """`text` without the values the patient took back: "el jueves, perdón, el viernes" ->
    "el viernes"."""
    text = text or ""
    for corrected in CORRECTED:
        text = corrected.sub(" ", text)
    return text
