"""The fallback from labelled examples (bot/nlu/examples.py): a phrasing near an example is
recognised, a message the rules understand keeps the rules' intents, and nonsense stays not
understood."""

import pytest

from bot import nlu
from bot.brains.rules import Turn
from bot.models import Conversation
from bot.nlu import examples
from bot.state import Step
from bot.tests.conftest import TUESDAY_9AM
from bot.tests.test_rules_brain import Chat
from bot.types import ToolContext

pytestmark = pytest.mark.usefixtures("offline_brain")

# Own writing, none of them in data/intent_examples.toml: typos, diminutives, extra words.
PARAPHRASES = {
    "greeting": "holaaa buenas tardess",
    "ask_specialties": "que especialidades atienden ahi",
    "ask_coverage": "aceptan la obra socal",
    "ask_hours": "hasta que hora atienden hoy",
    "ask_address": "en que calle estan ubicados",
    "ask_contact": "me pasan un numero de telefono",
    "book": "quisiera sacar un turno para cardiologia",
    "my_appointments": "tengo algun turno agendado",
    "cancel": "necesito anular la citita",
    "reschedule": "quiero cambiar la fecha de mi turnito",
    "transfer": "pasame con alguien humano",
    "goodbye": "nos vemos chau",
    "help": "que cosas sabes hacer",
    "ask_requirements": "que tengo que llevar el dia del turno",
    "ask_price": "que precio tienen las consultas",
    "thanks": "te lo agradezco muchisimo",
}


def test_paraphrases_are_not_examples():
    known = {nlu.understand(text) for text, _intent in examples.labelled_examples()}
    assert not {nlu.understand(text) for text in PARAPHRASES.values()} & known


@pytest.mark.parametrize(("intent", "text"), PARAPHRASES.items())
def test_an_unseen_paraphrase_is_recognised(intent, text):
    assert nlu.intent_from_examples(text) == intent


def test_every_intent_with_examples_has_a_paraphrase():
    supported = {intent for _text, intent in examples.labelled_examples()}
    assert supported - {"ask_doctor"} <= set(PARAPHRASES)


@pytest.mark.parametrize("text", ["asdkj qwe zzz", "el perro de mi vecino", "xd"])
def test_nonsense_is_below_the_threshold(text):
    assert nlu.intent_from_examples(text) is None


def turn(clinic, text: str) -> Turn:
    context = ToolContext(conversation=Conversation(clinic=clinic), clinic=clinic, now=TUESDAY_9AM)
    return Turn(text=text, context=context, confirm_before_booking=True)


def test_the_brain_uses_the_fallback_only_when_the_rules_find_nothing(demo_clinic, tuesday):
    rules_miss = "que cosas sabes hacer"
    assert nlu.detect_intents(rules_miss) == []
    assert turn(demo_clinic, rules_miss).intents == [nlu.HELP]
    ordinary = "quiero un turno"
    assert turn(demo_clinic, ordinary).intents == nlu.detect_intents(ordinary) == [nlu.BOOK]


def test_nonsense_is_not_understood(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("asdkj qwe zzz")
    assert turn(demo_clinic, "asdkj qwe zzz").intents == []
    assert chat.state.step in {None, Step.NONE}, chat
