"""The offline brain holding the design's conversations end to end: through the engine, on
the demo clinic, with the clock frozen, checking the database afterwards."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from appointments.models import Appointment, AppointmentStatus, Patient
from bot.brains.rules import RulesBrain
from bot.engine import reply
from bot.models import Conversation, ConversationOutcome, ConversationStatus, MessageRole
from bot.types import ToolContext
from clinic.models import Doctor, Specialty

TZ = zoneinfo.ZoneInfo("America/Argentina/Buenos_Aires")
TUESDAY_9AM = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
SATURDAY_EVENING = dt.datetime(2026, 12, 5, 19, 30, tzinfo=TZ)
PHONE = "+5491155551234"


@pytest.fixture(autouse=True)
def offline(settings):
    settings.BOT_BRAIN = "rules"
    settings.OPENAI_API_KEY = ""


@pytest.fixture
def tuesday():
    with time_machine.travel(TUESDAY_9AM, tick=False):
        yield


@pytest.fixture
def saturday_evening():
    with time_machine.travel(SATURDAY_EVENING, tick=False):
        yield


class Chat:
    """A patient talking to the engine, keeping the transcript for failure messages."""

    def __init__(self, clinic, *, channel="whatsapp", phone=PHONE):
        self.conversation = Conversation.objects.create(clinic=clinic, channel=channel, participant=phone)
        self.transcript: list[str] = []
        self.last = None

    def say(self, text: str) -> str:
        self.last = reply(self.conversation, text)
        self.transcript += [f"Paciente: {text}", f"Bot ({self.last.brain}): {self.last.text}"]
        self.conversation.refresh_from_db()
        return self.last.text

    @property
    def state(self) -> dict:
        return self.conversation.state

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
    assert chat.state["pending"] == "slot" and chat.state["offered_slots"], chat
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
    assert chat.state.get("pending") == "slot"
    assert "turno" in chat.say("/ayuda"), chat
    assert "empecemos de nuevo" in chat.say("/reiniciar"), chat
    assert chat.state == {}
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
