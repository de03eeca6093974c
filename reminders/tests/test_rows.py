"""Reminder rows follow their turno through booking, cancelling and moving."""

import pytest

from appointments import services as appointment_services
from reminders.models import MessageStatus, MessagingSettings
from reminders.tests.conftest import at, book, make_patient, reminders_of

pytestmark = pytest.mark.usefixtures("clock")


def test_a_booking_gets_one_pending_row_per_offset(demo_clinic):
    appointment = book(make_patient(), at(9, 10), doctor_last_name="Gutiérrez")  # Wednesday 9, a week ahead

    rows = list(reminders_of(appointment))

    assert [(row.hours_before, row.status) for row in rows] == [(72, "pending"), (24, "pending")]
    assert rows[0].due_at == at(6, 10) and rows[1].due_at == at(8, 10)
    assert {row.to_number for row in rows} == {"+5491155550001"}


def test_offsets_already_past_at_booking_are_skipped(demo_clinic):
    appointment = book(make_patient(), at(2, 10), doctor_last_name="Gutiérrez")  # tomorrow: 72 h before is in the past

    assert [row.hours_before for row in reminders_of(appointment)] == [24]


def test_cancelling_cancels_the_pending_rows(demo_clinic):
    appointment = book(make_patient(), at(9, 10), doctor_last_name="Gutiérrez")

    appointment_services.cancel_appointment(appointment=appointment)

    assert set(reminders_of(appointment).values_list("status", flat=True)) == {MessageStatus.CANCELLED}


def test_a_move_replaces_the_rows_with_the_new_turnos(demo_clinic):
    old = book(make_patient(), at(9, 10), doctor_last_name="Gutiérrez")

    new = appointment_services.reschedule_appointment(appointment=old, new_start=at(9, 11))

    assert set(reminders_of(old).values_list("status", flat=True)) == {MessageStatus.CANCELLED}
    assert [(row.due_at, row.status) for row in reminders_of(new)] == [(at(6, 11), "pending"), (at(8, 11), "pending")]


def test_a_clinic_can_choose_its_own_offsets(demo_clinic):
    MessagingSettings.objects.create(clinic=demo_clinic, reminder_hours="48, 2")

    appointment = book(make_patient(), at(9, 10), doctor_last_name="Gutiérrez")

    assert [row.due_at for row in reminders_of(appointment)] == [at(7, 10), at(9, 8)]


def test_rebooking_the_same_slot_does_not_duplicate_rows(demo_clinic):
    patient = make_patient()
    first = book(patient, at(9, 10), doctor_last_name="Gutiérrez")
    again = book(patient, at(9, 10), doctor_last_name="Gutiérrez")  # an idempotent retry

    assert again.pk == first.pk
    assert reminders_of(first).count() == 2


def test_offsets_are_validated_in_the_admin_form():
    from django.core.exceptions import ValidationError

    from reminders.models import parse_hours

    assert parse_hours("24;72, 24") == [72, 24]
    for bad in ["", "mañana", "0", "9999"]:
        with pytest.raises(ValidationError):
            parse_hours(bad)


def test_reminders_go_to_the_number_that_booked(demo_clinic):
    """A mother who booked for her son from her phone gets his reminders."""
    appointment = book(make_patient(), at(9, 10), doctor_last_name="Gutiérrez")
    type(appointment).objects.filter(pk=appointment.pk).update(booked_by_number="+5491177770000")
    appointment.refresh_from_db()
    appointment.save(update_fields=["updated_at"])  # any later write re-aims the pending rows

    assert set(reminders_of(appointment).values_list("to_number", flat=True)) == {"+5491177770000"}
