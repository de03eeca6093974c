"""Families of round 13 (bench/data/dev_first_messages_r13.txt, public-source-style first
messages): what the clinic did to the turno, told ("me cancelaron la consulta") is no request to
do it; the channel something is done by ("¿puedo agendar por WhatsApp?") asks for no contact; a
call promised and never made, a charge other than the one told, go to a person; a test's values
are no price, a charge on top is one; a doctor still working there; "¿hay pediatría para
mañana?" books; the hours asked for today, at night or round the clock; Spain's "¿me la pasáis a
otro día?" moves the turno; what booking asks of the patient; a duration ("toda la mañana") is
no day; "nadie me llamó" and "soy monotributista" name nobody; children's symptoms said in the
plural or after the symptom; the referring doctor said after the verb; Spain's "medicina de
familia". Asserted on the intents detected, the day read, the name found and the specialties
found on the demo clinic; clock: Tuesday 1 December 2026, 9:00."""

import datetime as dt

import pytest

from bot import nlu
from bot.tests.conftest import TUESDAY_9AM
from bot.tests.test_understanding_r8 import specialties


def main(text: str) -> set[str]:
    return set(nlu.detect_intents(text)) - {nlu.GREETING, nlu.AFFIRM, nlu.DENY, nlu.THANKS}


# --- days and names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("ni anular la cita es facil, llevo toda la mañana llamando, quiero cancelarla", None),
        ("estuve todo el dia con fiebre, hay turno para mañana?", dt.date(2026, 12, 2)),
        ("¿le puede ver la pediatra esta mañana?", dt.date(2026, 12, 1)),  # near miss: asked for
    ],
)
def test_a_duration_told_is_no_day(tuesday, text, day):
    assert nlu.extract_when(text, now=TUESDAY_9AM).date == day


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("pedi una cita telefonica y nadie me llamo, ¿que ha pasado?", None),
        ("ya me llamo la doctora", None),
        ("soy monotributista, tengo que llevar el comprobante de pago para que me atiendan?", None),
        ("me llamo carlos fernandez y me duele mucho la muela", "Carlos Fernandez"),  # near miss
        ("soy Quique Romero", "Quique Romero"),
    ],
)
def test_a_call_or_a_way_of_paying_names_nobody(text, name):
    assert nlu.extract_name(text) == name


# --- specialties -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("quisiera una cita para que un medico vea a mis hijos, les da fiebre a cada rato", ["Pediatría"]),
        ("la fiebre de mi hija se le quito un dia y le volvio, me la pueden revisar hoy?", ["Pediatría"]),
        ("mis hijos tienen fiebre", ["Pediatría"]),
        ("le duele el oido a mi hija", ["Pediatría"]),
        ("necesito cita con el traumatologo, me ha mandado mi medico de cabecera", ["Traumatología"]),
        ("¿teneis algo antes con medicina de familia?", ["Clínica médica"]),
        ("¿hay cita para hoy mismo? me siento muy mal de la garganta", ["Clínica médica"]),
        # near misses: the specialty named wins, whose turno names none, the GP asked for by name
        ("quiero que el dermatologo vea a mi hijo, tiene granitos", ["Dermatología"]),
        ("quiero una cita para mi hija", []),
        ("mis hijos tienen turno el jueves", []),
        ("quiero cita con el medico de cabecera", ["Clínica médica"]),
    ],
)
def test_round_13_specialties(demo_clinic, text, wanted):
    assert specialties(demo_clinic, text) == wanted
