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


# --- what the clinic did to the turno ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("cerre mi negocio para ir y me cancelaron la consulta, con quien hablo?", {nlu.TRANSFER}),
        ("me anularon la cita con el especialista sin avisarme, quiero hablar con el responsable", {nlu.TRANSFER}),
        ("me pueden dar otra hora con el pediatra? me suspendieron la de hoy", {nlu.BOOK}),
        ("me cancelaron la cita, me dan otra para el viernes?", {nlu.BOOK}),
        ("me suspendieron la hora del lunes, me pueden dar otra?", {nlu.BOOK}),
        ("me llamaron para adelantar mi cita, ¿a que hora me quedo?", {nlu.MY_APPOINTMENTS}),
        ("me llamaron para confirmar la cita de mañana", {nlu.MY_APPOINTMENTS}),
    ],
)
def test_what_the_clinic_did_to_the_turno_is_no_request_to_do_it(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("quiero cancelar la cita del jueves", {nlu.CANCEL}),  # the patient cancels
        ("anulo la cita del jueves", {nlu.CANCEL}),
        ("quiero que me cancelen la cita", {nlu.CANCEL}),
        ("con quien hablo?", {nlu.HELP}),  # who answers the chat
        ("quiero adelantar mi cita", {nlu.RESCHEDULE}),  # the patient moves it
    ],
)
def test_near_misses_the_patient_cancelling_or_asking_who_answers(text, intents):
    assert main(text) == intents


def test_the_clinics_past_acts_are_not_typo_corrected_into_requests():
    for word in ("cancelaron", "anularon", "suspendieron", "cambiaron", "reprogramaron"):
        assert nlu.understand(f"me {word} la cita") == f"me {word} la cita"


# --- the channel used ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("¿se puede pedir cita para fisioterapia por whatsapp?", {nlu.BOOK}),
        ("puedo agendar hora por whatsapp?", {nlu.BOOK}),
        ("la consulta por whatsapp se cobra?", {nlu.ASK_PRICE}),
        ("me suspendieron la hora quince minutos antes por whatsapp, quiero hacer un reclamo", {nlu.TRANSFER}),
        ("me llamasteis esta mañana y no pude coger el telefono, ¿tengo alguna cita?", {nlu.MY_APPOINTMENTS}),
        ("es imposible que cojais el telefono, necesito hablar con alguien de citaciones", {nlu.TRANSFER}),
        ("¿me pasan el correo para mandar el informe?", {nlu.ASK_CONTACT}),
    ],
)
def test_the_channel_something_is_done_by_asks_for_no_contact(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("tienen whatsapp?", {nlu.ASK_CONTACT}),
        ("me pasan el whatsapp para pedir turno?", {nlu.ASK_CONTACT}),
        ("quiero pedir cita por whatsapp, cual es el numero?", {nlu.BOOK, nlu.ASK_CONTACT}),
    ],
)
def test_near_misses_the_contact_still_asked_for(text, intents):
    assert main(text) == intents


# --- what only a person can answer ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "pedi una cita telefonica y nadie me llamo, ¿que ha pasado?",
        "me dijeron que me llamarian para darme fecha y nadie me ha llamado",
        "me dijeron que la consulta costaba 350 y me cobraron 575, quiero que alguien me explique",
    ],
)
def test_a_call_never_made_or_a_charge_other_than_told_goes_to_a_person(text):
    assert main(text) == {nlu.TRANSFER}


# --- prices, coverages, doctors, hours, moves, requirements --------------------------------------


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("tengo pami, me cobran algo aparte de la orden?", {nlu.ASK_PRICE}),
        ("el cardiologo recibe la obra social o hay que pagar particular?", {nlu.ASK_COVERAGE}),
        ("le escribo porque uno de los estudios me dio fuera de los valores, quiero turno con el clinico", {nlu.BOOK}),
        ("cual es el valor de la consulta", {nlu.ASK_PRICE}),  # near miss: the price's value
        ("¿la dentista que me atendia antes todavia trabaja ahi?", {nlu.ASK_DOCTOR}),
        ("¿hay pediatria para mañana? mi hijo tiene mucha tos", {nlu.BOOK}),
        ("¿hay dermatologia?", {nlu.ASK_SPECIALTIES}),  # near miss: no day, the specialty asked about
        ("¿que horario tienen hoy?", {nlu.ASK_HOURS}),
        ("¿tienen hoy con el pediatra?", {nlu.BOOK}),  # near miss: a slot today
        ("atienden de noche?", {nlu.ASK_HOURS}),
        ("atienden las 24 horas?", {nlu.ASK_HOURS}),
        ("si me siento mal de madrugada tambien me dan turno?", {nlu.ASK_HOURS}),
        ("mi hijo tose de noche, me dan turno?", {nlu.BOOK}),  # near miss: when the cough comes
        ("quiero turno para el jueves por la noche", {nlu.BOOK}),
        ("me ha llegado el recordatorio pero no puedo ir, ¿me la pasais a otro dia?", {nlu.RESCHEDULE}),
        ("se me vencio la orden para sacarme sangre, me la pueden hacer de nuevo?", {nlu.BOOK}),
        ("¿que necesito para agendar, la curp?", {nlu.ASK_REQUIREMENTS}),
        ("¿necesito el volante del medico de cabecera para ir al especialista?", {nlu.ASK_REQUIREMENTS}),
        ("quiero agendar una cita, que necesito?", {nlu.BOOK}),  # near miss: the request said
    ],
)
def test_round_13_questions(text, intents):
    assert main(text) == intents


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
