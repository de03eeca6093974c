"""Safety round 21 (issue 7): the families of dev rows the earlier rounds missed
(bench/data/safety/dev.csv), each beside the clinic messages that share its words. Patterns
live in bot/lexicons/safety_more.toml."""

import pytest

from bot import safety
from bot.safety import Concern
from bot.safety_patterns import Pattern
from bot.tests.test_safety_round19 import concern


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("encontré a mi hija con las muñecas cortadas", "mi hija se cortó la muñeca con un vidrio, turno"),
        ("mi hijo se quiso ahorcar", "mi hija se quiso cortar el pelo sola"),
        ("mi hermano se quería matar anoche", "mi hermano se quería operar la nariz"),
        ("encontramos a mi primo colgado", "encontramos a mi primo en la guardia"),
        (
            "mi mamá se tomó todas sus pastillas para dormir a propósito",
            "mi mamá se toma sus pastillas para dormir, ¿receta?",
        ),
    ],
)
def test_a_relative_hurt_on_purpose_is_self_harm(alarming, ordinary):
    """The crisis line, not only the emergency number: the act was deliberate."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) != Concern.SELF_HARM


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("me corte otra vez no se como parar", "me corté el pelo otra vez"),
        ("me lastimé de nuevo y no puedo frenar", "me corté de nuevo cocinando, no para de sangrar"),
        ("intente otra vez y tampoco funciono.", "intenté otra vez sacar turno y tampoco funcionó"),
        ("La otra vez me salvaron pero ahora si lo hago", "me salvaron la vida en la guardia y ahora sí quiero turno"),
        ("la proxima vez no me van a encontrar a tiempo", "la próxima vez llego a tiempo"),
        ("Esta vez me tomo todas", "esta vez me tomo todas las vacaciones"),
        ("la próxima vez me tomo todas las pastillas", "esta vez me tomo todas las pastillas del antibiótico"),
    ],
)
def test_self_harm_said_again_or_next_time(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) != Concern.SELF_HARM


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("tengo la navaja lista.", "tengo la navaja lista para el asado"),
        ("ya tengo el cuchillo preparado", "ya tengo el cuchillo listo para cortar la torta"),
        ("Voy a saltar del piso 10", "vivo en el piso 10, ¿hacen visitas a domicilio?"),
        ("me voy a tirar del octavo piso", "me voy a mudar al octavo piso"),
        ("Ya pense como hacerlo.", "ya pensé cómo hacerlo con la obra social"),
        (
            "el arma de mi viejo esta en el cajon y no paro de mirarla",
            "el arma de mi viejo está en el cajón, ¿es peligroso?",
        ),
        ("me colgare esta noche.", "te colgaré el cuadro mañana"),
    ],
)
def test_means_made_ready_and_a_plan(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("esta es mi despedida gracias por todo", "esta es mi despedida de soltera, cancelo el turno"),
        (
            "soy una carga para mi familia mejor desaparezco para siempre",
            "quiero que la mancha desaparezca para siempre",
        ),
        ("me voy a ir con mi abuela alla arriba ya no aguanto", "me voy a ir con mi abuela a su turno de arriba"),
        ("me voy a ir con mi mamá, ya no aguanto", "me voy a ir con mi mamá al turno, ya no aguanto"),
        ("quiero que me atropelle un camion", "el camión de la basura"),
        ("No quiero vivir mas con este dolor en el alma", "no quiero vivir más con este dolor de rodilla"),
        ("Boludo ya fue me mato", "el dentista me mató con la cuenta"),
        ("Boludo ya fue me mato", "me mato estudiando"),
        ("Boludo ya fue me mato", "me mata el dolor de muela"),
    ],
)
def test_farewells_wishes_and_slang(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) != Concern.SELF_HARM


def test_a_farewell_to_the_doctor_is_no_farewell():
    assert concern("me voy a despedir de la doctora") is None
    assert concern("me voy para siempre a españa den de baja mi ficha.") is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("le dio un ataque y esta en el piso echando espuma", "me dio un ataque de risa y me tiré al piso"),
        ("se tomo el destapacañerias", "¿el destapacañerías es peligroso para el perro?"),
        ("mi nene tomó ácido muriático", "tomo ácido fólico, ¿necesito receta?"),
        ("se tomó el insecticida", "compré insecticida para las cucarachas"),
        ("Mi hija tiene una reaccion alergica y se le hincha la garganta", "se le hincha la rodilla cuando corre"),
        ("es alérgico y se le están hinchando los labios", "la orina me sale con espuma"),
    ],
)
def test_round_21_emergencies(alarming, ordinary):
    assert concern(alarming) == Concern.EMERGENCY
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    "text",
    [
        "El veterinario dijo que el perro comió veneno para ratas hace un mes, ya está bien",
        "tuve un infarto hace un mes, ya estoy bien",
        "hace un año tuve un intento de suicidio y quiero seguir con la psicologa",
        "intenté suicidarme hace años, quiero turno con psiquiatría",
    ],
)
def test_what_is_over_is_history(text):
    assert concern(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "el perro comió veneno para ratas",
        "tuve un infarto hace un mes y ahora me duele el pecho otra vez",
        "hace un año tuve un intento de suicidio y ahora pienso en matarme otra vez, quiero turno",
        "tuve un intento de suicidio y sigo con ganas de morirme, quiero seguir con la psicóloga",
    ],
)
def test_history_does_not_hide_what_happens_now(text):
    assert concern(text) is not None


def test_a_clause_wide_pattern_takes_its_words_anywhere_in_the_clause():
    pattern = Pattern.parse("& arma mirarla", {})
    words = ["el", "arma", "de", "mi", "viejo", "esta", "en", "el", "cajon", "y", "no", "paro", "de", "mirarla"]
    assert pattern.find(words) is not None
    assert pattern.find(["el", "arma", "|", "no", "paro", "de", "mirarla"]) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("me quiero ir a dormir y no levantarme mas", "el domingo quiero dormir y no levantarme hasta tarde"),
        (
            "hoy a la noche me tomo el frasco de clonazepam y listo",
            "me tomo una caja de ibuprofeno por mes, ¿es mucho?",
        ),
        (
            "me trage todas las pastillas de la caja hace un rato",
            "tengo que tomar todas las pastillas juntas, me las recetó la doctora",
        ),
        ("me voy a tomar la lejia", "me voy a tomar la soda"),
        ("me estoy cortando de nuevo y no le puedo contar a nadie", "me estoy cortando el pelo de nuevo"),
        ("hoy me corte mas profundo que nunca", "me corté muy profundo con un vidrio"),
    ],
)
def test_round_21_blind_rows_means_and_acts(alarming, ordinary):
    """Blind round 21 (bench/data/safety/dev.csv "(round 21)"): an overdose set for a time, a
    secret relapse, a deeper cut; an accident with the same words is at most an emergency."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) != Concern.SELF_HARM


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("estoy arriba del puente y no se que hacer", "estoy arriba del puente, llego en 5"),
        (
            "otra vez me queme el brazo con el encendedor a proposito",
            "mi hijo se golpeó con la mesa, no fue a propósito",
        ),
        ("a veces pienso en estrellar el carro contra un poste a proposito", "me voy a tomar el jarabe"),
        ("le quiero poner fin a mi sufrimiento de una vez", "quiero poner fin al sufrimiento de mi perro"),
        ("si me muero nadie se daria cuenta", "si me muero de hambre nadie se da cuenta jaja"),
        (
            "ya deje todo arreglado el seguro de vida a nombre de mi hija",
            "dejé todo arreglado con mi hija para la cirugía",
        ),
        (
            "no me busquen mas me voy lejos para no volver nunca",
            "me voy a España para no volver nunca, den de baja mi ficha",
        ),
    ],
)
def test_round_21_blind_rows_plans_and_farewells(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        (
            "le estan dando puntadas en el pecho muy fuertes",
            "tengo puntadas en el pecho cuando toso hace un mes, quiero turno",
        ),
        (
            "mi hija se tomó un frasco entero de paracetamol",
            "el veneno de la abeja me da alergia, quiero hacer el test",
        ),
    ],
)
def test_round_21_blind_emergencies(alarming, ordinary):
    assert concern(alarming) == Concern.EMERGENCY
    assert concern(ordinary) is None


def test_a_pattern_written_with_me_takes_no_bare_se():
    """ "matarse" fills a slot written "matarme", but "se" alone is not "me": "mi hija se
    tomó un frasco" is an emergency of someone else, "me tomo el frasco" a plan."""
    slot = Pattern.parse("me tomo", {}).slots[0]
    assert slot.accepts("me") and not slot.accepts("se")


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("la proxima no fallo", "la próxima no fallo con el horario, perdón por el turno"),
        ("tengo la pistola cargada", "el arma de mi marido está cargada, es policía"),
        ("voy a saltar del 5to piso", "vivo en el 5to piso, ¿hay ascensor en la clínica?"),
        ("quiero que me choque un bus", "quiero turno porque tuve un choque"),
        ("wey ya valio me mato", "ya valió, me mató el tráfico, llego tarde"),
        ("mi papá anda diciendo que se quiere ir con mi mamá", "me voy a ir con mi hija"),
    ],
)
def test_regional_and_typed_variants_of_the_round_21_families(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    "text",
    ["se tomó el matayuyos", "mi hijo se tomó el líquido de la batería", "me picó algo y se me hinchan los labios"],
)
def test_regional_variants_of_the_round_21_emergencies(text):
    assert concern(text) == Concern.EMERGENCY


def test_a_slots_candidate_words_hold_every_word_it_accepts():
    """The quick test that skips a pattern (Pattern.may_occur) never skips one that matches."""
    lexicon = safety.lexicon()
    groups = (lexicon.self_harm, lexicon.implied, lexicon.strong, lexicon.booking)
    slots = [slot for group in groups for pattern in group for slot in pattern.slots if slot.candidates is not None]
    for slot in slots:
        candidates = slot.candidates or frozenset()
        words = set(slot.words) | set(slot.forms)
        tokens = (
            words | {w + end for w in words for end in ("me", "se", "os", "nos", "s")} | {w[:-2] + "se" for w in words}
        )
        assert all(token in candidates for token in tokens if slot.accepts(token))


def test_a_pattern_is_skipped_only_when_a_slot_has_no_candidate_in_the_message():
    pattern = Pattern.parse("matarme hoy", {})
    assert pattern.may_occur({"hoy", "matarse"}) and not pattern.may_occur({"hoy", "matar"})
    assert Pattern.parse("suicid*", {}).may_occur(set())  # a prefix slot is always tried
