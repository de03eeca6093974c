"""The assistant puts a patient on the waitlist when nothing offered suits or nothing is
free, with both brains; identity holds (a known DNI grants nothing), and caps hold."""

import datetime as dt

import pytest
import time_machine

from appointments.models import Appointment, Patient
from appointments.selectors import find_available_slots
from bot import engine
from bot.models import Conversation, ConversationOutcome
from bot.state import ConversationState, Flow, Step
from bot.tests import fake_openai as fake
from bot.tests.conftest import CLINIC_TZ as TZ
from clinic.models import Closure, Doctor, Specialty
from identity.selectors import manageable_appointments
from reminders.models import WaitlistEntry, WaitlistStatus
from reminders.sending import template_variables
from reminders.services import WAITLIST_ENTRIES_PER_NUMBER, accept_offer, offer_freed_slot

PHONE = "+5491155554321"
SATURDAY = dt.datetime(2026, 12, 5, 10, 0, tzinfo=TZ)


@pytest.fixture(params=["tuesday", "saturday"])
def clock(request):
    when = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ) if request.param == "tuesday" else SATURDAY
    with time_machine.travel(when, tick=False):
        yield


def chat(clinic, phone=PHONE) -> Conversation:
    return Conversation.objects.create(
        clinic=clinic, channel="whatsapp", participant=phone, state=ConversationState(notice_given=True).dump()
    )


def say(conversation: Conversation, text: str) -> str:
    answer = engine.reply(conversation, text).text
    conversation.refresh_from_db()
    return answer


@pytest.mark.usefixtures("offline_brain", "clock")
def test_none_of_the_offered_slots_suits_so_the_patient_waits(demo_clinic):
    conversation = chat(demo_clinic)
    say(conversation, "Quiero un turno de cardiología a la tarde")
    say(conversation, "ninguno me sirve")
    assert conversation.load_state().step == Step.OFFER_WAITLIST

    say(conversation, "sí, anóteme")
    assert conversation.load_state().step == Step.WAITLIST_PATIENT
    answer = say(conversation, "Ana Gómez, DNI 31.222.333")

    entry = WaitlistEntry.objects.get()
    assert (entry.specialty.name, entry.phone, entry.part_of_day, entry.status) == (
        "Cardiología",
        PHONE,
        "afternoon",
        WaitlistStatus.WAITING,
    )
    assert entry.patient.document_number == "31222333" and entry.requested_as_name == "Ana Gómez"
    assert "Ana Gómez" in answer and "lista de espera" in answer
    assert conversation.outcome == ConversationOutcome.WAITLISTED
    state = conversation.load_state()
    assert state.step == Step.ANYTHING_ELSE and state.flow == Flow.NONE
    assert not Appointment.objects.exists()


@pytest.mark.usefixtures("offline_brain", "clock")
def test_nothing_free_for_two_weeks_offers_the_waitlist_not_a_dead_end(demo_clinic):
    today = dt.datetime.now(TZ).date()
    Closure.objects.create(clinic=demo_clinic, start_date=today, end_date=today + dt.timedelta(days=30))
    conversation = chat(demo_clinic)

    say(conversation, "Necesito turno con pediatría")
    assert conversation.load_state().step == Step.OFFER_WAITLIST
    say(conversation, "dale")
    say(conversation, "Lucas Martínez")
    say(conversation, "45111222")

    entry = WaitlistEntry.objects.get()
    assert entry.specialty.name == "Pediatría" and entry.patient.full_name == "Lucas Martínez"


@pytest.mark.usefixtures("offline_brain", "clock")
def test_the_doctor_asked_for_is_the_waitlists_wish(demo_clinic):
    conversation = chat(demo_clinic)
    say(conversation, "Quiero un turno con la Dra. Fernández")
    say(conversation, "ninguno me sirve")
    say(conversation, "sí")
    say(conversation, "Ana Gómez 31222333")

    entry = WaitlistEntry.objects.get()
    assert (entry.specialty.name, entry.doctor.last_name) == ("Cardiología", "Fernández")


@pytest.mark.usefixtures("offline_brain", "clock")
def test_declining_the_waitlist_writes_nothing(demo_clinic):
    conversation = chat(demo_clinic)
    say(conversation, "Quiero un turno de dermatología")
    say(conversation, "ninguno")
    say(conversation, "no, gracias")

    assert not WaitlistEntry.objects.exists()
    assert conversation.load_state().step == Step.ANYTHING_ELSE


@pytest.mark.usefixtures("offline_brain", "clock")
def test_a_known_dni_from_another_number_grants_nothing(demo_clinic):
    """A caller who knows a patient's DNI may put them on the list (a mother for her son),
    but never learns the stored name, and the record keeps its own number."""
    patient = Patient.objects.create(full_name="Rodrigo Sosa", document_number="28111222", phone="+5491144440000")
    conversation = chat(demo_clinic)
    say(conversation, "lista de espera para cardiología")
    answer = say(conversation, "Pedro Pérez 28111222")

    entry = WaitlistEntry.objects.get()
    assert entry.patient == patient and entry.phone == PHONE
    assert "Rodrigo" not in answer and "Sosa" not in answer
    patient.refresh_from_db()
    assert (patient.phone, patient.whatsapp_id, patient.full_name) == ("+5491144440000", "", "Rodrigo Sosa")

    # The offer greets by the typed name; the turno it books is the caller's to manage, and
    # none of the patient's other turnos are.
    fernandez, cardiology = Doctor.objects.get(last_name="Fernández"), Specialty.objects.get(name="Cardiología")
    now = dt.datetime.now(TZ)
    start = find_available_slots(specialty=cardiology, doctor=fernandez, now=now)[0].start
    [offer] = offer_freed_slot(doctor=fernandez, specialty=cardiology, start=start)
    _sid, variables, body = template_variables(offer.messages.get())
    assert variables["1"] == "Pedro" and "Rodrigo" not in body
    booked = accept_offer(offer=offer).appointment
    assert booked is not None and booked.booked_by_number == PHONE
    assert list(manageable_appointments(number=PHONE, now=now)) == [booked]


@pytest.mark.usefixtures("offline_brain", "clock")
def test_one_number_cannot_fill_the_waitlist_with_dnis(demo_clinic):
    conversation = chat(demo_clinic)
    family = ["Ana Gómez", "Lucas Gómez", "Sofía Gómez", "Mateo Gómez", "Julia Gómez"]
    assert len(family) > WAITLIST_ENTRIES_PER_NUMBER
    for n, name in enumerate(family):
        say(conversation, "anóteme en la lista de espera de cardiología")
        answer = say(conversation, f"{name} {30000000 + n}")

    assert WaitlistEntry.objects.filter(phone=PHONE).count() == WAITLIST_ENTRIES_PER_NUMBER
    assert "recepción" in answer.lower()


@pytest.fixture
def model(scripted_model):
    return scripted_model


JOIN = {"specialty": "cardiología", "full_name": "Ana Gómez", "document_number": "31222333"}


@pytest.mark.usefixtures("clock")
def test_the_model_joins_the_waitlist_when_nothing_is_free(demo_clinic, model):
    today = dt.datetime.now(TZ).date()
    Closure.objects.create(clinic=demo_clinic, start_date=today, end_date=today + dt.timedelta(days=30))
    model.script(
        fake.tool_calls(fake.call("find_available_slots", {"specialty": "cardiología"})),
        fake.tool_calls(fake.call("join_waitlist", JOIN)),
        fake.text("No hay turnos; la anoté en la lista de espera."),
    )
    conversation = chat(demo_clinic)

    engine.reply(conversation, "Turno de cardiología; si no hay, anóteme en lista de espera: Ana Gómez 31222333")

    entry = WaitlistEntry.objects.get()
    assert entry.requested_as_name == "Ana Gómez" and entry.source == "asistente" and entry.phone == PHONE
    conversation.refresh_from_db()
    assert conversation.outcome == ConversationOutcome.WAITLISTED


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("find_first", [False, True], ids=["before any search", "while slots are on offer"])
def test_a_model_asking_for_the_waitlist_out_of_step_is_refused(demo_clinic, model, find_first):
    script = [fake.tool_calls(fake.call("find_available_slots", {"specialty": "cardiología"}))] if find_first else []
    model.script(*script, fake.tool_calls(fake.call("join_waitlist", JOIN)), fake.text("Le ofrezco estos horarios."))
    conversation = chat(demo_clinic)

    engine.reply(conversation, "turno de cardiología")

    assert not WaitlistEntry.objects.exists()
    refused = fake.tool_results(model.requests[-1])[-1]
    assert refused["ok"] is False and refused["code"] == "not_allowed_now"
    offered_tools = {tool["function"]["name"] for tool in model.requests[-1]["tools"]}
    assert "join_waitlist" not in offered_tools
