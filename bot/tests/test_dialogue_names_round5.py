"""Leftovers of the multi-turn dev set: the relative's full name said with who they are ("es para
mi hijo Diego Chávez") is kept, praise before the name ("bárbaro. Gonzalo Rodríguez") is not part
of it, a surname correction that repeats the whole name ("el apellido es solano maria fernanda
solano") keeps one surname, and "la semana que viene, cualquier día menos el lunes" starts after
the day refused. Asserted on the typed state and the turno stored."""

import datetime as dt

import pytest

from appointments.models import Appointment
from bot import nlu
from bot.state import Step
from bot.tests.conftest import CLINIC_TZ as TZ
from bot.tests.test_rules_brain import Chat
from bot.tests.test_understanding_patterns import book_through

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_brain")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("la cita es para mi hijo Diego Chávez, su número es 55111222", "Diego Chávez"),
        ("es para mi hijo santiago rodriguez", "Santiago Rodriguez"),
        ("no, es para mi mamá Rosa Elena Quispe", "Rosa Elena Quispe"),
        ("el turno es para su esposo juan pablo ortiz", "Juan Pablo Ortiz"),
    ],
)
def test_the_relatives_full_name_said_with_who_they_are(text, name):
    assert nlu.extract_relative_name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "es para mi hija mañana a la tarde",  # a day, not a name
        "es para mi mamá que tiene fiebre",
        "turno para mi hijo de 5 años",
        "es para mi hija Sofi",  # one word may be a nickname: asked again
        "mi hijo tiene tos hace dos dias",
        "para pedir una cita con el pediatra para mi hijo, lo más pronto posible",  # when, not who
        "para mi hija, cuanto antes",
    ],
)
def test_no_relatives_name_where_none_is_said(text):
    assert nlu.extract_relative_name(text) is None


def test_es_para_mi_hijo_with_his_name_at_the_name_step_asks_only_his_document(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("quiero una cita con pediatria para el miercoles pero no en la mañana")
    chat.say("la primera")
    assert chat.state.step == Step.NAME, chat
    chat.say("es para mi hijo santiago rodriguez")
    assert chat.state.booking.for_whom == "hijo" and chat.state.booking.patient_name == "Santiago Rodriguez", chat
    assert chat.state.step == Step.DOCUMENT, chat
    chat.say("treinta y un millones quinientos mil")
    chat.say("si")
    patient = Appointment.objects.get().patient
    assert (patient.full_name, patient.document_number) == ("Santiago Rodriguez", "31500000"), chat


def test_era_para_mi_hijo_with_name_and_number_at_the_read_back_books_him(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("buenas, quiero una cita con pediatría el jueves en la mañana")
    book_through(chat, name="Gloria Chávez", dni="27444888")
    chat.say("ah no, perdón, la cita es para mi hijo Diego Chávez, su número es 55111222")
    assert chat.state.step == Step.CONFIRM_BOOKING, chat
    chat.say("sí")
    patient = Appointment.objects.get().patient
    assert (patient.full_name, patient.document_number) == ("Diego Chávez", "55111222"), chat


@pytest.mark.parametrize("praise", ["bárbaro.", "genial,", "joya", "excelente!", "gracias,"])
def test_praise_before_the_name_is_not_part_of_it(demo_clinic, clock, praise):
    chat = Chat(demo_clinic)
    chat.say("buenas, quería hora con traumatología para el lunes")
    book_through(chat, name=f"{praise} Gonzalo Rodríguez", dni="41234987")
    assert chat.state.booking.patient_name == "Gonzalo Rodríguez", chat


def test_a_woman_called_barbara_keeps_her_name():
    assert nlu.extract_name("Bárbara Gómez", expecting=True) == "Bárbara Gómez"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("no no el apellido es solano maria fernanda solano", "Maria Fernanda Solano"),
        ("no, el apellido es Solano, María Fernanda Solano", "María Fernanda Solano"),
        ("no, el apellido es Solano", "Maria Fernanda Solano"),
    ],
)
def test_a_surname_correction_repeating_the_whole_name_keeps_one_surname(text, name):
    assert nlu.extract_corrected_name(text, current="Maria Fernanda Solis") == name


def test_a_name_whose_first_and_last_words_match_is_kept():
    # Only a correction drops the surname said twice; a name may repeat a word ("Juan Juan").
    assert nlu.extract_name("Luis Alberto Luis", expecting=True) == "Luis Alberto Luis"


@pytest.mark.parametrize(
    ("text", "weekday"),
    [
        ("necesito cita con oftalmología la próxima semana, cualquier día menos el lunes", 1),
        ("la semana que viene, menos lunes y martes", 2),
        ("la semana que viene pero no el miercoles", 0),
    ],
)
def test_the_week_said_starts_after_the_days_refused(tuesday, text, weekday):
    when = nlu.extract_when(text, now=dt.datetime.now(TZ))
    next_monday = dt.date(2026, 12, 7)
    assert when.date == next_monday + dt.timedelta(days=weekday) and when.day_kind == "week"


def test_cualquier_dia_menos_el_lunes_is_not_booked_on_monday(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("necesito cita con oftalmología la próxima semana, cualquier día menos el lunes")
    assert chat.state.step == Step.SLOT, chat
    assert all(slot.start.astimezone(TZ).weekday() != 0 for slot in chat.state.booking.offered_slots), chat


@pytest.mark.parametrize(
    "text", ["es para sacarle un turno a mi hija", "es para pedirle una cita a mi mamá", "es para consultarle algo"]
)
def test_a_verb_with_its_pronoun_after_es_para_is_no_name(text):
    assert nlu.extract_name(text) is None and nlu.extract_name(text, expecting=True) is None


@pytest.mark.parametrize("name", ["Carlos Pérez", "Marlene Soto", "Oscar Pérez", "Omar Ali"])
def test_names_that_end_like_verbs_are_still_names(name):
    assert nlu.extract_name(f"es para {name}") == name and nlu.extract_name(name, expecting=True) == name
