"""The audit trail: every change to a turno and to clinic data leaves a record with who,
when, and the old and new values (django-simple-history's diff), browsable in the admin;
the assistant's changes name its conversation."""

import datetime as dt

import pytest
from django.urls import reverse

from appointments.audit import assistant_reason
from appointments.models import Appointment, AppointmentStatus
from appointments.tests.test_admin import NOW, TODAY, book, doctor, run_action
from bot import flow
from bot.models import Conversation
from bot.tools import execute_tool
from bot.types import ToolContext
from clinic.models import OpeningHours, Weekday

pytestmark = pytest.mark.django_db


def last_change(obj) -> tuple:
    """(record, {field: (old, new)}) of the latest change to `obj`."""
    new, old = obj.history.order_by("-history_date", "-history_id")[:2]
    delta = new.diff_against(old)
    return new, {change.field: (change.old, change.new) for change in delta.changes}


def test_cancel_records_who_when_and_the_values(desk, patients, admin_user):
    appointment = book(patients["juan"], doctor("Gutiérrez"), TODAY, "11:00")
    run_action(desk, "cancel_appointments", [appointment])
    record, changes = last_change(appointment)
    assert (record.history_user, record.history_date, record.history_type) == (admin_user, NOW, "~")
    assert changes["status"] == (AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED)
    assert changes["cancellation_reason"] == ("", "El paciente viaja")
    assert changes["cancelled_by"] == (None, admin_user.pk)


@pytest.mark.parametrize(
    ("action", "status"), [("mark_attended", AppointmentStatus.ATTENDED), ("mark_no_show", AppointmentStatus.NO_SHOW)]
)
def test_attended_and_no_show_are_recorded(desk, patients, admin_user, action, status):
    appointment = book(patients["juan"], doctor("Gutiérrez"), TODAY, "08:00")  # started an hour ago
    run_action(desk, action, [appointment])
    record, changes = last_change(appointment)
    assert (record.history_user, record.history_date) == (admin_user, NOW)
    assert changes == {"status": (AppointmentStatus.BOOKED, status)}


def test_a_move_records_both_turnos(desk, patients, admin_user):
    old = book(patients["juan"], doctor("Gutiérrez"), TODAY, "10:00")
    start = dt.datetime(2030, 6, 12, 11, 0, tzinfo=NOW.tzinfo)
    desk.post(
        reverse("admin:appointments_agenda_turno", args=[old.pk]),
        {"op": "move", "start": start.isoformat(), "doctor": old.doctor_id},
    )
    new = Appointment.objects.get(rescheduled_from=old)
    record, changes = last_change(old)
    assert (record.history_user, record.history_date) == (admin_user, NOW)
    assert changes["status"] == (AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED)
    assert "Reprogramado" in changes["cancellation_reason"][1]
    created = new.history.get()
    assert (created.history_type, created.history_user, created.history_date) == ("+", admin_user, NOW)
    assert created.rescheduled_from_id == old.pk
    assert created.start_at == start


def test_a_clinic_data_edit_is_recorded_and_browsable(desk, demo_clinic, admin_user):
    friday = OpeningHours.objects.get(clinic=demo_clinic, weekday=Weekday.FRIDAY)
    response = desk.post(
        reverse("admin:clinic_openinghours_change", args=[friday.pk]),
        {"clinic": demo_clinic.pk, "weekday": Weekday.FRIDAY, "opens_at": "08:00", "closes_at": "18:00"},
    )
    assert response.status_code == 302
    record, changes = last_change(friday)
    assert (record.history_user, record.history_date) == (admin_user, NOW)
    assert changes == {"closes_at": (dt.time(20), dt.time(18))}
    page = desk.get(reverse("admin:clinic_openinghours_history", args=[friday.pk]))
    assert page.status_code == 200
    assert "Cambios (antes → después)" in page.text and "Hecho por" in page.text and admin_user.username in page.text


def test_the_assistants_changes_name_the_conversation(desk, demo_clinic):
    conversation = Conversation.objects.create(clinic=demo_clinic, channel="whatsapp", participant="+5491155550001")
    context = ToolContext(conversation=conversation, clinic=demo_clinic, now=NOW)
    arguments = {
        "full_name": "Juan Pérez",
        "document_number": "30111222",
        "specialty": "Cardiología",
        "date": f"{TODAY:%Y-%m-%d}",
        "time": "11:00",
    }
    assert execute_tool(name="book_appointment", arguments=arguments, context=context)["code"] == "confirm_first"
    # The next turn: the patient's yes to the read-back.
    next_turn = ToolContext(conversation=conversation, clinic=demo_clinic, now=NOW, state=context.state)
    next_turn.confirmed = flow.confirmed_write(next_turn.state, "sí", now=next_turn.now)
    result = execute_tool(name="book_appointment", arguments=arguments, context=next_turn)
    assert result["ok"], result
    record = Appointment.objects.get().history.get()
    assert (record.history_user, record.history_change_reason) == (None, assistant_reason(conversation.pk))
    assert record.history_change_reason == f"Asistente – conversación #{conversation.pk}"
