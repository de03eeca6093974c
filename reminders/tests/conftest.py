"""The no-show loop's set-up: the demo clinic on a frozen Tuesday morning, and the real
`twilio` client talking to a local fake of Twilio's Messages API."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from appointments import services as appointment_services
from appointments.models import Appointment, Channel, Patient
from bot.tests.fake_twilio import FakeMessages, FakeTwilio
from bot.tests.twilio_helpers import ACCOUNT_SID, AUTH_TOKEN
from clinic.models import Doctor, Specialty

TZ = zoneinfo.ZoneInfo("America/Argentina/Buenos_Aires")
TUESDAY_9AM = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
CLINIC_WHATSAPP = "+14155238886"
PATIENT_PHONE = "+5491155550001"


@pytest.fixture
def clock():
    with time_machine.travel(TUESDAY_9AM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def fake_twilio():
    with FakeTwilio(products={"messages": FakeMessages()}) as running:
        yield running


@pytest.fixture
def twilio(settings, fake_twilio):
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_API_BASE_URL = fake_twilio.base_url
    settings.TWILIO_WHATSAPP_NUMBER = CLINIC_WHATSAPP
    settings.TWILIO_REMINDER_CONTENT_SID = "HX" + "a" * 32
    settings.PUBLIC_BASE_URL = "https://clinica.example.com"
    return fake_twilio


def make_patient(document_number="30111222", phone=PATIENT_PHONE, name="Juan Pérez") -> Patient:
    return Patient.objects.create(full_name=name, document_number=document_number, phone=phone)


def book(patient: Patient, start: dt.datetime, *, specialty="Cardiología", doctor_last_name="Fernández", **extra):
    specialty_obj = Specialty.objects.get(name=specialty)
    doctor = Doctor.objects.get(last_name=doctor_last_name)
    return appointment_services.book_appointment(
        patient=patient, doctor=doctor, specialty=specialty_obj, start=start, channel=Channel.WHATSAPP, **extra
    )


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A wall-clock time at the demo clinic in December 2026 (Tue 1 is today)."""
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=TZ)


def reminders_of(appointment: Appointment):
    return appointment.outbound_messages.filter(kind="reminder").order_by("-hours_before")
