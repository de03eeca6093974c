"""What the patient names: which offered option, their document, and the things a
clinic may or may not have (bot/nlu/data/world.toml). Pure functions over text; matching
against this clinic's own specialties, doctors and coverages is the brain's (it has the
database)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from appointments.policy import MARKED_DOCUMENT_RX
from bot.nlu.dates import MONTH_RX, WEEKDAYS, prepare_for_dates
from bot.nlu.intents import AVAILABILITY_WORDS
from bot.nlu.lexicon import load
from bot.nlu.normalize import VOCABULARY_SET, prepare, understand
from bot.nlu.numbers import words_to_digits
from clinic.lexicon import PHONE_FONO, lexicon_words
from clinic.selectors import normalize_text

# --- choosing among offered options ----------------------------------------------------

ORDINALS = {
    "primero": 0,
    "primera": 0,
    "primer": 0,
    "segundo": 1,
    "segunda": 1,
    "tercero": 2,
    "tercera": 2,
    "tercer": 2,
    "cuarto": 3,
    "cuarta": 3,
    "quinto": 4,
    "quinta": 4,
}


def extract_choice(text: str, count: int) -> int | None:
    """Index of the option picked by position: "el primero", "la segunda opción", "el 2",
    "opción 3", "el último", "cualquiera". Times and days are matched by the brain, which
    knows the options."""
    if count <= 0:
        return None
    understood = words_to_digits(understand(text))
    understood = re.sub(r"\b(\d)(?:ro|ra|do|da|er|to|ta)\b", r"\1", understood)
    if re.search(r"\b(?:ultimo|ultima|ultimito)\b(?! hora)", understood):
        return count - 1
    if re.search(
        r"\b(?:cualquiera|el que sea|la que sea|lo antes posible|(?:el|la) mas (?:tempran[oa]|pront[oa]|cercan[oa]))\b",
        understood,
    ):
        return 0
    # "la que sigue" (Mexico): the next one free, which is the first on offer.
    if says_next_one(text):
        return 0
    for word, index in ORDINALS.items():
        if re.search(rf"\b{word}\b(?! (?:hora|de (?:{MONTH_RX})))", understood) and not (
            word == "cuarto" and re.search(r"\b(?:y|menos) cuarto\b", understood)
        ):
            return index if index < count else None
    match = re.search(
        r"^(?:(?:el|la|opcion|numero|nro|n|la opcion|el numero|quiero el|quiero la|me quedo con el|me quedo con la|dame el|dame la) )?(\d)$",
        understood,
    )
    match = match or re.search(r"\b(?:opcion|numero|nro) (\d)\b", understood)
    if match:
        index = int(match[1]) - 1
        return index if 0 <= index < count else None
    return None


# "la de la tarde, porfa", "este, el de la mañana": one slot picked by its part of the day
# (the first of that part); "¿tiene alguna de la tarde?" asks for them instead.
PICK_BY_PART = re.compile(
    r"^(?:(?:este|eh|pues|bueno|mejor|entonces|ok|dale|vale|si|ya|ah|listo) )*"
    r"(?:la|el) de (?:la )?(?:manana|tarde|noche)\b"
)


def picks_by_part_of_day(text: str) -> bool:
    return "?" not in text and bool(PICK_BY_PART.search(understand(text)))


def says_next_one(text: str) -> bool:
    """ "la que sigue", "el que sigue" (Mexico), "la siguiente": the next free slot, after the one picked if
    one was; not "el martes, no, el que sigue", a day."""
    understood = understand(text)
    # "la siguiente" (round 7 dialogues), not "la siguiente semana".
    next_one = re.search(r"\b(?:el|la) (?:que sigue|siguiente)\b(?! (?:semana|mes|ano|dia)\b)", understood)
    return bool(next_one) and not re.search(rf"\b(?:{'|'.join(WEEKDAYS)})\b", understood)


# --- documents ----------------------------------------------------------------------

DNI_LENGTHS = (7, 8)  # digits of an Argentine DNI
DOCUMENT_DIGITS_SAID = (6, 11)  # any accepted document written as digits (appointments.policy)
DOCUMENT_KEYWORD = re.compile(
    r"\b(?:dni|documento|docu|cedula|ci|cc|rut|run|ine|curp|nie|dni es|numero de documento)\b"
)


# Letters as said on the phone (Spain's DNI and NIE end, and a NIE starts, with one). Only
# the letters a DNI or NIE can carry, and no word: "... cero cero o", "... y", "... a" never
# grow a letter.
SPOKEN_LETTERS = {
    "be": "B", "ce": "C", "de": "D", "efe": "F", "ge": "G", "hache": "H",
    "jota": "J", "ka": "K", "ele": "L", "eme": "M", "ene": "N", "pe": "P", "cu": "Q", "erre": "R",
    "ese": "S", "te": "T", "uve": "V", "ve": "V", "be corta": "V", "uve doble": "W", "equis": "X",
    "i griega": "Y", "ye": "Y", "zeta": "Z", "ceta": "Z",
}  # fmt: skip
_LETTER_SAID = "|".join(sorted((re.escape(name) for name in SPOKEN_LETTERS), key=len, reverse=True))
# "4 8 3 0 0 1 0 0 pe", "48300100 letra jota", "equis 1 2 3 4 5 6 7 ele": the letter closes
# the message, so "48300100 de Buenos Aires" keeps no "D".
SPOKEN_SPANISH_DOCUMENT = re.compile(
    rf"(?:\b(?P<first>equis|x|ye|i griega|y|zeta|z) )?(?P<digits>\d(?:[ .]?\d){{6,7}})"
    rf" (?:(?:con )?(?:la )?letra )?(?P<last>{_LETTER_SAID}|[b-df-hj-np-tv-xz])\W*$"
)


def _spoken_spanish_document(prepared: str) -> str | None:
    said = SPOKEN_SPANISH_DOCUMENT.search(prepared)
    if not said:
        return None
    digits = re.sub(r"\D", "", said["digits"])
    last = SPOKEN_LETTERS.get(said["last"], said["last"].upper())
    first = said["first"]
    if first and len(digits) == 7:
        return f"{SPOKEN_LETTERS.get(first, first.upper())}{digits}{last}"
    return f"{digits}{last}" if len(digits) == 8 and not first else None


def extract_document_number(text: str, *, expecting: bool = False) -> str | None:
    """The patient's document number: "12345678", "12.345.678", "dni 12 345 678", "doce
    millones trescientos cuarenta y cinco mil seiscientos setenta y ocho", digits said one
    by one. 7 or 8 digits (Argentine DNI); 6 to 11 (a Colombian or Dominican cédula, a RUT
    without its dash) when the patient says it is a document or answers the question for
    it (`expecting`). A document written with its mark keeps it, as the policy checks it:
    a RUT with its check digit ("18.444.555-7" -> "18444555-7"), a Spanish DNI or NIE
    ("48222111N", or said "... cero cero pe"), "V-12.345.678", a CURP, "001-1234567-8"."""
    marked = MARKED_DOCUMENT_RX.search(text or "")
    if marked:
        return marked[0].replace(".", "").upper()
    prepared = prepare_for_dates(text, correct=False)
    spoken = _spoken_spanish_document(prepared)
    if spoken:
        return spoken
    has_keyword = bool(DOCUMENT_KEYWORD.search(normalize_text(text)))
    # A time ("a las 10:30") is never part of a document.
    prepared = re.sub(r"\b\d{1,2}:\d{2}\b", " ", prepared)
    candidates = []
    for match in re.finditer(r"\d+(?:[ \-/]\d+)*", prepared):
        # "termina en 6, 30111226": a whole document said as one number is not joined to others.
        whole = [part for part in re.findall(r"\d+", match[0]) if DNI_LENGTHS[0] <= len(part) <= DNI_LENGTHS[1]]
        candidates.append(whole[0] if whole else re.sub(r"\D", "", match[0]))
    low, high = DOCUMENT_DIGITS_SAID if has_keyword or expecting else DNI_LENGTHS
    for digits in candidates:
        if low <= len(digits) <= high:
            return digits
    return None


# "la cédula de ella es ...", "el DNI de mi hija", "su documento", "DNI del nene": the
# document said is the relative's, not the caller's ("mi DNI es ..." stays the caller's).
_DOCUMENT_WORD = r"(?:dni|documento|docu|cedula|ci|cc|rut|run|curp|nie|pasaporte|identificacion)"
RELATIVES_DOCUMENT = re.compile(
    rf"\b(?:{_DOCUMENT_WORD} (?:de (?:ella|el|mi|mis|la|los|las|nuestr[oa])\b|del\b)"
    rf"|su (?:numero de )?{_DOCUMENT_WORD}\b)"
)


def says_relatives_document(text: str) -> bool:
    return bool(RELATIVES_DOCUMENT.search(normalize_text(text)))


# --- things the clinic may not offer ----------------------------------------------------

_WORLD = load("world")
# Display name -> spellings patients use, of specialties and coverages found anywhere.
COMMON_SPECIALTIES: dict[str, str] = _WORLD["specialties"]
COMMON_COVERAGES: dict[str, str] = _WORLD["coverages"]


def _aliases(display: str, spellings: str) -> list[str]:
    return [normalize_text(display)] + [normalize_text(s) for s in spellings.split(",") if s.strip()]


# A typo of a word shorter than this is a single slip of a letter: "columna" (two edits
# away) is no typo of the coverage "Colmena".
SINGLE_SLIP_BELOW = 9


def _is_typo_of(word: str, alias: str) -> bool:
    """ "kinesiolgia" for "kinesiologia"; never a word the rules know ("medicos" is not the
    coverage "Medicus")."""
    if word in VOCABULARY_SET or fuzz.ratio(alias, word) < 85:
        return False
    return len(alias) >= SINGLE_SLIP_BELOW or Levenshtein.distance(alias, word) <= 1


def _find_in_table(text: str, table: dict[str, str]) -> str | None:
    # As written and as typo-corrected: the correction knows the rules' words, not every
    # name ("union personal" must not become "union persona").
    written, understood = f" {prepare(text)} ", f" {understand(text)} "
    # Chile's "el fono" is the phone, not Fonoaudiología (the lexicon reads it the same way).
    for pattern, replacement in PHONE_FONO:
        written, understood = pattern.sub(replacement, written), pattern.sub(replacement, understood)
    # The longest name said wins: "Isapre Colmena" is Colmena, not any Isapre.
    said = [
        (len(alias), display)
        for display, spellings in table.items()
        for alias in _aliases(display, spellings)
        if f" {alias} " in written or f" {alias} " in understood
    ]
    if said:
        return max(said)[1]
    # Typos in long single words only ("kinesiolgia"); short ones would match anything.
    words = written.split()
    for display, spellings in table.items():
        for alias in _aliases(display, spellings):
            if len(alias) >= 6 and " " not in alias and any(_is_typo_of(word, alias) for word in words):
                return display
    return None


def find_common_specialty(text: str) -> str | None:
    """Display name of a well-known specialty the text mentions ("tienen kine?" ->
    "Kinesiología"), whether or not this clinic offers it. Read as the clinic's lexicon reads
    it: "¿ya están mis resultados de laboratorio?" asks for results, no laboratory (round 16)."""
    return _find_in_table(" ".join(lexicon_words(text)), COMMON_SPECIALTIES)


def find_common_coverage(text: str) -> str | None:
    """Display name of a well-known coverage from the region ("aceptan Fonasa?")."""
    return _find_in_table(text, COMMON_COVERAGES)


OFFER_SUBJECT = re.compile(
    r"\b(?:tienen|tenes|tiene|hay|hacen|haces|ofrecen|cuentan con|atienden|atendes|atiende|trabajan con|trabajas con|"
    r"aceptan|aceptas|acepta|reciben|toman|cubren|cubre|atienden por|atienden con)\b (?:(?:el|la|los|las|un|una|por|con|de|servicio de|consultorio de) )*(.+)"
)
SUBJECT_STOPWORDS = {"aca", "ahi", "ustedes", "ahora", "hoy", "por", "favor", "porfa", "che", "alla"}


def extract_offer_subject(text: str) -> str | None:
    """What the patient asks whether the clinic has or accepts: "tienen kine?" -> "kine",
    "trabajan con OSDE" -> "osde". Raw words: the caller resolves them against its data."""
    match = OFFER_SUBJECT.search(understand(text))
    if not match:
        return None
    words = [w for w in match.group(1).split() if w not in SUBJECT_STOPWORDS]
    if words and words[0] in AVAILABILITY_WORDS:
        return None
    return " ".join(words[:4]) or None


# --- who the turno is for ----------------------------------------------------------------

RELATIVES = (
    "hija|hijo|hijos|hijas|nena|nene|bebe|esposa|esposo|marido|mujer|pareja|novia|novio|mama|papa|madre|padre|"
    "hermana|hermano|abuela|abuelo|nieta|nieto|sobrina|sobrino|suegra|suegro|tia|tio|prima|primo|senora|senor"
)
FOR_WHOM = re.compile(
    rf"\b(?:(?:para|a|de) (?:mi|mis|la|el)|por (?:mi|mis)) (?P<relative>{RELATIVES})\b|\bpara (?P<self>mi|mi misma|mi mismo)\b(?! (?:{RELATIVES})\b)"
)


# "dos citas para mis dos hijos", "turnos para mis 2 nenas": one turno for each of them.
COUNTED_RELATIVES = re.compile(
    r"\b(?:para|a|de) (?:mis|los|las) (?:(?P<count>dos|tres|2|3) )?(?P<relatives>hij[oa]s|nen[ea]s|herman[oa]s|niet[oa]s|sobrin[oa]s|prim[oa]s)\b"
)
COUNTED_TURNOS = re.compile(r"\b(?P<count>dos|tres|2|3) (?:citas|turnos|horas|consultas|fichas)\b")
COUNTS = {"dos": 2, "2": 2, "tres": 3, "3": 3}


def extract_people(text: str) -> list[str]:
    """Who the turnos are for, in the order said: "" for the caller, else the relative
    ("uno para mí y otro para mi hija" -> ["", "hija"]; "dos citas para mis hijos" -> ["hijo",
    "hijo"]). Empty when nobody is said."""
    understood = understand(text)
    turnos = COUNTED_TURNOS.search(understood)
    said = {
        match.start(): [match["relatives"].removesuffix("s")] * COUNTS[count]
        for match in COUNTED_RELATIVES.finditer(understood)
        if (count := match["count"] or (turnos and turnos["count"]))
    }
    for match in FOR_WHOM.finditer(understood):
        said.setdefault(match.start(), [match["relative"] or ""])
    people: list[str] = []
    for _start, persons in sorted(said.items()):
        people += persons if len(persons) > 1 else [p for p in persons if p not in people]
    return people


# Whose turno a sentence points at, among the caller's and a relative's: "el mío", "la suya",
# "la de él", "el de mi hija". THEIRS is a relative not named.
THEIRS = "them"
TURNO_OF = re.compile(
    rf"\b(?:el|la) (?:(?P<own>mio|mia)|(?P<theirs>suyo|suya)|de (?:(?P<pronoun>el|ella)|(?:mi|la|el) (?P<relative>{RELATIVES})))\b"
)
# Said right after or before one of them, it is the one kept: "la mía déjala", "el de mi hija
# no", "dejá el mío".
KEPT_AFTER = re.compile(
    r"\W*(?:dejal[ao]|dejel[ao]|(?:lo|la) dejo|no\b(?!\s+(?:el|la)\b)|(?:lo|la) mantengo|queda|sigue)"
)
KEPT_BEFORE = re.compile(r"\b(?:deja|deje|dejame|dejeme|mantene|mantenga|no cancele?s?|no anule?s?|no)\s+$")


def turno_owner(text: str) -> str | None:
    """Whose turno is meant: "" (the caller's), a relative ("hija"), THEIRS (a relative not
    named: "la suya", "la de él"), or None when the words point at nobody's. With one of them
    kept ("anulá la suya, la mía dejala", "cancelá el mío y dejá el de mi marido"), the other."""
    understood = understand(text)
    meant: list[str] = []
    kept: list[str] = []
    for match in TURNO_OF.finditer(understood):
        owner = "" if match["own"] else (match["relative"] or THEIRS)
        is_kept = KEPT_AFTER.match(understood, match.end()) or KEPT_BEFORE.search(understood[: match.start()])
        (kept if is_kept else meant).append(owner)
    if meant:
        return meant[0]
    if kept:
        return THEIRS if kept[0] == "" else ""
    return None


ASAP = re.compile(
    r"\b(?:lo antes posible|cuanto antes|lo (?:mas )?(?:pronto|temprano) (?:posible|que (?:tenga\w*|haya|puedan?))|"
    r"lo mas pronto|el mas pronto|a la brevedad|ya mismo|(?:lo|el|la) primer[oa] (?:que|libre|disponible)|"
    r"(?:el|la) (?:que sigue|siguiente) (?:disponible|libre))\b"
)


def asks_earliest(text: str) -> bool:
    """ "lo antes posible", "cuanto antes", "lo más pronto", "el primero que tenga": the
    earliest bookable slot, today included."""
    return bool(ASAP.search(understand(text)))


OFFER_MOVES = (
    (
        "latest",
        re.compile(
            r"\b(?:el|la) ultim[oa] (?:que (?:tenga\w*|tenes|tienen|tiene|haya|hay)|turno|horario|cita|hora|del dia|posible)\b|\blo mas tarde (?:posible|que)\b"
        ),
    ),
    ("later", re.compile(r"\b(?:mas tarde|mas tardecito|despues de esos?|un poco despues|algo despues)\b")),
    # "la más temprana" picks the first one offered (extract_choice); "¿algo más temprano?" moves.
    (
        "earlier",
        re.compile(r"(?<!\bel )(?<!\bla )\b(?:mas temprano|mas tempranito|antes de esos?|un poco antes|algo antes)\b"),
    ),
)


def extract_offer_move(text: str) -> str | None:
    """How to move through the slots on offer: "latest" ("el último que tenga"), "later"
    ("más tarde", "algo después"), "earlier" ("otro más temprano"), or None."""
    understood = understand(text)
    return next((move for move, pattern in OFFER_MOVES if pattern.search(understood)), None)
