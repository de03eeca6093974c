"""Rendering for speech: texts are written for a screen (WhatsApp, the simulator);
`for_speech` turns any of them into what text-to-speech should read: no bullets or emojis,
"08:30" as "8:30" (never "cero ocho"), "Dr." as "doctor", a short date like "2/12" as
"2 de diciembre". The voice channel and the relay apply it to every reply.
"""

from __future__ import annotations

import re

from bot.formatting import MONTH_NAMES

_EMOJI_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")
_TIME_RE = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")
_DAY_MONTH_RE = re.compile(r"\b([0-3]?\d)/(1[0-2]|0?[1-9])\b(?!/)")
_TITLES = {r"\bDra\.": "doctora", r"\bDr\.": "doctor", r"\bLic\.": "licenciada", r"\bNº": "número"}


def _spoken_time(match: re.Match) -> str:
    """ "08:30" -> "8:30": a leading zero is read out ("cero ocho") by text-to-speech."""
    return f"{int(match[1])}:{match[2]}"


def _spoken_day_month(match: re.Match) -> str:
    day, month = int(match[1]), int(match[2])
    if not 1 <= day <= 31:
        return match[0]
    return f"{day} de {MONTH_NAMES[month - 1]}"


def for_speech(text: str, *, partial: bool = False) -> str:
    """A screen text as text-to-speech should read it: no bullets, emojis or markdown, line
    breaks as pauses, clock times without a leading zero, short dates and titles as words.
    With `partial` (the complete words of an answer still streaming, bot.channels.relay_socket)
    the last line may go on, so it gets no closing period."""
    text = _EMOJI_RE.sub("", text or "")
    text = text.replace("•", "").replace("*", "").replace("_", " ")
    lines = [line.strip(" -\t") for line in text.splitlines()]
    open_line = len(lines) - 1 if partial and not text.endswith(("\n", "\r")) else -1
    sentences = [
        line if line[-1] in ".,;:!?¿¡»" or index == open_line else f"{line}."
        for index, line in enumerate(lines)
        if line
    ]
    text = " ".join(sentences)
    text = _TIME_RE.sub(_spoken_time, text)
    text = _DAY_MONTH_RE.sub(_spoken_day_month, text)
    for pattern, word in _TITLES.items():
        text = re.sub(pattern, word, text)
    return re.sub(r"\s+", " ", text).strip()
