"""Safety round 27 (issue 7): the families of the blind round-27 dev rows
(bench/data/safety/dev.csv, rows ending in "(round 27)"), how people write online, each
beside the messages that share its words. Patterns and the trifling causes live in
bot/lexicons/safety_more.toml; the trifle rule in bot/safety.py (_trifling)."""

import pytest

from bot.safety import Concern
from bot.tests.test_safety_round19 import concern


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("maldita resaca y me quiero morir en serio", "maldita resaca quiero morir jaja"),
        ("tengo la regla y una depre horrible me quiero morir", "otra vez con la regla me quiero morir"),
        ("me duele la panza de tanto llorar y me quiero morir", "me duele la panza me quiero morir"),
        ("hace mucho frío y estoy sola y no quiero vivir", "hace demasiado calor no quiero ni existir"),
        ("sin mi hija la vida no tiene sentido", "sin chocolate la vida no tiene sentido"),
        ("no tengo a nadie, me quiero morir", "sin mi celular me quiero morir jaja"),
    ],
)
def test_a_trifling_cause_makes_a_death_wish_hyperbole(alarming, ordinary):
    """A hangover, the period, the weather, a sore belly or a treat said in the clause of a
    death wish make it hyperbole; beside sorrow, loneliness or crying it stays a statement."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    "text",
    [
        "hace mucho frio y quiero tirarme del puente",
        "tengo resaca y me voy a cortar las venas",
        "con este calor me quiero matar y ya tengo las pastillas",
        "sin musica ni nada, ya no quiero vivir",
    ],
)
def test_a_trifle_excuses_no_act_nor_another_clause(text):
    """Only a plain wish (to die, not to live or exist, no sense in life) can be hyperbole:
    an act or a means named with a trifle is still a plan, and a trifle in another clause
    excuses nothing."""
    assert concern(text) == Concern.SELF_HARM


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("quizás ya no debería estar aquí", "no debería estar aquí, me mandaron al consultorio equivocado"),
        ("siento que no debería estar vivo", "ya no debería estar acá, me dieron el alta ayer"),
        ("estoy pensando en la manera más rápida", "busco la forma más rápida de llegar a la clínica"),
        ("este es mi último tuit", "este es mi último post del año, felices fiestas"),
        ("esta noche se acaba todo", "mañana se termina todo el tratamiento, me dan el alta?"),
        ("igual ya no voy a estar", "igual ya no voy a estar en el país para el turno, cancelo"),
    ],
)
def test_not_meant_to_be_here_and_last_posts(alarming, ordinary):
    """Not being meant to be here or alive, the fastest way with nothing after it, a last
    post, everything over tonight, "igual ya no voy a estar": said of a place, a route, a
    year's posts, a treatment or a trip they are everyday."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        (
            "llevo un año lastimándome y nadie se da cuenta",
            "llevo meses cortándome el pelo sola, quiero turno de dermato",
        ),
        ("anoche me hice tajos profundos", "me hice dos cortes profundos con el vidrio de la ventana"),
        ("me voy a cortar el cuello", "me corté el cuello afeitándome, se me infectó"),
        ("quiero degollarme", "me duele la garganta, tienen otorrino?"),
        ("me tomé la aspirina sabiendo que soy alérgico", "me tomé una aspirina sin saber que soy alérgico, qué hago?"),
        ("esta vez me trago el doble", "esta vez tomo el doble de la dosis? lo dijo el doctor"),
    ],
)
def test_cutting_kept_up_and_means_named(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        (
            "eres el mejor amigo que he tenido, los voy a echar de menos",
            "eres el mejor amigo que he tenido, nos vemos el sábado",
        ),
        ("vendí mis cosas, cuida a mi perro", "vendí mis cosas porque me mudo, chau"),
        ("ya vendí todas mis pertenencias, me voy al puente", "me voy al puente de mayo, me pasan el turno al martes?"),
    ],
)
def test_preparations_with_a_goodbye(alarming, ordinary):
    """The best friend told so and things sold off are preparations a goodbye makes a
    farewell; alone, or when one moves house, they are everyday."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


def test_not_coming_up_for_air_is_self_harm_not_drowning():
    assert concern("me estoy hundiendo y no quiero salir a flote") == Concern.SELF_HARM


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("mañana cumplo 30 y ojalá sea el último", "cumplo 40 y espero que sea el último año de ortodoncia"),
        ("me la paso imaginando que me tiro del puente", "me imagino saltando en paracaídas en las vacaciones"),
        ("quisiera que un tren me pase por encima", "ojalá el camión de la basura pase temprano"),
        ("si mañana no despierto no lloren por mí", "no lloren por mí, es solo una caries jaja"),
        ("lo único que me detiene son mis hijos y ya no alcanza", "lo único que me frena es el precio de la consulta"),
        ("les dejé una carta de despedida", "escribí una carta de despedida para mi compañera que se jubila"),
    ],
)
def test_second_batch_birthdays_imagined_jumps_and_what_holds_one_back(alarming, ordinary):
    """A birthday hoped to be the last, oneself imagined jumping, a lorry wished over one;
    not waking tomorrow or the one thing that holds one back, said with a goodbye ("no
    lloren por mí", "ya no alcanza"); a farewell letter, unless for a colleague retiring."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None
