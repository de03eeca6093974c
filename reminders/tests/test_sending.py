"""send_reminders against a local fake of Twilio's Messages API, through the real SDK."""

import datetime as dt
from functools import partial

import pytest
from django.core.management import call_command
from django.db import connection

from appointments import services as appointment_services
from clinic_assistant.testing import run_at_once
from reminders.models import MessageChannel, MessageStatus, MessagingSettings, OutboundMessage
from reminders.sending import MAX_ATTEMPTS, record_delivery_status, send_due_messages
from reminders.tests.conftest import PATIENT_PHONE, at, book, make_patient, reminders_of

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (SKIP LOCKED)")


def test_one_message_per_due_row_with_the_template_variables(demo_clinic, twilio, clock):
    appointment = book(make_patient(), at(4, 13, 30))  # Friday: the 72 h reminder is due Tuesday 10:30
    clock.move_to(at(1, 13, 30))

    report = send_due_messages()

    assert report.sent == 1
    [sent] = twilio.messages.sent
    assert sent["To"] == f"whatsapp:{PATIENT_PHONE}" and sent["From"] == "whatsapp:+14155238886"
    assert sent["ContentSid"] == "HX" + "a" * 32
    assert sent["variables"] == {
        "1": "Juan",
        "2": "viernes 4 de diciembre a las 13:30",
        "3": "Clínica San Rafael",
        "4": "",
    }
    assert sent["StatusCallback"] == "https://clinica.example.com/webhook/messages/status"
    row = reminders_of(appointment).get(hours_before=72)
    assert (row.status, row.message_sid, row.attempts) == (MessageStatus.SENT, sent["sid"], 1)
    assert reminders_of(appointment).get(hours_before=24).status == MessageStatus.PENDING


def test_details_only_when_the_clinic_turns_them_on(demo_clinic, twilio, clock):
    MessagingSettings.objects.create(clinic=demo_clinic, include_details=True)
    book(make_patient(), at(4, 13, 30))
    clock.move_to(at(1, 13, 30))

    send_due_messages()

    assert twilio.messages.sent[0]["variables"]["4"] == "con Dra. Laura Fernández (Cardiología)"


def test_nothing_for_cancelled_past_or_already_sent(demo_clinic, twilio, clock):
    cancelled = book(make_patient(), at(4, 13, 30))
    appointment_services.cancel_appointment(appointment=cancelled)
    sent_before = book(make_patient("30111333", "+5491155550002", "Ana Gómez"), at(4, 14))
    clock.move_to(at(1, 14))
    assert send_due_messages().sent == 1  # Ana's 72 h reminder only

    clock.move_to(at(1, 15))
    assert send_due_messages().sent == 0  # nothing new is due; nothing goes twice
    assert len(twilio.messages.sent) == 1 and twilio.messages.sent[0]["To"].endswith("+5491155550002")
    assert reminders_of(sent_before).get(hours_before=72).status == MessageStatus.SENT


def test_a_row_whose_turno_passed_is_skipped_not_sent(demo_clinic, twilio, clock):
    appointment = book(make_patient(), at(4, 13, 30))
    # The cron was down for days: the turno has passed when it runs again.
    clock.move_to(at(4, 15))

    report = send_due_messages()

    assert (report.sent, report.skipped) == (0, 2)
    assert twilio.messages.sent == []
    assert set(reminders_of(appointment).values_list("status", flat=True)) == {MessageStatus.CANCELLED}


def test_a_failed_send_is_retried_with_backoff_then_shown_to_reception(demo_clinic, twilio, clock):
    appointment = book(make_patient(), at(4, 13, 30))
    twilio.messages.fail_next(MAX_ATTEMPTS, status=503, code=20503, message="Service unavailable")
    clock.move_to(at(1, 13, 30))

    first = send_due_messages()
    row = reminders_of(appointment).get(hours_before=72)
    assert (first.retried, row.status, row.attempts) == (1, MessageStatus.PENDING, 1)
    assert row.next_attempt_at == at(1, 13, 31) and "unavailable" in row.last_error.lower()
    assert send_due_messages().retried == 0  # not due again yet

    for minutes in (1, 5, 21):  # 1, 4 and 16 minutes after each failure
        clock.move_to(at(1, 13, 30) + dt.timedelta(minutes=minutes))
        send_due_messages()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.FAILED, MAX_ATTEMPTS)
    assert twilio.messages.sent == []
    call_command("send_reminders")  # a failed row is not picked up again
    assert twilio.messages.sent == []


def test_whatsapp_unreachable_falls_back_to_sms_when_the_clinic_has_a_number(demo_clinic, twilio, clock):
    MessagingSettings.objects.create(clinic=demo_clinic, sms_number="+541148765400")
    book(make_patient(), at(4, 13, 30))
    clock.move_to(at(1, 13, 30))
    send_due_messages()
    whatsapp = OutboundMessage.objects.get(status=MessageStatus.SENT)

    record_delivery_status(message_sid=whatsapp.message_sid, status="undelivered", error_code="63016")
    send_due_messages()

    whatsapp.refresh_from_db()
    assert whatsapp.status == MessageStatus.FAILED and "63016" in whatsapp.last_error
    sms = OutboundMessage.objects.get(channel=MessageChannel.SMS)
    assert sms.status == MessageStatus.SENT
    last = twilio.messages.sent[-1]
    assert (last["To"], last["From"]) == (PATIENT_PHONE, "+541148765400")
    assert "viernes 4 de diciembre a las 13:30" in last["Body"] and "Cardiolog" not in last["Body"]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_row_once(demo_clinic_tx, twilio, clock):
    patients = [make_patient(f"3011{n:04d}", f"+54911555{n:05d}", f"Paciente {n}") for n in range(12)]
    for n, patient in enumerate(patients):
        book(patient, at(4, 13) + dt.timedelta(minutes=30 * (n % 12)), doctor_last_name="Fernández")
    clock.move_to(at(2, 0))
    reports = run_at_once([partial(send_due_messages, batch_size=3)] * 2)

    assert sum(report.sent for report in reports) == 12
    assert len(twilio.messages.sent) == 12
    assert len({item["To"] for item in twilio.messages.sent}) == 12
