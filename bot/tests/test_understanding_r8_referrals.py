"""Leftovers of the round-8 dev file (bench/data/dev_first_messages_r8.txt): the doctor who sent
the patient ("mi médico de cabecera me dijo que vea a un traumato") is not the specialty asked,
folded hands after a question (🙏) ask, they do not thank; what to bring asks for no turno; a bite
or a swelling told asks for care. Asserted on the specialties found and the intents detected."""

import pytest

from bot import nlu
from bot.tests.test_understanding_r8 import specialties

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("mi medico de cabecera me dijo que vea a un traumato, tengo galeno", ["Traumatología"]),
        ("el clínico me mandó al cardiólogo por la presión", ["Cardiología"]),
        ("mi doctora de familia me derivó a la dermatóloga", ["Dermatología"]),
        ("la pediatra le dijo que vea un oculista", ["Oftalmología"]),
    ],
)
def test_the_doctor_who_sent_the_patient_is_not_the_specialty_asked(demo_clinic, text, wanted):
    assert specialties(demo_clinic, text) == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("quiero cita con mi medico de cabecera", ["Clínica médica"]),  # asked for, not a referral
        ("mi médico de cabecera atiende los jueves?", ["Clínica médica"]),
    ],
)
def test_the_family_doctor_asked_for_is_still_the_specialty(demo_clinic, text, wanted):
    assert specialties(demo_clinic, text) == wanted


@pytest.mark.parametrize(
    "text",
    [
        "buenas! mi nene tiene mocos y tos, lo puede ver la pediatra hoy? 🙏",
        "tienen turno para el clinico mañana?🙏🙏",
    ],
)
def test_folded_hands_after_a_question_ask_and_do_not_thank(text):
    assert nlu.THANKS not in nlu.detect_intents(text) and nlu.BOOK in nlu.detect_intents(text)


@pytest.mark.parametrize("text", ["🙏", "ok gracias 🙏", "listo, muchas gracias 🙏🙏"])
def test_folded_hands_alone_or_after_thanks_still_thank(text):
    assert nlu.THANKS in nlu.detect_intents(text)


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("¿que necesito llevar para la consulta del oculista?", [nlu.ASK_REQUIREMENTS]),
        ("que tengo que traer para la cita con el pediatra", [nlu.ASK_REQUIREMENTS]),
        # near-misses: a request said beside the question, and "llevar" someone to the doctor
        ("necesito un turno con el oculista, que tengo que llevar?", [nlu.BOOK, nlu.ASK_REQUIREMENTS]),
        ("necesito llevar a mi hijo al pediatra", [nlu.BOOK]),
    ],
)
def test_what_to_bring_to_the_consulta_asks_for_no_turno(text, intents):
    assert nlu.detect_intents(text) == intents


@pytest.mark.parametrize(
    "text",
    [
        "nde, me pico algo en la pierna y se me hincho todo, esta rojo y caliente",
        "se me hinchó el tobillo",
        "me mordió el perro del vecino",
    ],
)
def test_a_bite_or_a_swelling_told_to_the_clinic_asks_for_care(text):
    assert nlu.detect_intents(text) == [nlu.BOOK]


@pytest.mark.parametrize(
    ("text", "intents"),
    [("que horario tienen? se me hizo tarde", [nlu.ASK_HOURS]), ("se me hizo tarde, gracias igual", [nlu.THANKS])],
)
def test_other_things_that_happen_to_one_are_no_symptom(text, intents):
    assert nlu.detect_intents(text) == intents
