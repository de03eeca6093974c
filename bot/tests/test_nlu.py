"""How patients across Latin America (and Spain) write or say things, and what the offline
brain must understand from them. Argentine vos, Mexican, Colombian, Chilean and Spanish
wording, typos, emojis and speech-recognition text (no accents, punctuation or capitals)."""

import datetime as dt
import zoneinfo

import pytest

from bot import nlu
from bot.formatting import format_date, format_slot_datetime, format_time, greeting_for, join_spanish, with_doctor
from bot.nlu.lexicon import load

# The tuning set: labelled examples per intent, kept as data (bot/nlu/data/intent_examples.toml);
# also the index of the fallback from examples (bot/nlu/examples.py).
EXAMPLES = load("intent_examples")
TZ = zoneinfo.ZoneInfo("America/Argentina/Buenos_Aires")
TUESDAY_9AM = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)  # Tuesday 1 December 2026
SATURDAY_EVENING = dt.datetime(2026, 12, 5, 19, 30, tzinfo=TZ)
SUNDAY_NOON = dt.datetime(2026, 12, 6, 12, 0, tzinfo=TZ)
END_OF_NOVEMBER = dt.datetime(2026, 11, 30, 18, 0, tzinfo=TZ)  # Monday
NEW_YEARS_EVE = dt.datetime(2026, 12, 31, 10, 0, tzinfo=TZ)  # Thursday


def recognised(text: str) -> str | None:
    """The intent the offline brain takes from a message: the rules' first, or the nearest
    labelled example's when the rules find none.

    The examples are the fallback's index, so an example may be a phrasing no rule knows (the
    rules would otherwise have to grow a pattern per example, sentence by sentence); what the
    tests forbid is a rule that contradicts an example."""
    return nlu.detect_intent(text) or nlu.intent_from_examples(text)


GREETINGS = EXAMPLES["greeting"]

ASK_SPECIALTIES = EXAMPLES["ask_specialties"]

ASK_COVERAGE = EXAMPLES["ask_coverage"]

ASK_HOURS = EXAMPLES["ask_hours"]

ASK_ADDRESS = EXAMPLES["ask_address"]
ASK_CONTACT = EXAMPLES["ask_contact"]

BOOK = EXAMPLES["book"]

MY_APPOINTMENTS = EXAMPLES["my_appointments"]

CANCEL = EXAMPLES["cancel"]

RESCHEDULE = EXAMPLES["reschedule"]

TRANSFER = EXAMPLES["transfer"]

GOODBYES = EXAMPLES["goodbye"]

HELP = EXAMPLES["help"]

AFFIRM = EXAMPLES["affirm"]

DENY = EXAMPLES["deny"]

EMERGENCIES = EXAMPLES["emergency"]
NOT_EMERGENCIES = [
    "no es una emergencia, quiero un turno",
    "quiero un turno urgente",
    "turno con el cardiólogo por la presión",
    "hola",
    "necesito un control de rutina",
    "tengo dolor de muelas, quiero un dentista",
]


def test_enough_phrasings_per_family():
    families = {
        "greeting": GREETINGS,
        "ask_specialties": ASK_SPECIALTIES,
        "ask_coverage": ASK_COVERAGE,
        "ask_hours": ASK_HOURS,
        "ask_address/contact": ASK_ADDRESS + ASK_CONTACT,
        "book": BOOK,
        "my_appointments": MY_APPOINTMENTS,
        "cancel": CANCEL,
        "reschedule": RESCHEDULE,
        "transfer": TRANSFER,
        "goodbye": GOODBYES,
        "help": HELP,
        "affirm": AFFIRM,
        "deny": DENY,
        "emergency": EMERGENCIES,
    }
    for family, phrasings in families.items():
        assert len(set(phrasings)) >= 30, family


def speech(text: str) -> str:
    """What speech recognition gives for a sentence: no accents, punctuation or capitals."""
    from unidecode import unidecode

    return " ".join("".join(ch for ch in unidecode(text).lower() if ch.isalnum() or ch.isspace()).split())


@pytest.mark.parametrize("text", GREETINGS)
def test_greeting(text):
    assert nlu.detect_intents(text) == [nlu.GREETING]


@pytest.mark.parametrize("text", ASK_SPECIALTIES)
def test_ask_specialties(text):
    assert recognised(text) == nlu.ASK_SPECIALTIES


@pytest.mark.parametrize("text", ASK_COVERAGE)
def test_ask_coverage(text):
    assert recognised(text) == nlu.ASK_COVERAGE


@pytest.mark.parametrize("text", ASK_HOURS)
def test_ask_hours(text):
    assert recognised(text) == nlu.ASK_HOURS


@pytest.mark.parametrize("text", ASK_ADDRESS)
def test_ask_address(text):
    assert recognised(text) == nlu.ASK_ADDRESS


@pytest.mark.parametrize("text", ASK_CONTACT)
def test_ask_contact(text):
    assert recognised(text) == nlu.ASK_CONTACT


@pytest.mark.parametrize("text", BOOK)
def test_book(text):
    assert recognised(text) == nlu.BOOK


@pytest.mark.parametrize("text", MY_APPOINTMENTS)
def test_my_appointments(text):
    assert recognised(text) == nlu.MY_APPOINTMENTS


@pytest.mark.parametrize("text", CANCEL)
def test_cancel(text):
    assert recognised(text) == nlu.CANCEL


@pytest.mark.parametrize("text", RESCHEDULE)
def test_reschedule(text):
    assert recognised(text) == nlu.RESCHEDULE


@pytest.mark.parametrize("text", TRANSFER)
def test_transfer(text):
    assert recognised(text) == nlu.TRANSFER


@pytest.mark.parametrize("text", GOODBYES)
def test_goodbye(text):
    assert nlu.is_goodbye(text)


@pytest.mark.parametrize("text", HELP)
def test_help(text):
    assert recognised(text) == nlu.HELP


@pytest.mark.parametrize("text", AFFIRM)
def test_affirm(text):
    assert nlu.yes_no(text) is True
    assert nlu.AFFIRM in nlu.detect_intents(text)


@pytest.mark.parametrize("text", DENY)
def test_deny(text):
    assert nlu.yes_no(text) is False
    assert nlu.DENY in nlu.detect_intents(text)


@pytest.mark.parametrize("text", EMERGENCIES)
def test_emergency(text):
    assert nlu.is_emergency(text)
    assert nlu.detect_intent(text) == nlu.EMERGENCY


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_not_an_emergency(text):
    assert not nlu.is_emergency(text)


# Speech recognition drops accents, punctuation and capitals: every family still works.
SPEECH_CASES = [
    (GREETINGS, lambda t: nlu.GREETING in nlu.detect_intents(t)),
    (ASK_SPECIALTIES, lambda t: recognised(t) == nlu.ASK_SPECIALTIES),
    (ASK_COVERAGE, lambda t: recognised(t) == nlu.ASK_COVERAGE),
    (ASK_HOURS, lambda t: recognised(t) == nlu.ASK_HOURS),
    (BOOK, lambda t: recognised(t) == nlu.BOOK),
    (MY_APPOINTMENTS, lambda t: recognised(t) == nlu.MY_APPOINTMENTS),
    (CANCEL, lambda t: recognised(t) == nlu.CANCEL),
    (RESCHEDULE, lambda t: recognised(t) == nlu.RESCHEDULE),
    (TRANSFER, lambda t: recognised(t) == nlu.TRANSFER),
    (GOODBYES, nlu.is_goodbye),
    (HELP, lambda t: recognised(t) == nlu.HELP),
    (EMERGENCIES, nlu.is_emergency),
]


@pytest.mark.parametrize(
    ("text", "check"),
    [(speech(text), check) for phrasings, check in SPEECH_CASES for text in phrasings if speech(text)],
)
def test_speech_style(text, check):
    assert check(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hola, ¿trabajan con OSDE? Quiero un turno para cardiología", [nlu.BOOK, nlu.ASK_COVERAGE, nlu.GREETING]),
        ("quiero cancelar mi turno del lunes y sacar uno para el jueves", [nlu.CANCEL, nlu.BOOK]),
        ("hola quiero saber los horarios y la direccion", [nlu.ASK_HOURS, nlu.ASK_ADDRESS, nlu.GREETING]),
        ("buenas, qué especialidades tienen y con qué obras sociales trabajan?", None),
        ("gracias! y a que hora abren el sabado?", [nlu.ASK_HOURS, nlu.THANKS]),
        ("mis turnos y el telefono de recepcion porfa", [nlu.MY_APPOINTMENTS, nlu.ASK_CONTACT]),
    ],
)
def test_several_requests_in_one_message(text, expected):
    intents = nlu.detect_intents(text)
    if expected is None:
        assert {nlu.ASK_SPECIALTIES, nlu.ASK_COVERAGE} <= set(intents)
        assert intents.index(nlu.ASK_COVERAGE) < intents.index(nlu.ASK_SPECIALTIES)
    else:
        assert intents == expected


def test_goodbye_with_a_request_is_not_a_goodbye():
    assert not nlu.is_goodbye("gracias, y quiero cancelar mi turno, chau")
    assert not nlu.is_goodbye("gracias")
    assert not nlu.is_goodbye("no")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quiero afendar un truno con la mdedica", "quiero agendar un turno con la medica"),
        ("nesesito una sita", "necesito una sita"),
        ("reprogamar", "reprogramar"),
        ("martinez", "martinez"),
    ],
)
def test_typo_correction(text, expected):
    assert nlu.understand(text) == expected


# --- offer subjects -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "subject", "specialty", "coverage"),
    [
        ("tienen kine?", "kine", "Kinesiología", None),
        ("¿Trabajan con OSDE?", "osde", None, "OSDE"),  # Argentina's, well known since round 8
        ("aceptan fonasa?", "fonasa", None, "Fonasa"),
        ("tenés psicólogo?", "psicologo", "Psicología", None),
        ("hay fisio?", "fisio", "Kinesiología", None),
        ("trabajan con Cruz Blanca?", "cruz blanca", None, "Cruz Blanca"),
        ("tienen rayos x?", "rayos x", "Diagnóstico por imágenes", None),
    ],
)
def test_offer_subject(text, subject, specialty, coverage):
    assert nlu.extract_offer_subject(text) == subject
    assert nlu.find_common_specialty(text) == specialty
    assert nlu.find_common_coverage(text) == coverage


# --- dates and times ------------------------------------------------------------------


def d(day, month=12, year=2026):
    return dt.date(year, month, day)


def t(hour, minute=0):
    return dt.time(hour, minute)


@pytest.mark.parametrize(
    ("now", "text", "date", "time", "part"),
    [
        # Tuesday 1 December 2026, 9:00
        (TUESDAY_9AM, "El miércoles a las 10", d(2), t(10), None),
        (TUESDAY_9AM, "el miercoles a las diez", d(2), t(10), None),
        (TUESDAY_9AM, "mañana a la tarde", d(2), None, nlu.AFTERNOON),
        (TUESDAY_9AM, "manana por la manana", d(2), None, nlu.MORNING),
        (TUESDAY_9AM, "el 3 de diciembre a las 9 y media", d(3), t(9, 30), None),
        (TUESDAY_9AM, "el tres de diciembre a las nueve y media", d(3), t(9, 30), None),
        (TUESDAY_9AM, "pasado mañana 15:30", d(3), t(15, 30), None),
        (TUESDAY_9AM, "pasado manana a las quince treinta", d(3), t(15, 30), None),
        (TUESDAY_9AM, "el lunes que viene a primera hora", d(7), None, nlu.MORNING),
        (TUESDAY_9AM, "hoy a las 17", d(1), t(17), None),
        (TUESDAY_9AM, "a las 10 y cuarto", None, t(10, 15), None),
        (TUESDAY_9AM, "a las diez y cuarto", None, t(10, 15), None),
        (TUESDAY_9AM, "diez y media", None, t(10, 30), None),
        (TUESDAY_9AM, "a las once menos cuarto", None, t(10, 45), None),
        (TUESDAY_9AM, "a las doce menos diez", None, t(11, 50), None),
        (TUESDAY_9AM, "a las 5", None, t(17), None),
        (TUESDAY_9AM, "a las cinco de la tarde", None, t(17), nlu.AFTERNOON),
        (TUESDAY_9AM, "a las 8 de la mañana", None, t(8), nlu.MORNING),
        (TUESDAY_9AM, "a la una y media", None, t(13, 30), None),
        (TUESDAY_9AM, "a las 17 hs", None, t(17), None),
        (TUESDAY_9AM, "15hs", None, t(15), None),
        (TUESDAY_9AM, "a las 9.30", None, t(9, 30), None),
        (TUESDAY_9AM, "3 pm", None, t(15), None),
        (TUESDAY_9AM, "al mediodía", None, t(12), None),
        (TUESDAY_9AM, "el de las 10", None, t(10), None),
        # A weekday means the next such day: said on that weekday, next week's ("hoy" is today).
        (TUESDAY_9AM, "el martes", d(8), None, None),
        (TUESDAY_9AM, "el martes a las 17", d(8), t(17), None),
        (TUESDAY_9AM, "hoy martes a las 17", d(1), t(17), None),
        (TUESDAY_9AM, "el martes a las 8", d(8), t(8), None),
        (TUESDAY_9AM, "el martes a la tarde", d(8), None, nlu.AFTERNOON),
        # A part of the day ruled out is the other one.
        (TUESDAY_9AM, "el jueves, a la mañana no puedo", d(3), None, nlu.AFTERNOON),
        (TUESDAY_9AM, "que no sea a la tarde", None, None, nlu.MORNING),
        (TUESDAY_9AM, "a la tarde no, mejor a la mañana", None, None, nlu.MORNING),
        (TUESDAY_9AM, "el martes que viene", d(8), None, None),
        (TUESDAY_9AM, "el proximo jueves", d(3), None, None),
        (TUESDAY_9AM, "el jueves de la semana que viene", d(10), None, None),
        (TUESDAY_9AM, "la semana que viene", d(7), None, None),
        (TUESDAY_9AM, "el viernes 11 a las 3 de la tarde", d(11), t(15), nlu.AFTERNOON),
        (TUESDAY_9AM, "el dia 15", d(15), None, None),
        (TUESDAY_9AM, "para el 20 a las 10", d(20), t(10), None),
        (TUESDAY_9AM, "15/12", d(15), None, None),
        (TUESDAY_9AM, "el 3/1 a las 11", d(3, 1, 2027), t(11), None),
        (TUESDAY_9AM, "dentro de 3 dias", d(4), None, None),
        (TUESDAY_9AM, "en una semana", d(8), None, None),
        (TUESDAY_9AM, "el sábado temprano", d(5), None, nlu.MORNING),
        (TUESDAY_9AM, "el 1 de diciembre", d(1), None, None),
        (TUESDAY_9AM, "el primero de enero a las 8", d(1, 1, 2027), t(8), None),
        (TUESDAY_9AM, "quiero un turno para cardiologia el miercoles a las 10", d(2), t(10), None),
        (TUESDAY_9AM, "miercoles 10:30", d(2), t(10, 30), None),
        (TUESDAY_9AM, "el jueves a las nueve de la noche", d(3), t(21), nlu.AFTERNOON),
        (TUESDAY_9AM, "quiero un turno", None, None, None),
        (TUESDAY_9AM, "12.345.678", None, None, None),
        (TUESDAY_9AM, "el 30 de febrero", None, None, None),
        # "de mañana": a part of another day said, else tomorrow; a weekday refused is skipped.
        (TUESDAY_9AM, "el jueves de mañana", d(3), None, nlu.MORNING),
        (TUESDAY_9AM, "turno para el jueves, de mañana no puedo", d(3), None, nlu.AFTERNOON),
        (TUESDAY_9AM, "un turno de dermatologia de mañana", d(2), None, None),
        (TUESDAY_9AM, "no puedo ir al turno de mañana, lo pasamos al lunes?", d(2), None, None),
        (TUESDAY_9AM, "el jueves no puedo, pasalo al viernes", d(4), None, None),
        (SATURDAY_EVENING, "cualquier dia menos el lunes, el martes?", d(8), None, None),
        # Saturday evening: "mañana" is Sunday, "el lunes" is in two days, "el sábado" next week.
        (SATURDAY_EVENING, "mañana", d(6), None, None),
        (SATURDAY_EVENING, "el lunes a las 10", d(7), t(10), None),
        (SATURDAY_EVENING, "el sabado", d(12), None, None),
        (SATURDAY_EVENING, "hoy a las 20", d(5), t(20), None),
        (SATURDAY_EVENING, "pasado mañana a la mañana", d(7), None, nlu.MORNING),
        (SATURDAY_EVENING, "la semana que viene", d(7), None, None),
        (SUNDAY_NOON, "el lunes", d(7), None, None),
        (SUNDAY_NOON, "el domingo", d(13), None, None),
        (SUNDAY_NOON, "hoy a la tarde", d(6), None, nlu.AFTERNOON),
        # Month and year boundaries.
        (END_OF_NOVEMBER, "mañana a las 9", d(1), t(9), None),
        (END_OF_NOVEMBER, "pasado mañana", d(2), None, None),
        (END_OF_NOVEMBER, "el 2", d(2), None, None),
        (END_OF_NOVEMBER, "el 30", d(30, 11), None, None),
        (END_OF_NOVEMBER, "el 29", d(29), None, None),
        (END_OF_NOVEMBER, "el miercoles", d(2), None, None),
        (NEW_YEARS_EVE, "mañana", d(1, 1, 2027), None, None),
        (NEW_YEARS_EVE, "el lunes", d(4, 1, 2027), None, None),
        (NEW_YEARS_EVE, "el 5 de enero a las diez", d(5, 1, 2027), t(10), None),
        (NEW_YEARS_EVE, "el 31 a las 15", d(31), t(15), None),
        # The next 29 February is more than a year away.
        (dt.datetime(2027, 2, 28, 10, tzinfo=TZ), "el 29 de febrero", d(29, 2, 2028), None, None),
    ],
)
def test_extract_when(now, text, date, time, part):
    when = nlu.extract_when(text, now=now)
    assert (when.date, when.time, when.part_of_day) == (date, time, part)


@pytest.mark.parametrize(
    ("text", "avoided"),
    [
        ("a la mañana no puedo", nlu.MORNING),
        ("no puedo a la mañana", nlu.MORNING),
        ("cualquier dia menos a la tarde", nlu.AFTERNOON),
        ("a la tarde no, mejor a la mañana", None),
        ("a la mañana", None),
    ],
)
def test_a_part_of_the_day_ruled_out(text, avoided):
    assert nlu.extract_when(text, now=TUESDAY_9AM).avoided_part_of_day == avoided


def test_when_is_falsy_when_empty():
    assert not nlu.When()
    assert nlu.When(part_of_day=nlu.MORNING)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("diez", "10"),
        ("a las diez y media", "a las 10 y media"),
        ("veintitres", "23"),
        ("treinta y uno de diciembre", "31 de diciembre"),
        ("diez y seis", "16"),
        ("doce millones trescientos cuarenta y cinco mil seiscientos setenta y ocho", "12345678"),
        ("un millon doscientos mil", "1200000"),
        ("uno dos tres", "1 2 3"),
        ("35 millones 120 mil 400", "35120400"),
        ("la casa de dos pisos", "la casa de 2 pisos"),
    ],
)
def test_words_to_digits(text, expected):
    assert nlu.words_to_digits(text) == expected


# --- names, documents, choices ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expecting", "expected"),
    [
        ("me llamo Juan Pérez", False, "Juan Pérez"),
        ("Me llamo juan perez", False, "Juan Perez"),
        ("soy juan perez", False, "Juan Perez"),
        ("mi nombre es María de los Ángeles González", False, "María de los Ángeles González"),
        ("Juan Pérez", True, "Juan Pérez"),
        ("juan perez", True, "Juan Perez"),
        ("JUAN PEREZ", True, "Juan Perez"),
        ("si, Ana María Rodríguez", True, "Ana María Rodríguez"),
        ("juan perez y mi dni es 12345678", True, "Juan Perez"),
        ("Juan Pérez, DNI 12.345.678", True, "Juan Pérez"),
        ("a nombre de Carlos Gómez", False, "Carlos Gómez"),
        ("Juan Pérez", False, None),
        ("soy paciente de ustedes", False, None),
        ("quiero un turno", True, None),
        ("12345678", True, None),
        ("si", True, None),
        ("Juan", True, "Juan"),
    ],
)
def test_extract_name(text, expecting, expected):
    assert nlu.extract_name(text, expecting=expecting) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12345678", "12345678"),
        ("12.345.678", "12345678"),
        ("dni 12 345 678", "12345678"),
        ("mi documento es 40.123.456", "40123456"),
        ("DNI: 7.654.321", "7654321"),
        ("doce millones trescientos cuarenta y cinco mil seiscientos setenta y ocho", "12345678"),
        ("uno dos tres cuatro cinco seis siete ocho", "12345678"),
        ("35 millones 120 mil 400", "35120400"),
        ("cedula 1020304050", "1020304050"),
        ("es el 30111222", "30111222"),
        ("a las 10:30", None),
        ("1234", None),
        ("mi telefono es 1155551234", None),
        ("juan perez", None),
    ],
)
def test_extract_document_number(text, expected):
    assert nlu.extract_document_number(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("mi cédula es V-12.345.678", "V-12345678"),
        ("curp BOXW310820HNERXN09 por favor", "BOXW310820HNERXN09"),
        ("la cédula 001-1391820-5", "001-1391820-5"),
        ("ci 1.234.567-2", "1234567-2"),
    ],
)
def test_extract_documents_written_with_their_marks(text, expected):
    assert nlu.extract_document_number(text) == expected


def test_a_bare_long_number_is_a_document_only_when_one_was_asked_for():
    """ "1020304050" alone may be a phone; as the answer to "¿su documento?" it is a
    Colombian cédula (and 11 digits a Dominican one)."""
    assert nlu.extract_document_number("1020304050") is None
    assert nlu.extract_document_number("1020304050", expecting=True) == "1020304050"
    assert nlu.extract_document_number("00113918205", expecting=True) == "00113918205"
    assert nlu.extract_document_number("12345", expecting=True) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("el primero", 0),
        ("la primera", 0),
        ("el segundo", 1),
        ("la segunda opción", 1),
        ("me quedo con el tercero", 2),
        ("2", 1),
        ("el 3", 2),
        ("opción 3", 2),
        ("la 1", 0),
        ("el último", 2),
        ("cualquiera", 0),
        ("el más temprano", 0),
        ("el de las 10", None),
        ("a primera hora", None),
        ("el primero de diciembre", None),
        ("el 5", None),
        ("a las diez y cuarto", None),
    ],
)
def test_extract_choice(text, expected):
    assert nlu.extract_choice(text, 3) == expected


# --- formatting -----------------------------------------------------------------------


def test_format_date_and_time():
    assert format_date(d(2)) == "miércoles 2 de diciembre"
    assert format_date(d(2), today=d(1)) == "mañana miércoles 2 de diciembre"
    assert format_date(d(1), today=d(1)) == "hoy martes 1 de diciembre"
    assert format_date(d(4, 1, 2027), today=d(31)) == "lunes 4 de enero de 2027"
    assert format_time(t(8, 30)) == "8:30"
    start = dt.datetime(2026, 12, 2, 13, 0, tzinfo=dt.UTC)  # 10:00 in Buenos Aires
    assert format_slot_datetime(start, TZ) == "miércoles 2 de diciembre a las 10:00"
    assert format_slot_datetime(dt.datetime(2026, 12, 5, 1, 0, tzinfo=TZ), TZ) == "sábado 5 de diciembre a la 1:00"
    assert greeting_for(TUESDAY_9AM) == "Buenos días"
    assert greeting_for(SATURDAY_EVENING) == "Buenas tardes"
    assert greeting_for(TUESDAY_9AM.replace(hour=22)) == "Buenas noches"
    assert join_spanish(["OSDE", "Galeno", "PAMI"]) == "OSDE, Galeno y PAMI"
    assert with_doctor("Dra. Laura Fernández") == "con la Dra. Laura Fernández"
    assert with_doctor("Dr. Martín Gutiérrez") == "con el Dr. Martín Gutiérrez"


@pytest.mark.parametrize(
    "text",
    [
        "ninguno me sirve, tenés algo el viernes a la tarde?",
        "hay turno el lunes?",
        "tienen lugar mañana a la mañana",
        "tenes algun horario el jueves",
        "hay disponibilidad para el sabado?",
    ],
)
def test_asking_for_free_slots_is_not_asking_for_a_service(text):
    assert nlu.extract_offer_subject(text) is None
    assert nlu.ASK_SPECIALTIES not in nlu.detect_intents(text)


@pytest.mark.parametrize(
    ("text", "intent"),
    [(text, intent) for intent in ("ask_doctor", "ask_requirements") for text in EXAMPLES[intent]],
)
def test_doctor_and_requirement_questions(text, intent):
    assert intent in nlu.detect_intents(text)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("¿qué días atiende la Dra. Herrera?", nlu.ASK_DOCTOR),
        ("el dr romero atiende los martes?", nlu.ASK_DOCTOR),
        ("atienden niños?", nlu.ASK_DOCTOR),
        ("quien atiende dermatologia?", nlu.ASK_DOCTOR),
        ("que doctores hay en pediatria?", nlu.ASK_DOCTOR),
        ("que tengo que llevar?", nlu.ASK_REQUIREMENTS),
        ("hay que ir en ayunas?", nlu.ASK_REQUIREMENTS),
        ("hace falta la orden?", nlu.ASK_REQUIREMENTS),
        ("atienden por la tarde?", nlu.ASK_HOURS),
        ("¿atienden el 8 de diciembre?", nlu.ASK_HOURS),
        ("me podés anotar para el clinico el viernes?", nlu.BOOK),
        ("tengo fiebre hace dos dias, me pueden ver hoy?", nlu.BOOK),
        ("ando con dolor de garganta, hay algo para hoy?", nlu.BOOK),
        ("quiero una consulta con ginecologia por un control anual", nlu.BOOK),
        ("no voy a poder ir el jueves, me lo pasas para el viernes?", nlu.RESCHEDULE),
    ],
)
def test_questions_about_doctors_requirements_and_more_requests(text, intent):
    assert nlu.detect_intent(text) == intent


@pytest.mark.parametrize("text", ["ok gracias", "joya", "vale, perfecto", "bueno gracias", "listo, muchas gracias!"])
def test_closings(text):
    assert nlu.is_closing(text)


@pytest.mark.parametrize("text", ["si", "ok, y quiero otro turno", "gracias, ¿y los sábados?", "Camila Ruiz"])
def test_not_closings(text):
    assert not nlu.is_closing(text)


def test_people_the_turnos_are_for():
    assert nlu.extract_people("uno para mí con el clínico y otro para mi hija con la pediatra") == ["", "hija"]
    assert nlu.extract_people("turno para mi mamá") == ["mama"]
    assert nlu.extract_people("quiero sacar turno") == []


def test_spanish_number_words_with_un():
    assert nlu.extract_document_number("treinta y un millones cuatrocientos veinte mil ciento doce") == "31420112"
