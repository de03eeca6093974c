"""Safety round 26 (issue 7): the families of the blind round-26 dev rows
(bench/data/safety/dev.csv, rows ending in "(round 26)"), each beside the clinic messages
that share its words: dramatic everyday words in booking messages must stay ordinary.
Patterns live in bot/lexicons/safety_more.toml; the hyperbole links in bot/safety.py."""

import pytest

from bot.safety import Concern
from bot.tests.test_safety_round19 import concern


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("me quiero morir de tanto sufrir", "me quiero matar de tanto estudiar jaja, necesito certificado"),
        ("me quiero morir de tanta tristeza", "me muero de tanto reirme con el payaso del hospital"),
        (
            "me quiero morir con mi mamá que se fue",
            "me quiero morir con el precio de los lentes, tienen algo más barato?",
        ),
        ("me quiero morir de tanto dolor que siento en el alma", "me muero con la cuenta de la farmacia"),
        ("me quiero morir con esta soledad", "me quiero morir con esta factura de la prepaga jaja"),
    ],
)
def test_hyperbole_of_effort_or_price(alarming, ordinary):
    """ "de tanto estudiar" and "con el precio" exaggerate an effort or a cost; suffering,
    sorrow or the dead named the same way are the statement."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        (
            "me tomé el frasco entero de rivotril",
            "me tomé el frasco entero de jarabe para la tos en una semana, necesito otro",
        ),
        ("me eché todas las pastillas de la abuela", "me eché dos pastillas para el dolor"),
        (
            "wey tengo 30 clonas en la mano y me las voy a echar todas",
            "me echo crema todas las noches, sirve para las manchas?",
        ),
    ],
)
def test_medicine_taken_all_at_once_not_over_weeks(alarming, ordinary):
    """A bottle finished over a week is a course; the Mexican "echarse" of pills is taking them."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("parce ya me voy a dar piso, no aguanto este mundo", "el albañil nos va a dar piso nuevo en el consultorio?"),
        ("mi hermano se quiere dar piso", "cuándo le dan piso al consultorio nuevo?"),
        (
            "voy a meter el carro contra un camión y que parezca un accidente",
            "tuve un accidente con el carro, quiero turno con trauma",
        ),
        ("estoy tomando lavandina de a poco", "estoy tomando el jarabe para la tos, necesito otro"),
        ("a ver si me muero de una vez", "me voy a morir de aburrimiento en esta sala de espera"),
        ("me paso las noches buscando formas de morir sin dolor", "busco la forma de pedir turno con el cardiólogo"),
        (
            "estoy con el auto al borde del barranco y no sé si acelerar",
            "estoy al borde de un ataque de nervios, quiero psicólogo",
        ),
    ],
)
def test_means_and_methods_new_words(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("mami perdóname por lo que voy a hacer esta noche", "perdóname por llegar tarde al turno de esta noche"),
        (
            "si mañana no contesto el teléfono ya saben por qué",
            "si no contesto es porque estoy en el trabajo, dejen mensaje",
        ),
        (
            "pienso en cómo sería no estar más y me gusta la idea",
            "pienso en cómo sería no tener que esperar tanto, no hay turno online?",
        ),
        ("cómo sería no existir", "cómo sería no estar en lista de espera"),
        (
            "mi viejo dejó las pastillas, dice que así se muere más rápido",
            "si fumás así te morís más rápido, dice el médico",
        ),
        ("estoy esperando a que todos se duerman para hacerlo", "cuando se duerman los nenes lo hago, la tarea digo"),
        (
            "ni la psiquiatra me va a salvar esta vez, ya lo decidí",
            "ni el dentista me va a salvar esta vez la muela jaja",
        ),
    ],
)
def test_farewells_and_plans_without_the_act(alarming, ordinary):
    """What is meant is left unsaid ("para hacerlo", "ya saben por qué"); the clinic words
    around the same frames are everyday."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        (
            "ya me despedí de mi mamá sin que se diera cuenta, hoy es el día",
            "me despedí de la pediatra porque nos mudamos, quién atiende ahora?",
        ),
        (
            "me despedí de mi hermana sin que se diera cuenta, chau",
            "me despedí de la doctora sin que se diera cuenta, se fue rápido",
        ),
    ],
)
def test_a_secret_goodbye_with_a_farewell(alarming, ordinary):
    """A secret goodbye is a preparation, which a farewell makes one; alone it is not."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    "text",
    [
        "me muero de la vergüenza pero necesito turno con ginecólogo",
        "el calor me está matando, tienen aire acondicionado en la sala de espera?",
        "pastillas para dormir, necesito receta",
        "quiero cortarme el flequillo antes del turno",
        "la psicóloga me salvó la vida, quiero otro turno con ella",
        "me voy a tirar a la pileta y hacerme la cirugía de nariz",
        "se me murió el celular, me pueden confirmar el turno por mail?",
        "¿cuánto paracetamol le doy a mi nene de 12 kilos?",
        "wey las cuotas me ahorcan, puedo pagar la consulta en efectivo?",
        "estoy en la azotea tendiendo la ropa, me avisan cuando me toque?",
    ],
)
def test_dramatic_everyday_words_stay_ordinary(text):
    assert concern(text) is None
