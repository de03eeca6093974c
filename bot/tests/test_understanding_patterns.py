"""Issue 9's patterns, through the engine with the offline brain on the demo clinic: what the
patient means ends up in the typed state and the database. The clock is frozen on a weekday
(Tuesday 1 December 2026, 9:00) or on a weekend (Saturday 5 December, 19:30)."""

import datetime as dt

import pytest
import time_machine

from appointments.models import Appointment
from appointments.policy import PartOfDay
from appointments.selectors import find_available_slots
from bot.models import ConversationStatus
from bot.state import Flow, Step
from bot.tests.conftest import CLINIC_TZ as TZ
from bot.tests.test_rules_brain import Chat
from clinic.models import Doctor, Specialty

pytestmark = pytest.mark.usefixtures("offline_brain")

TUESDAY = dt.date(2026, 12, 1)
THURSDAY = dt.date(2026, 12, 3)


def specialty(name: str) -> Specialty:
    return Specialty.objects.get(name=name)


def starts(chat: Chat) -> list[dt.datetime]:
    return [slot.start.astimezone(TZ) for slot in chat.state.booking.offered_slots]


def book_through(chat: Chat, *, name="Laura Méndez", dni="27888999") -> None:
    if chat.state.step == Step.SLOT:
        chat.say("el primero")
    if chat.state.step == Step.NAME:
        chat.say(name)
    if chat.state.step == Step.DOCUMENT:
        chat.say(dni)
    assert chat.state.step == Step.CONFIRM_BOOKING, chat


def test_a_greeting_and_the_request_in_one_message(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("hola, necesito un turno para mañana a las 11 con el clinico")
    state = chat.state
    assert state.flow == Flow.BOOK and state.step == Step.NAME, chat
    assert state.booking.specialty_id == specialty("Clínica médica").pk
    assert state.selected_slot.start.astimezone(TZ) == dt.datetime(2026, 12, 2, 11, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("me torci la rodilla jugando al futbol, necesito turno", "Traumatología"),
        ("quiero una limpieza de dientes", "Odontología"),
        ("turno para ortodoncia", "Odontología"),
        ("necesito el control del niño sano de mi hijo", "Pediatría"),
        ("turno con gine", "Ginecología"),
        ("un turno con trauma", "Traumatología"),
        ("cita con oftalmo", "Oftalmología"),
        ("quiero turno de medicina general", "Clínica médica"),
    ],
)
def test_symptoms_services_and_short_names_choose_the_specialty(demo_clinic, tuesday, text, name):
    chat = Chat(demo_clinic)
    chat.say(text)
    assert chat.state.booking.specialty_id == specialty(name).pk, chat
    assert chat.state.step == Step.SLOT and chat.state.booking.offered_slots, chat
    # "medicina general" is not "Dr. Medina": no doctor is chosen for the patient.
    assert chat.state.booking.doctor_id is None


def test_a_service_the_clinic_lacks_gets_the_suggestion_then_the_earliest_slot(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    answer = chat.say("tienen kinesiologia? me lesione el hombro")
    assert answer.startswith("No tenemos Kinesiología"), chat
    assert chat.state.step == Step.OFFER_BOOKING
    assert chat.state.booking.specialty_id == specialty("Traumatología").pk
    chat.say("bueno, dame con traumatologia entonces, lo antes posible")
    free = find_available_slots(
        specialty=specialty("Traumatología"), start=dt.datetime(2026, 12, 1, 9, 30, tzinfo=TZ), limit=1
    )
    # "lo antes posible" includes later today (the first bookable slot, 30 minutes ahead).
    assert starts(chat)[0] == free[0].start.astimezone(TZ), chat
    assert starts(chat)[0].date() == TUESDAY


def test_a_part_of_the_day_ruled_out(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("turno con gine, pero a la mañana no puedo")
    assert chat.state.booking.requested_part_of_day == PartOfDay.AFTERNOON, chat
    assert starts(chat) and all(start.hour >= 13 for start in starts(chat)), chat


def test_an_offer_that_does_not_match_says_so(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    answer = chat.say("pediatria el jueves a la tarde")  # Thursday afternoons have no pediatrician
    assert answer.startswith("El jueves 3 de diciembre a la tarde no tengo turnos de Pediatría"), chat
    # The nearest afternoons, then that Thursday's morning: "...; y a la mañana, el jueves ... 8:00".
    *afternoons, same_day = starts(chat)
    assert afternoons and all(start.hour >= 13 and start.date() != THURSDAY for start in afternoons), chat
    assert same_day == dt.datetime(2026, 12, 3, 8, 0, tzinfo=TZ) and "y a la mañana, el jueves" in answer, chat
    chat.say("bueno, a la mañana entonces")
    assert chat.state.selected_slot.start.astimezone(TZ) == same_day and chat.state.step == Step.NAME, chat


def test_an_honest_offer_respects_a_refused_part(demo_clinic, saturday_evening):
    chat = Chat(demo_clinic)
    chat.say("pediatria el jueves, a la mañana no puedo")  # 10 December: no pediatrician in the afternoon
    assert starts(chat) and all(start.hour >= 13 for start in starts(chat)), chat  # never the refused morning


def test_a_weekday_said_on_that_weekday_is_next_week(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("quiero turno de dermatologia el martes")
    assert chat.state.booking.requested_date == dt.date(2026, 12, 8), chat
    assert {start.date() for start in starts(chat)} == {dt.date(2026, 12, 8)}, chat


def test_on_a_weekend_the_weekday_and_the_earliest_slot(demo_clinic, saturday_evening):
    chat = Chat(demo_clinic)
    chat.say("turno de pediatria para el sabado")
    assert chat.state.booking.requested_date == dt.date(2026, 12, 12), chat
    chat = Chat(demo_clinic, phone="+5491155550000")
    chat.say("turno de traumatologia lo antes posible")
    assert starts(chat)[0].date() == dt.date(2026, 12, 7), chat  # Monday: the clinic is closed until then


def test_thanks_after_booking_closes_instead_of_asking_again(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("turno de cardiologia el miercoles a las 10")
    book_through(chat)
    chat.say("si")
    assert Appointment.objects.count() == 1 and chat.state.step == Step.ANYTHING_ELSE, chat
    chat.say("ok gracias")
    assert chat.conversation.status == ConversationStatus.ENDED, chat


def test_thanks_to_an_offer_is_not_a_yes(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("tienen dermatologia?")
    assert chat.state.step == Step.OFFER_BOOKING, chat
    chat.say("ok gracias")
    # A polite no, and the patient is done: nothing offered, nothing booked, the conversation ends.
    assert not chat.state.booking.offered_slots and not Appointment.objects.exists(), chat
    assert chat.last.end_conversation, chat


@pytest.mark.parametrize(
    ("correction", "name", "document"),
    [
        ("no, el documento está mal, es 12345679", "Juan Pérez", "12345679"),
        # "el nombre está mal" introduces no name: the one after "es" is the right one.
        ("no, el nombre está mal, es Camila Muñoz", "Camila Muñoz", "12345678"),
    ],
)
def test_a_correction_changes_only_that_datum(demo_clinic, tuesday, correction, name, document):
    chat = Chat(demo_clinic)
    chat.say("turno de cardiologia el miercoles a las 10")
    book_through(chat, name="Juan Pérez", dni="12345678")
    chat.say(correction)
    state = chat.state
    assert state.step == Step.CONFIRM_BOOKING and state.booking.document_number == document, chat
    assert state.booking.patient_name == name and state.selected_slot is not None
    chat.say("sí")
    patient = Appointment.objects.get().patient
    assert (patient.full_name, patient.document_number) == (name, document)


def test_the_document_in_words_and_a_name_like_a_verb(demo_clinic, tuesday):
    chat = Chat(demo_clinic, channel="phone")
    chat.say("turno de cardiologia el miercoles a las diez")
    chat.say("Camila Ruiz")
    assert chat.state.booking.patient_name == "Camila Ruiz" and chat.state.flow == Flow.BOOK, chat
    chat.say("treinta y un millones cuatrocientos veinte mil ciento doce")
    assert chat.state.booking.document_number == "31420112", chat


def test_doctor_facts(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    answer = chat.say("¿qué días atiende la Dra. Herrera?")
    assert "lunes" in answer and "viernes" in answer and "8:00 a 12:00" in answer, chat
    chat = Chat(demo_clinic, phone="+5491155550001")
    answer = chat.say("el dr romero atiende los martes?")
    assert answer.startswith("Sí, el Dr. Alejandro Romero atiende Cardiología los martes"), chat
    assert chat.state.step == Step.OFFER_BOOKING
    chat.say("si")
    romero = Doctor.objects.get(last_name="Romero")
    assert chat.state.booking.offered_slots and {s.doctor_id for s in chat.state.booking.offered_slots} == {romero.pk}
    chat = Chat(demo_clinic, phone="+5491155550002")
    chat.say("atienden niños?")
    assert chat.state.booking.specialty_id == specialty("Pediatría").pk, chat


def test_a_part_of_the_day_is_not_a_coverage(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    answer = chat.say("atienden por la tarde?")
    assert "trabajamos con" not in answer and "20:00" in answer, chat


def test_offered_slots_stay_bookable_while_the_patient_answers(demo_clinic):
    from appointments.selectors import find_slot

    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ), tick=False):
        chat = Chat(demo_clinic)
        chat.say("turno de odontologia hoy lo antes posible")
        offered = chat.state.booking.offered_slots
        assert offered and starts(chat)[0].date() == TUESDAY, chat
    odontology = specialty("Odontología")
    later = dt.datetime(2026, 12, 1, 9, 3, tzinfo=TZ)  # a name, a document and a yes later
    for slot in offered:
        doctor = Doctor.objects.get(pk=slot.doctor_id)
        assert find_slot(specialty=odontology, start=slot.start, doctor=doctor, now=later), slot


def test_two_turnos_in_one_message_for_two_people(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say(
        "hola, quiero un turno para mi con el clinico y otro para mi hija con la pediatra, los dos mañana a la mañana"
    )
    state = chat.state
    assert state.booking.specialty_id == specialty("Clínica médica").pk and state.booking.for_whom == "", chat
    assert [(q.specialty_id, q.for_whom) for q in state.queued_bookings] == [(specialty("Pediatría").pk, "hija")]
    assert starts(chat) and all(s.date() == dt.date(2026, 12, 2) and s.hour < 13 for s in starts(chat)), chat
    book_through(chat, name="Carolina Paz", dni="31222444")
    answer = chat.say("si")
    assert "Ahora, para su hija" in answer, chat
    state = chat.state
    assert state.booking.specialty_id == specialty("Pediatría").pk and state.booking.for_whom == "hija"
    # The daughter's name and document are asked, never the mother's reused.
    assert state.booking.patient_name == "" and state.booking.document_number == ""
    assert all(s.date() == dt.date(2026, 12, 2) and s.hour < 13 for s in starts(chat)), chat
    assert "su hija" in chat.say("el primero"), chat
    chat.say("Martina Paz")
    chat.say("55666777")
    chat.say("si")
    booked = {(a.specialty.name, a.patient.full_name, a.patient.document_number) for a in Appointment.objects.all()}
    assert booked == {("Clínica médica", "Carolina Paz", "31222444"), ("Pediatría", "Martina Paz", "55666777")}, chat


def test_a_turno_for_someone_else_asks_their_name(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("turno de cardiologia el miercoles a las 10")
    book_through(chat, name="Juan Pérez", dni="12345678")
    chat.say("si")
    chat.say("y otro turno para mi mamá con dermatologia el jueves a las 9")
    assert chat.state.booking.for_whom == "mama" and chat.state.step == Step.NAME, chat
    assert chat.state.booking.patient_name == "", chat


def test_next_week_then_a_weekday_is_that_weeks(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("quiero un turno de dermatologia para la semana que viene")
    assert chat.state.booking.requested_period == "week", chat
    chat.say("el jueves")  # said on a Tuesday after "la semana que viene": 10 December, not the 3rd
    assert chat.state.booking.requested_date == dt.date(2026, 12, 10), chat
    assert {s.date() for s in starts(chat)} == {dt.date(2026, 12, 10)}, chat


def test_next_month_then_a_weekday(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("turno de cardiologia para el mes que viene")
    chat.say("el martes")
    assert chat.state.booking.requested_date == dt.date(2027, 1, 5), chat


def test_the_15th_is_the_next_15th(demo_clinic, saturday_evening):
    chat = Chat(demo_clinic)
    chat.say("turno de oftalmologia el 15")
    assert chat.state.booking.requested_date == dt.date(2026, 12, 15), chat


@pytest.mark.parametrize("clock", ["tuesday", "saturday_evening"])
def test_a_holiday_is_answered_by_its_date(demo_clinic, request, clock):
    from clinic.models import Closure

    Closure.objects.create(
        clinic=demo_clinic, start_date=dt.date(2026, 12, 8), end_date=dt.date(2026, 12, 8), reason="Feriado"
    )
    request.getfixturevalue(clock)
    chat = Chat(demo_clinic)
    answer = chat.say("¿atienden el 8 de diciembre?")
    assert answer.startswith("No, el martes 8 de diciembre la clínica está cerrada por feriado"), chat
    assert "cerrada" not in Chat(demo_clinic, phone="+5491155550003").say("¿atienden los martes?")


def test_a_coverage_asked_with_atienden(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    assert chat.say("hola, ¿atienden IOMA?").startswith("Sí, trabajamos con IOMA"), chat


def test_what_to_bring(demo_clinic, saturday_evening):
    chat = Chat(demo_clinic)
    assert "documento" in chat.say("que tengo que llevar al turno?"), chat


def test_later_earlier_and_the_last_one(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("turno de dermatologia el jueves a la mañana")
    first = starts(chat)
    assert first and all(s.date() == dt.date(2026, 12, 3) for s in first), chat
    chat.say("más tarde")
    later = starts(chat)
    assert later and min(later) > max(first) and all(s.date() == dt.date(2026, 12, 3) for s in later), chat
    chat.say("otro más temprano")
    assert starts(chat) and max(starts(chat)) < min(later), chat
    chat = Chat(demo_clinic, phone="+5491155550004")
    chat.say("turno de dermatologia el jueves, el último que tenga")
    last = starts(chat)
    assert last[-1] == dt.datetime(2026, 12, 3, 17, 40, tzinfo=TZ), chat  # Dra. Castro works until 18:00
    chat.say("el último")
    assert chat.state.selected_slot.start.astimezone(TZ) == last[-1], chat


@pytest.mark.parametrize(
    ("text", "echoed"),
    [
        ("aceptan OSPE?", "OSPE"),
        ("trabajan con la obra social de los docentes?", None),
        ("me atienden con el seguro de mi marido", None),
    ],
)
def test_a_coverage_not_accepted_is_not_the_whole_sentence(demo_clinic, tuesday, text, echoed):
    answer = Chat(demo_clinic).say(text)
    assert "Aceptamos" in answer or "Trabajamos con" in answer, answer
    if echoed:
        assert answer.startswith(f"No, no trabajamos con {echoed}."), answer
    else:
        assert "docentes" not in answer.lower() and "marido" not in answer.lower(), answer


def test_and_on_saturdays_after_the_hours(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("a que hora abren?")
    answer = chat.say("¿y los sábados?")
    assert answer.startswith("Sí, los sábados atendemos de 8:00 a 13:00"), chat
    assert "domingos" in chat.say("y los domingos?") and not chat.state.booking.offered_slots, chat


def test_an_ordinal_after_choosing_by_the_day_keeps_that_day(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("turno con el medico general")
    assert {start.date() for start in starts(chat)} > {THURSDAY}, chat  # several days on offer
    chat.say("el jueves en la mañana")
    chat.say("la primera")
    state = chat.state
    assert state.step == Step.NAME and state.selected_slot.start.astimezone(TZ).date() == THURSDAY, chat
    book_through(chat)
    chat.say("si")
    assert Appointment.objects.get().start_at.astimezone(TZ).date() == THURSDAY


@pytest.mark.parametrize(
    ("day", "specialty_name", "date"),
    [("el lunes", "Clínica médica", dt.date(2026, 12, 7)), ("el martes", "Cardiología", dt.date(2026, 12, 8))],
)
def test_a_turno_with_him_after_asking_about_a_doctor(demo_clinic, tuesday, day, specialty_name, date):
    chat = Chat(demo_clinic)
    chat.say("¿el doctor Romero qué días atiende?")
    chat.say(f"listo, ¿me puede dar una cita con él {day}?")
    state = chat.state
    romero = Doctor.objects.get(last_name="Romero")
    assert state.step == Step.SLOT and state.booking.specialty_id == specialty(specialty_name).pk, chat
    assert starts(chat) and {start.date() for start in starts(chat)} == {date}
    assert {slot.doctor_id for slot in state.booking.offered_slots} == {romero.pk}


@pytest.mark.parametrize(("clock", "thursday"), [("tuesday", THURSDAY), ("saturday_evening", dt.date(2026, 12, 10))])
def test_a_bare_yes_to_the_last_slots_takes_the_last(demo_clinic, request, clock, thursday):
    request.getfixturevalue(clock)
    chat = Chat(demo_clinic)
    chat.say("hola quiero turno con dermatologia, el ultimo que tengas el jueves")
    last = starts(chat)
    assert len(last) > 1 and {start.date() for start in last} == {thursday}, chat
    chat.say("ese")
    state = chat.state
    assert state.step == Step.NAME and state.selected_slot.start.astimezone(TZ) == max(last), chat
