"""Families of round 12 (bench/data/dev_first_messages_r12.txt): LONGER WhatsApp first messages,
a story before the request and two or three requests in one. Cancelling one turno and asking
for another in other words ("... pero quisiera pedir otra", "y pedirle una", "y de paso
preguntar si tienen cita"); a request beside a question said as a wish in the plural, a doctor
to go back to, a child to take, Chile's bono, free "hora" asked for; a coverage asked about in
the subjunctive or by its members ("¿atienden socios de CASMU?"); whether the clinic does what
the story named ("¿ustedes hacen eso?"); what to do before a turno held ("¿tengo que ir sin
lentillas?"); the turno an hours or address question is for; complaints and papers that only
a person answers; real words the typo correction used to turn into rule words. Entities: the
day the story happened on ("el sábado me caí"), an apology for the hour ("perdón que escriba
tan temprano"), "esa misma mañana" and Uruguay's "de tarde ... de mañana" as parts of the day,
Chile's "pedir dos horas" (two turnos, no 14:00), words after "al paciente" or "es para" that
are no name, and the coverage asked about before "o tengo que ir particular". Asserted on the
intents detected, the day, time and part read (clock: Tuesday 1 December 2026, 9:00) and the
coverage found on the demo clinic."""

import datetime as dt

import pytest

from bot import nlu
from bot.tests.conftest import CLINIC_TZ
from clinic.selectors import find_coverage

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=CLINIC_TZ)
TUE, WED, SAT, MON = (dt.date(2026, 12, day) for day in (1, 2, 5, 7))


def main(text: str) -> set[str]:
    return set(nlu.detect_intents(text)) - {nlu.GREETING, nlu.AFFIRM, nlu.DENY, nlu.THANKS}


@pytest.mark.parametrize(
    "text",
    [
        "me toca cancelarla porque me salio un viaje pero quisiera pedir otra para la otra semana",
        "necesito anular la hora de mañana porque me cambiaron el turno en la pega, y si se puede pedir otra",
        "quiero anular la cita de mi hija del jueves con la pediatra y pedirle una para la semana que viene",
        "quiero cancelar la cita del sábado y de paso preguntar si tienen cita con el dermatólogo",
    ],
)
def test_a_cancel_and_a_new_one_said_in_other_words(text):
    assert main(text) == {nlu.CANCEL, nlu.BOOK}


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("cancelame el turno y dame otro con el mismo doctor", {nlu.RESCHEDULE}),  # the same turno moved
        ("quiero cancelar el turno del jueves, pero quisiera saber el horario", {nlu.CANCEL}),
        ("quiero cancelar mi cita, ya llamaré para pedir otra", {nlu.CANCEL}),
    ],
)
def test_near_misses_of_a_new_one_after_cancelling(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        (
            "mi mamá tiene la tensión alta, queremos que la vea un cardiólogo esta semana, ¿cuánto cuesta la consulta?",
            {nlu.BOOK, nlu.ASK_PRICE},
        ),
        ("mi madre tiene la tensión muy alta, ¿hay algún cardiólogo que la pueda ver esta semana?", {nlu.BOOK}),
        ("¿la doctora castro sigue atendiendo? quiero volver con ella, ¿qué días está?", {nlu.ASK_DOCTOR, nlu.BOOK}),
        ("¿qué días viene la dermatóloga? mi hija tiene granitos y la quiero llevar", {nlu.ASK_DOCTOR, nlu.BOOK}),
        ("¿atienden con fonasa? necesito un bono para medicina general para mi mamá", {nlu.ASK_COVERAGE, nlu.BOOK}),
        ("¿cuánto sale la consulta con el traumatólogo? y si tienen hora para esta semana", {nlu.ASK_PRICE, nlu.BOOK}),
        (
            "quisiera saber si hay turno con el médico general para hoy, y qué documentos tengo que llevar",
            {nlu.BOOK, nlu.ASK_REQUIREMENTS},
        ),
        (
            "¿qué tengo que llevar? le tengo que sacar turno a mi vieja con el cardiólogo",
            {nlu.BOOK, nlu.ASK_REQUIREMENTS},
        ),
        ("mi esposo se lastimó la rodilla, queria ver si lo puede checar el traumatologo mañana", {nlu.BOOK}),
        ("mi bebé anda con diarrea, ¿hay pediatra disponible hoy en la tarde?", {nlu.BOOK}),
    ],
)
def test_a_request_said_beside_a_question_or_in_other_words(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        (
            "¿tienen psiquiatra? mi hermano no quiere salir de su cuarto, queremos que lo vea alguien",
            {nlu.ASK_SPECIALTIES},
        ),
        ("¿cuánto cuesta la consulta con el cardiólogo? ¿se puede pagar con tarjeta?", {nlu.ASK_PRICE}),
        ("¿qué días viene la dermatóloga?", {nlu.ASK_DOCTOR}),
        ("¿se necesita orden para pedir la cita?", {nlu.ASK_REQUIREMENTS}),
    ],
)
def test_near_misses_that_ask_only(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    "text",
    [
        "¿tienen ginecólogo que atienda por pami?",
        "¿atienden socios de casmu?",
        "¿atienden derechohabientes del issste?",
        "atienden prepagada de colsanitas",
    ],
)
def test_a_coverage_asked_about_in_the_subjunctive_or_by_its_members(text):
    assert nlu.ASK_COVERAGE in main(text)


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        (
            "¿atienden derechohabientes del issste? tengo una orden para hacerme un ultrasonido",
            {nlu.ASK_COVERAGE, nlu.BOOK},
        ),
        (
            "¿trabajáis con adeslas? mi hija tiene que pasar la revisión del pediatra",
            {nlu.ASK_COVERAGE, nlu.BOOK},
        ),
        ("tengo rimac, ¿me cubre la consulta con el traumatólogo?", {nlu.ASK_COVERAGE}),  # asks only
    ],
)
def test_a_need_said_beside_a_coverage_question_books(text, intents):
    assert main(text) == intents


def test_a_person_who_attends_please_is_no_coverage():
    assert main("me comunica con alguien que me atienda por favor") == {nlu.TRANSFER}


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        (
            "le dijeron que se hiciera un electro, ¿ustedes hacen eso? ¿y cuánto cuesta particular?",
            {nlu.ASK_SPECIALTIES, nlu.ASK_PRICE},
        ),
        (
            "el doctor me mandó unos exámenes de sangre, quiero saber si ustedes los hacen y si toca ir en ayunas",
            {nlu.ASK_SPECIALTIES, nlu.ASK_REQUIREMENTS},
        ),
        (
            "quería pedir turno con el clínico y también preguntar si hacen análisis de sangre ahí mismo",
            {nlu.BOOK, nlu.ASK_SPECIALTIES},
        ),
        (
            "¿atienden con el iess? el médico le dijo que necesita un cirujano, ¿ustedes tienen?",
            {nlu.ASK_COVERAGE, nlu.ASK_SPECIALTIES},
        ),
    ],
)
def test_whether_the_clinic_does_what_the_story_named(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    "text",
    [
        "tengo cita mañana con el doctor domínguez y quería preguntar si tengo que ir sin lentillas",
        "tengo cita mañana con la dermatóloga y quería saber si tengo que ir sin maquillaje",
    ],
)
def test_what_to_do_before_a_turno_held(text):
    assert main(text) == {nlu.ASK_REQUIREMENTS}


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("¿a qué hora abren mañana? es que mi cita con el oculista es a las ocho y media", {nlu.ASK_HOURS}),
        ("¿dónde queda la clínica? vengo del interior para el turno con el oculista", {nlu.ASK_ADDRESS}),
        ("che, la pedriatra alvarez atiende los sabados? es para el control de mi nena", {nlu.BOOK, nlu.ASK_HOURS}),
        ("¿a qué hora es mi cita?", {nlu.MY_APPOINTMENTS}),
    ],
)
def test_the_turno_a_question_is_for(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("quiero poner una queja, me dejaron esperando dos horas para la cita con el traumatólogo", {nlu.TRANSFER}),
        ("quiero hablar con alguien, estuve esperando más de una hora, quiero poner una reclamación", {nlu.TRANSFER}),
        ("necesito hablar con administración, tengo que presentar la factura en la obra social", {nlu.TRANSFER}),
        ("se me olvidó pedirle el informe, ¿me lo podéis mandar por correo?", {nlu.TRANSFER}),
        ("¿me regala el teléfono? necesito mandar una autorización de la eps para una cita", {nlu.ASK_CONTACT}),
        ("quiero hacer un reclamo y sacar un turno con el clínico", {nlu.TRANSFER, nlu.BOOK}),
    ],
)
def test_complaints_and_papers(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("¿a qué hora abrís los sábados? y si el traumatólogo pasa consulta ese día", {nlu.ASK_HOURS, nlu.ASK_DOCTOR}),
        ("¿hasta qué hora atienden los sábados? y ¿el dentista está los sábados?", {nlu.ASK_HOURS, nlu.ASK_DOCTOR}),
        ("¿el doctor medina sigue pasando consulta los viernes?", {nlu.ASK_DOCTOR}),
        ("quería saber qué médicos tenéis en oftalmología", {nlu.ASK_DOCTOR}),
        ("¿a qué hora hacéis las extracciones?", {nlu.ASK_HOURS}),
        (
            "¿pasa consulta algún otorrino? el médico de cabecera me ha dicho que vaya al especialista",
            {nlu.ASK_SPECIALTIES},
        ),
    ],
)
def test_hours_and_doctors(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("vale, muchísimas gracias por la ayuda, entonces quedamos así, hasta el jueves", {nlu.GOODBYE}),
        ("listo señorita, muchas gracias, muy amable, que Dios le pague, feliz día", {nlu.GOODBYE}),
        ("quiero turno hasta el jueves", {nlu.BOOK}),
    ],
)
def test_closings(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        (
            "queria saber si tengo alguna hora agendada, me llegó un mensaje pero lo borré sin querer",
            {nlu.MY_APPOINTMENTS},
        ),
        ("necesito borrar el turno del jueves", {nlu.CANCEL}),
        ("mi hija tiene que pasar la revisión del pediatra y nos dan cita para dentro de un mes", {nlu.BOOK}),
        ("me caí andando en bici y me duele la muñeca, ¿me pueden ver con el traumatólogo?", {nlu.BOOK}),
    ],
)
def test_real_words_are_not_corrected_into_rule_words(text, intents):
    assert main(text) == intents


# --- entities ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day", "part"),
    [
        ("el sábado me caí por las escaleras del portal, ¿me podrían dar cita con el traumatólogo?", None, None),
        ("el domingo se golpeó la cabeza jugando, quiero turno para el lunes", MON, None),
        ("perdón que escriba tan temprano, ¿habrá hora con la pediatra para hoy?", TUE, None),
        ("disculpe que moleste tan tarde, quería una cita", None, None),
        ("cancelo la del sábado y quiero otra con el dermatólogo esa misma mañana", SAT, nlu.MORNING),
        ("¿qué días viene la dermatóloga? pero de tarde porque de mañana va al liceo", None, nlu.AFTERNOON),
    ],
)
def test_the_story_and_the_apology_set_no_day_or_part(text, day, part):
    when = nlu.extract_when(text, now=NOW)
    assert (when.date, when.part_of_day) == (day, part)


@pytest.mark.parametrize(
    ("text", "day", "part"),
    [
        ("quiero turno el sábado, me caí", SAT, None),  # the day asked for, then the story
        ("el turno de mañana", WED, None),
        ("quiero un turno para mañana de tarde", WED, nlu.AFTERNOON),
        ("quiero un turno temprano", None, nlu.MORNING),
    ],
)
def test_near_misses_keep_the_day_and_part_asked(text, day, part):
    when = nlu.extract_when(text, now=NOW)
    assert (when.date, when.part_of_day) == (day, part)


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("quería pedir dos horas, una para mí y otra para mi hijo", None),
        ("me dejaron esperando dos horas", None),
        ("turno para el lunes a las 10 horas", dt.time(10)),
        ("turno a las dos", dt.time(14)),
    ],
)
def test_hours_counted_are_no_time(text, time):
    assert nlu.extract_when(text, now=NOW).time == time


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("quiero hablar con alguien de atención al paciente porque estuve esperando una hora", None),
        ("es para que me revise unas manchas de la cara", None),
        ("mi nombre es lucía martín", "Lucía Martín"),
    ],
)
def test_words_after_an_introduction_that_are_no_name(text, name):
    assert nlu.extract_name(text) == name


@pytest.mark.parametrize(
    ("text", "clinics", "common"),
    [
        ("¿atienden socios de casmu o tengo que ir particular?", None, "CASMU"),
        ("¿atienden por pami o hay que pagar particular?", "PAMI", None),
        ("no tengo obra social, tengo que ir particular", "Particular", None),
    ],
)
def test_the_coverage_asked_about_before_paying_privately(demo_clinic, text, clinics, common):
    found = find_coverage(clinic=demo_clinic, text=text)
    assert (found.name if found else None) == clinics
    if clinics is None:
        assert nlu.find_common_coverage(text) == common
