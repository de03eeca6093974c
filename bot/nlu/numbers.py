"""Spanish number words to digits, as speech recognition writes numbers: "a las diez y
media" -> "a las 10 y media", "treinta y un millones cuatrocientos mil" -> "31400000"."""

from __future__ import annotations

UNITS = dict(
    zip(["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"], range(10), strict=True)
)
# Words that close a number below 30 (no "y" after them, except the old "diez y seis").
TEENS = dict(
    zip(
        [
            "diez",
            "once",
            "doce",
            "trece",
            "catorce",
            "quince",
            "dieciseis",
            "diecisiete",
            "dieciocho",
            "diecinueve",
            "veinte",
            "veintiuno",
            "veintidos",
            "veintitres",
            "veinticuatro",
            "veinticinco",
            "veintiseis",
            "veintisiete",
            "veintiocho",
            "veintinueve",
        ],
        range(10, 30),
        strict=True,
    )
) | {"veintiun": 21, "veintiuna": 21}
TENS = dict(
    zip(
        ["treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"],
        range(30, 100, 10),
        strict=True,
    )
)
HUNDREDS = (
    {"cien": 100, "ciento": 100}
    | {
        f"{stem}ient{ending}": value
        for stem, value in (
            ("dosc", 200),
            ("tresc", 300),
            ("cuatroc", 400),
            ("seisc", 600),
            ("setec", 700),
            ("ochoc", 800),
        )
        for ending in ("os", "as")
    }
    | {"quinientos": 500, "quinientas": 500, "novecientos": 900, "novecientas": 900}
)
NUMBER_WORDS = set(UNITS) | set(TEENS) | set(TENS) | set(HUNDREDS) | {"mil", "millon", "millones"}


def _parse_cardinal(words: list[str], start: int) -> tuple[int, int] | None:
    """Longest Spanish cardinal starting at words[start]: (value, words consumed).
    Handles "treinta y cinco millones ciento veinte mil cuatrocientos" and digit groups
    between the big words ("35 millones 120 mil 400", as speech recognition writes them)."""
    total = 0  # millions already closed
    thousands = 0  # thousands already closed
    group = 0  # below 1000, still open
    last = None  # kind of the previous word
    index = start
    consumed = start
    while index < len(words):
        word = words[index]
        if word in UNITS and last in (None, "tens_y", "hundred", "mil", "millon"):
            group += UNITS[word]
            last = "unit"
        elif word in ("un", "una") and last == "tens_y":
            # "treinta y un millones", "cuarenta y una mil".
            group += 1
            last = "unit"
        elif word in TEENS and last in (None, "hundred", "mil", "millon"):
            group += TEENS[word]
            last = "teen"
        elif word in TENS and last in (None, "hundred", "mil", "millon"):
            group += TENS[word]
            last = "tens"
        elif word == "y" and last == "tens" and index + 1 < len(words) and words[index + 1] in (*UNITS, "un", "una"):
            last = "tens_y"
        elif (
            word == "y"
            and last == "teen"
            and group % 100 == 10
            and index + 1 < len(words)
            and words[index + 1] in UNITS
        ):
            # "diez y seis": the old spelling of dieciséis, still said.
            last = "tens_y"
        elif word in HUNDREDS and last in (None, "mil", "millon"):
            group += HUNDREDS[word]
            last = "hundred"
        elif (
            word.isdigit()
            and len(word) <= 3
            and (last in ("mil", "millon") or last is None and _next_is_big(words, index))
        ):
            group += int(word)
            last = "digits"
        elif word == "mil" and last != "mil" and thousands == 0:
            thousands = (group or 1) * 1000
            group = 0
            last = "mil"
        elif word in ("millon", "millones") and last not in ("mil", "millon") and total == 0:
            total = (thousands + group or 1) * 1_000_000
            thousands = group = 0
            last = "millon"
        elif word == "un" and index + 1 < len(words) and words[index + 1] in ("millon", "mil") and last is None:
            group = 1
            last = "unit"
        else:
            break
        index += 1
        if last != "tens_y":
            consumed = index
    if consumed == start:
        return None
    if last == "digits" and consumed - start == 1:
        return None
    return total + thousands + group, consumed - start


def _next_is_big(words: list[str], index: int) -> bool:
    return index + 1 < len(words) and words[index + 1] in ("mil", "millon", "millones")


def words_to_digits(normalized: str) -> str:
    """Number words to digits in already-normalized text: "a las diez y media" ->
    "a las 10 y media", "doce millones trescientos mil cuarenta" -> "12300040". Single
    digits said one by one stay separate ("uno dos tres" -> "1 2 3")."""
    words = normalized.split()
    out: list[str] = []
    index = 0
    while index < len(words):
        parsed = _parse_cardinal(words, index)
        if parsed:
            value, length = parsed
            out.append(str(value))
            index += length
        else:
            out.append(words[index])
            index += 1
    return " ".join(out)
