"""Two different tasks in one message (bench/data/dev_dialogues_twotasks.txt): a cancellation
and a new turno of another specialty are done in order, each on its own yes; "cancelá el de
pediatría y dame otro" moves the turno. Through the engine with the offline brain on the demo
clinic, asserted on the typed state and the database, the clock frozen on a weekday (Tuesday
1 December 2026, 9:00) or on a weekend (Saturday 5 December, 19:30)."""

import datetime as dt

import pytest

from appointments import services
from appointments.models import Appointment, AppointmentStatus, Patient
from bot.state import Flow, Step
from bot.tests.conftest import CLINIC_TZ as TZ
from bot.tests.test_rules_brain import PHONE, Chat
from bot.tests.test_understanding_patterns import book_through
from clinic.models import Doctor, Specialty

pytestmark = pytest.mark.usefixtures("offline_brain")


def turno(*, specialty: str, doctor: str, start: dt.datetime) -> Appointment:
    patient = Patient.objects.create(full_name="Silvia Romano", document_number="23444555", phone=PHONE)
    return services.book_appointment(
        patient=patient,
        doctor=Doctor.objects.get(last_name=doctor),
        specialty=Specialty.objects.get(name=specialty),
        start=start,
        now=dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ),
        booked_by_number=PHONE,
        booked_as_name="Silvia Romano",
    )


def test_cancel_then_book_another_specialty_each_on_its_yes(demo_clinic, tuesday):
    old = turno(specialty="Odontología", doctor="Benítez", start=dt.datetime(2026, 12, 3, 10, 0, tzinfo=TZ))
    chat = Chat(demo_clinic)
    chat.say("quiero cancelar el turno del jueves y sacar uno con el dermatólogo para el viernes")
    state = chat.state
    assert state.step == Step.CONFIRM_CANCEL and state.target.appointment_id == old.pk, chat
    [queued] = state.queued_bookings
    assert queued.specialty_id == Specialty.objects.get(name="Dermatología").pk
    assert queued.requested_date == dt.date(2026, 12, 4)
    assert Appointment.objects.get(pk=old.pk).status != AppointmentStatus.CANCELLED  # only after the yes

    chat.say("si")
    state = chat.state
    assert Appointment.objects.get(pk=old.pk).status == AppointmentStatus.CANCELLED
    assert state.flow == Flow.BOOK and state.step == Step.SLOT and not state.queued_bookings, chat
    # No Dermatología on that Friday: the next days with slots, none before it.
    offered = [slot.start.astimezone(TZ).date() for slot in state.booking.offered_slots]
    assert offered and min(offered) >= dt.date(2026, 12, 4)
    chat.say("el primero")
    chat.say("Silvia Romano")
    chat.say("23444555")
    assert chat.state.step == Step.CONFIRM_BOOKING, chat
    assert not Appointment.objects.filter(specialty__name="Dermatología").exists()  # only after the yes
    chat.say("si")
    [new] = Appointment.objects.filter(specialty__name="Dermatología")
    assert new.start_at.astimezone(TZ).date() == offered[0] and new.status != AppointmentStatus.CANCELLED


def test_a_kept_turno_still_goes_on_to_the_new_one(demo_clinic, saturday_evening):
    old = turno(specialty="Odontología", doctor="Benítez", start=dt.datetime(2026, 12, 8, 10, 0, tzinfo=TZ))
    chat = Chat(demo_clinic)
    chat.say("necesito anular la hora del martes y pedir una con traumatologia para el lunes")
    chat.say("no, mejor no")
    state = chat.state
    assert Appointment.objects.get(pk=old.pk).status != AppointmentStatus.CANCELLED
    assert state.flow == Flow.BOOK and state.booking.specialty_id == Specialty.objects.get(name="Traumatología").pk
    assert {slot.start.astimezone(TZ).date() for slot in state.booking.offered_slots} == {dt.date(2026, 12, 7)}, chat


def test_cancel_it_and_give_me_another_moves_the_turno(demo_clinic, tuesday):
    old = turno(specialty="Pediatría", doctor="Herrera", start=dt.datetime(2026, 12, 3, 9, 0, tzinfo=TZ))
    chat = Chat(demo_clinic)
    chat.say("cancelá el de pediatría y dame otro para el viernes")
    state = chat.state
    assert state.flow == Flow.RESCHEDULE and state.target.appointment_id == old.pk and not state.queued_bookings, chat
    assert {slot.start.astimezone(TZ).date() for slot in state.booking.offered_slots} == {dt.date(2026, 12, 4)}
    chat.say("el primero")
    chat.say("si")
    moved = Appointment.objects.get(rescheduled_from=old)
    assert moved.start_at.astimezone(TZ).date() == dt.date(2026, 12, 4), chat
    assert Appointment.objects.get(pk=old.pk).status != AppointmentStatus.CONFIRMED


@pytest.mark.parametrize("words", ["perdona, ¿me la puedes cambiar al jueves?", "¿me lo puedes pasar para el jueves?"])
def test_moving_the_turno_just_booked_with_puedes(demo_clinic, tuesday, words):
    chat = Chat(demo_clinic)
    chat.say("quiero cita con el ginecologo el lunes")
    book_through(chat, name="Lucía Fernández", dni="48123456")
    chat.say("si")
    [first] = Appointment.objects.all()
    chat.say(words)
    assert chat.state.flow == Flow.RESCHEDULE, chat
    chat.say("la primera")
    chat.say("si")
    first.refresh_from_db()
    [moved] = Appointment.objects.exclude(pk=first.pk)
    assert first.status == AppointmentStatus.CANCELLED, chat
    assert moved.start_at.astimezone(TZ).date() == dt.date(2026, 12, 3) and moved.patient == first.patient
