"""Turnos still unconfirmed at the clinic's deadline: flagged for reception, or released."""

import pytest

from appointments.models import AppointmentStatus
from reminders.models import MessagingSettings, UnconfirmedAction
from reminders.selectors import needing_attention
from reminders.sending import send_due_messages
from reminders.services import apply_confirmation_deadlines
from reminders.tests.conftest import at, book, make_patient, reminders_of


@pytest.fixture
def reminded(demo_clinic, twilio, clock):
    appointment = book(make_patient(), at(2, 15), doctor_last_name="Gutiérrez")  # tomorrow: only the 24 h reminder
    clock.move_to(at(1, 15))
    assert send_due_messages().sent == 1
    return appointment


def test_unconfirmed_at_the_deadline_is_flagged_for_reception(reminded, clock):
    clock.move_to(at(2, 2))  # 13 h before: not yet
    assert apply_confirmation_deadlines() == {"released": 0, "flagged": 0}

    clock.move_to(at(2, 3, 30))  # 11.5 h before: past the default 12 h deadline
    assert apply_confirmation_deadlines() == {"released": 0, "flagged": 1}
    assert apply_confirmation_deadlines() == {"released": 0, "flagged": 0}  # once only

    reminded.refresh_from_db()
    assert reminded.status == AppointmentStatus.BOOKED
    assert list(needing_attention().values_list("appointment_id", flat=True)) == [reminded.pk]


def test_a_clinic_that_releases_frees_the_slot(reminded, clock, demo_clinic):
    MessagingSettings.objects.filter(clinic=demo_clinic).update(unconfirmed_action=UnconfirmedAction.RELEASE)
    clock.move_to(at(2, 4))

    assert apply_confirmation_deadlines() == {"released": 1, "flagged": 0}

    reminded.refresh_from_db()
    assert reminded.status == AppointmentStatus.CANCELLED and "no confirmó" in reminded.cancellation_reason


def test_a_confirmed_turno_is_left_alone(reminded, clock):
    from appointments import services

    services.confirm_appointment(appointment=reminded)
    clock.move_to(at(2, 4))

    assert apply_confirmation_deadlines() == {"released": 0, "flagged": 0}
    assert reminders_of(reminded).get().flagged_at is None
