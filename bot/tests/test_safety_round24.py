"""Safety round 24 (issue 7): the families of the blind round-24 dev rows
(bench/data/safety/dev.csv, rows ending in "(round 24)"), each beside the clinic messages that
share its words. Patterns live in bot/lexicons/safety_more.toml; reading the message in
bot/safety_normalise.py."""

import pytest

from bot import safety
from bot.safety import Concern
from bot.tests.test_safety_round19 import concern


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("me quiero unalive fr", "me quiero ir de la sala de espera fr"),
        ("bro hoy me unalive", "bro hoy me vacuno"),
        ("ya fue todo, esta noche me corto toda", "me corto todo el pelo mañana"),
        ("ya me quiero desconectar para siempre de esta vida", "quiero desconectarme para siempre de las redes"),
    ],
)
def test_teenagers_slang_for_ending_or_cutting(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("ando pensando en usar la pistola conmigo", "voy a usar la pistola de silicona conmigo en el taller"),
        ("estoy pensando en usar el revólver conmigo mismo", "tengo el arma del trabajo en regla, necesito el apto"),
        (
            "ya no le encuentro la vuelta a nada, la escopeta está cargada en el galpón",
            "tengo el rifle cargado para la caza, chau",
        ),
    ],
)
def test_a_weapon_used_on_oneself_or_loaded_beside_despair(alarming, ordinary):
    """The loaded gun counts as a farewell (with despair, in a message asking for nothing)."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        (
            "el Señor sabe que ya no puedo, me voy a ir a su lado por mi propia mano",
            "la torta la hice por mi propia mano",
        ),
        ("siento que Dios me abandonó y ya no quiero vivir más en esta tierra", "no quiero vivir más en esta ciudad"),
        ("mi mamá dice que si Dios no se la lleva se va a ir ella sola", "le pido a Dios que me salga bien la cirugía"),
    ],
)
def test_religious_framings(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("sería un alivio para todos si yo no estuviera", "sería un alivio para todos que pongan más turnos"),
        ("mi familia descansaría si me muero", "mi familia descansaría si me dan el alta"),
        ("soy una carga, lo mejor es que me quite del camino", "me quité del camino para que pase el carro"),
        ("todo es culpa mía, merezco morirme", "no merezco morir de este dolor de muelas"),
    ],
)
def test_guilt_and_burden(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("si no me dan algo para este dolor me mato", "si no me mato estudiando no apruebo"),
        (
            "mejor me tomo todas las pastillas de la presión juntas y listo",
            "¿me tomo las pastillas de la presión juntas?",
        ),
        ("quiero inyectarme todas las insulinas de una vez", "¿me pongo toda la insulina de la mañana junta?"),
    ],
)
def test_pain_age_and_illness_with_their_own_means(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("me estoy matando de hambre a propósito", "me estoy matando en el gimnasio para bajar de peso"),
        (
            "me meto los dedos para vomitar hasta sangrar",
            "me metí los dedos para vomitar porque comí algo en mal estado",
        ),
        ("me da igual morirme", "me da igual morir de vergüenza"),
        (
            "mi abuelo dejó de comer a propósito, dice que así se va más rápido",
            "dejé de comer harinas a propósito para la dieta",
        ),
    ],
)
def test_starving_and_purging(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("me rajé el brazo con una gillette anoche", "me corté el dedo con la hoja de afeitar, ya paró de sangrar"),
        ("me marco la piel con una hoja de afeitar", "me marco el brazo con el marcador para la vacuna"),
        ("asere me voy a dar candela", "me voy a dar una ducha"),
        ("me voy a quemar viva", "me voy a quemar vivo con este calor"),
        ("estoy pensando en tirarme abajo del ómnibus", "me bajé del ómnibus en la parada de la clínica"),
    ],
)
def test_cutting_burning_and_means_in_regional_words(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("me voy a avienta al metro", "me voy a suelta el pelo"),
        ("se va a avienta del puente", "me voy a sienta acá"),
    ],
)
def test_a_stem_changing_present_for_its_infinitive_after_a_pronoun(alarming, ordinary):
    """ "avienta" reads "aventar" only where an infinitive was due and the act is named."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None
    assert "aventarme" in safety.normalise("me voy a avienta al metro")


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("mi nena se tomó las gotas, el frasco entero", "me compré el perfume, el frasco entero se volcó"),
        ("mi hijo de 3 años se tomó el jarabe de la tos, el frasco completo", "se comió el chocolate, la caja entera"),
        ("mi nene se tomó el paracetamol, la caja entera", "compré el paracetamol, la caja entera"),
    ],
)
def test_the_whole_container_after_a_comma_says_how_much_was_swallowed(alarming, ordinary):
    assert concern(alarming) == Concern.EMERGENCY
    assert concern(ordinary) is None
    assert safety.normalise("se tomó las gotas, el frasco entero")[-3:] == ["el", "frasco", "entero"]
    assert safety.BOUNDARY not in safety.normalise("se tomó las gotas, el frasco entero")


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        (
            "tengo 34 semanas de embarazo, me duele muchísimo la cabeza y veo lucecitas",
            "a veces me duele mucho la cabeza y veo lucecitas, quiero turno con neurología",
        ),
    ],
)
def test_a_severe_headache_with_flashing_lights(alarming, ordinary):
    assert concern(alarming) == Concern.EMERGENCY
    assert concern(ordinary) is None


def test_a_container_without_whole_after_a_comma_stays_its_own_clause():
    assert safety.BOUNDARY in safety.normalise("se tomó todo, el frasco")
    assert safety.BOUNDARY in safety.normalise("se tomó todo, el frasco de jarabe entero")
