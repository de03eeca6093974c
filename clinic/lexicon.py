"""Matching what patients say against a clinic's lexicon: its specialties' names, aliases and
SpecialtyTerm rows (symptoms, services, check-ups, who the patient is) and the services it lacks.
build_lexicon reads those rows once per catalog (clinic.selectors.catalog_for); the rest is pure
text work over them: which phrases a message says, where, and which specialties they ask for."""

import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, utils
from rapidfuzz.distance import Levenshtein
from unidecode import unidecode

from clinic.endearments import without_endearments
from clinic.models import Clinic, MissingService, Specialty, SpecialtyTerm, TermKind


def normalize_text(text: str) -> str:
    """Lower case, no accents, no punctuation: how speech recognition and hurried typists write."""
    return utils.default_process(unidecode(text or ""))


@dataclass(frozen=True)
class LexiconEntry:
    """One phrase of the clinic's lexicon, normalised and split into words."""

    words: tuple[str, ...]
    specialty: Specialty | None = None  # the phrase means this specialty
    missing: MissingService | None = None  # ... or a service the clinic does not offer
    symptom: bool = False  # a symptom only suggests a specialty; a name says it
    patient: bool = False  # who the patient is ("mi nena"): a symptom that wins over the others
    checkup: bool = False  # a general check-up: a symptom that yields to any other specialty said
    specialist: MissingService | None = None  # a symptom of this lacking service's too ("tiroides")


def build_lexicon(*, clinic: Clinic, specialties: tuple[Specialty, ...]) -> tuple[LexiconEntry, ...]:
    """The clinic's lexicon for its catalog: names, aliases, SpecialtyTerm rows of the active
    specialties and the missing services' terms, longest phrase first (see find_mentions)."""
    active = {specialty.pk: specialty for specialty in specialties if specialty.is_active}
    entries: dict[tuple[str, ...], LexiconEntry] = {}

    def add(phrase: str, **target) -> LexiconEntry | None:
        words = tuple(lexicon_words(phrase))
        return entries.setdefault(words, LexiconEntry(words=words, **target)) if words else None

    # The lexicon's rows first: their kind says what a word is, so "piel" listed both as an
    # alias of Dermatología and as its symptom is a symptom ("mi bebé tiene brotes en la piel"
    # is the pediatrician's), while a name or alias alone still names the specialty.
    for term in SpecialtyTerm.objects.filter(specialty__in=list(active)).order_by("pk"):
        add(
            term.term,
            specialty=active[term.specialty_id],
            symptom=term.kind in (TermKind.SYMPTOM, TermKind.PATIENT, TermKind.CHECKUP),
            patient=term.kind == TermKind.PATIENT,
            checkup=term.kind == TermKind.CHECKUP,
        )
    for specialty in active.values():
        for phrase in (specialty.name, *specialty.alias_list):
            add(phrase, specialty=specialty)
    for missing in MissingService.objects.filter(clinic=clinic).select_related("suggested_specialty"):
        for phrase in missing.term_list:
            entry = add(phrase, missing=missing, symptom=not _names_service(phrase, missing.name))
            # Round 17: a specialty's symptom that is also the lacking service's ("hipotiroidismo")
            # is the GP's, unless the patient asks for "un especialista" (clinic.selectors).
            if entry and entry.specialty and entry.symptom and not entry.patient and entry.specialist is None:
                entries[entry.words] = replace(entry, specialist=missing)
    return tuple(sorted(entries.values(), key=lambda entry: -len(entry.words)))


# A phrase names a service when it starts like the service's name ("otorrino", "fono",
# "kine", "podologo") or names its professional or its therapy ("logopeda", "foniatra",
# "dietista", "matrona", "terapia de lenguaje"); otherwise it says what the patient has
# ("dolor de oido", "unero").
SERVICE_NAME_PREFIX = 4
PROFESSIONAL = re.compile(r"(?:logo|loga|logia|peda|pedia|atra|ista|euta|terapia|matrona|partera)s?$")


def _names_service(phrase: str, name: str) -> bool:
    said, named = normalize_text(phrase), normalize_text(name)
    return said[:SERVICE_NAME_PREFIX] == named[:SERVICE_NAME_PREFIX] or any(
        PROFESSIONAL.search(word) for word in said.split()
    )


@dataclass(frozen=True)
class Mention:
    """A phrase of the clinic's lexicon found in a text, at word `position`."""

    position: int
    length: int
    specialty: Specialty | None
    missing: MissingService | None
    symptom: bool = False
    patient: bool = False
    checkup: bool = False
    words: tuple[str, ...] = ()  # the lexicon's phrase said
    specialist: MissingService | None = None


# Words of at least this length tolerate a typo ("kinesiolgia"); shorter ones must be exact.
FUZZY_WORD_LENGTH = 6
FUZZY_WORD_CUTOFF = 85


# Below this length a typo is a single slip of a letter: "colmena" (a coverage) is two edits
# from "columna", not a typo of it.
SINGLE_SLIP_BELOW = 9


# Everyday words a letter away from a lexicon word: said, they mean themselves ("la factura de
# la consulta" is no "fractura", "un hombre" no "hombro", "huevos" no "huesos", "casada" no
# "cansada", "otros lugares" no "lunares", "la cadena" no "cadera").
EVERYDAY_WORDS = frozenset(
    {
        "factura", "facturas", "facturar", "facturacion", "hombre", "hombres", "huevo", "huevos", "casada",
        "casadas", "casado", "casados", "lugar", "lugares", "cadena", "cadenas", "madera", "carnes", "gramos",
        "visita", "visitas", "pension", "pesada", "pesado", "mareas", "manzana", "manzanas", "mesada",
    }
)  # fmt: skip


def _same_word(said: str, term: str) -> bool:
    if said == term or said in (f"{term}s", f"{term}es") or term in (f"{said}s", f"{said}es"):
        return True
    if said in EVERYDAY_WORDS:
        return False
    if len(term) < FUZZY_WORD_LENGTH or fuzz.ratio(said, term) < FUZZY_WORD_CUTOFF:
        return False
    return len(term) >= SINGLE_SLIP_BELOW or Levenshtein.distance(said, term) <= 1


# Intensifiers say how much, not what: "me duele mucho la espalda" is "me duele la espalda".
FILLER_WORDS = frozenset({"mucho", "muchisimo", "bastante", "demasiado", "re", "tanto", "horrible", "terrible"})


# Chile's "fono" is the phone ("el fono de la clínica", "mi fono es ..."), Argentina's "la
# fono" the speech therapist: with a masculine or possessive word before it, a phone.
PHONE_FONO = (
    (re.compile(r"\b(el|un|mi|su|tu|del|al|ese|este|otro|algun) fono\b"), r"\1 telefono"),
    (re.compile(r"\bfono (?=(?:de contacto|para llamar|de la clinica|fijo)\b)"), "telefono "),
)

# Ways of saying the same thing, read one way on both sides (the lexicon's phrases and the
# patient's words): "me duele la cabeza" / "dolor en la cabeza" is "dolor de cabeza", and a
# doctora de cabecera is a médico de cabecera.
SAME_SAYING = (
    (re.compile(r"\b(?:me|le|nos) duelen? (?:(?:el|la|los|las|un|una|mi|mis|su|sus) )?"), "dolor de "),
    (re.compile(r"\b(dolor(?:es)?|ardor) (?:en|de) (?:el|la|los|las|mi|mis|su|sus) "), r"\1 de "),
    (re.compile(r"\bdolores de\b"), "dolor de"),
    (re.compile(r"\bgracias de corazon\b"), "gracias"),
    # "un chequeo general con análisis y todo": the check-up's own tests, the GP's (round 8).
    (
        re.compile(
            r"\b((?:chequeo|control|revision)(?: general| completo| anual| de rutina)?) con (?:unos |los )?"
            r"(?:analisis|analiticas?|estudios|examenes|laboratorio)(?: de sangre)?(?: y todo| y eso)?\b"
        ),
        r"\1",
    ),
    (re.compile(r"\bde carne y hueso\b"), ""),
    # "un electro antes de la cirugía": the surgery planned is why the study is asked, not a
    # surgeon asked for (round 14).
    (re.compile(r"\b(?:antes de|previo a) (?:la|mi|su|una) (?:cirugia|operacion)\b"), "prequirurgico"),
    # "¿hace falta volante del médico de cabecera?", "la orden de mi clínico": the doctor who
    # refers is not the specialty asked for.
    (
        re.compile(
            r"\b(volante|orden|derivacion|pase|referencia|receta) (?:del|de mi|de su|de la|de tu) "
            r"(?:medic[oa] (?:de cabecera|de familia|general|clinic[oa])|medic[oa]|doctor|doctora|clinic[oa]|de cabecera)\b"
        ),
        r"\1",
    ),
    # "mi médico de cabecera me dijo que vea a un traumato": the doctor who sent the patient is
    # not the one asked for.
    (
        re.compile(
            r"\b(?:mi|el|la|su) (?:medic[oa]|doctor|doctora|clinic[oa]|pediatra)(?: de cabecera| de familia| general)? "
            r"(?=(?:me|le|nos|te) (?:dijo|dijeron|mando|derivo|pidio|indico|recomendo|sugirio|envio|refirio)\b)"
        ),
        "",
    ),
    # round 13: the sender said after the verb, "me ha mandado mi médico de cabecera".
    (
        re.compile(
            r"\b((?:me|le|nos) (?:ha |han |habia )?(?:mandado|mando|derivado|derivo|enviado|envio|remitido|remitio|"
            r"referido|refirio)) (?:el|la|mi|su) (?:medic[oa]|doctor|doctora|clinic[oa]|pediatra)"
            r"(?: de cabecera| de familia| general)?\b"
        ),
        r"\1",
    ),
    # round 13: Spain's "medicina de familia" is the GP's; "ando mal de la garganta" hurts there.
    (re.compile(r"\bmedicina (?:de familia|familiar)\b"), "medicina general"),
    (
        re.compile(
            r"\bmal (?:de la|del|de los|de las) (garganta|estomago|panza|barriga|guata|tripa|oidos?|espalda|muelas?)\b"
        ),
        r"dolor de \1",
    ),
    # "mi hijo tiene tres años": a child, as "mi nene" says.
    (
        re.compile(
            r"\bmi (?:hij|nen|nin)[oa] (?:tiene|de) (?:un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|"
            r"doce|[1-9]|1[0-2]) (?:anos?|mes|meses)\b"
        ),
        "mi nene",
    ),
    # "mi hija tiene tos", "mi hijo amaneció con fiebre": a son or daughter with symptoms is a
    # child; "turno para mi hijo" says whose turno, not which specialty, and "mi hijo tiene
    # turno" or "tiene treinta años" no symptom. Round 16: so is a hurt one ("mi hijo se cayó y
    # le duele el brazo").
    (
        re.compile(
            r"\b(?:mi|el|la|su) hij[oa](?= (?:que )?(?:tiene|amanecio|anda|esta|se desperto|se levanto|se queja"
            r"|se cayo|se golpeo|se lastimo|se torcio|se quemo|se corto)\b"
            r"(?! (?:turno|cita|hora|consulta|\w+ (?:anos|meses))\b))"
        ),
        "mi nene",
    ),
    # round 13: sons and daughters with symptoms, said in the plural ("mis hijos tienen fiebre"),
    # after the symptom ("la fiebre de mi hija", "dolor de oído a mi hijo") or as whom to see
    # beside one ("que un médico vea a mis hijos, les da fiebre"): children, as "mi nene" says.
    (
        re.compile(
            r"\b(?:mis|los|sus) hij[oa]s(?= (?:que )?(?:tienen|amanecieron|andan|estan|se despertaron|se quejan)\b"
            r"(?! (?:turno|cita|hora|consulta|\w+ (?:anos|meses))\b))"
        ),
        "mi nene",
    ),
    (
        re.compile(
            r"\b(fiebre|tos|mocos|diarrea|vomitos?|calentura|granitos|sarpullido|ronchas|dolor de \w+) (?:de|a) "
            r"(?:mi|mis|su|sus) hij[oa]s?\b"
        ),
        r"\1 de mi nene",
    ),
    (
        re.compile(
            r"\b(vea|vean|revise|revisen|atienda|atiendan|chequee|chequeen|mire|miren) a (?:mi|mis|su|sus) hij[oa]s?\b"
            r"(?=.*\b(?:fiebre|tos|mocos|diarrea|vomit\w*|calentura|granitos|sarpullido|dolor)\b)"
        ),
        r"\1 a mi nene",
    ),
    # "la tensión un poco alta", "la presión descontrolada": how high is still "presión alta".
    (re.compile(r"\b(?:un poco|un poquito|algo|muy|medio|super) (?=(?:alt|baj)[oa]s?\b)"), ""),
    (re.compile(r"\b(presion|tension|azucar) (?:descontrolada|elevada|subida)\b"), r"\1 alta"),
    # "la presión por las nubes", "la tensión por el cielo": very high.
    (re.compile(r"\b(presion|tension|azucar) (?:por las nubes|por el cielo|a mil|altisima)\b"), r"\1 alta"),
    *PHONE_FONO,
    # "¿La doctora Vázquez atiende niños?", "el dr Sosa ve bebés?": a fact about that doctor,
    # no child patient (round 7, nlu21); "el doctor que atiende niños" still is one.
    (
        re.compile(
            r"\b((?:dr|dra|doctor|doctora|doc|la medica|el medico) (?!(?:que|de|del|para|con|la|el|los|las|mas)\b)\w+"
            r"(?: \w+)? (?:atiende|atendera|ve|trata|recibe|mira|revisa|acepta) (?:a )?(?:los |las )?)"
            r"(?:ninos|ninas|nenes|nenas|bebes|chicos|chicas|chiquitos|adolescentes|pibes|guaguas|wawas|criaturas|menores)\b"
        ),
        r"\1",
    ),
    # "con el pediatra... perdón, con el dentista", "para cardio, digo, para traumato": the
    # specialist taken back is not asked for (days and times: bot.nlu.self_corrections).
    (
        re.compile(
            r"\b(con|para|pa|al) (?:el|la|un|una|los|las)? ?\w+(?: \w+)? (?:perdon|perdona|disculpa|disculpe|digo|"
            r"no mejor|mejor|no no|no perdon|o sea|osea|quise decir|me equivoque) (?=\1 (?:el|la|un|una|los|las)? ?"
            r"(?!(?:manana|tarde|noche|hoy|lunes|martes|miercoles|jueves|viernes|sabado|domingo|semana|mes|mi|mis)\b)\w+)"
        ),
        "",
    ),
    # Papers only a person hands over name no specialty: "una copia de la historia clínica", "¿me
    # dan el resultado de mis análisis por aquí?", "¿qué me salió en la biopsia?".
    (re.compile(r"\bhistori(?:a|al) (?:clinic[oa]|medic[oa])\b"), "historial"),
    (
        re.compile(
            r"\b(?:dar|darme|dan|den|decir|decirme|digan|dicen|mandar|mandarme|manden|mandan|enviar|enviarme|envien|"
            r"pasar|pasarme|entregar|entregarme|entregan|retirar|recoger|saber) (?:\w+ ){0,2}(?:el |los |mis |mi )?"
            r"resultados? (?:de|del) (?:(?:mis|los|la|las|el|mi|su|sus) )?\w+"
        ),
        "resultados",
    ),
    (
        re.compile(
            r"\b(?:que (?:me |le |nos )?(?:salio|salieron|dio|dieron) (?:en |de )?|(?:ya )?(?:estan|esta|salieron|salio|"
            r"llegaron|llego) (?:listos? |listas? )?)(?:(?:el|la|los|las|mis|mi) )?"
            # "¿ya están mis resultados de laboratorio?" (round 16): the results, not the lab.
            r"(?:resultados? (?:de|del) (?:(?:el|la|los|las|mis|mi) )?)?"
            r"(?:analisis|analiticas?|biopsias?|examen(?:es)?|estudios?|pruebas?|ecografias?|resonancias?|tomografias?|"
            r"radiografias?|mamografias?|papanicolaou|cultivos?|hemogramas?|laboratorio)\b"
        ),
        "resultados",
    ),
    # Round 17: "las extracciones" of the day of the analítica are the blood drawn, no tooth
    # pulled ("extracción de muela", "del diente" still are).
    (
        re.compile(
            r"\b(analisis|analiticas?)\b(.*?)\bextracciones?\b(?! (?:de|del|dental|dentales)\b)"
            r"|\bextracciones?\b(?! (?:de|del|dental|dentales)\b)(?=.*\b(?:analisis|analiticas?)\b)"
        ),
        lambda said: f"{said[1] or ''}{said[2] or ''}extraccion de sangre",
    ),
    # Round 17: a study already done ("me hice una eco de tiroides", "me sacaron unas placas") is
    # shown to the doctor asked for, not asked again of the service that does it.
    (
        re.compile(
            r"\b((?:ya )?(?:me|le|nos) (?:(?:he|ha|han|hemos) )?(?:hice|hizo|hicieron|hicimos|hecho|saque|saco|sacaron|"
            r"sacado|tome|tomo|tomaron|tomado)) (?:una|un|unas|unos|la|el|las|los|mi|mis) "
            r"(?:ecos?|ecografias?|radiografias?|placas?|rayos x|resonancias?|tomografias?|mamografias?|ultrasonidos?|"
            r"sonogramas?|densitometrias?)\b"
        ),
        r"\1 un estudio",
    ),
    (re.compile(r"\b(?:medica|doctora|doctor)\b"), "medico"),
    (re.compile(r"\b(?:medicas|doctoras|doctores)\b"), "medicos"),
)


def lexicon_words(text: str) -> list[str]:
    said = " ".join(word for word in without_endearments(normalize_text(text)).split() if word not in FILLER_WORDS)
    for pattern, replacement in SAME_SAYING:
        said = pattern.sub(replacement, said)
    return said.split()


# Who the patient is said with any determiner: the lexicon's "mi guagua" is also "la guagua",
# "el botija", "al nene", "nuestro crío".
DETERMINERS = frozenset({"mi", "mis", "el", "la", "los", "las", "al", "tu", "su", "nuestro", "nuestra", "este", "esta"})


def _any_determiner(said: str, term: str) -> bool:
    return term == "mi" and said in DETERMINERS


def find_mentions(*, lexicon: tuple[LexiconEntry, ...], text: str) -> list[Mention]:
    """Every specialty or missing service that `text` names with a phrase of the clinic's
    lexicon, in the order said; a longer phrase wins over the shorter ones inside it ("dolor
    de muela" over "dolor"), and a word said exactly wins over a typo's near match ("urologo"
    is Urología, not a slip of "neurologo")."""
    words = lexicon_words(text)
    taken = [False] * len(words)
    found: list[Mention] = []
    for same in (lambda said, term: said == term, _same_word):
        for entry in lexicon:
            size = len(entry.words)
            for start in range(len(words) - size + 1):
                if any(taken[start : start + size]):
                    continue
                if all(
                    same(words[start + i], word) or (i == 0 and entry.patient and _any_determiner(words[start], word))
                    for i, word in enumerate(entry.words)
                ):
                    taken[start : start + size] = [True] * size
                    found.append(
                        Mention(
                            start,
                            size,
                            entry.specialty,
                            entry.missing,
                            entry.symptom,
                            entry.patient,
                            entry.checkup,
                            entry.words,
                            entry.specialist,
                        )
                    )
    return sorted(found, key=lambda mention: mention.position)


# Complaints that come along with another one: said beside a more telling symptom, they name
# no specialty of their own.
ACCOMPANYING = frozenset(
    {
        "dolor de cabeza", "dolor de cabeza fuerte", "mareos", "mareo", "mareado", "mareada", "cansancio", "nauseas",
        # Round 17: a bruise beside a knock or a twist is the injury's ("me golpeé la rodilla y tengo un moretón").
        "moreton", "morete", "moraton", "hematoma",
    }
)  # fmt: skip


# Words of a broken, twisted or dislocated bone: said of a child, the injury's specialty, not
# the pediatrician (round 14).
INJURY_WORDS = frozenset(
    {
        "quebro", "quebre", "quebrado", "quebrada", "fractura", "fracturo", "fracturado", "fracturada", "esguince",
        "torcio", "torci", "torcido", "torcida", "torcedura", "luxacion", "disloque", "yeso", "enyesado", "enyesada",
    }
)  # fmt: skip


def asked_for(found: list[Mention]) -> list[Specialty]:
    """The specialties the mentions ask for, in the order said."""
    if any(not m.checkup for m in found):
        # "control anual con la ginecóloga", "el control anual de la vista", "el chequeo del
        # nene": the check-up of the specialty said, not a second one (the GP's).
        found = [m for m in found if not m.checkup]
    said = [m for m in found if m.specialty]
    if any(not m.symptom for m in found):
        # "mi nene tiene tos, quiero turno con la pediatra": the specialty named wins over the
        # one the symptom suggests; so does a service the clinic lacks ("kine para la rodilla",
        # "psicólogo para niños": the clinic answers about kinesiología, not traumatología).
        said = [m for m in said if not m.symptom]
    elif any(m.patient for m in said):
        # "mi nena tiene fiebre y tos": a child's symptoms are the pediatrician's; a bone broken
        # or twisted is the traumatologist's ("mi patojo se quebró el brazo"), a fall alone not.
        said = [m for m in said if set(m.words) & INJURY_WORDS] or [m for m in said if m.patient]
    elif any(" ".join(m.words) not in ACCOMPANYING for m in said):
        # "presión alta y dolor de cabeza": the headache goes with the pressure (Cardiología),
        # one complaint, not a second turno with the GP.
        said = [m for m in said if " ".join(m.words) not in ACCOMPANYING]
    return list(dict.fromkeys(m.specialty for m in said if m.specialty))
