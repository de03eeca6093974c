"""Who the patient says they are: their name ("me llamo Juan Pérez", "soy juan perez", a bare
"Juan Pérez" when the brain asked for it) and corrections of their data ("está mal el
apellido, es Pereira", "Gonzalez con zeta"). Pure functions over text; kept apart from
bot/nlu/entities.py because names are their own family of rules (what ends a name, what
follows "soy" without being one)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from bot.nlu.normalize import VOCABULARY_SET, understand
from clinic.selectors import normalize_text


def _word_set(text: str) -> frozenset[str]:
    return frozenset(phrase.strip() for phrase in text.split(",") if phrase.strip())


NAME_INTRO = re.compile(
    # "nadie me llamó", "ya me llamó la doctora" (round 13): a call, not a name.
    r"\b(?:(?<!nadie )(?<!no )(?<!nunca )(?<!ya )(?<!alguien )(?<!quien )me llamo|"
    r"mi nombre es|mi nombre completo es|mi nombre seria|soy|habla|le habla|les habla|te habla|"
    r"les escribe|le escribe|te escribe|"
    r"a nombre de|el nombre es|nombre|nombre completo|el paciente es|la paciente es|paciente|es para|"
    r"se llama|su nombre es|su nombre completo es)\b\s*"
)
# Said before a bare name that answers "¿su nombre?" ("listo, Juan Pérez", "ya, Juan Pérez").
NAME_FILLERS = frozenset(
    {
        "si",
        "ok",
        "okey",
        "dale",
        "bueno",
        "claro",
        "es",
        "seria",
        "ah",
        "listo",
        "vale",
        "ya",
        "sale",
        "perfecto",
        "pues",
    }
    # Praise said before the name once a question was answered ("bárbaro. Gonzalo Rodríguez").
    | {"barbaro", "genial", "joya", "excelente", "buenisimo", "macanudo", "chevere", "chido", "bacan", "gracias"}
    | {"perdon", "perdona", "perdone", "disculpa", "disculpe", "corrijo"}
)
NAME_PARTICLES = {"de", "del", "la", "las", "los", "y", "da", "di", "van", "von", "san"}
NAME_STOP = _word_set(
    "mi, mis, su, dni, documento, cedula, rut, con, tengo, quiero, quisiera, necesito, para, por, numero, "
    "nro, es, soy, gracias, porfa, favor, el, y, "
    # Who the patient is to someone else ends the name: "soy Valentina, la mamá de Tomás".
    "mama, papa, madre, padre, hija, hijo, esposa, esposo, abuela, abuelo, tia, tio, senora, senor, "
    # The request after the name ends it: "mi nombre es Rosa Quispe, deseo una cita" (Peru).
    "deseo, deseaba, desearia, queria, pido, un, una, "
    # Any other way of asking ends it too: "habla Jesús Cruz, ocupo cita" (Mexico), "soy Ana,
    # me das un turno", "les escribe Rosa Paz, busco un dentista", "soy Luis, llamo para".
    "ocupo, ocupaba, busco, buscaba, necesitaba, necesitaria, querria, quiera, queremos, llamo, escribo, "
    "me, te, le, les, nos, estoy, ando, vengo, podria, puedo, pueden, puede, tiene, tienen, hay"
)
# "es para sacarle un turno a mi hija", "es para pedirle una cita": a verb with its pronoun after
# "es para" is no name (a stem of three letters or more, so that "Carlos" is not one).
VERB_WITH_PRONOUN = re.compile(r"^[a-z]{3,}(?:ar|er|ir)(?:le|les|la|las|lo|los|me|te|se|nos)$")
DOCUMENT_LEAD_INS = {"y", "mi", "dni", "documento", "cedula", "rut", "numero", "nro", "con"}
# Words that can follow "soy" without being a name ("soy paciente de ustedes").
NOT_NAMES = _word_set(
    "paciente, pacientes, nuevo, nueva, afiliado, afiliada, socio, socia, mama, papa, madre, padre, "
    "hijo, hija, yo, el, la, de, un, una, quien, si, no, ok, dale, hola, buenas, buenos, gracias, bien, "
    "aca, del, particular, turno, cita, jubilado, jubilada, menor, mayor, senor, senora, senorita, joven, "
    # What the patient is rather than who: "soy hipertensa", "soy asegurado de EsSalud",
    # "soy mutualista de Muface", "soy diabético".
    "hipertenso, hipertensa, diabetico, diabetica, asmatico, asmatica, alergico, alergica, celiaco, celiaca, "
    "embarazada, asegurado, asegurada, mutualista, beneficiario, beneficiaria, titular, cotizante, usuario, "
    "usuaria, cliente, extranjero, extranjera, estudiante, residente, trabajador, trabajadora, empleado, empleada, "
    # Mexico's "derechohabiente" (of IMSS, ISSSTE), pensioners.
    "derechohabiente, derechohabientes, pensionado, pensionada, pensionista, afiliados, asegurados, "
    # When, after who it is for: "para mi hijo, lo más pronto posible", "para mi hija, cuanto antes".
    "lo, mas, cuanto, urgente, pronto, hoy, manana, ahora, ahorita, esta, este, "
    # round 13: how the patient pays or works ("soy monotributista, ¿tengo que llevar el
    # comprobante?"), and a question after "me llamo" ("nadie me llamó, ¿qué ha pasado?").
    "monotributista, monotributistas, autonomo, autonoma, autonomos, funcionario, funcionaria, docente, docentes, "
    "quien, ayer, anoche, "
    # Round 12: what follows "al paciente" or "es para" in a sentence ("atención al paciente porque
    # ...", "es para que me revise").
    "porque, que, pues, cuando, donde, como"
)


def _original_words(text: str) -> list[tuple[str, str]]:
    """(original word with its accents, normalized word) pairs, punctuation dropped."""
    pairs = []
    for raw in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text or ""):
        norm = normalize_text(raw).replace(" ", "")
        if norm:
            pairs.append((raw, norm))
    return pairs


def _title(word: str) -> str:
    return word.lower() if word.lower() in NAME_PARTICLES else word[:1].upper() + word[1:].lower()


def extract_name(text: str, *, expecting: bool = False) -> str | None:
    """The patient's name: "me llamo Juan Pérez", "soy juan perez", "es para mi mamá, se llama
    Ana Paz", or, when the brain just asked for it (`expecting`), the bare "Juan Pérez". Keeps
    accents, fixes capitals. Every introduction is tried in turn: "es para mi mamá" names nobody,
    the "se llama" after it does."""
    pairs = _original_words(text)
    if not pairs:
        return None
    norms = [norm for _raw, norm in pairs]
    joined = " ".join(norms)
    for intro in NAME_INTRO.finditer(joined):
        name = _name_at(pairs, len(joined[: intro.end()].split()), introduced=True)
        if name:
            return name
    if not expecting:
        return None
    start = 0
    # Fillers before the name ("si, Juan Pérez", "listo, Juan Pérez", "ok es Juan Pérez").
    while start < len(norms) and norms[start] in NAME_FILLERS:
        start += 1
    return _name_at(pairs, start, introduced=False)


# Who a relative is, said before their name: "es para mi hijo Diego Chávez".
RELATIVE_BEFORE_NAME = _word_set(
    "hija, hijo, nena, nene, esposa, esposo, marido, mujer, pareja, mama, papa, madre, padre, hermana, hermano, "
    "abuela, abuelo, nieta, nieto, sobrina, sobrino, suegra, suegro, tia, tio, prima, primo"
)


# How a relative's name is introduced ("a nombre de Héctor Domínguez", "se llama Ana Paz"); not
# "soy ...", which is the caller.
RELATIVE_NAME_INTRO = re.compile(
    r"\b(?:a nombre de|se llama|su nombre (?:completo )?es|el nombre es|el paciente es|la paciente es)\b\s*"
)


def extract_relative_name(text: str) -> str | None:
    """The full name of the relative a turno is for: said right after who they are ("la cita
    es para mi hijo Diego Chávez, su número es ...", "le escribo por mi mamá, Gloria Inés
    Cárdenas. Ella necesita ...") or introduced ("a nombre de Héctor Domínguez"). Only a full
    name (two words or more): "mi hija Sofi" may be a nickname, "para mi hijo mañana" no name."""
    for sentence in re.split(r"[.;!?\n]+", text or ""):
        pairs = _original_words(sentence)
        norms = [norm for _raw, norm in pairs]
        starts = [
            i + 1 for i in range(1, len(norms) - 1) if norms[i - 1] in {"mi", "su"} and norms[i] in RELATIVE_BEFORE_NAME
        ]
        joined = " ".join(norms)
        starts += [len(joined[: intro.end()].split()) for intro in RELATIVE_NAME_INTRO.finditer(joined)]
        for start in starts:
            name = _name_at(pairs, start, introduced=True)
            if name and len(name.split()) >= 2:
                return name
    return None


def _name_at(pairs: list[tuple[str, str]], start: int, *, introduced: bool) -> str | None:
    """The name that starts at word `start`, or None when the words there are not one."""
    if start >= len(pairs):
        return None
    words: list[str] = []
    stopped_at = None
    for raw, norm in pairs[start:]:
        if (norm in NAME_STOP and not (norm in NAME_PARTICLES and words)) or (
            norm in VOCABULARY_SET and norm not in NAME_PARTICLES
        ):
            stopped_at = norm
            break
        words.append(raw)
        if len(words) >= 6:
            break
    while words and normalize_text(words[-1]) in NAME_PARTICLES:
        words.pop()
    first = normalize_text(words[0]) if words else ""
    if not words or first in NOT_NAMES or first in NAME_PARTICLES or VERB_WITH_PRONOUN.search(first):
        return None
    # A whole sentence is not a name; a bare answer to "¿su nombre?" must look like one,
    # possibly followed by the document ("Juan Pérez, mi DNI es ...").
    if not introduced and stopped_at is not None and stopped_at not in DOCUMENT_LEAD_INS:
        return None
    if any(len(normalize_text(w)) < 2 for w in words if normalize_text(w) not in NAME_PARTICLES):
        return None
    return " ".join(_title(word) for word in words)


# --- corrections -------------------------------------------------------------------------

CORRECTION = re.compile(r"\b(?:mal|equivocad[oa]|equivoque|me confundi|incorrect[oa]|error|corrig\w*|cambi\w*|no es)\b")
# "está mal el apellido, es Juan Pereira": the right one follows "es"; commas may part it
# ("es Peraza, Yusmary Peraza": see _fullest_name).
CORRECTED_TAIL = re.compile(r"\b(?:es|era|ser[ií]a|se llama)\s+(?P<rest>[^\d.;]+)$", re.IGNORECASE)
SURNAME_IS = re.compile(r"\b(?:el|mi|su) apellido (?:es|era|ser[ií]a)\s+(?P<rest>[^\d.;]+)$", re.IGNORECASE)
# "falta mi segundo apellido: Mamani", "me faltó el apellido de mi mamá, es Sáenz": a surname added.
SURNAME_MISSING = re.compile(
    r"\b(?:falta(?:ba)?|me falt[oó]|(?:me )?olvid[eé](?: de)?(?: poner| decir)?|no (?:puse|dije))\s+(?:el|mi|su)\s+"
    r"(?:segundo )?apellido\b(?: (?:de|del) (?:mi |la |el )?\w+)?[\s,:]*(?:(?:que )?(?:es|era)\s+)?(?P<rest>[^\d.;]+)$",
    re.IGNORECASE,
)


def corrected_datum(text: str) -> str | None:
    """Which of the patient's data a correction is about: "document" ("el documento está mal",
    "me equivoqué en el DNI"), "name" ("el apellido está mal"), or None."""
    understood = understand(text)
    corrections = [match.start() for match in CORRECTION.finditer(understood)]
    if not corrections:
        return None
    said = [
        (min(abs(match.start() - at) for at in corrections), datum)
        for datum, pattern in DATUM_WORDS
        for match in pattern.finditer(understood)
    ]
    # "el documento está bien pero el nombre no es ...": the datum nearest the correction.
    return min(said)[1] if said else None


DATUM_WORDS = (
    ("document", re.compile(r"\b(?:documento|dni|cedula|rut|numero)\b")),
    ("name", re.compile(r"\b(?:nombre|apellido)\b")),
)


def extract_corrected_name(text: str, *, current: str) -> str | None:
    """The name inside a correction: "está mal el apellido, es Juan Pereira" -> "Juan Pereira";
    "no, el apellido es Pereira" -> the current first names with that surname; "falta mi segundo
    apellido: Mamani" -> the current name and that surname."""
    missing = SURNAME_MISSING.search(text or "")
    added = _fullest_name(missing["rest"]) if missing and current else None
    if added:
        # "Kelly Quispe Mamani" said whole, or only the "Mamani" that was missing.
        return added if len(added.split()) > 1 else f"{current} {added}"
    surname = SURNAME_IS.search(text or "")
    if surname and current:
        said = _fullest_name(surname["rest"])
        words = said.split() if said else []
        # "el apellido es Solano, María Fernanda Solano" said without its comma.
        if len(words) >= 3 and normalize_text(words[0]) in {normalize_text(w) for w in words[1:]}:
            said = " ".join(words[1:])
        if said:
            return " ".join([*current.split()[:-1], said]) if len(said.split()) == 1 else said
    tail = CORRECTED_TAIL.search(text or "")
    said = _fullest_name(tail["rest"]) if tail else None
    return said if said and len(said.split()) >= 2 else None


def _fullest_name(said: str) -> str | None:
    """The longest name among the comma-separated parts of what follows "es": people say the
    surname and then the whole name again ("es Peraza, Yusmary Peraza"), or add a courtesy
    ("es Pereira, por favor")."""
    names = [name for part in said.split(",") if (name := extract_name(part, expecting=True))]
    return max(names, key=lambda name: len(name.split()), default=None)


# How close a respelled word must be to the name's word it replaces ("Gonzales" -> "Gonzalez",
# "Jessica" -> "Yesica"), and how short a word may be to count as one.
RESPELLED_SIMILARITY = 75
RESPELLED_MIN_LENGTH = 3


# "es con y griega", "va con zeta", "se escribe con b larga": how a word of the name is spelled.
SPELLED_WITH = re.compile(
    r"\b(?:(?:es|va|se escribe|lleva) con (?:[b-df-hj-np-tv-z]|y griega|i griega|i latina|zeta|ese|hache|doble ele|elle|"
    r"be(?: larga| alta)?|ve(?: corta| baja| chica)?|ene|tilde|acento)|con (?:y griega|i griega|zeta|hache|"
    r"doble ele|be larga|ve corta))\b"
)


def spells_a_name(text: str) -> bool:
    """ "el apellido es con y griega", "Yesica va con y": the patient spells a word of a name."""
    return bool(SPELLED_WITH.search(normalize_text(text)))


def respelled_name(text: str, *, current: str) -> str | None:
    """The name read back with a word respelled: "no, Gonzalez es con zeta" after "Lucas
    Gonzales" -> "Lucas Gonzalez"; "es Yesica con y griega" -> "Yesica ...". Each word of the
    name is replaced by a word of the text spelled close to it but not the same. None when
    nothing changes."""
    if not current:
        return None
    said = [
        raw
        for raw, norm in _original_words(text)
        if len(norm) >= RESPELLED_MIN_LENGTH and norm not in NAME_STOP and norm not in VOCABULARY_SET
    ]
    words = current.split()
    changed = False
    for index, word in enumerate(words):
        key = normalize_text(word)
        for raw in said:
            other = normalize_text(raw)
            if other != key and fuzz.ratio(other, key) >= RESPELLED_SIMILARITY:
                words[index], changed = _title(raw), True
                break
    return " ".join(words) if changed else None
