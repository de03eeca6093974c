"""What patients do in the middle of a booking (bench/data/dev_dialogues_flow*.txt), through
the engine with the offline brain on the demo clinic: names introduced in other ways, data
given before they are asked, documents with their letter, corrections of one word of the
name, another hour or the same hour on another day, another turno for a relative after a
booking. Asserted on the typed state and the database, the clock frozen on a weekday
(Tuesday 1 December 2026, 9:00, or Thursday 3 December, 15:00) or on a weekend (Saturday 5
December, 19:30)."""

import datetime as dt

import pytest
import time_machine

from appointments import services
from appointments.models import Appointment, Patient
from bot import nlu
from bot.models import ConversationOutcome
from bot.state import Flow, Step
from bot.tests.conftest import CLINIC_TZ as TZ
from bot.tests.test_rules_brain import PHONE, Chat
from clinic.models import Doctor, Specialty

pytestmark = pytest.mark.usefixtures("offline_brain")

TUESDAY = dt.date(2026, 12, 1)
THURSDAY = dt.date(2026, 12, 3)
THURSDAY_AFTERNOON = dt.datetime(2026, 12, 3, 15, 0, tzinfo=TZ)


def specialty(name: str) -> Specialty:
    return Specialty.objects.get(name=name)


def selected_start(chat: Chat) -> dt.datetime:
    slot = chat.state.selected_slot
    assert slot is not None, chat
    return slot.start.astimezone(TZ)


def booked() -> list[Appointment]:
    return list(Appointment.objects.select_related("patient", "specialty").order_by("start_at"))


# --- names --------------------------------------------------------------------------------


def test_a_relatives_name_after_se_llama_is_the_name_alone(demo_clinic, tuesday):
    chat = Chat(demo_clinic, channel="phone")
    chat.say("buenos dias quisiera una cita de pediatria para mi hijo el lunes en la tarde")
    chat.say("la primera")
    assert chat.state.step == Step.NAME and chat.state.booking.for_whom == "hijo", chat
    chat.say("se llama Santiago Perez")
    assert chat.state.booking.patient_name == "Santiago Perez" and chat.state.step == Step.DOCUMENT, chat
    chat.say("el numero es cuarenta millones doscientos mil trescientos")
    chat.say("si esta bien")
    [appointment] = booked()
    assert appointment.patient.full_name == "Santiago Perez" and appointment.patient.document_number == "40200300"
    assert appointment.start_at.astimezone(TZ) == dt.datetime(2026, 12, 7, 15, 0, tzinfo=TZ)


def test_es_para_mi_mama_then_her_name_and_su_cedula(demo_clinic, saturday_evening):
    chat = Chat(demo_clinic)
    chat.say("buenas, una cita de cardiologia para el lunes en la mañana por favor")
    chat.say("la primera")
    chat.say("es para mi mama, se llama Luz Marina Cardenas")
    assert chat.state.booking.patient_name == "Luz Marina Cardenas" and chat.state.step == Step.DOCUMENT, chat
    chat.say("su cedula es 41555666")
    state = chat.state
    assert state.step == Step.CONFIRM_BOOKING and state.booking.document_number == "41555666", chat
    assert not Appointment.objects.exists()  # nothing is written before the yes


def test_fillers_before_a_name_and_honorifics_alone(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("una cita con dermatologia para el jueves en la tarde por favor")
    chat.say("la primera")
    chat.say("si señora")
    assert chat.state.step == Step.NAME and not chat.state.booking.partial_name, chat
    chat.say("listo, Mariana Restrepo Gil")
    assert chat.state.booking.patient_name == "Mariana Restrepo Gil" and chat.state.step == Step.DOCUMENT, chat


def test_a_surname_near_a_word_of_the_rules_is_a_name_not_a_request(demo_clinic, tuesday):
    chat = Chat(demo_clinic, channel="phone")
    chat.say("alo buenos dias quisiera una cita con el oftalmologo para mañana")
    chat.say("la primera")
    chat.say("Jhon Quispe Huaman")  # "huaman" is one letter from "humano"
    assert chat.state.booking.patient_name == "Jhon Quispe Huaman" and chat.state.step == Step.DOCUMENT, chat
    assert not chat.last.transfer_to_human
    chat.conversation.refresh_from_db()
    assert chat.conversation.outcome != ConversationOutcome.TRANSFERRED


# --- data before it is asked ------------------------------------------------------------------


def test_name_and_document_with_the_request_go_straight_to_the_read_back(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("hola, soy Martín Aguirre, dni 28777666, quiero turno con el cardiologo el miercoles a la tarde")
    assert chat.state.booking.patient_name == "Martín Aguirre" and chat.state.booking.document_number == "28777666"
    chat.say("el primero")
    assert chat.state.step == Step.CONFIRM_BOOKING, chat
    chat.say("si")
    [appointment] = booked()
    assert appointment.patient.full_name == "Martín Aguirre" and appointment.patient.document_number == "28777666"
    assert appointment.start_at.astimezone(TZ) == dt.datetime(2026, 12, 2, 14, 0, tzinfo=TZ)


def test_a_name_with_the_exact_time_leaves_only_the_document(demo_clinic, saturday_evening):
    chat = Chat(demo_clinic)
    chat.say("Buenas! quiero una cita con el dentista el jueves a las 4 de la tarde, a nombre de Ximena Castillo")
    state = chat.state
    assert state.step == Step.DOCUMENT and state.booking.patient_name == "Ximena Castillo", chat
    assert selected_start(chat) == dt.datetime(2026, 12, 10, 16, 0, tzinfo=TZ)


def test_a_relatives_turno_does_not_take_the_callers_introduced_name(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("soy Ana Paz, quiero un turno para mi hija con pediatria el viernes a la mañana")
    assert chat.state.booking.for_whom == "hija" and not chat.state.booking.patient_name, chat


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("18.444.555-7", "184445557"), ("48222111N", "48222111N"), ("Soy Javiera Muñoz, rut 18.444.555-7", "184445557")],
)
def test_documents_written_with_their_letter_keep_it(demo_clinic, tuesday, typed, stored):
    chat = Chat(demo_clinic)
    chat.say("hola, necesito hora con pediatria el viernes en la mañana")
    chat.say("la primera")
    if "Soy" not in typed:
        chat.say("Javiera Muñoz")
    chat.say(typed)
    assert chat.state.step == Step.CONFIRM_BOOKING, chat
    chat.say("si")
    [appointment] = booked()
    assert appointment.patient.document_number == stored


# --- corrections --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "correction", "right"),
    [
        ("Lucas Gonzales", "no, Gonzalez es con zeta", "Lucas Gonzalez"),
        ("Jessica Ramirez", "no, es Yesica con y griega, Yesica Ramirez", "Yesica Ramirez"),
    ],
)
def test_a_respelled_word_of_the_name_at_the_read_back(demo_clinic, tuesday, given, correction, right):
    chat = Chat(demo_clinic)
    chat.say("turno con pediatria para el viernes a la mañana")
    chat.say("el primero")
    chat.say(given)
    chat.say("55333111")
    slot = chat.state.selected_slot
    chat.say(correction)
    state = chat.state
    assert state.step == Step.CONFIRM_BOOKING and state.booking.patient_name == right, chat
    assert state.selected_slot == slot and state.booking.document_number == "55333111"
    chat.say("si")
    [appointment] = booked()
    assert appointment.patient.full_name == right


def test_a_name_said_again_in_full_while_the_document_is_asked(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("turno con dermatologia para el martes que viene a la tarde")
    chat.say("el primero")
    chat.say("Marcela Gutierrez")
    chat.say("perdon es Marcela Gutierrez Paz")  # Gutiérrez is also a cardiologist's surname
    state = chat.state
    assert state.step == Step.DOCUMENT and state.booking.patient_name == "Marcela Gutierrez Paz", chat
    assert state.booking.specialty_id == specialty("Dermatología").pk
    assert selected_start(chat) == dt.datetime(2026, 12, 8, 14, 0, tzinfo=TZ)


# --- the hour and the day -------------------------------------------------------------------------


def test_a_time_said_with_mas_tarde_is_the_time_wanted(demo_clinic):
    with time_machine.travel(THURSDAY_AFTERNOON, tick=False):
        chat = Chat(demo_clinic)
        chat.say("hola tenes turno con el clinico para hoy?")
        chat.say("algo mas tarde? tipo a las 6")
        assert chat.state.step == Step.NAME, chat
        assert selected_start(chat) == dt.datetime(2026, 12, 3, 18, 0, tzinfo=TZ)


def test_another_day_at_the_same_hour_at_the_read_back(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("turno con el clinico el miercoles a las 10")
    chat.say("Gabriela Sosa")
    chat.say("34555222")
    chat.say("uh no, el miercoles no puedo, el jueves a la misma hora?")
    assert chat.state.step == Step.CONFIRM_BOOKING, chat
    assert selected_start(chat) == dt.datetime(2026, 12, 3, 10, 0, tzinfo=TZ)
    chat.say("si")
    [appointment] = booked()
    assert appointment.start_at.astimezone(TZ) == dt.datetime(2026, 12, 3, 10, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("el miercoles no puedo, el jueves", dt.date(2026, 12, 3)),
        ("el jueves no puedo, pasalo al viernes", dt.date(2026, 12, 4)),
        ("no puedo el jueves", None),
    ],
)
def test_a_refused_day_is_the_one_before_the_refusal(text, day):
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
    assert nlu.extract_when(text, now=now).date == day


# --- another turno for a relative ---------------------------------------------------------------


def test_y_otro_para_mi_papa_el_mismo_dia_after_a_booking(demo_clinic, saturday_evening):
    chat = Chat(demo_clinic, channel="phone")
    chat.say("quiero un turno con el clinico el lunes a la mañana")
    chat.say("el primero")
    chat.say("Raul Mendez")
    chat.say("veintidos millones trescientos mil")
    chat.say("si")
    assert len(booked()) == 1, chat
    chat.say("y otro para mi papa el mismo dia")
    state = chat.state
    assert state.flow == Flow.BOOK and state.step == Step.SLOT and state.booking.for_whom == "papa", chat
    assert not state.booking.patient_name and not state.booking.document_number  # his own, asked anew
    assert {slot.start.astimezone(TZ).date() for slot in state.booking.offered_slots} == {dt.date(2026, 12, 7)}
    chat.say("el primero")
    chat.say("Jorge Mendez")
    chat.say("ocho millones cien mil doscientos")
    chat.say("si")
    first, second = booked()
    assert (first.patient.full_name, second.patient.full_name) == ("Raul Mendez", "Jorge Mendez"), chat
    assert second.patient.document_number == "8100200"
    assert second.specialty == first.specialty and second.start_at.date() == first.start_at.date()


def test_es_para_mi_hija_while_choosing_asks_her_data_later(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("hola quisiera una cita con el pediatra en la tardecita")
    chat.say("es para mi hija")
    state = chat.state
    assert state.step == Step.SLOT and state.booking.for_whom == "hija" and state.booking.offered_slots, chat
    chat.say("la primera")
    assert chat.state.step == Step.NAME and chat.state.booking.for_whom == "hija", chat


def test_a_time_free_on_no_day_offers_that_part_of_the_day(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("hola quisiera una cita con el pediatra en la tardecita")
    chat.say("la de las 4 y media")  # Dra. Álvarez's afternoons go by 20 minutes: no 16:30
    offered = [slot.start.astimezone(TZ) for slot in chat.state.booking.offered_slots]
    assert offered and all(start.hour >= 13 for start in offered), chat
    assert {start.date() for start in offered} == {dt.date(2026, 12, 2)}
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("yes", ["andale pues", "arre", "órale", "sale pues"])
def test_mexican_yeses_confirm_the_read_back(demo_clinic, saturday_evening, yes):
    chat = Chat(demo_clinic)
    chat.say("quiero una cita con ginecologia el siguiente martes")
    chat.say("la primera")
    chat.say("Lupita Soto")
    chat.say("30111555")
    assert chat.state.step == Step.CONFIRM_BOOKING, chat
    chat.say(yes)
    [appointment] = booked()
    assert appointment.patient.full_name == "Lupita Soto"
    assert appointment.start_at.astimezone(TZ).date() == dt.date(2026, 12, 8)


def test_two_people_each_get_the_specialty_said_with_them(demo_clinic, tuesday):
    chat = Chat(demo_clinic, channel="phone")
    chat.say(
        "hola si queria un turno para mi hija con la pediatra para el jueves a la mañana y para mi con el clinico el mismo dia"
    )
    state = chat.state
    assert state.booking.specialty_id == specialty("Pediatría").pk and state.booking.for_whom == "hija", chat
    [queued] = state.queued_bookings
    assert queued.specialty_id == specialty("Clínica médica").pk and queued.for_whom == ""
    assert queued.requested_date == THURSDAY


def test_where_to_move_said_before_choosing_which_turno(demo_clinic, tuesday):
    patient = Patient.objects.create(full_name="Raúl Ortiz", document_number="22444666", phone=PHONE)
    for surname, name, start in (("Gutiérrez", "Cardiología", (2, 10)), ("Castro", "Dermatología", (3, 9))):
        services.book_appointment(
            patient=patient,
            doctor=Doctor.objects.get(last_name=surname),
            specialty=specialty(name),
            start=dt.datetime(2026, 12, start[0], start[1], 0, tzinfo=TZ),
            now=dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ),
            booked_by_number=PHONE,
            booked_as_name="Raúl Ortiz",
        )
    chat = Chat(demo_clinic)
    chat.say("hola, quiero pasar un turno al viernes")
    assert chat.state.step == Step.CHOOSE_APPOINTMENT, chat
    chat.say("el de cardiologia")
    state = chat.state
    assert state.flow == Flow.RESCHEDULE and state.step == Step.NEW_TIME, chat
    assert {slot.start.astimezone(TZ).date() for slot in state.booking.offered_slots} == {dt.date(2026, 12, 4)}


def test_tenes_algo_hoy_offers_that_days_slots_rather_than_picking_one(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("buenas! necesito sacar turno con el traumatologo, me doble el tobillo")
    chat.say("tenes algo hoy?")
    state = chat.state
    assert state.step == Step.SLOT and state.booking.selected_slot_id is None, chat
    days = {slot.start.astimezone(TZ).date() for slot in state.booking.offered_slots}
    assert days == {TUESDAY} and len(state.booking.offered_slots) == 3


def test_the_doctor_asked_for_holds_once_the_specialty_is_said(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("quiero turno con el dr romero")  # he attends Clínica médica and Cardiología
    assert chat.state.step == Step.SPECIALTY, chat
    chat.say("clinica medica")
    romero = Doctor.objects.get(last_name="Romero")
    state = chat.state
    assert state.booking.doctor_id == romero.pk and state.booking.offered_slots, chat
    assert {slot.doctor_id for slot in state.booking.offered_slots} == {romero.pk}


def test_the_day_asked_with_a_specialty_question_holds_for_the_offer(demo_clinic, saturday_evening):
    chat = Chat(demo_clinic)
    chat.say("hola, para mi hijo Benjamín que tiene 8 años, pediatra el viernes a la mañana")
    assert chat.state.step == Step.OFFER_BOOKING, chat
    chat.say("si")
    starts = [slot.start.astimezone(TZ) for slot in chat.state.booking.offered_slots]
    assert starts and all(start.date() == dt.date(2026, 12, 11) and start.hour < 13 for start in starts), chat


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("a las veinte para las once", dt.time(10, 40)),
        ("cuarto para las 5", dt.time(16, 45)),
        ("cuarto para la una", dt.time(12, 45)),
        ("el 15 para las 10", dt.time(10, 0)),  # the 15th, at 10
    ],
)
def test_minutes_before_the_hour_as_said_in_mexico(text, time):
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
    assert nlu.extract_when(text, now=now).time == time


def test_veinte_para_las_once_picks_10_40(demo_clinic, tuesday):
    chat = Chat(demo_clinic, channel="phone")
    chat.say("si buenas tardes oiga quisiera apartar una cita con el traumatologo para el jueves")
    chat.say("a las veinte para las once")
    assert chat.state.step == Step.NAME, chat
    assert selected_start(chat) == dt.datetime(2026, 12, 3, 10, 40, tzinfo=TZ)


def test_la_mas_temprana_picks_the_first_offered(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("quiero una cita con el dermatologo")
    first = chat.state.booking.offered_slots[0]
    chat.say("la mas temprana")
    assert chat.state.step == Step.NAME and chat.state.selected_slot == first, chat


def test_a_part_of_the_day_preferred_holds_for_another_day_asked(demo_clinic, saturday_evening):
    chat = Chat(demo_clinic)
    chat.say("buen dia, para agendar una cita con cardiologia, en la tarde de preferencia")
    chat.say("el martes que viene?")
    starts = [slot.start.astimezone(TZ) for slot in chat.state.booking.offered_slots]
    assert starts and all(start.date() == dt.date(2026, 12, 8) and start.hour >= 13 for start in starts), chat


@pytest.mark.parametrize(
    ("correction", "name", "dni"),
    [
        ("el documento esta bien pero el nombre no, es Ana María Paz", "Ana María Paz", "30111225"),
        ("no, mi dni termina en 6, 30111226", "Ana Paz", "30111226"),
        ("no, el apellido es Pazos", "Ana Pazos", "30111225"),
    ],
)
def test_a_correction_at_the_read_back_changes_the_datum_it_names(demo_clinic, tuesday, correction, name, dni):
    chat = Chat(demo_clinic, channel="phone")
    chat.say("turno con el clinico el jueves a las 10")
    chat.say("Ana Paz")
    chat.say("30111225")
    chat.say(correction)
    state = chat.state
    assert state.step == Step.CONFIRM_BOOKING, chat
    assert (state.booking.patient_name, state.booking.document_number) == (name, dni)
    chat.say("si")
    [appointment] = booked()
    assert (appointment.patient.full_name, appointment.patient.document_number) == (name, dni)
