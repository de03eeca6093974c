"""Safety round 23 (issue 7): the families of the blind round-23 dev rows
(bench/data/safety/dev.csv), each beside the clinic messages that share its words. Patterns
live in bot/lexicons/safety_more.toml; reading the message in bot/safety_normalise.py."""

import pytest

from bot import safety
from bot.safety import Concern
from bot.tests.test_safety_round19 import concern


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("me quiero tira del edificio", "no quiero esta"),
        ("me voy a tira a la linea del tren", "me voy a tira en la cama un rato"),
        ("me quiero lanza del puente", "me voy a lanza a la pileta"),
        ("se va a tira del balcon", "se va a casa temprano"),
        ("me voy a corta las venas", "me quiero corta el pelo"),
        ("me quiero mori", "me voy a queda en casa"),
    ],
)
def test_an_infinitive_without_r_or_accent_after_a_pronoun(alarming, ordinary):
    """Only after "me"/"se" and a governing verb, and only into an act the lexicon names with
    the pronoun ("tirarme"): "no quiero esta" is no "estar"."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


def test_the_r_is_restored_only_into_an_act_the_lexicon_names():
    assert "tirarme" in safety.normalise("me quiero tira del edificio")
    assert safety.normalise("no quiero esta") == ["no", "quiero", "esta"]
    assert "comerme" not in safety.normalise("me voy a come una pizza")


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("me kiero matra ya no aguanto", "me kiero atendr con la doctora"),
        ("me qiero ahorcr esta noche", "me voy a vacunr el lunes"),
        ("mi hijo se quiere ahorcr", "me quiero anotr para el turno"),
        ("me quiero colgr", "me voy a pintr las uñas"),
        ("kiero aserme daño otra ves", "me tengo que aser un análisis"),
    ],
)
def test_a_misspelt_act_after_a_pronoun_and_its_verb(alarming, ordinary):
    """Letters dropped or swapped where the infinitive goes ("matra", "ahorcr"): the nearest
    act the lexicon names with a pronoun; a word it names as written, a Spanish word or one
    far from every act is left as it is."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


def test_a_word_the_lexicon_names_is_not_read_as_another_act():
    """ "me lastimé la mano" stays "lastime", "me sangra la encía" stays a bleeding."""
    assert concern("compré una soga para el tendedero y me lastimé la mano, nada grave") is None
    assert concern("me sangra un poco la encía al cepillarme") != Concern.SELF_HARM


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("lo intenté otra vez, quiero seguir con la psicóloga", "lo intenté otra vez llamar"),
        (
            "volví a intentarlo el sábado, quiero seguir con mi psiquiatra",
            "volví a intentar sacar turno con la psicóloga",
        ),
        (
            "necesito turno con mi terapeuta, volví a hacerlo",
            "quiero turno con la psicóloga, lo intenté dos veces por la página",
        ),
        ("volví a intentarlo anoche", "quiero turno con psicología, ya lo intenté varias veces y no contestan"),
        (
            "ya lo intenté dos veces, necesito la psiquiatra",
            "hace años lo intenté varias veces, quiero seguir con la psicóloga",
        ),
    ],
)
def test_an_attempt_without_its_act_in_a_mental_health_follow_up(alarming, ordinary):
    """A follow-up in mental health does not switch off the implied attempts as a booking
    does; a booking retried by its channel, or an attempt placed long ago, does."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        (
            "mi hermano se subió al techo de la casa y dice que se va a tirar",
            "mi hijo se subió al techo a buscar la pelota y se va a tirar a la pileta",
        ),
        (
            "mi hija está en la azotea y dice que se va a tirar",
            "mi papá se subió al techo, dice que se va a tirar un rato",
        ),
        ("mi abuela dejó cartas para todos", "dejé cartas para todos los invitados del casamiento"),
        ("ya repartí todas mis pertenencias", "repartí todas mis cosas en cajas para la mudanza"),
        (
            "tengo guardado el frasco de pastillas para cuando me decida",
            "tengo guardado el frasco de jarabe para cuando me decida a ir al pediatra",
        ),
        ("me voy a tomar la pastilla del gorgojo", "compramos pastillas para el gorgojo del maíz"),
        ("me voy a tomar el gramoxone", "voy a comprar gramoxone para el potrero"),
    ],
)
def test_a_place_a_letter_a_means_kept(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) != Concern.SELF_HARM


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        (
            "le regalé mi guitarra a mi primo, ya no la voy a necesitar",
            "regalé mi ropa de embarazada, ya no la voy a necesitar, gracias por todo",
        ),
        ("ya repartí mis cosas, cuiden a mi gato", "me voy de viaje, cuiden a mi gato, chau"),
        ("no puedo más con nada, me despido", "no puedo más con todo el trabajo, chau hasta mañana"),
        ("esta noche hago una locura, no puedo más, adiós", "regalé la ropa del bebé, ya no la voy a necesitar, chau"),
    ],
)
def test_things_given_away_and_despair_said_with_a_goodbye(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        (
            "la wawa se ha golpeado la cabeza y ha vomitado dos veces",
            "el nene se golpeó la cabeza ayer pero está bien, quiero pediatra",
        ),
        (
            "el nene se cayó de la hamaca, se golpeó la cabeza y vomitó",
            "mi hijo se golpeó la cabeza hace un mes y a veces vomita, quiero turno con el pediatra",
        ),
        ("mi hija de 3 años se tomó el frasco de jarabe de su hermanito", "el nene se comió la caja de chocolates"),
        (
            "mi hijo de 2 años se tragó el blister de anticonceptivos de la abuela",
            "mi hijo toma un frasco de jarabe por semana, me dan receta",
        ),
        ("mi papá se tomó la pastilla del gorgojo", "compramos pastillas para el gorgojo del maíz"),
    ],
)
def test_a_childs_blow_to_the_head_or_a_bottle_swallowed(alarming, ordinary):
    assert concern(alarming) == Concern.EMERGENCY
    assert concern(ordinary) is None
