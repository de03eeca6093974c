"""Patients of other countries book with their own document (appointments.policy
DocumentKind), through the signed WhatsApp webhook and the offline brain, asserting on the
database and the typed state. Clock: Tuesday 2026-12-01 09:00 in Buenos Aires."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from appointments.models import Appointment
from appointments.policy import DocumentProblem
from bot import responses
from bot.models import Conversation
from bot.state import Step
from bot.tests.twilio_helpers import messages, post_signed, twiml, whatsapp_params
from bot.tools.registry import execute_tool
from bot.types import ToolContext

PHONE = "+573001234567"


@pytest.fixture
def say(client, tuesday, twilio_settings, demo_clinic):
    def send(text: str) -> str:
        tuesday.shift(dt.timedelta(seconds=10))
        response = post_signed(client, "/webhook/whatsapp", whatsapp_params(text, phone=PHONE))
        return "\n".join(messages(twiml(response)))

    return send


def step() -> Step:
    return Conversation.objects.get(participant=PHONE).load_state().step


def book(say, document: str) -> None:
    for text in ["Quiero una cita de cardiología el miércoles a las 10", "Juliana Restrepo", document]:
        say(text)


def test_a_colombian_cedula_said_alone_books(say):
    book(say, "1020304050")
    assert step() == Step.CONFIRM_BOOKING
    say("sí")
    booked = Appointment.objects.get()
    assert booked.patient.document_number == "1020304050"
    assert booked.patient.full_name == "Juliana Restrepo"


@pytest.mark.parametrize(
    "document, stored",
    [("V-12.345.678", "12345678"), ("mi cédula es 001-1391820-5", "00113918205")],
)
def test_venezuelan_and_dominican_cedulas_book(say, document, stored):
    book(say, document)
    say("sí")
    assert Appointment.objects.get().patient.document_number == stored


def test_a_rut_with_a_wrong_verifier_is_asked_again(say):
    book(say, "123456784")
    assert step() == Step.DOCUMENT
    say("123456785")
    assert step() == Step.CONFIRM_BOOKING
    say("sí")
    assert Appointment.objects.get().patient.document_number == "123456785"


def test_a_uruguayan_clinic_checks_the_ci_digit(say, settings):
    settings.ACCEPTED_DOCUMENT_KINDS = ["ci_uy", "dni_ar"]
    book(say, "1.234.567-3")
    assert step() == Step.DOCUMENT and not Appointment.objects.exists()
    say("1.234.567-2")
    say("sí")
    assert Appointment.objects.get().patient.document_number == "12345672"


def test_a_clinic_of_its_own_country_refuses_a_document_the_deployment_accepts(say, demo_clinic, settings):
    # The deployment takes a 10-digit Colombian cédula; this Argentine clinic takes only the DNI.
    assert "cc_co" in settings.ACCEPTED_DOCUMENT_KINDS
    demo_clinic.accepted_document_kinds = "dni_ar"
    demo_clinic.save()
    book(say, "1020304050")
    assert step() == Step.DOCUMENT and not Appointment.objects.exists()
    say("30123456")
    say("sí")
    assert Appointment.objects.get().patient.document_number == "30123456"


def test_a_chilean_clinic_takes_the_rut_and_not_bare_digits(say, demo_clinic):
    demo_clinic.accepted_document_kinds = "rut_cl"
    demo_clinic.save()
    book(say, "30123456")
    assert step() == Step.DOCUMENT
    say("12.345.678-5")
    say("sí")
    assert Appointment.objects.get().patient.document_number == "123456785"


def test_the_model_cannot_book_with_a_document_the_clinic_refuses(demo_clinic):
    demo_clinic.accepted_document_kinds = "dni_ar"
    demo_clinic.save()
    context = ToolContext(
        conversation=Conversation(clinic=demo_clinic), clinic=demo_clinic, now=dt.datetime.now(dt.UTC)
    )
    result = execute_tool(
        name="book_appointment",
        arguments={"slot_id": "1-202612021000", "full_name": "Juliana Restrepo", "document_number": "1020304050"},
        context=context,
    )
    refused = responses.document_problem(DocumentProblem.NOT_ACCEPTED)
    assert (result["ok"], result["error"]) == (False, refused) and not Appointment.objects.exists()


@pytest.mark.parametrize(("kinds", "valid"), [("", True), ("cc_co, ci_ve", True), ("dni_ar,pasaporte", False)])
def test_the_clinics_document_kinds_are_checked_when_saved_in_the_admin(demo_clinic, settings, kinds, valid):
    demo_clinic.accepted_document_kinds = kinds
    if valid:
        demo_clinic.full_clean()
        assert demo_clinic.document_kinds == (
            [k.strip() for k in kinds.split(",")] if kinds else settings.ACCEPTED_DOCUMENT_KINDS
        )
    else:
        with pytest.raises(ValidationError, match="pasaporte"):
            demo_clinic.full_clean()
