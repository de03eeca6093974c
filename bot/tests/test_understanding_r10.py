"""Families of round 10 (bench/data/dev_first_messages_r10.txt, SPECIALTY and entities): urinary
complaints in lay words and Chile's "examen de medicina preventiva" (Clínica médica), named lab
tests (Laboratorio, whatever condition is told with them), "esta mañana" asked for (today in
the morning), a burning told ("me arden los ojos") that is no opening hour, "preciso hora",
"pal sábado", and whether the clinic does a service ("¿ustedes hacen rayos?", "¿la hacéis
vosotros o tengo que ir a otro sitio?", "¿ponen la vacuna?"), a specialty asked about with what
the patient needs done ("¿tienen ginecólogo? necesito hacerme el PAP"), gums that bleed (no
emergency). Asserted on the intents, the day
read and the specialties found, on the demo clinic; clock: Tuesday 1 December 2026, 9:00."""

import datetime as dt

import pytest

from bot import nlu
from bot.tests.test_understanding_r8 import NOW, TUESDAY, specialties
from clinic.selectors import find_missing_service

# --- specialties and services -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("me arde cuando hago pipi y voy a cada rato al baño, ¿hay hora hoy?", ["Clínica médica"]),
        ("me arde al orinar desde ayer", ["Clínica médica"]),
        ("orino muy seguido y me arde cuando orino", ["Clínica médica"]),
        ("hola, ¿hacen el examen de medicina preventiva? me lo piden en la pega", ["Clínica médica"]),
        ("necesito hacerme la glicemia y el perfil lipidico", ["Laboratorio"]),
        # Near misses: a specialist named still asks for that one; a child's complaint is the
        # pediatrician's; a diabetic's check-up is the GP's.
        ("quiero turno con el urologo, me arde cuando hago pipi", ["Urología"]),
        ("mi hija tiene ardor al hacer pipi", ["Pediatría"]),
        ("soy diabetica y necesito control con el clinico", ["Clínica médica"]),
    ],
)
def test_round_10_specialties(demo_clinic, text, wanted):
    assert specialties(demo_clinic, text) == wanted


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    ["¿ustedes hacen la prueba de la hemoglobina glicosilada? soy diabetica", "me pidieron una glucemia en ayunas"],
)
def test_a_named_lab_test_is_the_laboratorys(demo_clinic, text):
    missing = find_missing_service(clinic=demo_clinic, text=text)
    assert missing is not None and missing.name == "Laboratorio"


# --- the day ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "mi peque tiene un sarpullido por toda la tripa y algo de fiebre, ¿le puede ver la pediatra esta mañana?",
        "¿me atienden esta mañana?",
        "¿hay algo libre esta mañana?",
        "quiero que lo vean esta mañana",
    ],
)
def test_esta_manana_asked_for_is_this_morning(text):
    when = nlu.extract_when(text, now=NOW)
    assert (when.date, when.part_of_day) == (TUESDAY, nlu.MORNING)


@pytest.mark.parametrize(
    "text",
    ["esta mañana amaneció con fiebre", "tiene fiebre desde esta mañana?", "lo vi esta mañana y estaba bien"],
)
def test_esta_manana_told_is_no_day_asked(text):
    when = nlu.extract_when(text, now=NOW)
    assert when.date is None and when.date != TUESDAY + dt.timedelta(days=1)


# --- intents ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # A burning told is no opening hour ("arden" is not "abren").
        ("ta, preciso hora con la oftalmologa el jueves de mañana, me arden los ojos todo el dia", {nlu.BOOK}),
        ("soy de la medica uruguaya, ¿tienen convenio? preciso hora con traumatologia", {nlu.ASK_COVERAGE, nlu.BOOK}),
        ("preciso hora pal lunes con el clinico", {nlu.BOOK}),
        ("tengo hora con el dentista el jueves pero me sale pega, ¿me la cambian pal sabado?", {nlu.RESCHEDULE}),
        ("buenas, tengo que hacerme una radiografia de torax, ¿ustedes hacen rayos?", {nlu.ASK_SPECIALTIES}),
        (
            "necesito hacerme una analitica completa la haceis vosotros o tengo que ir a otro sitio",
            {nlu.ASK_SPECIALTIES},
        ),
        ("me mandaron una eco, ¿la hacen ahí o tengo que ir a otro lado?", {nlu.ASK_SPECIALTIES}),
        ("¿me hace el medico de familia el certificado para el carnet o eso va aparte?", {nlu.ASK_SPECIALTIES}),
        ("¿ustedes ponen la vacuna contra la influenza?", {nlu.ASK_SPECIALTIES}),
        # Near misses: opening hours asked, a turno asked for a study or a vaccine, a move
        # between two days.
        ("me arde la garganta, ¿abren hoy?", {nlu.ASK_HOURS}),
        ("quiero sacar turno para hacerme una ecografia", {nlu.BOOK}),
        ("necesito ponerme la vacuna de la gripe", {nlu.BOOK}),
        ("necesito turno con el traumatologo, o es con el clinico?", {nlu.BOOK}),
        ("quiero pasar la cita para el jueves o el viernes", {nlu.RESCHEDULE}),
        # A specialty asked about with what the patient needs done: the question comes first;
        # a turno asked for besides, or free slots asked, are a request.
        ("¿tienen ginecologa mujer? quisiera hacerme el control", {nlu.ASK_SPECIALTIES}),
        ("¿tienen ginecologo? necesito hacerme el papanicolaou", {nlu.ASK_SPECIALTIES}),
        ("¿tienen dermatologo? quiero un turno", {nlu.BOOK}),
        ("¿tienen ginecologo? necesito turno para hacerme el pap", {nlu.BOOK}),
        ("¿tienen cardiologo para mañana? necesito hacerme un electro", {nlu.BOOK}),
        # Gums that bleed are the dentist's, not an emergency; a bleeding that does not stop is.
        ("tengo rimac y quiero una cita con el dentista porque me sangran las encias", {nlu.BOOK}),
        ("tengo un sangrado que no para", {nlu.EMERGENCY}),
        ("estoy sangrando mucho", {nlu.EMERGENCY}),
    ],
)
def test_round_10_intents(text, wanted):
    assert set(nlu.detect_intents(text)) - {nlu.GREETING, nlu.AFFIRM, nlu.DENY} == wanted
