"""Families of round 8 (bench/data/dev_first_messages_r8.txt, nlu22): what a message says
around its request and asks for nothing (terms of endearment, WhatsApp shorthand, a reason or
a condition of a doctor question, "sí" between greetings), a prescription or a study asked
for, and a coverage asked about with a doctor. Asserted on the intents detected."""

import pytest

from bot import nlu


def main(text: str) -> set[str]:
    return set(nlu.detect_intents(text)) - {nlu.GREETING, nlu.AFFIRM, nlu.DENY}


# --- terms of endearment ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("hola mi amor, ¿tienen nutricionista? quiero bajar de peso", {nlu.ASK_SPECIALTIES}),
        ("buenas mi reina, tienen dermatologo?", {nlu.ASK_SPECIALTIES}),
        ("hola corazon, ¿tienen pediatra?", {nlu.ASK_SPECIALTIES}),
        ("mija, ¿hay ginecologo en la clinica?", {nlu.ASK_SPECIALTIES}),
        ("¿tienen kinesiologo mi vida?", {nlu.ASK_SPECIALTIES}),
        ("¿tienen traumatologo cariño?", {nlu.ASK_SPECIALTIES}),
        ("hola linda, necesito un turno con el clinico", {nlu.BOOK}),
        ("gracias mi amor, muy amable", {nlu.THANKS}),
        # Near misses: someone told about, a friend the turno is for, the heart.
        ("mi amor tiene fiebre desde ayer", {nlu.BOOK}),
        ("mija tiene tos y mocos", {nlu.BOOK}),
        ("quiero un turno para mi amiga", {nlu.BOOK}),
        ("necesito cita con el especialista del corazon", {nlu.BOOK}),
        ("me duele el corazon", {nlu.BOOK}),
    ],
)
def test_a_term_of_endearment_asks_nothing(text, intents):
    assert main(text) == intents


# --- WhatsApp shorthand ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "understood"),
    [
        ("q dias atiende xq necesito", "que dias atiende porque necesito"),
        ("tb tengo osde pls", "tambien tengo osde por favor"),
        ("turno x la tarde", "turno por la tarde"),
        # Near misses: an x-ray, a letter in a document.
        ("tienen rayos x", "tienen rayos x"),
        ("mi dni es 05432198 k", "mi dni es 05432198 k"),
    ],
)
def test_shorthand_is_read_as_words(text, understood):
    assert nlu.understand(text) == understood


# --- doctor questions phrased like a booking -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("q dias atiende el dr romero? xq necesito ir con el clinico", {nlu.ASK_DOCTOR}),
        ("¿con que doctor me toca si pido cita con el pediatra el sabado?", {nlu.ASK_DOCTOR}),
        ("¿con cual medico me toca el control?", {nlu.ASK_DOCTOR}),
        ("¿quien me veria si saco turno con el dermatologo?", {nlu.ASK_DOCTOR}),
        ("¿que dias atiende la dra vazquez? porque quiero ir a verla", {nlu.ASK_DOCTOR}),
        # Near misses: a request besides the question books.
        ("¿que dias atiende el dr romero? quiero sacar turno con el", {nlu.ASK_DOCTOR, nlu.BOOK}),
        ("¿que dias atiende el dr romero? porque quiero sacar turno", {nlu.ASK_DOCTOR, nlu.BOOK}),
        ("¿con que doctor me toca? quiero pedir cita con el pediatra el sabado", {nlu.ASK_DOCTOR, nlu.BOOK}),
        ("quiero un turno con el pediatra, ¿hay el sabado?", {nlu.BOOK}),
    ],
)
def test_a_reason_or_condition_of_a_doctor_question_books_nothing(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("hola si buenas este llamaba para saber si la doctora morales atiende por osde", {nlu.ASK_COVERAGE}),
        ("¿el dr perez trabaja con swiss medical?", {nlu.ASK_COVERAGE}),
        ("¿el cardiologo atiende por pami?", {nlu.ASK_COVERAGE}),
        # Near misses: the doctor's days asked too, or a part of the day.
        ("¿la dra gimenez atiende por osde y que dias viene?", {nlu.ASK_DOCTOR, nlu.ASK_COVERAGE}),
        ("¿el dr romero atiende por la tarde?", {nlu.ASK_DOCTOR}),
        ("¿la doctora morales atiende los lunes?", {nlu.ASK_DOCTOR}),
    ],
)
def test_a_coverage_taken_by_a_doctor_is_a_coverage_question(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    ("text", "affirm"),
    [
        ("hola si buenas, llamaba para saber si atienden por osde", False),
        ("alo si buenas tardes, quiero una cita", False),
        # Near misses: a yes after a greeting, a yes alone.
        ("hola si quiero el turno", True),
        ("si buenas", True),
        ("bueno si", True),
    ],
)
def test_si_between_greetings_opens_a_call(text, affirm):
    assert (nlu.AFFIRM in nlu.detect_intents(text)) is affirm


# --- a prescription, a study done to me -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        (
            "necesito una receta para mis pastillas de la tiroides, ¿me la puede hacer el medico general?",
            {nlu.BOOK},
        ),
        ("necesito una receta para mis remedios de la presion", {nlu.BOOK}),
        ("necesito que me renueven la receta del enalapril", {nlu.BOOK}),
        ("¿me lo firma la pediatra? es el certificado del colegio", {nlu.BOOK}),
        ("necesito espejuelos nuevos, ¿me hacen la medida de la vista?", {nlu.BOOK}),
        ("¿me pueden hacer un electro esta semana?", {nlu.BOOK}),
        # Near misses: what a study or a turno needs, whether the clinic does a study.
        ("¿necesito receta para el analisis?", {nlu.ASK_REQUIREMENTS}),
        ("¿se necesita orden para la consulta?", {nlu.ASK_REQUIREMENTS}),
        ("¿hacen ecografias?", {nlu.ASK_SPECIALTIES}),
        ("me mandaron una eco, ¿me la hacen ahi?", {nlu.ASK_SPECIALTIES}),
        ("¿me hacen descuento si pago en efectivo?", {nlu.ASK_PRICE}),
    ],
)
def test_a_prescription_or_a_study_asked_for_books(text, intents):
    assert main(text) == intents


def test_going_with_a_specialist_is_no_paper_to_bring():
    assert nlu.ASK_REQUIREMENTS not in nlu.detect_intents("necesito ir con el clinico")
    assert nlu.ASK_REQUIREMENTS in nlu.detect_intents("¿tengo que ir con la orden?")
