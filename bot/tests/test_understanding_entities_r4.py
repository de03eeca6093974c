"""Entities of round 4e (bench/data/dev_first_messages_r4e.txt and known dev misses): complaints
of services the clinic lacks said without naming one, everyday words that are no typo of a
specialty ("visita", "vuestra clínica"), the doctor who refers, no coverage said with each
country's word, a nail that is no one o'clock, the end of the working day, and a name correction
with commas. On the demo clinic; clocks frozen on a weekday (Tuesday 1 December 2026, 9:00) and
on a weekend (Saturday 5 December, 19:30)."""

import datetime as dt

import pytest

from bot import nlu
from bot.tests.conftest import CLINIC_TZ as TZ
from clinic.selectors import find_coverage, find_missing_service, find_specialties, without_clinic_name

CLOCKS = ["tuesday", "saturday_evening"]
NOW = {
    "tuesday": dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ),
    "saturday_evening": dt.datetime(2026, 12, 5, 19, 30, tzinfo=TZ),
}


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("me arde al hacer pis, necesito un turno", ["Clínica médica"]),
        ("tengo una infeccion en las vias urinarias", ["Clínica médica"]),
        ("mi mama tiene asma y necesita control", ["Clínica médica"]),
        ("tengo migrañas muy fuertes desde hace meses", ["Clínica médica"]),
        ("tengo muchas agruras despues de comer", ["Clínica médica"]),
        ("me salio una bolita en el cuello", ["Clínica médica"]),
        ("necesito cita para un examen de ingreso laboral", ["Clínica médica"]),
        ("necesito el carne de salud, me lo pueden hacer?", ["Clínica médica"]),
        ("tengo un bulto en el pecho y estoy asustada", ["Ginecología"]),
        # Everyday words and places are no specialty.
        ("¿cuanto cuesta la primera visita?", []),
        ("tengo muface, ¿puedo ir a vuestra clinica?", []),
        # The doctor who refers is not the one asked for.
        ("¿hace falta volante del medico de cabecera?", []),
        ("tengo la orden de mi medico para el cardiologo", ["Cardiología"]),
    ],
)
def test_round_4e_specialties(demo_clinic, text, wanted):
    said = without_clinic_name(clinic=demo_clinic, text=text)  # as the rules brain reads it
    assert [s.name for s in find_specialties(clinic=demo_clinic, text=said)] == wanted


def test_a_named_service_the_clinic_lacks_still_wins_over_the_complaint(demo_clinic):
    """ "asma" is the clínico's only when no neumonólogo is named."""
    assert find_specialties(clinic=demo_clinic, text="necesito turno con el neumonologo, tengo asma") == []


@pytest.mark.parametrize(
    "text",
    [
        "cuanto sale la consulta sin mutualista?",
        "no tengo eps, cuanto vale la consulta",
        "atienden sin seguro medico?",
        "sin isapre cuanto cuesta",
    ],
)
def test_no_coverage_in_each_countrys_words_is_private_pay(demo_clinic, text):
    coverage = find_coverage(clinic=demo_clinic, text=text)
    assert coverage is not None and coverage.name == "Particular"


def test_a_coverage_named_is_still_that_coverage(demo_clinic):
    assert find_coverage(clinic=demo_clinic, text="tengo OSDE").name == "OSDE"


@pytest.mark.parametrize(
    ("text", "time", "part"),
    [
        ("tengo un hongo en la uña del pie", None, None),  # a nail, not one o'clock
        ("me duele la uña encarnada", None, None),
        ("turno a la una", dt.time(13), None),
        ("a la una de la tarde", dt.time(13), nlu.AFTERNOON),
        ("la cita puede ser a la salida del trabajo?", None, nlu.AFTERNOON),
        ("turno con el clinico saliendo del laburo", None, nlu.AFTERNOON),
    ],
)
@pytest.mark.parametrize("clock", CLOCKS)
def test_nails_and_the_end_of_the_working_day(text, time, part, clock):
    when = nlu.extract_when(text, now=NOW[clock])
    assert (when.time, when.part_of_day) == (time, part)


@pytest.mark.parametrize(
    ("text", "current", "wanted"),
    [
        ("corríjame el apellido por favor, es Peraza, Yusmary Peraza", "Yusmary Pérez", "Yusmary Peraza"),
        ("no, el apellido es Pereira, por favor", "Juan Perez", "Juan Pereira"),
        ("está mal el apellido, es Juan Pereira", "Juan Perez", "Juan Pereira"),
    ],
)
def test_a_name_correction_with_commas(text, current, wanted):
    assert nlu.extract_corrected_name(text, current=current) == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # Round 5e: a check-up is the one of the specialty said with it, else the GP's.
        ("quiero sacar turno para el control anual con la ginecologa", ["Ginecología"]),
        ("quiero una cita para el cardiologo para un chequeo anual", ["Cardiología"]),
        ("quiero pedir hora con el oftalmologo para el control anual de la vista", ["Oftalmología"]),
        ("quiero hacerme un chequeo general", ["Clínica médica"]),
        # A child's skin, ear and eye complaints, in each country's word for a child.
        ("mi bebe tiene brotes en la piel", ["Pediatría"]),
        ("hola, ocupo una cita para el guila que tiene calentura", ["Pediatría"]),
        ("mi patojo tiene calentura y dolor de garganta", ["Pediatría"]),
        ("mi cipote tiene calentura y vomitos", ["Pediatría"]),
        ("mi muchachito tiene los ojos irritados y le lloran", ["Pediatría"]),
        ("mi chamito tiene una alergia en los ojos", ["Pediatría"]),
        ("buenas, quiero un turno para mi mita'i que tiene granitos en la espalda", ["Pediatría"]),
        # The lay name of the specialist still names it; an adult's skin word is the dermatologist's.
        ("quiero sacar turno con el de la piel por unos lunares", ["Dermatología"]),
        ("me salio un mezquino en la mano", ["Dermatología"]),
        ("me salio la culebrilla en la espalda", ["Dermatología"]),
        # Organs of services the clinic lacks, with no specialist named: the clínico.
        ("tengo la prostata agrandada y me levanto mucho a la noche", ["Clínica médica"]),
        ("me duele el higado, creo que tengo algo en la vesicula", ["Clínica médica"]),
        ("me duele la boca del estomago despues de comer", ["Clínica médica"]),
    ],
)
def test_round_5e_specialties(demo_clinic, text, wanted):
    said = without_clinic_name(clinic=demo_clinic, text=text)
    assert [s.name for s in find_specialties(clinic=demo_clinic, text=said)] == wanted


def test_a_named_urologist_still_asks_for_the_service_the_clinic_lacks(demo_clinic):
    """ "próstata" is the clínico's only when no urólogo is named."""
    text = "necesito cita con el urologo para revisarme la prostata"
    assert find_specialties(clinic=demo_clinic, text=text) == []
    assert find_missing_service(clinic=demo_clinic, text=text).name == "Urología"
