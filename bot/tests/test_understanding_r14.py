"""Families of round 14 (bench/data/dev_first_messages_r14.txt: what the patient needs seen):
studies by their regional names (ultrasonido, sonograma), breathing, hearing and eye tests
(espirometría, audiometría, campo visual) asked for as a turno; earwax and its cleaning (no
dentist's "limpieza"); the thyroid said without a specialist (the GP's, a named endocrino
still asked for); the blood pressure said "la tensión"; a child's broken or twisted bone (the
traumatologist's, a fall alone the pediatrician's); the surgery a study is for (no surgeon
asked); a service named winning over one the words point to; Central America's words for a
child telling symptoms; Spain's causal "que"; a study done "en ayunas" told with a request; what
will be done at the turno ("¿me van a dilatar la pupila?"). Asserted on the intents detected
and the specialties found on the demo clinic."""

import pytest

from bot import nlu
from bot.tests.test_understanding_r8 import specialties
from clinic.selectors import find_missing_service


def main(text: str) -> set[str]:
    return set(nlu.detect_intents(text)) - {nlu.GREETING, nlu.AFFIRM, nlu.DENY, nlu.THANKS}


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("tengo la tiroides inflamada, me dijeron que es bocio", ["Clínica médica"]),
        ("quiero hacerme el control de la tiroides, tengo hipotiroidismo", ["Clínica médica"]),
        ("mi esposo tiene problemas para orinar de noche", ["Clínica médica"]),
        ("necesito una constancia medica para el trabajo", ["Clínica médica"]),
        ("buenas, queria cita para que me miren la tension", ["Cardiología"]),
        ("necesito una cita porque la tension me esta subiendo mucho", ["Cardiología"]),
        ("che me agarro un lumbago tremendo", ["Traumatología"]),
        ("se me cayo una emplomadura", ["Odontología"]),
        ("me tienen que completar la libreta de salud de mi hija", ["Pediatría"]),
        ("quisiera una cita para el control CRED de mi bebe", ["Pediatría"]),
        ("tengo paño en la cara", ["Dermatología"]),
        ("tengo las manos con una alergia que pica mucho", ["Dermatología"]),
        ("queria cita para quitarme unas verrugas de la planta del pie", ["Dermatología"]),
        ("queria una cita para un campo visual", ["Oftalmología"]),
        ("necesito espejuelos nuevos", ["Oftalmología"]),
        # Services the demo clinic lacks.
        ("tengo un tapon de cera en el oido", ["Otorrinolaringología"]),
        ("necesito una limpieza de oidos tengo mucha cera", ["Otorrinolaringología"]),
        ("queria turno para hacerme una espirometria", ["Neumonología"]),
        ("hacen audiometrias? es para el laburo", ["Fonoaudiología"]),
        ("me quiero hacer un sonograma de mamas", ["Diagnóstico por imágenes"]),
        ("queria saber si hacen la prueba del azucar con la glucosa", ["Laboratorio"]),
        ("unos estudios de laboratorio, quimica sanguinea y biometria hematica", ["Laboratorio"]),
    ],
)
def test_words_the_lexicon_lacked(demo_clinic, text, wanted):
    assert specialties(demo_clinic, text) == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("quiero cita con endocrino por la tiroides", ["Endocrinología"]),  # the specialist named
        ("quiero una limpieza dental", ["Odontología"]),  # a cleaning of the teeth
        ("quiero una limpieza de cutis", ["Dermatología"]),
        ("me duele la planta del pie", ["Traumatología"]),  # no wart: the foot itself
        ("tengo alergia al polvo", []),  # no skin said: not the dermatologist's
        ("quiero que me tomen la presión arterial", ["Cardiología"]),
    ],
)
def test_near_misses_keep_their_specialty(demo_clinic, text, wanted):
    assert [s for s in specialties(demo_clinic, text) if s != "Alergia"] == wanted


def test_muscle_tension_is_no_blood_pressure(demo_clinic):
    assert "Cardiología" not in specialties(demo_clinic, "tengo tensión muscular en el cuello")


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("mi patojo se quebro el brazo jugando, ya lo enyesaron pero necesita control", ["Traumatología"]),
        ("mi nene se torció el tobillo", ["Traumatología"]),
        ("mi patojo se cayo y se lastimo el brazo, creo que se lo quebro", ["Traumatología"]),
        # A fall, a hurt arm or a sore knee alone stay the pediatrician's.
        ("mi nena se cayo y se lastimo el brazo", ["Pediatría"]),
        ("mi nene tiene fiebre y dolor de rodilla", ["Pediatría"]),
    ],
)
def test_a_childs_broken_or_twisted_bone_is_the_traumatologists(demo_clinic, text, wanted):
    assert specialties(demo_clinic, text) == wanted


def test_the_surgery_a_study_is_for_asks_for_no_surgeon(demo_clinic):
    text = "me dijo mi doctor que necesito un electrocardiograma antes de la cirugia"
    assert specialties(demo_clinic, text) == ["Cardiología"]
    assert find_missing_service(clinic=demo_clinic, text=text) is None
    # Near misses: a surgeon or a surgery asked for.
    assert find_missing_service(clinic=demo_clinic, text="necesito un cirujano").name == "Cirugía"
    assert (
        find_missing_service(clinic=demo_clinic, text="quiero consultar por una cirugía de vesícula").name == "Cirugía"
    )


def test_a_service_named_wins_over_one_the_words_point_to(demo_clinic):
    text = "¿me podeis hacer la audiometria en la misma cita con el otorrino?"
    assert find_missing_service(clinic=demo_clinic, text=text).name == "Otorrinolaringología"
    assert find_missing_service(clinic=demo_clinic, text="necesito una audiometría").name == "Fonoaudiología"


def test_a_therapy_named_is_the_service_even_for_a_child(demo_clinic):
    text = "¿dan terapia de lenguaje? mi niño casi no habla y ya tiene tres años"
    assert find_missing_service(clinic=demo_clinic, text=text).name == "Fonoaudiología"
    # Near miss: the complaint alone, for a child, is the pediatrician's.
    assert find_missing_service(clinic=demo_clinic, text="mi nene no habla bien") is None


@pytest.mark.parametrize(
    "text",
    [
        "el cipote tiene la garganta inflamada y calentura",
        "la cipota tiene granitos en la cara y le pican",
        "el bicho tiene unas manchas en la piel que le pican",
        "queria cita que tengo la rodilla hinchada y me cruje al andar",
        "buenas, tengo que hacerme un analisis de sangre en ayunas, hay turno mañana temprano?",
        "tengo un tapon de cera en el oido y no oigo nada",
        "necesito un ultrasonido pelvico",
        "me quiero hacer un sonograma de mamas",
        "necesito un ultrasonido de los riñones",
        "hola me tienen que completar la libreta de salud de mi hija para la escuela",
        "necesito que me hagan unos estudios de laboratorio, quimica sanguinea y biometria",
        "queria una cita para un campo visual",
    ],
)
def test_what_the_patient_needs_seen_books(text):
    assert main(text) == {nlu.BOOK}


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("¿tienen pediatra? el cipote tiene fiebre", {nlu.ASK_SPECIALTIES}),
        ("quiero cambiar la cita que tengo el jueves", {nlu.RESCHEDULE}),
        ("la cita que tengo es a las cinco?", {nlu.MY_APPOINTMENTS}),
        ("para el analisis hay que ir en ayunas?", {nlu.ASK_REQUIREMENTS}),
        ("necesito un examen de sangre, ¿hay que estar en ayunas?", {nlu.BOOK, nlu.ASK_REQUIREMENTS}),
        ("hola buenas eh queria saber si hacen el fondo de ojo", {nlu.ASK_SPECIALTIES}),
        ("me van a dilatar la pupila? tengo cita con el oculista", {nlu.ASK_REQUIREMENTS}),
    ],
)
def test_near_misses_keep_their_intents(text, intents):
    assert main(text) == intents
