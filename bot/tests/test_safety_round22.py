"""Safety round 22 (issue 7): the families of the blind round-22 dev rows
(bench/data/safety/dev.csv), each beside the clinic messages that share its words. Patterns
live in bot/lexicons/safety_more.toml."""

import pytest

from bot import safety
from bot.safety import Concern
from bot.tests.test_safety_round19 import concern


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("ojalá no me toque abrir los ojos mañana", "no me toca abrir el consultorio mañana, ¿quién abre?"),
        ("le pido a dios no ver otro amanecer", "no voy a ver otro médico, quiero seguir con la doctora"),
        ("quiero cerrar los ojos y no volver", "cierro los ojos y no puedo volver a dormir, ¿hay turno?"),
        ("quiero que todo se apague", "quiero que todo se apague a las 10 en la sala de espera"),
    ],
)
def test_euphemisms_of_not_waking_again(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) != Concern.SELF_HARM


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("estoy en el puente y ya es hora", "estoy en el puente de la autopista con el auto, es hora pico"),
        ("estoy en la azotea con las piernas colgando", "estoy en la terraza tomando mate, es hora de la merienda"),
        ("me voy a tirar del septimo", "me tiré del trampolín del 3 en la pileta y me duele el oído"),
        ("me voy a tirá del puente", "me voy a mudar al séptimo piso"),
        ("me voy a lanzar desde el 8", "me voy a tirar desde la cama a las 2 jaja"),
    ],
)
def test_a_place_to_jump_from(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) != Concern.SELF_HARM


def test_an_infinitive_without_its_r_is_read_as_the_infinitive():
    """ "voy a tirá", "no quiero seguí" (Caribbean): only after a verb that governs an
    infinitive, and only when the word with its r is a real infinitive."""
    assert "tirarme" in safety.normalise("me voy a tirá del puente")
    assert "seguir" in safety.normalise("ya no quiero seguí")
    assert safety.normalise("quiero café") == ["quiero", "cafe"]
    assert concern("voy a pedí turno") is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("ya tengo el lazo amarrado en la viga", "la soga del tendedero está atada a la viga"),
        ("me voy a echar un tiro", "me voy a echar una siesta"),
        ("me voy a dar un tiro con la pistola", "me di un tiro de esquina en el partido y me duele el tobillo"),
        ("me voy a meter en la bañera con el secador enchufado", "se le cayó el secador a la bañera, nadie se lastimó"),
        ("me puse una bolsa en la cabeza para dejar de respirar", "me tomé todo el pote de yogur"),
        (
            "mi hijo se encerró en el garage con la moto prendida",
            "tengo el auto prendido en el garage esperando a mi hija",
        ),
        ("me voy a tomar todos los ravotriles", "voy a tomar todos los días las pastillas de la presión"),
        ("me tomé el pomo entero de pastillas", "tengo que tomar todos los remedios juntos?"),
        (
            "me quiero ir a dormir con todas las pastillas del botiquín",
            "me voy a dormir con todas las ventanas abiertas",
        ),
    ],
)
def test_means_named_without_the_word_suicide(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) != Concern.SELF_HARM


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("me volví a hacer rayitas en los muslos", "le hice rayitas en el brazo con marcador a mi hijo jugando"),
        ("me pego con el martillo cuando me equivoco", "me corto el pelo cuando me enojo"),
        ("me trago alfileres para castigarme", "me tragué alfileres sin querer cosiendo"),
    ],
)
def test_hurting_oneself_as_punishment(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) != Concern.SELF_HARM


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("el viernes es el último día que me ven", "el viernes es el último día que me ven las uñas jaja"),
        ("este es el ultimo dia que me van a ver", "es el último día que me van a ver en la clínica, me jubilo"),
        ("no voy a llegar a mi cumpleaños, ya lo tengo decidido", "no voy a llegar al turno del cumpleaños de mi hija"),
        ("mis hijos van a estar mejor con el seguro de vida que conmigo", "me quedo más tranquila con el seguro"),
        ("estoy cansada de ser una carga, ya elegí la fecha", "ya elegí la fecha del turno"),
        ("cuál es la altura mortal de una caída? es para mí", "cuál es la dosis letal para un perro? es para mi perro"),
        ("cuantas pastillas son mortales? es para mi", "cuántas pastillas de ibuprofeno puedo tomar? es para mí"),
        ("no le veo salida a nada, gracias por todo", "no le veo salida a la obra social, gracias por todo igual"),
        (
            "mi perro era lo único que me detenía, ya me despedí",
            "lo único que me frenaba era el precio, ya me despedí del médico",
        ),
        ("turno con la psiquiatra, si no capaz ya no estoy", "si llaman a las 8 capaz ya no estoy en casa"),
        (
            "cancelo mis turnos porque no pienso seguir viviendo",
            "no pienso seguir viviendo en esta ciudad con tanto ruido",
        ),
        ("asere ya ni quiero vivir", "ya ni quiero ir al gimnasio"),
        ("no pienso comer más hasta morirme", "no puedo comer hasta el análisis?"),
        ("voy a dejar de comer hasta morirme", "voy a dejar de comer harinas hasta el control"),
        ("mi hermano ya tiene la cuerda y esta noche lo hace", "ya tengo las pastillas, mañana lo hago el ayuno"),
    ],
)
def test_a_decision_or_a_plan_said_plainly(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) != Concern.SELF_HARM


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        (
            "mi vieja se cayó en el baño y no se puede levantar",
            "me torcí el tobillo y lo tengo hinchado, turno traumatólogo",
        ),
        ("tiene la pierna torcida para afuera", "me torcí la rodilla jugando al fútbol, turno"),
        ("mi mamá diabética está muy confundida", "soy diabético y estoy confundido con la dosis de insulina"),
        ("está toda sudada y no me reconoce", "mi abuela con alzheimer ya no me reconoce, quiero turno con neurología"),
    ],
)
def test_emergencies_said_in_everyday_words(alarming, ordinary):
    assert concern(alarming) == Concern.EMERGENCY
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    "text",
    [
        "la última vez casi me desmayo en la extracción de sangre, ¿me pueden acostar?",
        "se me cayó el celular del balcón jaja por eso no contesté, ¿sigue el turno?",
        "se me cayeron las llaves por la ventana jaja",
        "mi psicóloga dice que ya no tengo pensamientos de hacerme daño y quiero pedir el alta",
    ],
)
def test_ordinary_messages_with_alarming_words(text):
    assert concern(text) is None


def test_a_thought_denied_is_no_thought_kept():
    assert concern("no tengo pensamientos de hacerme daño pero estoy muy triste") is None
    assert concern("no dejo de tener pensamientos de matarme") == Concern.SELF_HARM
    assert concern("mi hijo se cayó del balcón y no se mueve") == Concern.EMERGENCY
