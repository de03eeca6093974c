"""Round 7 of the multi-turn dev set: a booked turno named in the first message by the day the
patient cannot go ("el turno del viernes no puedo ir, cancelámelo") or by whom it is with
("pasame el de la dermatóloga al lunes"); a day taken back with a filler ("el jueves al final no
puedo, ¿y el viernes?"); another person at the document step ("ah no, la hora es para mi
hermano, Tomás Fuentes"); a second surname added at the read-back; "dos citas para mis dos
hijos"; "la siguiente" as the next slot; a blessing ("bendiciones") that takes leave only when
the rest of the message closes too, and "que Dios le pague" / "mil gracias mi reina" as
closings. Asserted on the typed state and the database, on a weekday and a weekend clock."""

import datetime as dt

import pytest

from appointments import services
from appointments.models import Appointment, AppointmentStatus, Patient
from bot import nlu
from bot.models import ConversationStatus
from bot.state import Flow, Step
from bot.tests.conftest import CLINIC_TZ as TZ
from bot.tests.test_rules_brain import PHONE, Chat, doctor
from bot.tests.test_understanding_patterns import book_through
from clinic.models import Specialty

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_brain")]


def coming(weekday: int, hour: int) -> dt.datetime:
    """The coming `weekday` (0 = Monday) after today, at `hour`: what "el viernes" names."""
    today = dt.datetime.now(TZ).date()
    day = today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def active() -> list[Appointment]:
    return list(Appointment.objects.exclude(status=AppointmentStatus.CANCELLED).order_by("start_at"))


def offered_days(chat: Chat) -> set[dt.date]:
    return {slot.start.astimezone(TZ).date() for slot in chat.state.booking.offered_slots}


def next_monday() -> dt.date:
    today = dt.datetime.now(TZ).date()
    return today + dt.timedelta(days=7 - today.weekday())


def held(*turnos: tuple[str, str, dt.datetime]) -> list[Appointment]:
    """Turnos booked earlier from this phone: (specialty, doctor's surname, start)."""
    patient = Patient.objects.create(full_name="Lucas Ferreyra", document_number="28444777", phone=PHONE)
    return [
        services.book_appointment(
            patient=patient,
            doctor=doctor(surname),
            specialty=Specialty.objects.get(name=name),
            start=start,
            now=dt.datetime.now(TZ),
            booked_by_number=PHONE,
            booked_as_name=patient.full_name,
        )
        for name, surname, start in turnos
    ]


# --- the turno named by the day the patient cannot go ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "mira, el turno del viernes no puedo ir, cancelámelo",
        "el viernes no voy a poder ir, cancelame el turno",
        "la cita del viernes al final no puedo, anúlemela por favor",
    ],
)
def test_the_turno_on_the_day_refused_is_the_one_cancelled(demo_clinic, clock, text):
    dentist, friday = held(("Odontología", "Benítez", coming(2, 9)), ("Clínica médica", "Romero", coming(4, 9)))
    chat = Chat(demo_clinic)
    chat.say(text)
    state = chat.state
    assert state.step == Step.CONFIRM_CANCEL and state.target.appointment_id == friday.pk, chat
    chat.say("sí")
    assert active() == [dentist], chat


def test_a_refused_day_without_a_turno_asks_which(demo_clinic, clock):
    held(("Odontología", "Benítez", coming(2, 9)), ("Clínica médica", "Romero", coming(4, 9)))
    chat = Chat(demo_clinic)
    chat.say("el jueves no puedo ir, cancelame el turno")
    assert chat.state.step == Step.CHOOSE_APPOINTMENT and len(active()) == 2, chat


def test_the_turno_on_the_day_refused_is_the_one_moved(demo_clinic, clock):
    dentist, friday = held(("Odontología", "Benítez", coming(2, 9)), ("Clínica médica", "Romero", coming(4, 9)))
    chat = Chat(demo_clinic)
    chat.say("el turno del viernes no puedo ir, pasamelo al lunes")
    state = chat.state
    assert state.flow == Flow.RESCHEDULE and state.target.appointment_id == friday.pk, chat
    assert offered_days(chat) == {next_monday()}, chat
    chat.say("el primero")
    chat.say("sí")
    assert Appointment.objects.get(pk=friday.pk).status == AppointmentStatus.CANCELLED, chat
    kept, moved = sorted(active(), key=lambda a: a.pk)
    assert kept == dentist and moved.start_at.astimezone(TZ).date() == next_monday(), chat


# --- the turno named by whom it is with, moved ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "moves"),
    [
        ("hola! pasame el de la dermatóloga al lunes porfa", True),
        ("¿me cambia la del doctor Sosa para el jueves?", True),
        ("paseme la de la pediatra para la otra semana", True),
        ("pasame el de la clinica a mi mail", False),
        ("pasame el numero de la dermatologa", False),
        ("me pasa con la de recepción?", False),
    ],
)
def test_a_turno_named_by_whom_it_is_with_is_moved(text, moves):
    assert (nlu.RESCHEDULE in nlu.detect_intents(text)) is moves


def test_pasame_el_de_la_dermatologa_al_lunes_moves_that_one(demo_clinic, clock):
    dentist, skin = held(("Odontología", "Benítez", coming(2, 9)), ("Dermatología", "Castro", coming(3, 10)))
    chat = Chat(demo_clinic)
    chat.say("hola! pasame el de la dermatóloga al lunes porfa")
    state = chat.state
    assert state.flow == Flow.RESCHEDULE and state.target.appointment_id == skin.pk, chat
    assert offered_days(chat) == {next_monday()}, chat
    chat.say("el primero")
    chat.say("sí")
    assert Appointment.objects.get(pk=skin.pk).status == AppointmentStatus.CANCELLED, chat
    kept, moved = sorted(active(), key=lambda a: a.pk)
    assert kept == dentist and moved.specialty.name == "Dermatología", chat
    assert moved.start_at.astimezone(TZ).date() == next_monday(), chat


# --- a day taken back with a filler ---------------------------------------------------------------

NOW = dt.datetime(2026, 12, 7, 9, 0)  # Monday


@pytest.mark.parametrize(
    ("text", "day", "refused"),
    [
        ("uy, el jueves al final no puedo, ¿y el viernes?", 11, (3,)),
        ("el viernes ya no puedo, mejor el lunes", 14, (4,)),
        ("el jueves resulta que no puedo", None, (3,)),
        ("el jueves al final", 10, ()),  # near miss: no refusal said
        ("el miércoles no puedo, el jueves sí", 10, (2,)),
    ],
)
def test_a_day_taken_back_with_a_filler_is_ruled_out(text, day, refused):
    when = nlu.extract_when(text, now=NOW)
    assert (when.date.day if when.date else None, when.avoided_weekdays) == (day, refused)


def test_another_day_after_the_offer_offers_that_day(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("Hola, quería cita con el oftalmólogo el jueves")
    chat.say("uy, el jueves al final no puedo, ¿y el viernes?")
    (day,) = offered_days(chat)
    assert chat.state.step == Step.SLOT and day.weekday() == 4, chat


# --- another person at the document step ------------------------------------------------------------


def test_the_turno_becomes_a_relatives_at_the_document_step(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("hola, quería pedir hora con el traumatólogo para el lunes")
    chat.say("la primera")
    chat.say("Ignacia Fuentes")
    assert chat.state.step == Step.DOCUMENT, chat
    chat.say("ah no, espera, la hora es para mi hermano, Tomás Fuentes")
    booking = chat.state.booking
    assert chat.state.step == Step.DOCUMENT and (booking.for_whom, booking.patient_name) == ("hermano", "Tomás Fuentes")
    chat.say("21444555")
    chat.say("sí")
    (booked,) = active()
    assert (booked.patient.full_name, booked.patient.document_number) == ("Tomás Fuentes", "21444555"), chat


def test_a_relative_mentioned_at_the_document_step_changes_nothing(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("hola, quería pedir hora con el traumatólogo para el lunes")
    book_through(chat, name="Ignacia Fuentes", dni="21444555, el de mi mamá lo tengo que buscar")
    booking = chat.state.booking
    assert (booking.for_whom, booking.patient_name, booking.document_number) == ("", "Ignacia Fuentes", "21444555")


# --- a second surname added at the read-back -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "perdón, falta mi segundo apellido: Kelly Quispe Mamani",
        "falta mi segundo apellido, Mamani",
        "me olvidé de poner mi segundo apellido, es Mamani",
    ],
)
def test_a_missing_surname_at_the_read_back_is_added(demo_clinic, clock, text):
    chat = Chat(demo_clinic)
    chat.say("Buenos días, quisiera separar una cita con el dermatólogo para el miércoles")
    book_through(chat, name="Kelly Quispe", dni="46888222")
    chat.say(text)
    booking = chat.state.booking
    assert chat.state.step == Step.CONFIRM_BOOKING and not Appointment.objects.exists(), chat
    assert (booking.patient_name, booking.document_number) == ("Kelly Quispe Mamani", "46888222"), chat
    chat.say("sí")
    (booked,) = active()
    assert booked.patient.full_name == "Kelly Quispe Mamani", chat


def test_a_missing_surname_not_said_changes_no_name(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("Buenos días, quisiera separar una cita con el dermatólogo para el miércoles")
    book_through(chat, name="Kelly Quispe", dni="46888222")
    chat.say("falta el apellido")
    assert chat.state.booking.patient_name == "Kelly Quispe" and not Appointment.objects.exists(), chat


# --- two relatives counted, and "la siguiente" ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("quiero dos citas con la pediatra para mis dos hijos el lunes", ["hijo", "hijo"]),
        ("dos turnos para mis hijas", ["hija", "hija"]),
        ("para mí y para mis dos nenes", ["", "nene", "nene"]),
        ("un turno para mis hijos", ["hijos"]),  # near miss: no count said
        ("uno para mí y otro para mi hija", ["", "hija"]),
    ],
)
def test_relatives_counted_are_one_turno_each(text, people):
    assert nlu.extract_people(text) == people


def test_two_turnos_for_two_children(demo_clinic, clock):
    chat = Chat(demo_clinic, channel="voice")
    chat.say("buenos dias quiero dos citas con la pediatra para mis dos hijos el lunes en la tarde")
    assert chat.state.booking.for_whom == "hijo" and len(chat.state.queued_bookings) == 1, chat
    book_through(chat, name="Mateo García López", dni="55100000")
    chat.say("si")
    assert chat.state.step == Step.SLOT and chat.state.booking.for_whom == "hijo", chat
    book_through(chat, name="Sofía García López", dni="55200000")
    chat.say("si")
    booked = active()
    assert [a.patient.full_name for a in booked] == ["Mateo García López", "Sofía García López"], chat
    assert all(
        a.start_at.astimezone(TZ).date() == next_monday() and a.start_at.astimezone(TZ).hour >= 13 for a in booked
    )


@pytest.mark.parametrize(
    ("text", "next_one"),
    [("la siguiente", True), ("el siguiente, porfa", True), ("la que sigue", True), ("la siguiente semana", False)],
)
def test_la_siguiente_is_the_next_slot(text, next_one):
    assert nlu.says_next_one(text) is next_one


def test_la_siguiente_for_the_second_person_picks_the_first_on_offer(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("Hola, buenas. Quería pedir cita con el oftalmólogo para mi madre y para mí, el miércoles por la tarde")
    book_through(chat, name="Pilar Gómez Ruiz", dni="05333444C")
    chat.say("sí")
    first_on_offer = chat.state.booking.offered_slots[0]
    chat.say("la siguiente")
    assert chat.state.step == Step.NAME and chat.state.selected_slot.start == first_on_offer.start, chat


# --- blessings and other closings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "goodbye"),
    [
        ("gracias mil, bendiciones", True),
        ("que Dios la bendiga", True),
        ("gracias señorita bendiciones", True),
        ("ah bueno ok gracias bendiciones", True),
        ("la primera, gracias, bendiciones", False),
        ("Maria Perez, bendiciones", False),
        ("Buenas tardes, bendiciones", False),
        ("wepa, gracias por la ayuda, bendiciones", False),
    ],
)
def test_a_blessing_takes_leave_only_with_nothing_else_said(text, goodbye):
    assert nlu.is_goodbye(text) is goodbye


@pytest.mark.parametrize(
    ("text", "closing"),
    [
        ("muchas gracias que dios le pague", True),
        ("Mil gracias, que Dios se lo pague", True),
        ("mil gracias mi reina", True),
        ("sí señorita", False),
        ("gracias, mañana le pago la consulta", False),
        ("que Dios le pague, y otra cosa", False),
    ],
)
def test_closings_in_other_words(text, closing):
    assert nlu.is_closing(text) is closing


def test_que_dios_le_pague_after_a_cancellation_ends_the_conversation(demo_clinic, clock):
    held(("Clínica médica", "Romero", coming(4, 9)))
    chat = Chat(demo_clinic)
    chat.say("necesito cancelar la cita del viernes")
    chat.say("Sí, por favor")
    assert chat.state.step == Step.ANYTHING_ELSE and not active(), chat
    chat.say("Mil gracias, que Dios le pague")
    assert chat.conversation.status == ConversationStatus.ENDED, chat


def test_a_blessing_with_the_pick_goes_on_with_the_booking(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("quiero una cita con el dermatologo el miercoles")
    chat.say("la primera, gracias, bendiciones")
    assert chat.state.step == Step.NAME and chat.conversation.status != ConversationStatus.ENDED, chat
