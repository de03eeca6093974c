"""How patients across Latin America (and Spain) write or say things, and what the offline
brain must understand from them. Argentine vos, Mexican, Colombian, Chilean and Spanish
wording, typos, emojis and speech-recognition text (no accents, punctuation or capitals)."""

import datetime as dt
import zoneinfo

import pytest

from bot import nlu
from bot.formatting import format_date, format_slot_datetime, format_time, greeting_for, join_spanish, with_doctor

TZ = zoneinfo.ZoneInfo("America/Argentina/Buenos_Aires")
TUESDAY_9AM = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)  # Tuesday 1 December 2026
SATURDAY_EVENING = dt.datetime(2026, 12, 5, 19, 30, tzinfo=TZ)
SUNDAY_NOON = dt.datetime(2026, 12, 6, 12, 0, tzinfo=TZ)
END_OF_NOVEMBER = dt.datetime(2026, 11, 30, 18, 0, tzinfo=TZ)  # Monday
NEW_YEARS_EVE = dt.datetime(2026, 12, 31, 10, 0, tzinfo=TZ)  # Thursday


GREETINGS = [
    "hola",
    "Hola!",
    "holaa",
    "holaaa buen dia",
    "buenas",
    "Buenas tardes",
    "buen día",
    "buenos dias",
    "buenas noches",
    "hola buenas",
    "hola que tal",
    "Hola, ¿cómo está?",
    "holis",
    "ola",
    "qué tal",
    "saludos",
    "hey",
    "aló",
    "alo buenas",
    "👋",
    "hola 👋",
    "buenas buenas",
    "buen dia!!",
    "Buenas tardes, ¿cómo le va?",
    "hola como andas",
    "quiubo",
    "que onda",
    "BUENAS TARDES",
    "buenos días señorita",
    "hola buenos dias",
    "buenas noches disculpe la hora",
    "hello",
    "ey buenas",
]

ASK_SPECIALTIES = [
    "¿Qué especialidades tienen?",
    "que especialidades hay",
    "qué especialidades atienden",
    "cuales son las especialidades",
    "lista de especialidades",
    "q especialidades tienen",
    "espesialidades?",
    "tienen kine?",
    "tenés pediatra?",
    "¿Tienen dermatólogo?",
    "hay traumatologo?",
    "atienden ginecologia?",
    "¿Cuentan con cardiólogo?",
    "qué médicos tienen",
    "que doctores atienden ahi",
    "con que especialistas cuentan",
    "qué especialistas hay",
    "hacen kinesiologia?",
    "tienen psicologo",
    "hay oculista en la clinica?",
    "que servicios ofrecen",
    "especialidades",
    "¿qué áreas atienden?",
    "tienen nutricionista?",
    "hay dentista?",
    "me podria decir las especialidades",
    "quisiera saber que especialidades manejan",
    "que profesionales atienden",
    "tienen fonoaudiologa?",
    "hay urologo",
    "cuáles especialidades tienen disponibles",
    "ofrecen fisioterapia?",
]

ASK_COVERAGE = [
    "¿Trabajan con OSDE?",
    "trabajan con osde",
    "aceptan Swiss Medical?",
    "¿Qué obras sociales aceptan?",
    "que obra social toman",
    "atienden por PAMI?",
    "¿toman IOMA?",
    "¿Aceptan prepagas?",
    "qué prepagas tienen",
    "trabajan con galeno",
    "tienen convenio con Medifé?",
    "mi cobertura es OMINT, me atienden?",
    "¿Aceptan Fonasa?",
    "trabajan con isapre?",
    "atienden por fonasa",
    "¿Qué EPS reciben?",
    "tienen convenio con la EPS Sura?",
    "reciben seguro médico?",
    "aceptan mi seguro de salud",
    "¿Cubren con Sanitas?",
    "que coberturas tienen",
    "¿Con qué obras sociales trabajan?",
    "tengo OSDE 210, lo cubren?",
    "aceptás Swiss?",
    "se puede atender particular?",
    "atienden sin obra social?",
    "la obra social de mi trabajo es OSECAC, sirve?",
    "trabajan con el IMSS?",
    "aceptan isapres",
    "cuales prepagas aceptan",
    "obras sociales?",
    "Mi prepaga es Medicus, trabajan con ellos?",
]

ASK_HOURS = [
    "¿A qué hora abren?",
    "a que hora abren",
    "hasta que hora atienden",
    "qué horario tienen",
    "horarios de atención",
    "¿Cuál es el horario?",
    "abren los sábados?",
    "atienden los domingos?",
    "están abiertos hoy?",
    "a que hora cierran",
    "qué días atienden",
    "hasta qué hora están abiertos",
    "cuando abren",
    "abren mañana?",
    "horario?",
    "que horarios manejan",
    "atienden el sabado?",
    "¿Abren los feriados?",
    "a q hora abren",
    "desde que hora atienden",
    "están abiertos ahora?",
    "hora de atención",
    "me pasas los horarios",
    "cierran al mediodía?",
    "cuál es su horario de atención",
    "a que hora empiezan a atender",
    "atienden hoy?",
    "a qué hora abre la clínica",
    "abrís el sábado?",
    "hasta que hora trabajan",
    "orarios",
]

ASK_ADDRESS = [
    "¿Dónde quedan?",
    "donde estan ubicados",
    "cuál es la dirección",
    "me pasás la dirección?",
    "como llego a la clinica",
    "en que calle estan",
    "dónde es la clínica",
    "direccion por favor",
    "me mandas la ubicacion",
    "a donde tengo que ir",
    "¿En qué barrio están?",
    "donde queda el consultorio",
    "📍?",
    "ubicación?",
    "tienen google maps?",
    "por donde quedan",
    "cual es el domicilio de la clinica",
    "diresion",
    "donde se encuentran",
    "en que zona estan",
]
ASK_CONTACT = [
    "cual es el telefono",
    "me das un numero de telefono",
    "tienen whatsapp?",
    "a que numero los llamo",
    "tienen mail?",
    "cual es el correo",
    "como los contacto",
    "número de contacto?",
    "teléfono de la clínica",
    "📞",
    "me pasas el telefono de recepcion",
    "tienen email",
]

BOOK = [
    "Quiero sacar un turno para cardiología",
    "quiero afendar un truno",
    "necesito una cita con el dermatólogo",
    "quisiera agendar una hora con el pediatra",
    "quiero pedir hora para el dentista",
    "me das un turno para mañana?",
    "pasame un turno con el clínico",
    "dame un turno para traumato",
    "tenés turno para el lunes?",
    "hay turnos para oftalmología esta semana?",
    "necesito turno con la mdedica clinica",
    "queria sacar turno",
    "Buenas, quería pedir un turno",
    "quiero reservar una consulta",
    "me gustaría programar una cita",
    "necesito ver a un cardiólogo",
    "quiero ir al dentista",
    "quisiera atenderme con un ginecólogo",
    "agendame una cita para el jueves",
    "reservame un turno para el viernes a las 10",
    "¿Hay lugar para el pediatra mañana?",
    "necesito una consulta con traumatología",
    "quiero un turno 📅",
    "sacame un turno para el oculista",
    "Solicito una cita para dermatología",
    "necesito hora con el doctor",
    "turno para cardiologia",
    "cita para pediatría por favor",
    "puedo sacar turno por aca?",
    "tienen disponibilidad para el martes?",
    "quiero una cita para mi hijo con el pediatra",
    "necesito un turno urgente con el clínico",
    "quiero turno",
    "un turno para el 3 de diciembre",
    "quiero agendar un control con la ginecóloga",
    "necesito un chequeo",
    "me podria dar una cita",
    "kiero un turno",
    "hola buen dia queria saber si hay turno para dermatologia",
    "quiero sacar un truno con el cardiologo el miercoles a las diez",
    "necesito una hora al oftalmologo",
    "me quiero atender con la dermatologa",
]

MY_APPOINTMENTS = [
    "¿Qué turnos tengo?",
    "mis turnos",
    "quiero ver mis turnos",
    "tengo algún turno?",
    "cuándo es mi turno",
    "a qué hora es mi turno",
    "mis citas",
    "mis horas",
    "tengo hora con el dentista?",
    "¿Tengo cita?",
    "para cuando tengo turno",
    "recordame mi turno",
    "no me acuerdo cuando era mi turno",
    "quiero consultar mi turno",
    "estoy anotado para el martes?",
    "me podés decir mis turnos",
    "tengo turno mañana?",
    "confirmar mi turno",
    "revisar mis citas",
    "¿Qué día era mi cita?",
    "mi próxima cita",
    "ver mi reserva",
    "tengo alguna reserva?",
    "cuáles son mis turnos",
    "me olvidé la hora de mi turno",
    "quedé agendada?",
    "chequear mis horas",
    "tengo turnos pendientes?",
    "turnos que tengo",
    "el turno que saqué es el lunes?",
    "mis turnos 📅",
]

CANCEL = [
    "quiero cancelar mi turno",
    "cancelar turno",
    "necesito anular la cita",
    "cancelá el turno del martes",
    "no voy a poder ir al turno",
    "no puedo ir mañana, cancelalo",
    "quisiera cancelar mi hora",
    "anulen mi cita por favor",
    "dar de baja el turno",
    "quiero suspender mi consulta",
    "borrá mi turno",
    "eliminar mi reserva",
    "ya no necesito el turno",
    "cancelar",
    "cancelr turno",
    "no voy a poder asistir a la cita",
    "no podré ir el jueves",
    "quiero cancelar la cita con el dermatólogo",
    "cancelen todo",
    "me cancelás el turno?",
    "anular turno",
    "desagendar mi hora",
    "Buenas, quería cancelar un turno",
    "por favor cancelar la cita del lunes",
    "liberá el turno que tengo",
    "no voy a ir al turno del viernes",
    "cancelación de turno",
    "quiero darme de baja del turno",
    "cancelame la cita",
    "ya no voy a ir",
    "anulá mi hora",
    "cansela mi turno",
]

RESCHEDULE = [
    "quiero cambiar mi turno",
    "necesito cambiar la cita para el jueves",
    "reprogramar turno",
    "¿Puedo mover mi turno al viernes?",
    "quiero pasar mi turno para otro día",
    "cambiar de horario mi cita",
    "puedo reagendar mi hora?",
    "postergar el turno",
    "adelantar la consulta",
    "quiero correr el turno una semana",
    "cambialo para el lunes",
    "no puedo ir el martes, lo puedo pasar para el jueves?",
    "moverlo a la tarde",
    "quisiera cambiar la fecha de mi turno",
    "necesito otro horario para mi turno",
    "cambiar cita",
    "me cambias el turno?",
    "reprogramame la consulta",
    "quiero modificar mi turno",
    "modificar la cita",
    "trasladar mi turno",
    "tengo turno el lunes pero quiero cambiarlo",
    "¿se puede cambiar el día del turno?",
    "atrasar mi cita una hora",
    "quiero otro día para mi turno",
    "cambio de turno",
    "reprogramación de cita",
    "mover la cita con el dentista",
    "pasalo para el viernes",
    "cambiar mi hora con el pediatra",
    "reagendar",
    "reprogamar mi turno",
]

TRANSFER = [
    "quiero hablar con una persona",
    "pasame con alguien",
    "comunicame con recepción",
    "necesito hablar con un humano",
    "operador",
    "con la secretaria por favor",
    "quiero una persona real",
    "no quiero hablar con un robot",
    "me comunica con un asesor?",
    "transferime con la recepcionista",
    "hablar con recepcion",
    "¿Puedo hablar con alguien de la clínica?",
    "necesito un operador",
    "derivame con una persona",
    "pásame con un agente",
    "quiero hablar con la operadora",
    "me puede atender una persona?",
    "atención al cliente",
    "hablar con un ejecutivo",
    "hay alguien que me atienda?",
    "quiero hablar con un humano ya",
    "paseme con recepción",
    "Prefiero hablar con una persona",
    "quisiera que me atienda una persona",
    "¿me transferís con un operador?",
    "no me gusta hablar con máquinas",
    "hablar con personal de la clínica",
    "humano por favor",
    "quiero hablar con la recepcionista",
    "pasame con la secre",
    "un asesor por favor",
    "kiero ablar con una persona",
]

GOODBYES = [
    "Gracias, nada más",
    "Adiós",
    "chau",
    "chau gracias",
    "listo, nada más, gracias",
    "eso es todo",
    "eso sería todo, gracias",
    "hasta luego",
    "nos vemos",
    "bye",
    "no, nada más",
    "nada mas",
    "gracias, eso era todo",
    "muchas gracias, hasta luego",
    "que tenga buen día",
    "chao",
    "hasta pronto",
    "adiós, gracias",
    "ok gracias chau",
    "perfecto, nada más",
    "me despido, gracias",
    "es todo",
    "ninguna otra cosa, gracias",
    "bueno chau",
    "hasta la próxima",
    "listo gracias adios",
    "gracias por todo, chau",
    "👋 chau",
    "nada más por ahora",
    "eso fue todo, muchas gracias",
    "gracias nada mas",
    "adios",
]

HELP = [
    "ayuda",
    "necesito ayuda",
    "¿Qué podés hacer?",
    "qué puede hacer usted",
    "¿En qué me puede ayudar?",
    "cómo funciona esto",
    "menú",
    "opciones",
    "no entiendo",
    "que haces",
    "para que servis",
    "ayudame por favor",
    "help",
    "qué puedo preguntar",
    "no sé cómo usar esto",
    "¿Cuáles son las opciones?",
    "instrucciones",
    "que puedo hacer aca",
    "me ayudás?",
    "no entiendo cómo funciona",
    "ayuda 🙏",
    "que sabes hacer",
    "¿Para qué sirve este número?",
    "que opciones tengo",
    "mostrame el menú",
    "necesito que me ayuden",
    "¿Qué cosas puedo hacer por acá?",
    "no se que hacer",
    "ayudeme",
    "no entiendo nada",
    "help me",
    "ayuda porfa",
]

AFFIRM = [
    "sí",
    "si",
    "Sí, confirmo",
    "dale",
    "ok",
    "okey",
    "claro",
    "perfecto",
    "de acuerdo",
    "está bien",
    "confirmo",
    "correcto",
    "exacto",
    "sí, por favor",
    "si dale",
    "dale 👍",
    "👍",
    "vale",
    "sale",
    "simón",
    "va",
    "de una",
    "hágale",
    "ya po",
    "listo",
    "por supuesto",
    "afirmativo",
    "sí, está perfecto",
    "bueno",
    "si si",
    "obvio",
    "joya",
    "me parece bien",
    "no hay problema",
    "sí señorita",
    "si confirmo el turno",
    "bueno si",
    "ah ok dale",
]

DENY = [
    "no",
    "No, gracias",
    "nop",
    "negativo",
    "para nada",
    "mejor no",
    "no, ninguno",
    "ninguno me sirve",
    "no me sirve",
    "nel",
    "ni ahí",
    "no quiero",
    "todavía no",
    "no, está mal",
    "no es correcto",
    "tampoco",
    "nope",
    "no no",
    "no, cambiemos",
    "👎",
    "❌",
    "nah",
    "no, otro día",
    "ninguna",
    "no puedo",
    "claro que no",
    "no gracias",
    "incorrecto",
    "dejalo",
    "olvidalo",
    "no, mejor otro horario",
    "mmm no",
]

EMERGENCIES = [
    "me duele el pecho",
    "tengo un dolor fuerte en el pecho",
    "no puedo respirar",
    "me falta el aire",
    "estoy sangrando mucho",
    "mi hijo tiene un sangrado que no para",
    "hemorragia",
    "mi papá se desmayó",
    "está inconsciente",
    "mi hija está convulsionando",
    "creo que es un infarto",
    "me está dando un ataque al corazón",
    "tiene la cara torcida y no puede hablar",
    "no siento el brazo izquierdo",
    "me quiero morir",
    "pienso en suicidarme",
    "mi hijo tomó pastillas, creo que es una sobredosis",
    "se intoxicó con lavandina",
    "es una emergencia",
    "necesito una ambulancia",
    "tuve un accidente y sangro mucho",
    "me ahogo",
    "mi abuela se cayó y se golpeó la cabeza",
    "no respira",
    "dolor de pecho muy fuerte",
    "opresión en el pecho",
    "me cuesta respirar",
    "tiene convulsiones",
    "posible ACV",
    "urgencia!!",
    "mi bebé no despierta",
    "🚑",
    "me duele mucho el pecho y el brazo",
]
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
    assert nlu.detect_intent(text) == nlu.ASK_SPECIALTIES


@pytest.mark.parametrize("text", ASK_COVERAGE)
def test_ask_coverage(text):
    assert nlu.detect_intent(text) == nlu.ASK_COVERAGE


@pytest.mark.parametrize("text", ASK_HOURS)
def test_ask_hours(text):
    assert nlu.detect_intent(text) == nlu.ASK_HOURS


@pytest.mark.parametrize("text", ASK_ADDRESS)
def test_ask_address(text):
    assert nlu.detect_intent(text) == nlu.ASK_ADDRESS


@pytest.mark.parametrize("text", ASK_CONTACT)
def test_ask_contact(text):
    assert nlu.detect_intent(text) == nlu.ASK_CONTACT


@pytest.mark.parametrize("text", BOOK)
def test_book(text):
    assert nlu.detect_intent(text) == nlu.BOOK


@pytest.mark.parametrize("text", MY_APPOINTMENTS)
def test_my_appointments(text):
    assert nlu.detect_intent(text) == nlu.MY_APPOINTMENTS


@pytest.mark.parametrize("text", CANCEL)
def test_cancel(text):
    assert nlu.detect_intent(text) == nlu.CANCEL


@pytest.mark.parametrize("text", RESCHEDULE)
def test_reschedule(text):
    assert nlu.detect_intent(text) == nlu.RESCHEDULE


@pytest.mark.parametrize("text", TRANSFER)
def test_transfer(text):
    assert nlu.detect_intent(text) == nlu.TRANSFER


@pytest.mark.parametrize("text", GOODBYES)
def test_goodbye(text):
    assert nlu.is_goodbye(text)


@pytest.mark.parametrize("text", HELP)
def test_help(text):
    assert nlu.detect_intent(text) == nlu.HELP


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
    (ASK_SPECIALTIES, lambda t: nlu.detect_intent(t) == nlu.ASK_SPECIALTIES),
    (ASK_COVERAGE, lambda t: nlu.detect_intent(t) == nlu.ASK_COVERAGE),
    (ASK_HOURS, lambda t: nlu.detect_intent(t) == nlu.ASK_HOURS),
    (BOOK, lambda t: nlu.detect_intent(t) == nlu.BOOK),
    (MY_APPOINTMENTS, lambda t: nlu.detect_intent(t) == nlu.MY_APPOINTMENTS),
    (CANCEL, lambda t: nlu.detect_intent(t) == nlu.CANCEL),
    (RESCHEDULE, lambda t: nlu.detect_intent(t) == nlu.RESCHEDULE),
    (TRANSFER, lambda t: nlu.detect_intent(t) == nlu.TRANSFER),
    (GOODBYES, nlu.is_goodbye),
    (HELP, lambda t: nlu.detect_intent(t) == nlu.HELP),
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
        ("quiero cancelar mi turno del lunes y sacar uno para el jueves", [nlu.CANCEL]),
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
        ("¿Trabajan con OSDE?", "osde", None, None),
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
