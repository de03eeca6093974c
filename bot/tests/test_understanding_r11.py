"""Families of rounds 10 and 11 left after the helpers (bench/data/dev_first_messages_r10.txt,
_r11.txt): a specialist with no name seeing patients on a near day ("¿el odontólogo atiende
hoy?") asks to be seen, while a named doctor's day is a fact about him; the turno papers are
for ("¿qué documentos necesito para la cita con el ginecólogo?") is no new booking; the visit
an invoice is for ("la factura de mi consulta de ayer") is no question about my turnos; words
the lexicon lacked (kidney stones, "mal de orín", piles, a yearly physical, Central America's
"me falseé el pie", the eyes' pressure). Asserted on the intents detected and the specialties
found on the demo clinic."""

import pytest

from bot import nlu
from bot.tests.test_understanding_r8 import specialties


def main(text: str) -> set[str]:
    return set(nlu.detect_intents(text)) - {nlu.GREETING, nlu.AFFIRM, nlu.DENY, nlu.THANKS}


@pytest.mark.parametrize(
    "text",
    [
        "me duele la muela del fondo y tengo el cachete hinchado, ¿el odontologo atiende hoy?",
        "mi nena tiene tos, ¿la pediatra atiende hoy de siesta?",
        "¿la ginecóloga viene mañana? necesito que me vea",
        "el clinico atiende esta tarde?",
    ],
)
def test_a_nameless_specialist_seeing_patients_on_a_near_day_books(text):
    assert main(text) == {nlu.BOOK}


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("el doctor romero atiende hoy?", {nlu.ASK_DOCTOR}),  # named: a fact about him
        ("¿qué días atiende la pediatra?", {nlu.ASK_DOCTOR}),  # which days, no near day
    ],
)
def test_near_misses_stay_questions_about_doctors(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    "text",
    [
        "que documentos necesito para la cita con el ginecologo?",
        "¿qué necesito para la cita de mañana?",
        "que tengo que llevar para mi turno con el traumatologo",
    ],
)
def test_what_a_turno_asks_for_books_nothing(text):
    assert main(text) == {nlu.ASK_REQUIREMENTS}


@pytest.mark.parametrize(
    "text",
    [
        "que tengo que llevar para el turno? y quiero sacar otro para mi hijo",
        "quiero un turno para mi hijo, que documentos necesito?",
    ],
)
def test_a_request_said_beside_the_requirements_still_books(text):
    assert main(text) == {nlu.BOOK, nlu.ASK_REQUIREMENTS}


def test_the_visit_an_invoice_is_for_is_no_question_about_my_turnos():
    assert main("hola este necesito la factura de mi consulta de ayer") == {nlu.TRANSFER}


def test_my_turno_asked_beside_an_invoice_is_kept():
    assert main("necesito la factura y quiero saber a que hora es mi turno") == {nlu.TRANSFER, nlu.MY_APPOINTMENTS}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("tengo piedras en los riñones", ["Clínica médica"]),
        ("tengo mal de orin y me arde", ["Clínica médica"]),
        ("tengo hemorroides, con quien me atiendo?", ["Clínica médica"]),
        ("quiero hacerme un examen fisico anual", ["Clínica médica"]),
        ("me falsee el pie jugando pelota", ["Traumatología"]),
        ("quiero cita con el oftalmologo para revisarme la presion de los ojos", ["Oftalmología"]),
        # Near misses: the blood pressure is the heart's.
        ("tengo la presion alta", ["Cardiología"]),
        ("quiero controlarme la presion", ["Cardiología"]),
    ],
)
def test_words_the_lexicon_lacked(demo_clinic, text, wanted):
    assert specialties(demo_clinic, text) == wanted
