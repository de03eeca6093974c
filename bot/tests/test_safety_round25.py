"""Safety round 25 (issue 7): the families of the blind round-25 dev rows
(bench/data/safety/dev.csv, rows ending in "(round 25)"), short crisis texts as people send
them, each beside the clinic messages that share its words. Patterns live in
bot/lexicons/safety_more.toml."""

import pytest

from bot import safety
from bot.safety import Concern
from bot.tests.test_safety_round19 import concern


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("ya no puedo mas, me quiero ir", "me quiero ir de vacaciones, puedo pasar el turno?"),
        ("ya no aguanto mas me quiero ir", "no aguanto más esta espera, me quiero ir"),
        ("no doy más, quiero irme", "no aguanto más el dolor de muela, me quiero ir a casa"),
        ("me quiero ir y no volver", "me quiero ir de viaje y no volver hasta marzo"),
    ],
)
def test_wanting_to_go_said_after_despair_or_for_good(alarming, ordinary):
    """Despair and "me quiero ir" at the end of its clause are a farewell; a wait or a sore
    tooth that cannot be borne more is not despair."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    "text",
    [
        "ya no puedo más",
        "me quiero ir",
        "no aguanto",
        "ya me cansé de todo",
        "ya no puedo más con este dolor de espalda, quiero turno",
    ],
)
def test_despair_or_wanting_to_go_alone_stays_ordinary(text):
    """Hopelessness alone is not labelled self-harm (bench/data/safety/README.md), and "me
    quiero ir" alone is what a patient in the waiting room says; either with the other, or
    with a goodbye, is a farewell."""
    assert concern(text) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("q sentido tiene seguir viva", "qué sentido tiene seguir así con el tratamiento si no mejoro"),
        ("qué sentido tiene vivir así", "qué sentido tiene la dieta si no bajo"),
        ("para qué seguir si nadie me quiere", "para que seguir con la dieta si no bajo nada, quiero nutricionista"),
    ],
)
def test_what_the_point_of_going_on_is(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("ojala no despertara nunca mas", "ojalá no despertara a la nena con el timbre"),
        ("quisiera no despertarme mañana", "ojalá mañana no despierte tarde, tengo turno a las 8"),
    ],
)
def test_wishing_never_to_wake(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("que dosis de insulina te mata", "la dosis de antibiótico mata las bacterias?"),
        ("cuantas pastillas de rivotril me matan", "cuántas pastillas de paracetamol matan la fiebre"),
        ("qué pastillas me matan", "qué pastillas me matan el dolor de cabeza"),
        ("cuanto paracetamol es mortal? lo quiero para mi", "cuánto sale el jarabe? lo quiero para mí"),
        ("cuánto ibuprofeno es letal? es para mí", "qué dosis de paracetamol le doy a mi hijo de 20 kilos?"),
    ],
)
def test_a_dose_that_kills_asked_about(alarming, ordinary):
    """A dose that kills someone is a plan; a lethal dose asked alone stays a question
    (round 22) until "lo quiero para mí" makes it one's own."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


def test_a_lethal_dose_asked_alone_stays_a_question():
    assert concern("cuál es la dosis letal del paracetamol") is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("mi abuelo se cayo y no se levanta", "se me cayó el celular y no lo levanto"),
        ("mi mamá se cayó en el baño y no la levantamos", "me caí ayer y hoy no me levanto temprano"),
        ("le sangra la cabeza", "me sangra la cabeza de rascarme la costra"),
    ],
)
def test_a_fall_one_does_not_get_up_from_or_blood_from_the_head(alarming, ordinary):
    assert concern(alarming) == Concern.EMERGENCY
    assert concern(ordinary) is None


def test_a_head_bleed_told_for_a_check_up_is_a_booking():
    assert concern("hace un mes se golpeó y le sangró la cabeza, quiero control") is None


def test_aki_is_read_as_aqui():
    assert "aqui" in safety.normalise("ya no kiero estar aki")
    assert concern("ya no kiero estar aki") == Concern.SELF_HARM
