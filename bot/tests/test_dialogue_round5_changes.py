"""Round 5 of the multi-turn dev set, the changes at later steps: another part of the day asked
at the read-back ("la hora no me sirve, ¿tiene algo en la tarde?") offers that part of the same
day and keeps the name and document; a surname respelled together with the document ("45678901.
Ah, y el apellido es con y griega: Pereyra") takes both; a booked turno moved to a time without
a day ("¿me la puede cambiar para las 11 ese mismo día?") stays on its day; of a caller's and a
relative's turnos booked in the conversation, "anula la suya, la mía déjala" cancels the
relative's. Asserted on the typed state and the database."""

import datetime as dt

import pytest

from appointments.models import Appointment, AppointmentStatus
from bot import nlu
from bot.state import ConversationState, Step
from bot.tests.conftest import CLINIC_TZ as TZ
from bot.tests.test_rules_brain import Chat
from bot.tests.test_understanding_patterns import book_through

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_brain")]


def offered(chat: Chat) -> list[dt.datetime]:
    return [s.start.astimezone(TZ) for s in chat.state.booking.offered_slots]


def active() -> list[Appointment]:
    return list(Appointment.objects.exclude(status=AppointmentStatus.CANCELLED).order_by("start_at"))


# --- another part of the day at the read-back ---------------------------------------------------


def at_the_read_back(demo_clinic) -> Chat:
    chat = Chat(demo_clinic, channel="voice")
    chat.say("alo buenas quisiera una cita con el dermatologo para el jueves")
    book_through(chat, name="Carlos Alberto Quispe", dni="45678901")
    assert chat.state.selected_slot.start.astimezone(TZ).hour < 13, chat
    return chat


@pytest.mark.parametrize(
    "text",
    [
        "no espere la hora no me sirve tiene algo en la tarde",
        "uy no, esa hora no puedo, ¿no tendrá algo por la tarde?",
        "mejor en la tarde",
    ],
)
def test_another_part_of_the_day_at_the_read_back_offers_it_and_keeps_the_data(demo_clinic, tuesday, text):
    chat = at_the_read_back(demo_clinic)
    chat.say(text)
    state = chat.state
    assert state.step == Step.SLOT and not Appointment.objects.exists(), chat
    starts = offered(chat)
    assert starts and all(start.date() == dt.date(2026, 12, 3) and start.hour >= 13 for start in starts), chat
    assert (state.booking.patient_name, state.booking.document_number) == ("Carlos Alberto Quispe", "45678901")
    chat.say("la primera")
    assert chat.state.step == Step.CONFIRM_BOOKING, chat
    chat.say("si")
    (booked,) = active()
    assert booked.start_at.astimezone(TZ) == starts[0] and booked.patient.document_number == "45678901", chat


@pytest.mark.parametrize("text", ["sí, en la mañana está bien", "si si por la mañana perfecto"])
def test_the_slots_own_part_of_the_day_at_the_read_back_asks_for_nothing_else(demo_clinic, tuesday, text):
    chat = at_the_read_back(demo_clinic)
    picked = chat.state.selected_slot
    chat.say(text)
    assert chat.state.step != Step.SLOT, chat
    (booked,) = active()
    assert booked.start_at == picked.start, chat


# --- a surname respelled together with the document --------------------------------------------


def at_the_document(demo_clinic) -> Chat:
    chat = Chat(demo_clinic)
    chat.say("Buenas, quería hora con el clínico para el lunes de mañana")
    chat.say("el primero")
    chat.say("Mauricio Pereira")
    assert chat.state.step == Step.DOCUMENT, chat
    return chat


@pytest.mark.parametrize(
    "text",
    [
        "45678901. Ah, y el apellido es con y griega: Pereyra",
        "45678901, y el apellido va con y: Pereyra",
        "45678901 y perdón, el apellido es Pereyra con y",
    ],
)
def test_a_surname_respelled_with_the_document_takes_both(demo_clinic, clock, text):
    chat = at_the_document(demo_clinic)
    chat.say(text)
    booking = chat.state.booking
    assert chat.state.step == Step.CONFIRM_BOOKING, chat
    assert (booking.patient_name, booking.document_number) == ("Mauricio Pereyra", "45678901"), chat
    chat.say("sí")
    assert active()[0].patient.full_name == "Mauricio Pereyra", chat


def test_a_surname_respelled_alone_at_the_document_still_asks_for_it(demo_clinic, tuesday):
    chat = at_the_document(demo_clinic)
    chat.say("ah, el apellido es con y griega: Pereyra")
    booking = chat.state.booking
    assert (chat.state.step, booking.patient_name, booking.document_number) == (Step.DOCUMENT, "Mauricio Pereyra", "")


@pytest.mark.parametrize("text", ["45678901, el apellido está bien así", "45678901, es con la doctora de siempre?"])
def test_the_document_with_no_respelling_keeps_the_name(demo_clinic, tuesday, text):
    chat = at_the_document(demo_clinic)
    chat.say(text)
    booking = chat.state.booking
    assert (booking.patient_name, booking.document_number) == ("Mauricio Pereira", "45678901"), chat


@pytest.mark.parametrize(
    ("text", "spells"),
    [
        ("el apellido es con y griega", True),
        ("Yesica va con y", True),
        ("se escribe con zeta", True),
        ("Gonzalez con zeta", True),
        ("es con la doctora Castro", False),
        ("voy con mi hija", False),
        ("es con a las 8?", False),
    ],
)
def test_spelling_a_name(text, spells):
    assert nlu.spells_a_name(text) is spells


# --- a booked turno moved within its day --------------------------------------------------------


def booked_for_the_daughter(demo_clinic) -> Chat:
    chat = Chat(demo_clinic)
    chat.say("Buenos días, una cita con la pediatra para mi hija el jueves")
    book_through(chat, name="Isabella Morales", dni="58444555")
    chat.say("sí")
    (booked,) = active()
    assert booked.start_at.astimezone(TZ).date() == dt.date(2026, 12, 3), chat
    return chat


@pytest.mark.parametrize(
    ("text", "hour"),
    [
        ("disculpe, ¿me la puede cambiar para las 11 ese mismo día? a las 8 es muy temprano para la niña", 11),
        ("¿me lo pasás a las 10?", 10),
        ("¿se puede cambiar a las 11 y media el mismo día?", 11),
    ],
)
def test_a_booked_turno_moved_to_a_time_stays_on_its_day(demo_clinic, tuesday, text, hour):
    chat = booked_for_the_daughter(demo_clinic)
    chat.say(text)
    if chat.state.step == Step.NEW_TIME:
        chat.say("la primera")
    assert chat.state.step == Step.CONFIRM_RESCHEDULE, chat
    new = chat.state.selected_slot.start.astimezone(TZ)
    assert (new.date(), new.hour) == (dt.date(2026, 12, 3), hour), chat
    chat.say("sí")
    (moved,) = active()
    assert moved.start_at.astimezone(TZ) == new and moved.patient.full_name == "Isabella Morales", chat


def test_a_booked_turno_moved_to_the_afternoon_is_looked_for_on_its_day(demo_clinic, tuesday):
    chat = booked_for_the_daughter(demo_clinic)
    chat.say("¿me lo podés pasar a la tarde?")
    booking = chat.state.booking
    assert chat.state.step == Step.NEW_TIME, chat
    assert (booking.requested_date, booking.requested_part_of_day) == (dt.date(2026, 12, 3), nlu.AFTERNOON), chat


@pytest.mark.parametrize(
    "text",
    [
        "¿me la puede cambiar para el viernes a las 11?",
        "¿me la cambia para el viernes? a las 8 es temprano para la nena",
    ],
)
def test_a_booked_turno_moved_to_another_day_goes_there(demo_clinic, tuesday, text):
    chat = booked_for_the_daughter(demo_clinic)
    chat.say(text)
    starts = offered(chat)
    assert starts and {start.date() for start in starts} == {dt.date(2026, 12, 4)}, chat


# --- the caller's and a relative's turnos ---------------------------------------------------------


def two_turnos(demo_clinic) -> Chat:
    chat = Chat(demo_clinic)
    chat.say("Hola, buenas. Cita con el oftalmólogo el viernes, por favor")
    book_through(chat, name="Pilar Navarro", dni="51222333E")
    chat.say("sí")
    chat.say("Y otra para mi marido el mismo día: Andrés Gil, 51222444H")
    chat.say("la primera")
    chat.say("sí")
    assert [a.patient.full_name for a in active()] == ["Pilar Navarro", "Andrés Gil"], chat
    return chat


@pytest.mark.parametrize(
    ("text", "cancelled"),
    [
        ("Uy, espera, que él trabaja el viernes. Anula la suya, la mía déjala", "Andrés Gil"),
        ("cancela la de mi marido", "Andrés Gil"),
        ("cancelá la de él y dejá la mía", "Andrés Gil"),
        ("mejor anula la mía, la suya déjala", "Pilar Navarro"),
        ("cancelá el mío, no el de mi marido", "Pilar Navarro"),
    ],
)
def test_whose_turno_is_cancelled_among_the_callers_and_a_relatives(demo_clinic, tuesday, text, cancelled):
    chat = two_turnos(demo_clinic)
    chat.say(text)
    target_id = chat.state.target.appointment_id
    assert target_id is not None, chat
    target = Appointment.objects.get(pk=target_id)
    assert chat.state.step == Step.CONFIRM_CANCEL and target.patient.full_name == cancelled, chat
    chat.say("sí")
    assert Appointment.objects.get(pk=target.pk).status == AppointmentStatus.CANCELLED, chat
    assert [a.patient.full_name for a in active()] == [n for n in ("Pilar Navarro", "Andrés Gil") if n != cancelled]


@pytest.mark.parametrize("text", ["anula una de las dos", "cancela el turno del viernes"])
def test_naming_nobodys_turno_among_two_asks_which(demo_clinic, tuesday, text):
    chat = two_turnos(demo_clinic)
    chat.say(text)
    assert chat.state.step == Step.CHOOSE_APPOINTMENT and len(active()) == 2, chat


def test_the_relatives_turnos_survive_storage(demo_clinic, tuesday):
    chat = two_turnos(demo_clinic)
    husband = active()[1]
    stored = ConversationState.load(chat.state.dump())
    assert stored.patient.relatives_turnos == {husband.pk: "marido"}


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("Anula la suya, la mía déjala", nlu.THEIRS),
        ("cancelá el de mi hija, el mío no", "hija"),
        ("cancela el mío y deja el de mi marido", ""),
        ("cancelá el de mi hija, no el mío", "hija"),
        ("la mía déjala", nlu.THEIRS),
        ("cancelá el turno del viernes", None),
        ("el del martes", None),
    ],
)
def test_whose_turno_the_words_point_at(text, owner):
    assert nlu.turno_owner(text) == owner
