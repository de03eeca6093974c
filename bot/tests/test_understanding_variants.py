"""Variants of issue 9's patterns found while growing the tuning sets (bench/data/dev_*.txt):
regional words, Spain's vosotros, "de mañana", a day or part of the day ruled out, price
questions that are not bookings. Through the engine with the offline brain on the demo clinic,
asserting on the typed state and the database; the clock frozen on a weekday (Tuesday
1 December 2026, 9:00) and on a weekend (Saturday 5 December, 19:30)."""

import datetime as dt

import pytest

from appointments.models import Appointment
from appointments.policy import PartOfDay
from bot.models import ConversationStatus
from bot.state import Flow, Step
from bot.tests.conftest import CLINIC_TZ as TZ
from bot.tests.test_rules_brain import Chat
from bot.tests.test_understanding_patterns import book_through, specialty, starts
from clinic.models import Doctor

pytestmark = pytest.mark.usefixtures("offline_brain")

CLOCKS = ["tuesday", "saturday_evening"]
# "el jueves" from each clock: this week's on Tuesday, next week's on Saturday.
TUESDAY = dt.date(2026, 12, 1)
THURSDAY = {"tuesday": dt.date(2026, 12, 3), "saturday_evening": dt.date(2026, 12, 10)}


@pytest.fixture(params=CLOCKS)
def clock(request):
    request.getfixturevalue(request.param)
    return request.param


@pytest.mark.parametrize(
    "text",
    ["cuanto cuesta la consulta con el cardiologo", "cuanto sale la consulta particular", "cuanto vale una consulta"],
)
def test_a_price_question_is_not_a_booking(demo_clinic, clock, text):
    chat = Chat(demo_clinic)
    chat.say(text)
    state = chat.state
    assert state.flow != Flow.BOOK and not state.booking.offered_slots, chat
    assert state.step == Step.OFFER_TRANSFER, chat  # reception gives prices


def test_a_part_of_the_day_refused_and_another_asked(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("a la tarde no puedo, tenes a la mañana con el traumatologo?")
    state = chat.state
    assert state.booking.specialty_id == specialty("Traumatología").pk, chat
    assert state.booking.requested_part_of_day == PartOfDay.MORNING
    assert starts(chat) and all(start.hour < 13 for start in starts(chat)), chat


def test_de_manana_with_a_day_is_the_morning_of_that_day(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("turno con el clinico para el jueves, de mañana no puedo")
    assert chat.state.booking.requested_part_of_day == PartOfDay.AFTERNOON, chat
    assert starts(chat) and {s.date() for s in starts(chat)} == {THURSDAY[clock]}, chat
    assert all(s.hour >= 13 for s in starts(chat)), chat
    book_through(chat)
    chat.say("si")
    booked = Appointment.objects.get()
    assert booked.start_at.astimezone(TZ).date() == THURSDAY[clock] and booked.start_at.astimezone(TZ).hour >= 13


def test_el_turno_de_manana_is_still_tomorrows(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("quiero un turno de dermatologia de mañana")
    assert {s.date() for s in starts(chat)} == {dt.date(2026, 12, 2)}, chat


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("hola, tengo gripa, me pueden atender?", "Clínica médica"),  # Colombia
        ("me duele la guata hace dos dias", "Clínica médica"),  # Chile
        ("necesito hora con medicina general lo antes posible", "Clínica médica"),
    ],
)
def test_regional_words_for_a_symptom(demo_clinic, clock, text, name):
    chat = Chat(demo_clinic)
    chat.say(text)
    assert chat.state.booking.specialty_id == specialty(name).pk and chat.state.step == Step.SLOT, chat


def test_a_coverage_that_sounds_like_a_body_part(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    answer = chat.say("trabajan con isapre colmena")
    # "colmena" is not a typo of "columna" (Traumatología): no booking is started.
    assert answer.startswith("No, no trabajamos con Colmena."), chat
    assert chat.state.booking.specialty_id is None and chat.state.flow != Flow.BOOK, chat


def test_what_documents_to_bring(demo_clinic, clock):
    chat = Chat(demo_clinic)
    assert "documento" in chat.say("para la cita que documentos debo llevar"), chat
    assert chat.state.flow != Flow.BOOK


def test_spain_vosotros(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    answer = chat.say("hola, ¿tenéis dermatólogo? y ¿a qué hora cerráis?")
    assert chat.state.booking.specialty_id == specialty("Dermatología").pk, chat
    assert chat.state.step == Step.OFFER_BOOKING and "20:00" in answer, chat
    chat = Chat(demo_clinic, phone="+5491155550010")
    chat.say("buenas, ¿tenéis cita con el oculista el jueves? la última que tengáis")
    assert starts(chat)[-1] == dt.datetime(2026, 12, 3, 17, 30, tzinfo=TZ), chat  # Dra. Vázquez until 18:00


def test_another_slot_asked_with_tienen_otro(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("me dieron el ultimo turno a las 17 pero no llego, tienen otro?")
    assert chat.state.flow == Flow.BOOK, chat


@pytest.mark.parametrize(
    "closing", ["chévere, muchas gracias", "bacán gracias po", "de diez, gracias a vos", "órale, gracias"]
)
def test_regional_closings_end_the_conversation(demo_clinic, clock, closing):
    chat = Chat(demo_clinic)
    chat.say("turno de cardiologia el lunes a las 10")
    book_through(chat)
    chat.say("ya po")  # Chile's yes confirms the read-back
    assert Appointment.objects.count() == 1 and chat.state.step == Step.ANYTHING_ELSE, chat
    chat.say(closing)
    assert chat.conversation.status == ConversationStatus.ENDED and Appointment.objects.count() == 1, chat


def test_who_am_i_talking_to(demo_clinic, clock):
    chat = Chat(demo_clinic)
    assert "asistente" in chat.say("¿sos un robot?"), chat
    assert chat.state.flow == Flow.NONE and not chat.transcript[-1].endswith("no le entendí"), chat


def test_and_on_thursdays_after_an_answer_about_a_doctor(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("la dra castro atiende los lunes?")
    castro = Doctor.objects.get(last_name="Castro")
    assert chat.state.step == Step.OFFER_BOOKING and chat.state.booking.doctor_id == castro.pk, chat
    answer = chat.say("y los jueves?")  # about her Thursdays, not the clinic's hours
    assert answer.startswith("Sí, la Dra. Mariana Castro atiende Dermatología los jueves de 8:00 a 12:00"), chat
    assert not chat.state.booking.offered_slots
    chat.say("si, dame turno el jueves a la mañana")
    offered = chat.state.booking.offered_slots
    assert offered and {s.doctor_id for s in offered} == {castro.pk}, chat
    assert {s.date() for s in starts(chat)} == {THURSDAY[clock]} and all(s.hour < 13 for s in starts(chat)), chat


@pytest.mark.parametrize(
    ("text", "name"), [("hola me torci el tobillo jugando al futbol", "Traumatología"), ("buenas, gine", "Ginecología")]
)
def test_a_greeting_with_only_a_symptom_or_specialty(demo_clinic, clock, text, name):
    chat = Chat(demo_clinic)
    chat.say(text)
    state = chat.state
    assert state.flow == Flow.BOOK and state.booking.specialty_id == specialty(name).pk, chat
    assert state.step == Step.SLOT and state.booking.offered_slots, chat


def test_y_media_is_not_doctor_medina(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("necesito un turno para el dentista pasado mañana a las once y media")
    state = chat.state
    assert state.booking.doctor_id != Doctor.objects.get(last_name="Medina").pk, chat
    assert state.selected_slot.start.astimezone(TZ) == dt.datetime(2026, 12, 3, 11, 30, tzinfo=TZ), chat


def test_a_document_the_clinic_cannot_take_is_refused_when_given(demo_clinic, clock, settings):
    settings.ACCEPTED_DOCUMENT_KINDS = ["dni_ar"]  # an Argentine clinic that takes only the DNI
    chat = Chat(demo_clinic)
    chat.say("turno de cardiologia el lunes a las 10")
    chat.say("Andrés Rojas")
    chat.say("mi cedula es 1020304050")  # ten digits: a Colombian cédula, not accepted here
    state = chat.state
    assert state.step == Step.DOCUMENT and state.booking.document_number == "", chat
    chat.say("10203040")
    assert chat.state.step == Step.CONFIRM_BOOKING and chat.state.booking.document_number == "10203040", chat


def test_another_day_at_the_read_back_is_any_doctors(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("turno con traumatologia el jueves a la mañana")
    book_through(chat, name="Lucas Benítez", dni="38999000")
    assert chat.state.selected_slot.doctor_id == Doctor.objects.get(last_name="Sosa").pk
    chat.say("no, el jueves no puedo, pasalo al viernes")  # Dr. Sosa never works on Fridays; Dr. Acosta does
    assert starts(chat) and {s.date() for s in starts(chat)} == {dt.date(2026, 12, 4)}, chat
    chat.say("el primero")
    chat.say("si")
    booked = Appointment.objects.get()
    assert booked.start_at.astimezone(TZ).date() == dt.date(2026, 12, 4) and booked.doctor.last_name == "Acosta"
    assert booked.patient.document_number == "38999000"


def test_a_part_of_the_day_alone_stays_on_the_day_discussed(demo_clinic, clock):
    wednesday = {"tuesday": dt.date(2026, 12, 2), "saturday_evening": dt.date(2026, 12, 9)}[clock]
    chat = Chat(demo_clinic)
    chat.say("turno de cardiologia el miercoles a la mañana")
    assert {s.date() for s in starts(chat)} == {wednesday}, chat
    chat.say("y a la tarde?")
    assert starts(chat) and {s.date() for s in starts(chat)} == {wednesday}, chat
    assert all(s.hour >= 13 for s in starts(chat)), chat


def test_a_name_inside_a_correction(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("turno de cardiologia el lunes a las 10")
    chat.say("Juan Pérez")
    chat.say("ah no perdón, el apellido es Pereira")  # not Dra. Pereyra, not a new booking
    state = chat.state
    assert state.step == Step.DOCUMENT and state.booking.patient_name == "Juan Pereira", chat
    assert state.flow == Flow.BOOK and state.booking.specialty_id == specialty("Cardiología").pk
    chat.say("12345678")
    chat.say("está mal el apellido, es Juan Pereyra")
    assert chat.state.step == Step.CONFIRM_BOOKING and chat.state.booking.patient_name == "Juan Pereyra", chat
    chat.say("si")
    assert Appointment.objects.get().patient.full_name == "Juan Pereyra"


def test_a_correction_after_the_booking_goes_to_reception(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("turno de cardiologia el lunes a las 10")
    book_through(chat, name="Juan Pérez", dni="12345678")
    chat.say("si")
    chat.say("uy perdón, me equivoqué en el documento, es 12345679")
    assert chat.state.step == Step.OFFER_TRANSFER, chat
    booked = Appointment.objects.get()  # kept as it is: the patient record is reception's to fix
    assert booked.patient.document_number == "12345678" and booked.status == "booked"


def test_a_turno_moved_to_the_earliest(demo_clinic, clock):
    from bot.tests.test_rules_brain import PHONE, book_for

    monday = dt.datetime(2026, 12, 14, 10, 0, tzinfo=TZ)
    book_for(PHONE, last_name="Gutiérrez", specialty="Cardiología", start=monday)
    chat = Chat(demo_clinic)
    chat.say("hola quiero cambiar mi turno del lunes 14 para lo antes posible")
    assert chat.state.step == Step.NEW_TIME and starts(chat), chat
    first = starts(chat)[0]
    # The earliest the tools offer: later today on a Tuesday, Monday morning from a Saturday evening.
    assert first.date() == {"tuesday": TUESDAY, "saturday_evening": dt.date(2026, 12, 7)}[clock], chat
    chat.say("el primero")
    chat.say("si")
    moved = Appointment.objects.get(status="booked")
    assert moved.start_at.astimezone(TZ) == first and Appointment.objects.get(start_at=monday).status == "cancelled"
