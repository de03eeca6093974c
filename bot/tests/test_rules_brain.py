"""The offline brain holding the design's conversations end to end: through the engine, on
the demo clinic, with the clock frozen, checking the database afterwards."""

import datetime as dt

import pytest

from appointments.models import Appointment, AppointmentStatus, Patient
from bot.brains.rules import RulesBrain
from bot.engine import reply
from bot.models import Conversation, ConversationOutcome, ConversationStatus, MessageRole
from bot.state import ConversationState, Flow, Step
from bot.tests.conftest import CLINIC_TZ as TZ
from bot.tests.conftest import TUESDAY_9AM
from bot.types import ToolContext
from clinic.models import Doctor, Specialty

PHONE = "+5491155551234"


pytestmark = pytest.mark.usefixtures("offline_brain")


class Chat:
    """A patient talking to the engine, keeping the transcript for failure messages."""

    def __init__(self, clinic, *, channel="whatsapp", phone=PHONE):
        self.conversation = Conversation.objects.create(
            clinic=clinic, channel=channel, participant=phone, state=ConversationState(notice_given=True).dump()
        )
        self.transcript: list[str] = []
        self.last = None

    def say(self, text: str) -> str:
        self.last = reply(self.conversation, text)
        self.transcript += [f"Paciente: {text}", f"Bot ({self.last.brain}): {self.last.text}"]
        self.conversation.refresh_from_db()
        return self.last.text

    @property
    def state(self) -> ConversationState:
        return self.conversation.load_state()

    def __str__(self):
        return "\n".join(self.transcript)


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(TZ)


def doctor(last_name: str) -> Doctor:
    return Doctor.objects.get(last_name=last_name)


# --- the six conversations of the design -------------------------------------------------


def test_booking_cardiology_as_in_the_design(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    offer = chat.say("Quiero sacar un turno para cardiología")
    assert "Cardiología" in offer and "¿Cuál prefiere?" in offer, chat
    assert chat.state.step == Step.SLOT and chat.state.flow == Flow.BOOK and chat.state.booking.offered_slots, chat
    assert "Perfecto" in chat.say("El miércoles a las 10") and "nombre completo" in chat.last.text, chat
    assert "miércoles 2 de diciembre a las 10:00" in chat.last.text, chat
    assert chat.say("Juan Pérez") == "¿Y su número de documento?", chat
    confirm = chat.say("12345678")
    assert confirm.startswith("¿Confirma el turno de Cardiología"), chat
    assert Appointment.objects.count() == 0, "nothing is booked before the patient confirms"
    done = chat.say("Sí")
    assert done.startswith("Excelente, su turno está confirmado"), chat
    assert "miércoles 2 de diciembre a las 10:00" in done and "Dr. Martín Gutiérrez" in done, chat
    assert demo_clinic.address in done, chat

    appointment = Appointment.objects.get()
    assert appointment.specialty.name == "Cardiología"
    assert appointment.doctor == doctor("Gutiérrez")
    assert local(appointment.start_at) == dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
    assert appointment.patient.full_name == "Juan Pérez"
    assert appointment.patient.document_number == "12345678"
    assert appointment.patient.phone == PHONE
    assert appointment.conversation == chat.conversation
    assert appointment.status == AppointmentStatus.BOOKED
    assert chat.conversation.outcome == ConversationOutcome.BOOKED
    assert all(m.brain in ("rules", "") for m in chat.conversation.messages.filter(role=MessageRole.ASSISTANT))


def test_coverage_question_osde(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    answer = chat.say("¿Trabajan con OSDE?")
    assert answer.startswith("Sí, trabajamos con OSDE"), chat
    for name in ("Swiss Medical", "Galeno", "PAMI", "IOMA"):
        assert name in answer, chat
    assert "particular" in answer, chat
    assert Appointment.objects.count() == 0
    assert chat.conversation.outcome == ConversationOutcome.INFORMED


def test_specialties_question(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    answer = chat.say("¿Qué especialidades tienen?")
    for name in Specialty.objects.filter(clinic=demo_clinic).values_list("name", flat=True):
        assert name in answer, chat
    assert Appointment.objects.count() == 0


def test_opening_hours_question(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    answer = chat.say("¿A qué hora abren?")
    assert "Lunes a viernes: 08:00 a 20:00" in answer and "Sábado: 08:00 a 13:00" in answer, chat
    assert Appointment.objects.count() == 0


def test_help_and_restart_on_whatsapp(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("Quiero un turno para dermatología")
    assert chat.state.step == Step.SLOT
    assert "turno" in chat.say("/ayuda"), chat
    assert "empecemos de nuevo" in chat.say("/reiniciar"), chat
    assert chat.state == ConversationState(notice_given=True)  # the notice is not repeated
    # After the restart the brain starts clean: a bare day has no specialty to go with.
    answer = chat.say("el jueves a las 10")
    assert "especialidad" in answer, chat
    assert Appointment.objects.count() == 0


@pytest.mark.parametrize("goodbye", ["Gracias, nada más", "Adiós"])
def test_goodbye_on_a_call_ends_with_a_summary(demo_clinic, tuesday, goodbye):
    chat = Chat(demo_clinic, channel="phone")
    chat.say("¿Dónde quedan?")
    answer = chat.say(goodbye)
    assert chat.last.end_conversation, chat
    assert "Gracias por comunicarse" in answer, chat
    chat.conversation.refresh_from_db()
    assert chat.conversation.status == ConversationStatus.ENDED
    assert chat.conversation.summary
    assert Appointment.objects.count() == 0


# --- more of what patients do ----------------------------------------------------------


def book_for(phone: str, *, last_name: str, specialty: str, start: dt.datetime, name="Ana Gómez", dni="30111222"):
    """A turno the patient booked from `phone` (their registered number)."""
    from appointments.models import Patient
    from appointments.services import book_appointment

    patient, _ = Patient.objects.get_or_create(document_number=dni, defaults={"full_name": name, "phone": phone})
    return book_appointment(
        patient=patient,
        doctor=doctor(last_name),
        specialty=Specialty.objects.get(name=specialty),
        start=start,
        booked_by_number=phone,
        booked_as_name=name,
    )


def test_booking_started_on_saturday_evening_goes_to_monday(demo_clinic, saturday_evening):
    chat = Chat(demo_clinic, channel="phone")
    offer = chat.say("buenas noches quiero un turno para pediatria")
    assert "lunes 7 de diciembre" in offer and "domingo" not in offer, chat
    answer = chat.say("mañana a las diez")
    assert answer.startswith("Mañana domingo 6 de diciembre a las 10:00 no tengo turno libre"), chat
    assert "lunes 7 de diciembre" in answer, chat
    chat.say("el primero")
    chat.say("juan perez")
    chat.say("uno dos tres cuatro cinco seis siete ocho")
    assert chat.say("si").startswith("Excelente"), chat
    appointment = Appointment.objects.get()
    assert appointment.specialty.name == "Pediatría"
    assert appointment.doctor == doctor("Herrera")
    assert local(appointment.start_at) == dt.datetime(2026, 12, 7, 8, 0, tzinfo=TZ)
    assert appointment.patient.full_name == "Juan Perez" and appointment.patient.document_number == "12345678"
    assert appointment.channel == "phone"


def test_speech_style_booking_on_a_call(demo_clinic, tuesday):
    chat = Chat(demo_clinic, channel="phone")
    chat.say("quiero sacar un turno para cardiologia")
    assert "nombre completo" in chat.say("el miercoles a las diez"), chat
    chat.say("me llamo juan perez")
    chat.say("doce millones trescientos cuarenta y cinco mil seiscientos setenta y ocho")
    assert chat.say("si confirmo").startswith("Excelente"), chat
    appointment = Appointment.objects.get()
    assert local(appointment.start_at) == dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
    assert appointment.patient.document_number == "12345678"


def test_taken_time_offers_the_nearest_real_slots(demo_clinic, tuesday):
    book_for(
        "+5491100000000",
        last_name="Gutiérrez",
        specialty="Cardiología",
        start=dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ),
    )
    chat = Chat(demo_clinic)
    answer = chat.say("necesito turno con el cardiologo el miercoles a las 10")
    assert "a las 10:00 no tengo turno libre de Cardiología" in answer, chat
    assert "9:30" in answer and "10:30" in answer, chat
    assert "nombre completo" in chat.say("el de las 10 y media"), chat
    chat.say("Lucía Fernández")
    chat.say("DNI 40.123.456")
    chat.say("dale")
    mine = Appointment.objects.get(patient__document_number="40123456")
    assert local(mine.start_at) == dt.datetime(2026, 12, 2, 10, 30, tzinfo=TZ)
    assert mine.doctor == doctor("Gutiérrez")
    assert Appointment.objects.count() == 2


def test_slot_taken_while_confirming(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("quiero un turno de dermatologia el jueves a las 9")
    chat.say("Juan Pérez")
    chat.say("12345678")
    book_for(
        "+5491100000000", last_name="Castro", specialty="Dermatología", start=dt.datetime(2026, 12, 3, 9, 0, tzinfo=TZ)
    )
    answer = chat.say("sí")
    assert "acaba de ser reservado" in answer and "¿Cuál prefiere?" in answer, chat
    assert not Appointment.objects.filter(patient__document_number="12345678").exists()
    chat.say("el primero")
    assert chat.say("si").startswith("Excelente"), chat
    assert Appointment.objects.filter(patient__document_number="12345678").count() == 1


def test_unknown_specialty_gets_a_clear_no_not_the_greeting(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    answer = chat.say("tienen kine?")
    # The clinic's lexicon (MissingService) says what to suggest instead, and why.
    assert answer.startswith("No tenemos Kinesiología; para una lesión"), chat
    assert "Traumatología" in answer and "Clínica San Rafael" not in answer, chat
    assert chat.state.step == Step.OFFER_BOOKING
    assert chat.state.booking.specialty_id == Specialty.objects.get(name="Traumatología").pk
    offer = chat.say("bueno, traumatologia entonces")
    assert "Para Traumatología tengo" in offer, chat
    assert Appointment.objects.count() == 0


def test_unknown_coverage_gets_the_accepted_list(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    answer = chat.say("aceptan fonasa?")
    assert answer.startswith("No, no trabajamos con Fonasa. Aceptamos") and "OSDE" in answer, chat
    assert chat.say("y swiss?").startswith("Sí, trabajamos con Swiss Medical"), chat


def test_several_requests_in_one_message(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    answer = chat.say("Hola, ¿trabajan con OSDE? Quiero un turno para cardiología el miércoles a las 10")
    assert answer.startswith("Sí, trabajamos con OSDE"), chat
    assert "Perfecto, mañana miércoles 2 de diciembre a las 10:00" in answer, chat
    assert chat.state.step == Step.NAME


def test_questions_in_the_middle_of_a_booking_keep_the_booking(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("quiero un turno para odontologia")
    answer = chat.say("donde quedan?")
    assert demo_clinic.address in answer and "horario" in answer, chat
    assert chat.state.step == Step.SLOT
    chat.say("el segundo")
    chat.say("Marta Díaz")
    chat.say("27888999")
    chat.say("sí")
    assert Appointment.objects.get().specialty.name == "Odontología"


def test_my_appointments_and_reschedule(demo_clinic, tuesday):
    old = book_for(
        PHONE, last_name="Gutiérrez", specialty="Cardiología", start=dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
    )
    chat = Chat(demo_clinic)
    listing = chat.say("qué turnos tengo?")
    assert "Cardiología con el Dr. Martín Gutiérrez mañana miércoles 2 de diciembre a las 10:00" in listing, chat
    ask = chat.say("quiero cambiarlo")
    assert "¿Para qué día y horario lo quiere pasar?" in ask, chat
    confirm = chat.say("el jueves a las 14")
    assert confirm.startswith("¿Confirma que paso su turno de Cardiología"), chat
    assert "jueves 3 de diciembre a las 14:00 con la Dra. Laura Fernández" in confirm, chat
    assert chat.say("sí").startswith("Listo, su turno quedó para"), chat
    old.refresh_from_db()
    assert old.status == AppointmentStatus.CANCELLED
    new = Appointment.objects.exclude(pk=old.pk).get()
    assert local(new.start_at) == dt.datetime(2026, 12, 3, 14, 0, tzinfo=TZ)
    assert new.doctor == doctor("Fernández") and new.patient == old.patient
    assert chat.conversation.outcome == ConversationOutcome.RESCHEDULED


def test_reschedule_in_one_sentence(demo_clinic, tuesday):
    book_for(PHONE, last_name="Gutiérrez", specialty="Cardiología", start=dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ))
    chat = Chat(demo_clinic)
    confirm = chat.say("necesito pasar mi turno del miercoles para el lunes a las 9")
    assert "para el lunes 7 de diciembre a las 9:00 con el Dr. Martín Gutiérrez" in confirm, chat
    chat.say("dale")
    booked = Appointment.objects.get(status=AppointmentStatus.BOOKED)
    assert local(booked.start_at) == dt.datetime(2026, 12, 7, 9, 0, tzinfo=TZ)


def test_cancel_chooses_among_several(demo_clinic, tuesday):
    cardio = book_for(
        PHONE, last_name="Gutiérrez", specialty="Cardiología", start=dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
    )
    derma = book_for(
        PHONE, last_name="Castro", specialty="Dermatología", start=dt.datetime(2026, 12, 3, 9, 0, tzinfo=TZ)
    )
    chat = Chat(demo_clinic)
    question = chat.say("quiero cancelar un turno")
    assert "¿Cuál quiere cancelar?" in question and "Dermatología" in question, chat
    assert chat.say("el de dermatologia").startswith("¿Confirma que cancelo su turno de Dermatología"), chat
    assert Appointment.objects.filter(status=AppointmentStatus.CANCELLED).count() == 0
    assert chat.say("si").startswith("Listo, cancelé su turno de Dermatología"), chat
    derma.refresh_from_db()
    cardio.refresh_from_db()
    assert derma.status == AppointmentStatus.CANCELLED
    assert cardio.status == AppointmentStatus.BOOKED


def test_cancel_not_confirmed_keeps_the_turno(demo_clinic, tuesday):
    cardio = book_for(
        PHONE, last_name="Gutiérrez", specialty="Cardiología", start=dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
    )
    chat = Chat(demo_clinic)
    chat.say("cancelá mi turno")
    assert "sigue en pie" in chat.say("no, mejor no"), chat
    cardio.refresh_from_db()
    assert cardio.status == AppointmentStatus.BOOKED


def test_cannot_cancel_someone_elses_turno(demo_clinic, tuesday):
    theirs = book_for(
        "+5491166667777",
        last_name="Gutiérrez",
        specialty="Cardiología",
        start=dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ),
        name="Ana Gómez",
        dni="30111222",
    )
    chat = Chat(demo_clinic)
    assert "No encuentro turnos próximos para este número" in chat.say("quiero cancelar mi turno"), chat
    refused = chat.say("Pedro Gómez 30111222")
    assert "Ana" not in refused and "Cardiología" not in refused, chat
    chat.say("si")  # accepts the transfer offer; nothing is cancelled either way
    theirs.refresh_from_db()
    assert theirs.status == AppointmentStatus.BOOKED


def test_own_turno_from_another_phone_needs_the_code_sent_to_the_registered_one(
    demo_clinic, tuesday, fake_twilio, django_capture_on_commit_callbacks
):
    mine = book_for(
        "+5491166667777",
        last_name="Gutiérrez",
        specialty="Cardiología",
        start=dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ),
        name="Ana Gómez",
        dni="30111222",
    )
    chat = Chat(demo_clinic)
    chat.say("cancelar mi cita")
    with django_capture_on_commit_callbacks(execute=True):  # the code is sent once the request is committed
        asked = chat.say("Ana Gómez, DNI 30.111.222")
    assert chat.state.step == Step.CODE and "código" in asked, chat
    code = fake_twilio.verify.last_code("+5491166667777")
    assert chat.say(code).startswith("Gracias, verifiqué sus datos. ¿Confirma que cancelo su turno de Cardiología"), (
        chat
    )
    chat.say("sí")
    mine.refresh_from_db()
    assert mine.status == AppointmentStatus.CANCELLED


def test_transfer_to_a_person(demo_clinic, tuesday):
    chat = Chat(demo_clinic, channel="phone")
    chat.say("quiero un turno para pediatria")
    chat.say("pasame con una persona")
    assert chat.last.transfer_to_human, chat
    assert chat.conversation.outcome == ConversationOutcome.TRANSFERRED
    assert Appointment.objects.count() == 0


def test_emergency_before_anything_else(demo_clinic, tuesday):
    chat = Chat(demo_clinic, channel="phone")
    chat.say("quiero un turno para cardiologia")
    answer = chat.say("me duele mucho el pecho")
    assert "107" in answer, chat
    assert Appointment.objects.count() == 0


def test_goodbye_in_the_middle_books_nothing(demo_clinic, tuesday):
    chat = Chat(demo_clinic, channel="phone")
    chat.say("quiero un turno para cardiologia")
    chat.say("el primero")
    chat.say("chau, gracias")
    assert chat.last.end_conversation, chat
    assert Appointment.objects.count() == 0


def test_fallback_says_what_it_can_do(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    answer = chat.say("asdf qwerty")
    assert answer.startswith("Disculpe, no le entendí. Puedo darle un turno"), chat
    chat.say("quiero un turno para cardiologia")
    assert chat.say("zzz").startswith("Disculpe, no le entendí. Tengo"), chat
    assert chat.state.step == Step.SLOT


def test_continues_a_conversation_the_openai_brain_started(demo_clinic, tuesday):
    """The OpenAI brain offered slots through the tools and then failed: the offline brain
    reads the same state and the patient does not start over."""
    from bot.tools import execute_tool

    chat = Chat(demo_clinic)
    context = ToolContext(
        conversation=chat.conversation, clinic=demo_clinic, now=TUESDAY_9AM, state=chat.conversation.load_state()
    )
    result = execute_tool(
        name="find_available_slots", arguments={"specialty": "Oftalmología", "date": "2026-12-07"}, context=context
    )
    assert result["ok"] and context.state.booking.offered_slots
    chat.conversation.store_state(context.state)
    chat.conversation.save()
    second = context.state.booking.offered_slots[1]

    assert "nombre completo" in chat.say("el segundo"), chat
    chat.say("Rosa Acosta")
    chat.say("18777666")
    chat.say("sí")
    appointment = Appointment.objects.get()
    assert appointment.specialty.name == "Oftalmología"
    assert appointment.doctor_id == second.doctor_id
    assert appointment.start_at == second.start


def test_state_is_stored_as_versioned_json_and_read_back_typed(demo_clinic, tuesday):
    import json

    chat = Chat(demo_clinic)
    chat.say("quiero un turno para cardiologia el miercoles a las 10")
    stored = json.loads(json.dumps(chat.conversation.state))
    assert stored["version"] == 2
    state = ConversationState.load(stored)
    assert state.flow == Flow.BOOK and state.step == Step.NAME
    assert state.booking.specialty_id == Specialty.objects.get(name="Cardiología").pk
    assert state.booking.doctor_id == doctor("Gutiérrez").pk
    assert state.booking.requested_date == dt.date(2026, 12, 2) and state.booking.requested_time == dt.time(10, 0)
    assert state.selected_slot is not None and state.selected_slot.start == dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)


def test_brain_directly_without_the_engine(demo_clinic, tuesday):
    conversation = Conversation.objects.create(clinic=demo_clinic, channel="chat", participant=PHONE)
    context = ToolContext(conversation=conversation, clinic=demo_clinic, now=TUESDAY_9AM)
    answer = RulesBrain().respond(text="que especialidades tienen?", context=context)
    assert answer.brain == "rules" and "Cardiología" in answer.text
    assert not answer.end_conversation and not answer.transfer_to_human


def test_patient_data_stays_with_the_patient(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("quiero un turno para cardiologia el miercoles a las 10")
    chat.say("Juan Pérez")
    chat.say("12345678")
    chat.say("sí")
    # A second turno in the same conversation does not ask the name again.
    chat.say("y otro para dermatologia el jueves a las 9")
    assert chat.last.text.startswith("Perfecto"), chat
    assert "a nombre de Juan Pérez" in chat.last.text, chat
    chat.say("sí")
    assert Patient.objects.count() == 1 and Appointment.objects.count() == 2


def test_day_before_specialty_is_remembered(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    assert "especialidad" in chat.say("Quiero turno"), chat
    assert "especialidad" in chat.say("para el jueves a la tarde"), chat
    offer = chat.say("cardiología")
    assert "Para Cardiología a la tarde tengo el jueves 3 de diciembre" in offer, chat


def test_own_name_and_dni_from_a_verified_number_lists_the_turnos(demo_clinic, tuesday):
    """A verified number that gives its patient's name and DNI in the request needs no code
    (and the DNI in those same words does not start the identity step over and over)."""
    from identity.models import VerifiedNumber

    mine = book_for(
        PHONE, last_name="Gutiérrez", specialty="Cardiología", start=dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
    )
    VerifiedNumber.objects.create(number=PHONE, patient=mine.patient)
    chat = Chat(demo_clinic)
    listing = chat.say("quiero ver mis turnos, soy Ana Gómez DNI 30111222")
    assert chat.last.brain == "rules", chat
    assert "Cardiología" in listing, chat
    assert chat.state.step == Step.ANYTHING_ELSE and chat.state.patient.code_verification_id is None, chat
