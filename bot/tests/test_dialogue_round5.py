"""Round 5 of the multi-turn dev set (bench/data/dev_dialogues_round5.txt): a relative's full name
said at any moment (in the first message, with the slot chosen, with their document, after a
colon) is kept and not asked again; a weekday ruled out ("lo antes posible, pero el lunes no
puedo", "y el miércoles tampoco") is never offered; a time refused for another ("a las 10 no
alcanzo, ¿puede ser a las 11?") moves the slot; "ese mismo día" after a booking is that day;
"ya no, gracias, lo dejo así" gives up. Asserted on the typed state and the database."""

import datetime as dt

import pytest

from appointments.models import Appointment
from bot import nlu
from bot.state import Step
from bot.tests.conftest import CLINIC_TZ as TZ
from bot.tests.test_rules_brain import Chat
from bot.tests.test_understanding_patterns import book_through

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_brain")]


def offered(chat: Chat) -> list[dt.datetime]:
    return [s.start.astimezone(TZ) for s in chat.state.booking.offered_slots]


@pytest.mark.parametrize(
    ("first", "whom", "name"),
    [
        (
            "Buenos días, quiero sacar cita para mi hija Valeria Soto Ramírez con el pediatra el viernes",
            "hija",
            "Valeria Soto Ramírez",
        ),
        (
            "le escribo por mi mamá, Gloria Inés Cárdenas. Ella necesita una cita con el oftalmólogo",
            "mama",
            "Gloria Inés Cárdenas",
        ),
    ],
)
def test_the_relatives_name_in_the_first_message_is_not_asked_again(demo_clinic, clock, first, whom, name):
    chat = Chat(demo_clinic)
    chat.say(first)
    chat.say("la primera")
    booking = chat.state.booking
    assert (booking.for_whom, booking.patient_name, chat.state.step) == (whom, name, Step.DOCUMENT), chat


def test_the_relatives_name_with_the_slot_chosen(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("hola buen dia eh quiero sacar un turno para mi papa con el cardiologo el miercoles")
    chat.say("el primero a nombre de hector dominguez")
    assert chat.state.booking.patient_name == "Hector Dominguez" and chat.state.step == Step.DOCUMENT, chat
    chat.say("once millones doscientos treinta mil")
    chat.say("si")
    patient = Appointment.objects.get().patient
    assert (patient.full_name, patient.document_number) == ("Hector Dominguez", "11230000"), chat


def test_the_callers_introduced_name_with_the_slot_chosen(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("turno con traumatología el lunes")
    chat.say("la primera, a nombre de Juan Pérez")
    assert chat.state.booking.patient_name == "Juan Pérez" and chat.state.step == Step.DOCUMENT, chat


def test_the_relatives_document_and_name_in_one_answer(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("Hola, buenas. Quería pedir cita con el traumatólogo para mi marido el lunes")
    chat.say("la primera")
    chat.say("46888999A, es el DNI de mi marido, Jordi Puig")
    booking = chat.state.booking
    assert (booking.patient_name, booking.document_number) == ("Jordi Puig", "46888999A"), chat
    assert chat.state.step == Step.CONFIRM_BOOKING, chat


def test_the_relatives_document_alone_asks_for_the_relatives_name(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("una cita con la pediatra para mi hija el jueves")
    chat.say("la primera")
    chat.say("la cédula de ella es 41555666")
    assert chat.state.step == Step.NAME and chat.state.booking.document_number == "41555666", chat
    assert "hija" in chat.last.text, chat  # whose name is asked is the point here
    chat.say("Isabella Morales")
    assert chat.state.step == Step.CONFIRM_BOOKING and chat.state.booking.patient_name == "Isabella Morales", chat


def test_another_for_a_relative_on_the_same_day_with_name_and_document(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("Hola, buenas. Cita con el oftalmólogo el viernes, por favor")
    book_through(chat, name="Pilar Navarro", dni="51222333E")
    chat.say("sí")
    chat.say("Y otra para mi marido el mismo día: Andrés Gil, 51222444H")
    booking = chat.state.booking
    assert (booking.for_whom, booking.patient_name, booking.document_number) == ("marido", "Andrés Gil", "51222444H")
    assert {start.date() for start in offered(chat)} == {dt.date(2026, 12, 4)}, chat


def test_another_specialty_ese_mismo_dia_for_the_caller_is_on_the_booked_day(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("Necesito una cita con medicina general para el jueves")
    book_through(chat, name="Juan Camilo Ortiz", dni="1098765432")
    chat.say("sí")
    chat.say("y otra cita con el dermatólogo ese mismo día, en la tarde, también para mí")
    starts = offered(chat)
    assert starts and all(start.date() == dt.date(2026, 12, 3) and start.hour >= 13 for start in starts), chat
    chat.say("la primera")
    assert chat.state.step == Step.CONFIRM_BOOKING and chat.state.booking.patient_name == "Juan Camilo Ortiz", chat


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("necesito cita con la ginecóloga lo antes posible, pero el lunes no puedo", {0}),
        ("quisiera una cita con el odontologo para esta semana en la tarde no puedo y el miercoles tampoco", {2}),
        ("turno con clinica medica cuanto antes, menos el martes", {1}),
    ],
)
def test_a_weekday_ruled_out_is_never_offered(demo_clinic, clock, text, refused):
    chat = Chat(demo_clinic)
    chat.say(text)
    starts = offered(chat)
    assert starts and not {start.weekday() for start in starts} & refused, chat


def test_the_weekday_refused_to_ask_for_the_next_one_is_not_ruled_out(tuesday):
    when = nlu.extract_when("el lunes que viene no, el otro", now=dt.datetime.now(TZ))
    assert when.date == dt.date(2026, 12, 14) and when.avoided_weekdays == ()


def test_a_time_refused_for_another_moves_the_slot(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("hola, necesito hora con la ginecóloga el viernes")
    chat.say("la de las 10")
    chat.say("Javiera Contreras")
    chat.say("uy, perdón, a las 10 no alcanzo, ¿puede ser a las 11?")
    assert chat.state.selected_slot.start.astimezone(TZ) == dt.datetime(2026, 12, 4, 11, 0, tzinfo=TZ), chat


@pytest.mark.parametrize(("text", "hour"), [("a las 10 o a las 11", 10), ("a las 10 no puedo, a las 11", 11)])
def test_the_first_time_not_refused_is_the_one_wanted(tuesday, text, hour):
    assert nlu.extract_when(text, now=dt.datetime.now(TZ)).time == dt.time(hour, 0)


@pytest.mark.parametrize("give_up", ["ay no, entre semana no puedo. Bueno, ya no, gracias, lo dejo así", "olvídelo"])
def test_giving_up_at_the_offer_ends_with_nothing_booked(demo_clinic, clock, give_up):
    chat = Chat(demo_clinic)
    chat.say("Buenas noches, quiero una cita con el cardiólogo el sábado")
    chat.say(give_up)
    assert chat.last.end_conversation and not Appointment.objects.exists(), chat
