"""Round 6 of the multi-turn dev set: a Spanish DNI or NIE said on the phone keeps its letter
("... cero cero pe"); a relative's document said as theirs in the first message ("la cédula de
ella es 17456789") is not asked again; a slot picked by its part of the day ("la de la tarde,
porfa") is that part's first, offered or not; "listo, gracias, buenas noches" takes leave.
Asserted on the typed state and the database."""

import datetime as dt

import pytest

from appointments.models import Appointment, AppointmentStatus
from bot import nlu
from bot.models import ConversationStatus
from bot.state import Step
from bot.tests.conftest import CLINIC_TZ as TZ
from bot.tests.test_rules_brain import Chat
from bot.tests.test_understanding_patterns import book_through

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_brain")]


def active() -> list[Appointment]:
    return list(Appointment.objects.exclude(status=AppointmentStatus.CANCELLED).order_by("start_at"))


# --- a Spanish document's letter said on the phone --------------------------------------------


@pytest.mark.parametrize(
    ("text", "document"),
    [
        ("cuatro ocho tres cero cero uno cero cero pe", "48300100P"),
        ("cuarenta y ocho millones trescientos mil cien, letra pe", "48300100P"),
        ("es el 48300100 con la letra jota", "48300100J"),
        ("equis uno dos tres cuatro cinco seis siete ele", "X1234567L"),
        ("i griega uno dos tres cuatro cinco seis siete zeta", "Y1234567Z"),
    ],
)
def test_a_spoken_letter_closes_a_spanish_document(text, document):
    assert nlu.extract_document_number(text, expecting=True) == document


@pytest.mark.parametrize(
    ("text", "document"),
    [
        ("48300100 de buenos aires", "48300100"),  # "de" is no letter mid-sentence
        ("mi dni es 30111222 y", "30111222"),  # a word cut short, not the letter Y
        ("treinta millones ciento once mil doscientos veintidos", "30111222"),
        ("cuatro ocho tres cero cero uno cero cero o", "48300100"),  # O is no DNI letter
    ],
)
def test_near_misses_keep_the_digits_only(text, document):
    assert nlu.extract_document_number(text, expecting=True) == document


def test_a_phone_booking_with_a_spoken_dni_letter_books_that_document(demo_clinic, tuesday):
    chat = Chat(demo_clinic, channel="voice")
    chat.say("hola buenas queria pedir cita con el ginecologo el martes por la tarde")
    book_through(chat, name="Nuria Serrano", dni="cuatro ocho tres cero cero uno cero cero pe")
    assert chat.state.booking.document_number == "48300100P", chat
    chat.say("si")
    (booked,) = active()
    assert booked.patient.document_number == "48300100P", chat


# --- a relative's document in the first message -------------------------------------------------

FIRST_MESSAGE = (
    "Buenos días. Necesito una cita con el pediatra para mi hija Emilia Paredes, el martes en la mañana. "
    "{document} 17456789"
)


@pytest.mark.parametrize("document", ["La cédula de ella es", "El DNI de mi hija es", "su documento es el"])
def test_a_relatives_document_said_as_theirs_is_kept(demo_clinic, tuesday, document):
    chat = Chat(demo_clinic)
    chat.say(FIRST_MESSAGE.format(document=document))
    chat.say("la primera")
    booking = chat.state.booking
    assert chat.state.step == Step.CONFIRM_BOOKING, chat
    assert (booking.patient_name, booking.document_number) == ("Emilia Paredes", "17456789"), chat
    chat.say("sí")
    (booked,) = active()
    assert (booked.patient.full_name, booked.patient.document_number) == ("Emilia Paredes", "17456789")


def test_the_callers_own_document_is_not_the_relatives(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say(FIRST_MESSAGE.format(document="Mi DNI es"))
    chat.say("la primera")
    assert chat.state.step == Step.DOCUMENT and chat.state.booking.document_number == "", chat


@pytest.mark.parametrize(
    ("text", "theirs"),
    [
        ("la cédula de ella es 17456789", True),
        ("dni del nene 50111222", True),
        ("su rut es 12.345.678-5", True),
        ("mi dni es 17456789", False),
        ("dni 17456789", False),
        ("la cédula la tengo acá", False),
    ],
)
def test_whose_document_is_said(text, theirs):
    assert nlu.says_relatives_document(text) is theirs


# --- a slot picked by its part of the day ---------------------------------------------------------


def test_the_afternoons_one_when_only_mornings_were_offered(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("Hola, me regala una cita con el oftalmólogo para el lunes")
    assert all(s.start.astimezone(TZ).hour < 13 for s in chat.state.booking.offered_slots), chat
    chat.say("la de la tarde, porfa")
    picked = chat.state.selected_slot.start.astimezone(TZ)
    assert chat.state.step == Step.NAME and picked.date() == dt.date(2026, 12, 7) and picked.hour >= 13, chat
    book_through(chat, name="Diana Marcela Ruiz", dni="52777444")
    chat.say("sí")
    (booked,) = active()
    assert booked.start_at.astimezone(TZ) == picked


@pytest.mark.parametrize("text", ["este la de la mañana", "bueno, el de la mañana"])
def test_the_mornings_first_when_all_offered_are_mornings(demo_clinic, tuesday, text):
    chat = Chat(demo_clinic, channel="voice")
    chat.say("buenas quiero una cita con pediatria para el miercoles")
    first = chat.state.booking.offered_slots[0]
    chat.say(text)
    assert chat.state.step == Step.NAME and chat.state.selected_slot.start == first.start, chat


@pytest.mark.parametrize("text", ["¿tiene alguna de la tarde?", "y en la tarde que tiene"])
def test_asking_for_a_part_of_the_day_offers_it_without_picking(demo_clinic, tuesday, text):
    chat = Chat(demo_clinic)
    chat.say("Hola, me regala una cita con el oftalmólogo para el lunes")
    chat.say(text)
    assert chat.state.step == Step.SLOT and chat.state.selected_slot is None, chat
    assert all(s.start.astimezone(TZ).hour >= 13 for s in chat.state.booking.offered_slots), chat


# --- taking leave with a greeting of the hour ----------------------------------------------------


@pytest.mark.parametrize("text", ["listo, gracias, buenas noches", "muchas gracias, buenas tardes"])
def test_thanks_and_good_night_after_booking_ends_the_conversation(demo_clinic, tuesday, text):
    chat = Chat(demo_clinic)
    chat.say("hola, quería un turno con el clínico para el 15/12 a la tarde")
    book_through(chat, name="Blanca Aquino", dni="3987654")
    chat.say("sí")
    assert len(active()) == 1, chat
    chat.say(text)
    assert chat.last.end_conversation or chat.conversation.status == ConversationStatus.ENDED, chat


@pytest.mark.parametrize("text", ["buenas noches", "buenas tardes, gracias, quería un turno"])
def test_a_greeting_of_the_hour_without_thanks_first_is_no_goodbye(text):
    assert nlu.GOODBYE not in nlu.detect_intents(text)
