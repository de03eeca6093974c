"""Rounds 3 and 4 of the multi-turn dev set (bench/data/dev_dialogues_round3.txt, _round4.txt):
a bare thanks to an offer closes the conversation, and so does giving up ("déjelo así, después
llamo") at any step of the form; "dame el último que tengas" picks the day's last slot, "la
última de la mañana" the morning's; a read-back answered with a new document and a new name
changes both; another doctor or another specialty at the offer or once a slot is picked keeps
the day being discussed."""

import datetime as dt

import pytest

from appointments.models import Appointment
from appointments.selectors import find_available_slots
from bot.state import Step
from bot.tests.conftest import CLINIC_TZ as TZ
from bot.tests.test_rules_brain import Chat
from bot.tests.test_understanding_patterns import book_through
from clinic.models import Doctor, Specialty

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_brain")]


@pytest.mark.parametrize(
    ("question", "closing"),
    [
        ("hola cuanto sale la consulta particular?", "ok gracias"),  # "¿Quiere que lo comunique?"
        ("hola cuanto sale la consulta particular?", "no, gracias"),
        ("tienen dermatologia?", "no gracias"),  # "¿Quiere que le busque un turno?"
        ("turno con traumatologia el lunes", "ok gracias"),  # slots on offer
    ],
)
def test_a_bare_thanks_to_an_offer_declines_it_and_ends(demo_clinic, clock, question, closing):
    chat = Chat(demo_clinic)
    chat.say(question)
    assert chat.state.step in {Step.OFFER_TRANSFER, Step.OFFER_BOOKING, Step.SLOT}, chat
    chat.say(closing)
    assert chat.last.end_conversation and not chat.last.transfer_to_human, chat
    assert chat.state.step == Step.NONE and not Appointment.objects.exists(), chat


def test_no_thanks_with_more_to_say_is_not_a_goodbye(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("tienen dermatologia?")
    chat.say("no, gracias, quería saber si atienden por OSDE")
    assert not chat.last.end_conversation, chat


def test_the_last_one_of_the_day_is_picked_at_once(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("turno con traumatologia el viernes")
    day = chat.state.booking.offered_slots[0].start.astimezone(TZ).date()
    chat.say("¿no tenés algo más tarde?")
    chat.say("dale, el último que tengas ese día")
    specialty = Specialty.objects.get(name="Traumatología")
    now = dt.datetime.now(TZ)
    last = max(
        s.start
        for s in find_available_slots(specialty=specialty, start=now, now=now)
        if s.start.astimezone(TZ).date() == day
    )
    assert chat.state.step == Step.NAME and chat.state.selected_slot.start == last, chat
    book_through(chat, name="Sergio Martín", dni="30222111")
    chat.say("si")
    assert Appointment.objects.get().start_at == last, chat


def test_later_ones_are_still_offered_to_choose(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("turno con traumatologia el viernes")
    first = chat.state.booking.offered_slots
    chat.say("¿no tenés algo más tarde?")
    later = chat.state.booking.offered_slots
    assert chat.state.step == Step.SLOT and len(later) > 1, chat
    assert min(s.start for s in later) > max(s.start for s in first), chat


def test_a_new_document_and_a_new_name_in_one_answer_change_both(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("turno con ginecologia el jueves")
    book_through(chat, name="Ana Ruiz", dni="30666777")
    chat.say("uy no, el dni es 30666778 y el nombre Ana María Ruiz")
    state = chat.state
    assert state.step == Step.CONFIRM_BOOKING and state.selected_slot is not None, chat
    assert (state.booking.patient_name, state.booking.document_number) == ("Ana María Ruiz", "30666778"), chat
    assert not Appointment.objects.exists()
    chat.say("si")
    patient = Appointment.objects.get().patient
    assert (patient.full_name, patient.document_number) == ("Ana María Ruiz", "30666778"), chat


@pytest.mark.parametrize(
    ("question", "specialty"),
    [("tienen dermatologia?", "Dermatología"), ("hola, tienen neurologo?", "Clínica médica")],
)
@pytest.mark.parametrize("request_words", ["ya, una cita entonces", "bueno, quiero sacar un turno"])
def test_asking_for_a_turno_after_the_offer_takes_the_one_offered(
    demo_clinic, clock, question, specialty, request_words
):
    chat = Chat(demo_clinic)
    chat.say(question)
    assert chat.state.step == Step.OFFER_BOOKING, chat
    chat.say(request_words)
    offered = chat.state.booking.offered_slots
    wanted = Specialty.objects.get(name=specialty)
    assert chat.state.step == Step.SLOT and offered and {s.specialty_id for s in offered} == {wanted.pk}, chat
    book_through(chat, name="Ana Ríos", dni="41222333")
    chat.say("si")
    assert Appointment.objects.get().specialty == wanted, chat


@pytest.mark.parametrize("give_up", ["mire, déjelo así, después llamo yo", "dejalo, despues te escribo"])
@pytest.mark.parametrize("answers", [[], ["la primera"], ["la primera", "Rosa Paz", "30111222"]])
def test_giving_up_at_any_step_of_the_form_ends_with_nothing_booked(demo_clinic, clock, give_up, answers):
    chat = Chat(demo_clinic)
    chat.say("quisiera una cita con el traumatologo el martes")
    for answer in answers:
        chat.say(answer)
    assert chat.state.step in {Step.SLOT, Step.NAME, Step.CONFIRM_BOOKING}, chat
    chat.say(give_up)
    assert chat.last.end_conversation and not chat.last.transfer_to_human, chat
    assert not Appointment.objects.exists()


def offered_days(chat: Chat) -> set[dt.date]:
    return {s.start.astimezone(TZ).date() for s in chat.state.booking.offered_slots}


def test_another_doctor_named_at_the_offer_keeps_the_day(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("buenos dias quisiera una ficha con el doctor romero de cardiologia para el martes")
    days = offered_days(chat)
    chat.say("ah no mejor con la doctora fernandez")
    fernandez = Doctor.objects.get(last_name="Fernández")
    offered = chat.state.booking.offered_slots
    assert offered and {s.doctor_id for s in offered} == {fernandez.pk} and offered_days(chat) == days, chat
    book_through(chat, name="Verónica Choque", dni="6800200")
    chat.say("si")
    appointment = Appointment.objects.get()
    assert appointment.doctor == fernandez and appointment.start_at.astimezone(TZ).date() in days, chat


def test_otro_dermatologo_on_another_day_drops_the_doctor_named(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("Hola, quería cita con la doctora Castro, la dermatóloga")
    chat.say("¿y con otro dermatólogo el miércoles?")
    offered = chat.state.booking.offered_slots
    ruiz = Doctor.objects.get(last_name="Ruiz")
    assert offered and {s.doctor_id for s in offered} == {ruiz.pk}, chat
    assert {day.weekday() for day in offered_days(chat)} == {2}, chat  # Wednesday


def test_no_es_x_es_y_at_the_offer_switches_the_specialty_on_the_same_day(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("hola, quisiera una ficha con el dermatólogo para el jueves")
    days = offered_days(chat)
    chat.say("ay perdón, no es con el dermatólogo, es con el oculista")
    eyes = Specialty.objects.get(name="Oftalmología")
    offered = chat.state.booking.offered_slots
    assert offered and {s.specialty_id for s in offered} == {eyes.pk} and offered_days(chat) == days, chat
    book_through(chat, name="Wilson Mamani", dni="6123456")
    chat.say("sí")
    assert Appointment.objects.get().specialty == eyes, chat


def test_another_specialty_once_a_slot_is_picked_offers_it_on_that_day(demo_clinic, clock):
    chat = Chat(demo_clinic, channel="phone")
    chat.say("quiero una cita con el oculista para el viernes")
    chat.say("la primera")
    day = chat.state.selected_slot.start.astimezone(TZ).date()
    chat.say("oiga mejor cambiemela con el medico general el mismo dia")
    general = Specialty.objects.get(name="Clínica médica")
    state = chat.state
    assert state.step == Step.SLOT and state.selected_slot is None and not state.booking.patient_name, chat
    assert {s.specialty_id for s in state.booking.offered_slots} == {general.pk} and offered_days(chat) == {day}, chat


def test_the_last_one_of_the_morning_is_the_mornings_last_free_slot(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("para saber si tienen cita con el dermatólogo el martes en la mañana")
    [day] = offered_days(chat)
    chat.say("ok, deme la última de la mañana")
    specialty = Specialty.objects.get(name="Dermatología")
    now = dt.datetime.now(TZ)
    last = max(
        s.start
        for s in find_available_slots(specialty=specialty, start=now, now=now)
        if s.start.astimezone(TZ).date() == day and s.start.astimezone(TZ).hour < 13
    )
    assert chat.state.step == Step.NAME and chat.state.selected_slot.start == last, chat


def test_era_para_mi_hijo_at_the_read_back_drops_the_callers_data(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("buenas, quiero una cita con pediatría el jueves en la mañana")
    book_through(chat, name="Gloria Chávez", dni="27444888")
    chat.say("ah no, perdón, la cita es para mi hijo, su número es 55111222")
    booking = chat.state.booking
    assert chat.state.step == Step.NAME and booking.for_whom == "hijo" and not booking.patient_name, chat
    assert booking.document_number == "55111222" and chat.state.selected_slot is not None, chat
    chat.say("Diego Chávez")
    assert chat.state.step == Step.CONFIRM_BOOKING, chat
    chat.say("sí")
    patient = Appointment.objects.get().patient
    assert (patient.full_name, patient.document_number) == ("Diego Chávez", "55111222"), chat
    assert not Appointment.objects.filter(patient__document_number="27444888").exists()


def test_a_yes_with_another_turno_for_a_relative_is_no_change_of_person(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("turno con pediatría el jueves")
    book_through(chat, name="Gloria Chávez", dni="27444888")
    chat.say("sí, y después otro para mi hija")
    assert Appointment.objects.get().patient.full_name == "Gloria Chávez", chat
