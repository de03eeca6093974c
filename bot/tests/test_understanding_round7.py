"""Families of round 7 (bench/data/dev_first_messages_r7.txt): the target day of a move that
names two, a symptom's onset and a past visit that are no day for the turno, meals and noon in
symptoms and hours questions, coverage questions against booking, "is there X?" for a service,
a fact about a named doctor, trailing words that add no intent, and specialty collisions (a
diabetic's wound, "factura", a headache beside the blood pressure, "las dos" = both people, an
emergency room already seen). Each with its near-misses. Clock: Tuesday 1 December 2026, 9:00."""

import datetime as dt

import pytest

from bot import nlu
from bot.brains.rules.manage import ManageTurnos
from bot.tests.conftest import CLINIC_TZ as TZ
from clinic.selectors import find_coverage, find_specialties, without_clinic_name

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
TUE, WED, THU, FRI, SAT, MON, NEXT_TUE = (dt.date(2026, 12, day) for day in (1, 2, 3, 4, 5, 7, 8))


def when(text: str) -> nlu.When:
    return nlu.extract_when(text, now=NOW)


# --- 1. a move naming two days: the one after "para / al / a / pa" -------------------------


@pytest.mark.parametrize(
    ("text", "day", "part"),
    [
        ("quiero pasar mi turno del jueves al martes que viene", NEXT_TUE, None),
        ("cambiar el de mañana para el viernes", FRI, None),
        ("tenia turno el doce, lo pueden pasar para la tarde del catorce", dt.date(2026, 12, 14), nlu.AFTERNOON),
        ("che me podes pasar el turno del viernes para el lunes", MON, None),
        ("me podéis cambiar la cita de mañana al lunes que viene", MON, None),
        ("quisiera reprogramar mi cita del viernes 4 para el miércoles 9", dt.date(2026, 12, 9), None),
        ("mi cita era pa mañana pero me la pueden mover pa el viernes en la tarde", FRI, nlu.AFTERNOON),
        ("epa se puede rodar la cita del jueves pal lunes", MON, None),
        ("tengo hora el jueves y la quiero cambiar para el sabado en la mañana", SAT, nlu.MORNING),
        ("cambiar el turno del dia once para el dieciocho a la manana", dt.date(2026, 12, 18), nlu.MORNING),
        ("tenia hora para hoy pero no llego, me la pasas para pasado mañana?", THU, None),
    ],
)
def test_a_move_takes_the_day_it_goes_to(text, day, part):
    got = when(text)
    assert (got.date, got.part_of_day) == (day, part)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # One day only, or no move: nothing to choose between.
        ("quiero un turno para el viernes, el jueves no puedo", FRI),
        ("cancelame el turno del jueves", THU),
        ("quiero turno el jueves a la tarde", THU),
        ("hoy no puedo, quiero turno para el jueves", THU),
        # Moved to a time only: the day said stays.
        ("tengo turno el jueves, me lo pasas para mas tarde?", THU),
    ],
)
def test_near_misses_of_a_move_keep_their_day(text, day):
    assert when(text).date == day


def test_the_turno_to_move_is_still_read_before_the_target(demo_clinic):
    """The rules brain reads the turno held from the words before "para"/"al"."""
    form = ManageTurnos.__new__(ManageTurnos)
    form.text, form.local_now = "quiero pasar mi turno del jueves al martes que viene", NOW
    old, new = form.old_and_new()
    assert (old.date, new.date) == (THU, NEXT_TUE)


# --- 2. onset, past visits, meals, noon and weekly days in hours questions -----------------


@pytest.mark.parametrize(
    "text",
    [
        "me duele la garganta desde el domingo, necesito turno",
        "desde el viernes que tengo tos y mocos, me das un turno con el clinico",
        "me duele la rodilla desde el lunes necesito un traumatologo",
        "tengo fiebre hace tres dias, quiero una cita con medicina general",
        "mi hijo tiene diarrea desde ayer, ocupo cita con el pediatra",
        "llevo con dolor de espalda desde la semana pasada",
        "tengo tos desde el martes pasado",
        "la semana pasada me atendio la dra herrera y me dijo que vuelva en quince dias",
        "dale, mañana te confirmo",
        "ok el lunes te aviso",
    ],
)
def test_an_onset_a_past_visit_or_a_later_reply_is_no_day(text):
    assert when(text).date is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("hace una semana que me duele la muela, quiero una cita para el jueves", THU),
        ("mi nena tiene fiebre desde anoche quiero turno para hoy", TUE),
        ("quiero turno desde el jueves en adelante", THU),
        ("me dijeron que pida turno para dentro de quince dias", dt.date(2026, 12, 16)),
        ("quiero turno el lunes, te confirmo mañana", MON),
        ("quiero un turno para pasado mañana", THU),
    ],
)
def test_near_misses_of_an_onset_keep_the_day_asked(text, day):
    assert when(text).date == day


@pytest.mark.parametrize(
    "text",
    [
        "me duele el estomago despues de comer",
        "me da acidez despues de almorzar, quiero ver a un medico",
        "me hincho despues del almuerzo",
    ],
)
def test_a_meal_said_of_a_symptom_is_no_part_of_the_day(text):
    assert when(text).part_of_day is None


@pytest.mark.parametrize(
    "text",
    [
        "cita con el traumatologo despues de comer",
        "quiero turno con el dentista despues de almorzar",
        "quiero una cita pasadito el almuerzo con la pediatra",
    ],
)
def test_a_meal_said_of_the_turno_is_the_afternoon(text):
    assert when(text).part_of_day == nlu.AFTERNOON


@pytest.mark.parametrize(
    ("text", "day", "time"),
    [
        ("atienden al mediodia?", None, None),
        ("¿abren al mediodia?", None, None),
        # Near-misses: one day, a weekday's hours (answered for that weekday), noon for a turno.
        ("atienden este sabado", SAT, None),
        ("a que hora cerrais los sabados?", SAT, None),
        ("una cita con el doctor gutierrez a mediodia", None, dt.time(12)),
        ("necesito un turno para los sabados", SAT, None),
    ],
)
def test_hours_questions_set_no_time_of_their_own(text, day, time):
    got = when(text)
    assert (got.date, got.time) == (day, time)


# --- 3. coverage questions against booking ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("soy derechohabiente del issste, ahi me pueden atender?", [nlu.ASK_COVERAGE]),
        ("soy derechohabiente del imss, me atienden?", [nlu.ASK_COVERAGE]),
        # The dev sets' convention (round 3i): the turno waits for the coverage's answer.
        ("estoy afiliada a compensar, puedo pedir cita con el ginecologo?", [nlu.ASK_COVERAGE]),
        ("soy de sanitas, puedo pedir cita?", [nlu.ASK_COVERAGE]),
        ("ustedes cogen seguro? yo tengo humano", [nlu.ASK_COVERAGE]),
        ("cogen ars senasa?", [nlu.ASK_COVERAGE]),
        # Near-misses: a person asked for, a coverage stated with a request.
        ("quiero hablar con un humano", [nlu.TRANSFER]),
        ("tengo osde, quiero turno con el cardiologo", [nlu.BOOK]),
    ],
)
def test_coverage_questions(text, intents):
    assert nlu.detect_intents(text) == intents


@pytest.mark.parametrize(
    ("text", "clinics", "common"),
    [
        ("trabajan con compensar o solo particular", None, "Compensar"),
        ("¿trabajais con sanitas o solo privado?", None, "Sanitas"),
        ("atienden por pami o es solo particular?", "PAMI", None),
        ("tengo seguro humano, ustedes lo cogen?", None, "ARS Humano"),
        ("cogen ars senasa?", None, "ARS Senasa"),
        # Near-misses: a person asked for, "o sea particular".
        ("me das con un humano?", None, None),
        ("no tengo obra social, o sea particular", "Particular", None),
        ("aceptan seguro rimac?", None, "Rímac"),
        # Near-misses: paying privately said alone is the private coverage.
        ("quiero turno particular", "Particular", None),
        ("no tengo obra social, seria particular", "Particular", None),
    ],
)
def test_the_coverage_asked_about(demo_clinic, text, clinics, common):
    found = find_coverage(clinic=demo_clinic, text=text)
    assert (found.name if found else None) == clinics
    if clinics is None:
        assert nlu.find_common_coverage(text) == common


# --- 4. a service asked about, 5. a fact about a doctor, 6. trailing words -----------------


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("hay laboratorio? me pidieron un analisis de sangre", [nlu.ASK_SPECIALTIES]),
        ("tienen fonoaudiologa? mi nene no habla bien", [nlu.ASK_SPECIALTIES]),
        ("mi hijo tiene piojos, necesito que me lo vean", [nlu.BOOK]),
        ("tengo piojos y no se me van", [nlu.BOOK]),
        # Near-misses: a specialist asked for today, a study asked for.
        ("hay pediatra hoy?", [nlu.BOOK]),
        ("me pidieron un analisis de sangre, quiero sacar turno", [nlu.BOOK]),
        # A doctor's facts: no turno.
        ("la doctora vazquez atiende niños?", [nlu.ASK_DOCTOR]),
        # Trailing words.
        ("necesito cita con el pediatra para mi patojo", [nlu.BOOK]),
        ("quiero turno con el doctor sosa gracias", [nlu.BOOK, nlu.THANKS]),
        ("bueno dale, esta bien", [nlu.AFFIRM]),
        ("dale, mañana te confirmo", [nlu.AFFIRM, nlu.GOODBYE]),
        ("bueno, buenas tardes, quiero un turno", [nlu.BOOK, nlu.GREETING]),
        ("dale, mañana a las 10", [nlu.AFFIRM]),
    ],
)
def test_services_doctors_and_trailing_words(text, intents):
    assert nlu.detect_intents(text) == intents


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("la doctora vazquez atiende niños?", []),
        ("el dr sosa ve bebes?", []),
        ("tengo piojos y no se me van", ["Dermatología"]),
        ("mi hijo tiene piojos", ["Pediatría"]),
        ("tengo una herida en el pie que no cierra, soy diabetico", ["Clínica médica"]),
        ("soy diabetica y tengo una llaga en el pie hace semanas", ["Clínica médica"]),
        ("necesito la factura de la consulta de ayer", []),
        ("me rompi el pie, creo que es una fractura", ["Traumatología"]),
        ("presion alta y dolor de cabeza", ["Cardiología"]),
        ("tengo la presion alta y me duele mucho la cabeza, quiero un turno", ["Cardiología"]),
        ("un hombre de 60 años con dolor de cabeza", ["Clínica médica"]),
        # Near-misses: the doctor who sees children, two complaints of two specialties.
        ("quiero turno con el doctor que atiende niños", ["Pediatría"]),
        ("me duele la muela y tengo la presion alta", ["Cardiología", "Odontología"]),
    ],
)
def test_round_7_specialties(demo_clinic, text, wanted):
    said = without_clinic_name(clinic=demo_clinic, text=text)  # as the rules brain reads it
    assert sorted(s.name for s in find_specialties(clinic=demo_clinic, text=said)) == sorted(wanted)


# --- 7. collisions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("tengo una herida en el pie que no cierra, soy diabetico", [nlu.BOOK]),
        ("necesito la factura de la consulta de ayer", [nlu.TRANSFER]),
        ("vengo de urgencias y me dijeron que pidiera cita con el cardiologo", [nlu.BOOK]),
        ("ayer estuve en la guardia y me dijeron que saque turno con el traumatologo", [nlu.BOOK]),
        # Near-misses: an emergency now, the clinic's closing time, a turno and an invoice.
        ("vengo de urgencias y me duele el pecho", [nlu.EMERGENCY]),
        ("a que hora cierra la clinica?", [nlu.ASK_HOURS]),
        ("quiero un turno y despues la factura", [nlu.BOOK]),
        # "Pasar consulta" is seeing the doctor (Central America, Spain); "pasar la consulta" moves it.
        ("quiero pasar consulta con el oculista que me lloran los ojos", [nlu.BOOK]),
        ("quiero pasar la consulta para el viernes", [nlu.RESCHEDULE]),
    ],
)
def test_collisions(text, intents):
    assert nlu.detect_intents(text) == intents


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("quiero pedir cita para mi mama y para mi, las dos con medicina general", None),
        ("somos dos hermanas, las dos necesitamos turno", None),
        # Near-misses: two o'clock.
        ("quiero un turno para el jueves a las dos", dt.time(14)),
        ("turno para las dos con el pediatra", dt.time(14)),
    ],
)
def test_las_dos_is_both_people_before_con_or_para(text, time):
    assert when(text).time == time
