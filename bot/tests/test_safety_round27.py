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
