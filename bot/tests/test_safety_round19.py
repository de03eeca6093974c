"""Safety round 19 (issue 7): phrasings of public real-world text the earlier rounds missed
(bench/data/safety/dev.csv, rows ending in "(round 19)"), each family beside the clinic
message with its words. A separate module: bot/tests/test_safety.py is near its size limit."""

import pytest

from bot import safety
from bot.safety import Concern
from bot.safety_patterns import Pattern


def concern(text: str) -> Concern | None:
    finding = safety.assess(text)
    return finding.concern if finding else None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("ya lo intenté dos veces y esta vez no me va a fallar", "ya lo intenté dos veces por la web, quiero turno"),
        ("recaí y lo intenté de nuevo", "intenté de nuevo sacar turno y no hay"),
        ("me salvaron a tiempo pero lo voy a volver a intentar", "lo voy a volver a intentar por teléfono"),
        ("no me salió la otra vez, esta vez sí", "no me salió el turno la otra vez, esta vez sí"),
        ("sigo pensando en hacerlo, salí del hospital ayer", "sigo pensando en hacerlo, ¿el estudio duele?"),
        ("quisiera una razón para no hacerlo", "¿hay alguna razón para no hacerlo antes del control?"),
        ("ya tengo la manera en que lo voy a hacer", "ya tengo la forma de pago, lo voy a hacer mañana"),
    ],
)
def test_an_attempt_said_without_its_act_unless_the_message_asks_for_something(alarming, ordinary):
    """The implied group (bot/lexicons/safety.toml [self_harm] implied) counts only without a
    booking word, as a clinic says the same of its bookings."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("un frasco entero de rivotril y una botella de whisky", "¿puedo tomar ibuprofeno con una copa de vino?"),
        ("la soga y el banquito, nada más", "compré una soga para saltar y un banquito para el gimnasio"),
        ("la soga ya está lista", "¿la receta ya está lista?"),
        ("ya conseguí el raticida", "ya conseguí el raticida para las ratas del galpón"),
        ("estoy con la navaja en la mano", "me corté la mano con una navaja de afeitar hace un mes, turno"),
        ("guardé todos los somníferos del mes", "guardé todas las pastillas en la heladera"),
        ("ya dejé la carta en la mesa", "ya tengo la carta de derivación del médico"),
        ("compró veneno y dijo que era para ella", "compró veneno para las hormigas, ¿es peligroso?"),
    ],
)
def test_means_and_plans_named_without_the_verb(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) in (None, Concern.EMERGENCY)  # poison words may be an emergency
    assert concern(ordinary) != Concern.SELF_HARM


@pytest.mark.parametrize(
    "text",
    [
        "mi abuela dice que mejor se muere",
        "mi papá dice que así no es una carga para nadie",
        "mi hermana se despide de todos en instagram",
        "recaí con los cortes",
        "me quemé con un cigarrillo para castigarme",
        "me pegué contra la pared a propósito",
        "ojalá me duerma y que no haya mañana",
        "quiero irme con diosito ya",
        "no le veo sentido a seguir existiendo",
        "es mi última noche, gracias por todo",
    ],
)
def test_relatives_passive_wishes_and_self_harm_said_in_the_past(text):
    assert concern(text) == Concern.SELF_HARM


@pytest.mark.parametrize(
    "text",
    [
        "quiero dormir y no despertarme hasta el domingo jaja, ¿turno el lunes?",  # a long sleep
        "me pegué con la puerta del auto, ¿traumatología atiende hoy?",
        "esta es mi última consulta, gracias por todo",
    ],
)
def test_their_everyday_near_misses_are_left_alone(text):
    assert concern(text) is None


@pytest.mark.parametrize(
    "text",
    ["chocamos con el auto y mi papá no contesta", "el azúcar le dio 30", "mi abuelo está como ido"],
)
def test_emergencies_in_everyday_words(text):
    assert concern(text) == Concern.EMERGENCY


def test_now_of_the_request_does_not_make_a_past_symptom_acute():
    assert concern("tuve convulsiones de chico, ahora quiero turno con neurología") is None
    assert concern("tuve convulsiones de chico y ahora está convulsionando, quiero turno") == Concern.EMERGENCY


def test_an_ordered_pattern_takes_the_nearest_word_after_the_previous_one():
    """ "el" before "veneno" must not hide the "el" that ends the clause after it."""
    pattern = Pattern.parse("< veneno es|era para el $", {})
    assert pattern.find(["ya", "compre", "el", "veneno", "y", "es", "para", "el"]) is not None
    assert pattern.find(["el", "veneno", "es", "para", "el"]) is not None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("me tomé la lavandina para morirme", "me tomé el jarabe y sigo con tos, quiero turno"),
        ("dejé de comer para matarme", "dejé de comer harinas para bajar de peso, quiero nutricionista"),
        ("ya está, me voy de esta vida", "me voy de viaje, cancelen mi turno del lunes"),
        ("no quiero seguir respirando", "no quiero seguir con ese tratamiento, quiero otro turno"),
        ("ya no quiero nada con la vida", "ya no quiero nada con ese médico, denme otro"),
    ],
)
def test_round_20_a_deliberate_act_and_the_wish_not_to_go_on(alarming, ordinary):
    """Round 20 (a second writer's rows, blind to the round-19 fixes): an act the patient
    calls deliberate is self-harm, crisis line first, not only an emergency."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None
