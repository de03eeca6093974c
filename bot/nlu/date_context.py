"""Which days and times in a message are the turno's (bot/nlu/dates.py reads them): what
is said of something else is blanked out before reading.

- A move names the turno held and then where to: "pasar el turno del jueves al martes que
  viene", "cambiar el de mañana para el viernes", "tenía turno el doce, lo pasan para la tarde
  del catorce": the day wanted is the one after "para / al / a / pa"; the turno held is read
  from the words before it (bot/brains/rules/manage.py splits them).
- A symptom's onset or a past visit is no day for the turno: "me duele desde el domingo",
  "hace tres días", "desde ayer", "la semana pasada me atendió ... me dijo que vuelva en
  quince días".
- A day the story happened on ("el sábado me caí por las escaleras") and an apology for the
  hour ("perdón que escriba tan temprano") are no day or part of the day for the turno.
- A meal said of a symptom ("me duele el estómago después de comer") is not a part of the day;
  an hours question about noon ("¿atienden al mediodía?") asks no time.
All functions take text already prepared by dates.prepare_for_dates (lower case, no accents,
numbers as digits) and keep its length, so spans found in it stay valid.
"""

from __future__ import annotations

import re

WEEKDAY_RX = r"(?:lunes|martes|miercoles|jueves|viernes|sabados?|domingos?)"
_DAY = rf"(?:{WEEKDAY_RX}|\d{{1,2}})"

# The verbs that move a turno, in the forms patients write: "pasar / pasamelo / me lo pasas",
# "correr / córreme", "recorrer" (Mexico), "mover / muévela", "rodar" (Venezuela), "cambiar".
MOVE_CUE = re.compile(
    r"\b(?:pasar\w*|pasa|pasame\w*|pasal[oa]s?|pasas|pasan|pasen|pase|paso|pasaria\w*|correr\w*|corre|corra|corras"
    r"|corren|correme\w*|corrame\w*|recorr\w+|mover\w*|mueve\w*|muevan|muevas|muevo|cambi\w+|adelant\w+|atras\w+"
    r"|posterg\w+|pospon\w+|traslad\w+|reprogram\w+|rodar\w*|rueda|ruedan|ruede|aplaz\w+)\b(?! manana)"
)
# Where to: "para el viernes", "al martes", "pal lunes", "pa el 15", "para la tarde del 14",
# "para pasado mañana", "para la semana que viene".
MOVE_TARGET = re.compile(
    rf"\b(?:para|pa|al|a|hacia|pal)\s+(?:(?:el|los)\s+|la\s+(?:tarde|manana|noche)\s+(?:del?|el)\s+(?:el\s+)?)?"
    rf"(?:proximo\s+|otro\s+|dia\s+)?{_DAY}\b"
    r"|\b(?:para|pa|a)\s+(?:hoy|manana|pasado manana)\b"
    r"|\b(?:para|pa|a)\s+la\s+(?:semana|otra semana|proxima semana)\b"
)
_DAY_SAID = re.compile(rf"\b(?:{_DAY}|hoy|manana|semana)\b")

# Always past: "hace tres dias", "desde hace una semana", "ayer", "anoche", "la semana pasada",
# "el lunes pasado" (not "pasado mañana").
PAST = re.compile(
    r"\b(?:desde )?hace (?:(?:un|una|unos|unas|\d+|varios|varias|pocos|pocas|mas de|casi|como|ya)\s+)*"
    r"(?:dias?|semanas?|mes|meses|anos?|horas?|rato|tiempo)\b"
    r"|\b(?:desde )?(?:ayer|anoche|antier|anteayer|antes de ayer)\b"
    rf"|\b(?:desde )?(?:el |la |este |esta )?(?:{WEEKDAY_RX}|semana|mes|ano|finde|fin de semana) pasad[oa]\b(?! manana)"
)
# "desde el domingo", "desde el 28": an onset when a symptom is said before it (in the same
# breath) or after "que" ("desde el viernes que tengo tos").
SINCE = re.compile(
    rf"\bdesde (?:el |la |este |esta )?(?:{_DAY}|hoy|esta manana|la manana|temprano|finde|fin de semana)\b(?! (?:de|en) adelante)"
)
SYMPTOM_CUE = re.compile(
    r"\b(?:duele|duelen|dolia|dolor|dolores|molest\w*|tengo|tiene|tienen|tenemos|ando|anda|andamos|siento|sienta|siente"
    r"|llevo|lleva|arde|pica|sangra\w*|fiebre|calentura|tos|vomit\w*|diarrea|mare\w*|hinch\w*|inflam\w*|empez\w*"
    r"|comenz\w*|ardor|picazon|comezon|gripe|gripa|resfri\w*|mocos|sali\w*|cai|caí|golpe\w*|torci\w*|lastim\w*)\b"
)
NOT_A_SYMPTOM = re.compile(r"\b(?:tengo|tiene|tenemos) (?:libre|tiempo|disponib\w*|turno|cita|hora)\b")
# Round 12: "el sábado me caí por las escaleras", "el domingo se golpeó": the day of the story
# ("quiero turno el sábado, me caí" asks for Saturday).
STORY_DAY = re.compile(
    r"(?<!\bpara )(?<!\bturno )(?<!\bcita )(?<!\bhora )(?<!\bconsulta )(?<!\bficha )"
    r"\b(?:el |este )(?<!\bpara el )(?<!\bturno el )(?<!\bcita el )(?<!\bhora el )(?<!\bconsulta el )"
    rf"{WEEKDAY_RX}(?= (?:que )?(?:me |se |nos |le |lo |la )?(?:cai|cayo|cayeron|torci|torcio|golpee|golpeo"
    r"|lastime|lastimo|quebre|quebro|rompi|rompio|doble|doblo|fracture|fracturo|empezo|empece|empezaron|comenzo|enferme|fui|fuimos|estuve|estuvimos|operaron|accidente)\b)"
)
# "perdón que escriba tan temprano", "disculpe que moleste tan tarde": the hour of the message.
APOLOGY_FOR_THE_HOUR = re.compile(
    r"\b(?:perdon|perdona|perdone|perdonen|perdonad|disculpa|disculpe|disculpen|disculpad)\b(?: \w+){0,3}? (?:tan|muy) (?:temprano|tarde)\b"
)
# "me dijo que vuelva en quince dias": counted from a past visit, not from today.
FROM_A_PAST_VISIT = re.compile(
    r"\b(?:dijo|dijeron|indico|indicaron|pidio|pidieron|mando|mandaron|recomendo|quedamos en) (?:\w+ ){0,3}?"
    r"(?:vuelva|volviera|vuelvas|volver|regrese|regresara|regresar|venga|viniera|vaya|fuera|control|volvamos)"
    r"(?: \w+){0,3}? (?:en|dentro de) (?:\d+|un|una) (?:dias?|semanas?|mes|meses)\b"
)

# "mañana te confirmo", "te aviso el lunes": when the patient will answer, not the turno's day
# ("el lunes, te confirmo mañana" keeps Monday: the day after the verb is read first).
_REPLY = r"(?:te|le|les|os) (?:escribo|llamo|aviso|confirmo|digo|respondo|contesto|hablo)"
REPLY_THEN_DAY = re.compile(rf"\b{_REPLY} (?:manana|pasado manana|(?:el )?{WEEKDAY_RX})\b")
DAY_THEN_REPLY = re.compile(
    rf"\b(?:manana|pasado manana|(?:el )?{WEEKDAY_RX}|esta tarde|esta noche|en un rato) {_REPLY}\b"
)

# "¿Atienden al mediodía?": the clinic's hours asked, no turno.
HOURS_CUE = re.compile(
    r"\b(?:a que hora|que horario|horarios?|abren|abris|abre|abrir|abiertos?|cierran|cerrais|cierra|cerrar|atienden|atendeis)\b"
)
BOOKING_WORD = re.compile(
    r"\b(?:turnos?|citas?|consultas?|fichas?|reserv\w*|agend\w*|sacar|pedir|una hora|dr|dra|doctora?|medic[oa]s?"
    r"|pediatra|dentista|\w+log[oa])\b"
)

# A meal said of a symptom: "me duele el estomago despues de comer", "me da acidez despues de almorzar".
MEAL_SAID = re.compile(r"\b(?:comer|almorzar|almuerzo|cenar|cena|comidas?)\b")
MEAL_SYMPTOM = re.compile(
    r"\b(?:duele|duelen|dolor|molest\w*|acidez|ardor|arde|hincho|hincha|hinchad\w*|inflam\w*|mare\w*|vomit\w*"
    r"|nause\w*|asco|siento|sienta|pesadez|reflujo|gases|colicos?|diarrea|me da|me dan|me pongo|me cae|me caen)\b"
)

# "para mi mamá y para mí, las dos con medicina general": both people, not two o'clock ("a las
# dos con el pediatra", "para las dos" stay times).
BOTH_OF_US = re.compile(
    r"(?<!\ba )(?<!\bpara )(?<!\bpa )(?<!\btipo )(?<!\bsobre )(?<!\bhacia )(?<!\bde )(?<!\bdesde )(?<!\bhasta )"
    r"(?<!\bentre )\blas [23](?= (?:con|para|nos|somos|necesitamos|queremos|tenemos|juntas|vamos|iriamos|al mismo"
    r"|el mismo|la misma|seriamos|estamos|tienen|necesitan|quieren)\b)"
)


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def drop_other_days(text: str) -> str:
    """`text` with the days that are not the turno's blanked (see the module's docstring)."""
    for pattern in (
        PAST,
        FROM_A_PAST_VISIT,
        REPLY_THEN_DAY,
        DAY_THEN_REPLY,
        BOTH_OF_US,
        STORY_DAY,
        APOLOGY_FOR_THE_HOUR,
    ):
        for match in pattern.finditer(text):
            text = _blank(text, *match.span())
    for match in SINCE.finditer(text):
        before = text[max(0, match.start() - 45) : match.start()]
        after = text[match.end() : match.end() + 30]
        said_before = SYMPTOM_CUE.search(before) and not NOT_A_SYMPTOM.search(before)
        said_after = re.match(r"\s*que\b", after) and SYMPTOM_CUE.search(after)
        if said_before or said_after:
            text = _blank(text, *match.span())
    return _moved_to(text)


def _moved_to(text: str) -> str:
    cue = MOVE_CUE.search(text)
    if cue is None:
        return text
    target = MOVE_TARGET.search(text, cue.end())
    if target is None or not _DAY_SAID.search(text, 0, target.start()):
        return text
    # "para la tarde del 14": the day after "del" is the one wanted.
    rest = re.sub(r"\b(?:del|de el) (?=\d{1,2}\b)", lambda m: " " * (len(m[0]) - 3) + "el ", text[target.start() :])
    return " " * target.start() + rest


def is_symptom_meal(text: str, span: tuple[int, int]) -> bool:
    """A part of the day found at `span` is a meal said of a symptom, not when to come."""
    return bool(MEAL_SAID.search(text, span[0], span[1]) and MEAL_SYMPTOM.search(text[max(0, span[0] - 40) : span[0]]))


def asks_opening_hours(text: str) -> bool:
    """An hours question with no turno in it ("¿atienden al mediodía?")."""
    return bool(HOURS_CUE.search(text) and not BOOKING_WORD.search(text))


# Mexico's "veinte para las once" (10:40), "cuarto para las cinco" (4:45): minutes before the hour.
# Not "el 15 para las 10" (the 15th, at 10).
MINUTES_TO_RX = re.compile(
    r"(?<!\bel )(?<!\bdia )(?<!\bdel )\b(?:(?:un )?(?P<quarter>cuarto)|(?P<minutes>5|10|15|20|25)) para (?:las|la) (?P<hour>\d{1,2})\b"
)


def _minutes_to(match: re.Match) -> str:
    minutes = 15 if match["quarter"] else int(match["minutes"])
    hour = int(match["hour"])
    if not 1 <= hour <= 24:
        return match[0]
    before = hour - 1 if hour > 1 else 12
    return f"a las {before}:{60 - minutes:02d}"


def minutes_to_hours(text: str) -> str:
    return MINUTES_TO_RX.sub(_minutes_to, text)
