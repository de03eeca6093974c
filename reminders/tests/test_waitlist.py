"""The waitlist fills freed slots: the first matching patients hear of it, the first to
accept gets it, and the database decides between two accepting at once."""

from functools import partial

import pytest
from django.db import connection

from appointments import services as appointment_services
from appointments.models import Appointment, AppointmentStatus
from clinic.models import Doctor, Specialty
from clinic_assistant.testing import run_at_once
from reminders.models import (
    MessageKind,
    MessageStatus,
    OfferStatus,
    OutboundMessage,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from reminders.selectors import matching_waitlist_entries
from reminders.sending import send_due_messages
from reminders.services import accept_offer, join_waitlist, offer_freed_slot
from reminders.tests.conftest import at, book, make_patient

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's exclusion constraint")


def waitlist(clinic, n: int, **wishes) -> WaitlistEntry:
    patient = make_patient(f"4000{n:04d}", f"+54911666{n:05d}", f"Espera {n}")
    return join_waitlist(
        clinic=clinic,
        patient=patient,
        phone=patient.phone,
        specialty=Specialty.objects.get(name="Cardiología"),
        **wishes,
    )


@pytest.mark.usefixtures("clock")
def test_a_cancellation_offers_the_slot_to_the_first_matching_patients(demo_clinic, django_capture_on_commit_callbacks):
    fernandez = Doctor.objects.get(last_name="Fernández")
    first = waitlist(demo_clinic, 1)
    mornings_only = waitlist(demo_clinic, 2, part_of_day="morning")
    mondays_only = waitlist(demo_clinic, 3, weekdays=[0])
    other_doctor = waitlist(demo_clinic, 4, doctor=Doctor.objects.get(last_name="Gutiérrez"))
    fridays = waitlist(demo_clinic, 5, weekdays=[4], doctor=fernandez, part_of_day="afternoon")
    appointment = book(make_patient(), at(4, 15))  # Friday 15:00 with Dra. Fernández

    with django_capture_on_commit_callbacks(execute=True):
        appointment_services.cancel_appointment(appointment=appointment)

    offered = set(WaitlistOffer.objects.values_list("entry", flat=True))
    assert offered == {first.pk, fridays.pk}
    assert not offered & {mornings_only.pk, mondays_only.pk, other_doctor.pk}
    messages = OutboundMessage.objects.filter(kind=MessageKind.WAITLIST_OFFER)
    assert sorted(messages.values_list("to_number", flat=True)) == sorted([first.phone, fridays.phone])


@pytest.mark.usefixtures("clock")
def test_a_slot_retaken_before_the_offer_is_not_offered(demo_clinic):
    waitlist(demo_clinic, 1)
    book(make_patient(), at(4, 15))

    assert (
        offer_freed_slot(
            doctor=Doctor.objects.get(last_name="Fernández"),
            specialty=Specialty.objects.get(name="Cardiología"),
            start=at(4, 15),
        )
        == []
    )


@pytest.mark.usefixtures("clock")
def test_the_first_to_accept_gets_it_and_the_others_stay_on_the_list(demo_clinic):
    entries = [waitlist(demo_clinic, n) for n in (1, 2)]
    offers = offer_freed_slot(
        doctor=Doctor.objects.get(last_name="Fernández"),
        specialty=Specialty.objects.get(name="Cardiología"),
        start=at(4, 15),
    )

    winner = accept_offer(offer=offers[1])
    loser = accept_offer(offer=offers[0])

    assert winner.status == OfferStatus.ACCEPTED and loser.status == OfferStatus.TAKEN
    booked = Appointment.objects.get(start_at=at(4, 15), status=AppointmentStatus.BOOKED)
    assert booked.patient == entries[1].patient and winner.appointment == booked
    entries[0].refresh_from_db()
    entries[1].refresh_from_db()
    assert (entries[0].status, entries[1].status) == (WaitlistStatus.WAITING, WaitlistStatus.FILLED)


def test_the_others_offered_the_slot_are_told_it_was_taken(
    demo_clinic, twilio, clock, django_capture_on_commit_callbacks
):
    """Patients who received the offer hear that it is gone and stay on the list; one whose
    offer never went out is not told about an offer they never saw."""
    entries = [waitlist(demo_clinic, n) for n in (1, 2, 3)]
    fernandez, cardiology = Doctor.objects.get(last_name="Fernández"), Specialty.objects.get(name="Cardiología")
    offers = offer_freed_slot(doctor=fernandez, specialty=cardiology, start=at(4, 15))
    assert len(offers) == 3
    OutboundMessage.objects.filter(offer=offers[2]).update(status=MessageStatus.CANCELLED)  # never sent
    assert send_due_messages().sent == 2

    with django_capture_on_commit_callbacks(execute=True):
        accept_offer(offer=offers[0])
    report = send_due_messages()

    assert WaitlistOffer.objects.filter(status=OfferStatus.TAKEN).count() == 2
    taken = OutboundMessage.objects.filter(kind=MessageKind.WAITLIST_TAKEN)
    assert sorted(taken.values_list("to_number", flat=True)) == sorted([entries[1].phone, entries[2].phone])
    assert report.sent == 1 and [m["To"] for m in twilio.messages.sent[2:]] == [f"whatsapp:{entries[1].phone}"]
    assert taken.get(to_number=entries[2].phone).status == MessageStatus.CANCELLED
    assert set(WaitlistEntry.objects.filter(pk__in=[e.pk for e in entries[1:]]).values_list("status", flat=True)) == {
        WaitlistStatus.WAITING
    }


def test_an_evening_wish_matches_evening_slots_only(demo_clinic):
    """The waitlist's parts of the day are the policy's: 19:00 on is "noche", not "tarde"."""
    evening, afternoon = (
        waitlist(demo_clinic, 1, part_of_day="evening"),
        waitlist(demo_clinic, 2, part_of_day="afternoon"),
    )
    fernandez, cardiology = Doctor.objects.get(last_name="Fernández"), Specialty.objects.get(name="Cardiología")

    at_seven = matching_waitlist_entries(specialty=cardiology, doctor=fernandez, start=at(4, 19, 30))
    at_three = matching_waitlist_entries(specialty=cardiology, doctor=fernandez, start=at(4, 15))

    assert list(at_seven) == [evening] and list(at_three) == [afternoon]


@pytest.mark.usefixtures("clock")
def test_joining_twice_keeps_one_place_with_the_new_wishes(demo_clinic):
    entry = waitlist(demo_clinic, 1)
    again = join_waitlist(
        clinic=demo_clinic, patient=entry.patient, phone=entry.phone, specialty=entry.specialty, part_of_day="morning"
    )

    assert again.pk == entry.pk and WaitlistEntry.objects.count() == 1
    assert again.part_of_day == "morning"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_patients_accepting_at_the_same_moment_exactly_one_gets_it(demo_clinic_tx, clock):
    for n in (1, 2):
        waitlist(demo_clinic_tx, n)
    offers = offer_freed_slot(
        doctor=Doctor.objects.get(last_name="Fernández"),
        specialty=Specialty.objects.get(name="Cardiología"),
        start=at(4, 15),
    )
    results = [result.status for result in run_at_once([partial(accept_offer, offer=offer) for offer in offers])]

    assert sorted(results) == [OfferStatus.ACCEPTED, OfferStatus.TAKEN]
    assert Appointment.objects.filter(start_at=at(4, 15), status=AppointmentStatus.BOOKED).count() == 1
    assert WaitlistEntry.objects.filter(status=WaitlistStatus.FILLED).count() == 1


@pytest.mark.usefixtures("clock")
def test_the_desk_cancelling_or_moving_a_turno_tells_the_patient(
    demo_clinic, django_capture_on_commit_callbacks, django_user_model, settings
):
    settings.TWILIO_WHATSAPP_NUMBER = "+14155238886"
    desk = django_user_model.objects.create_user(username="recepcion", is_staff=True)
    cancelled = book(make_patient(), at(4, 15))
    moved = book(make_patient("30111333", "+5491155550002", "Ana Gómez"), at(4, 16))
    own = book(make_patient("30111444", "+5491155550003", "Luis Díaz"), at(4, 17))

    with django_capture_on_commit_callbacks(execute=True):
        appointment_services.cancel_appointment(appointment=cancelled, by_user=desk, reason="La doctora no viene")
    with django_capture_on_commit_callbacks(execute=True):
        new = appointment_services.reschedule_appointment(appointment=moved, new_start=at(4, 18), by_user=desk)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_services.cancel_appointment(appointment=own)  # the patient's own decision: no notice

    notices = {
        (m.kind, m.appointment_id, m.to_number)
        for m in OutboundMessage.objects.exclude(kind="reminder").exclude(kind="waitlist_offer")
    }
    assert notices == {
        (MessageKind.CLINIC_CANCELLED, cancelled.pk, "+5491155550001"),
        (MessageKind.CLINIC_MOVED, new.pk, "+5491155550002"),
    }
    from reminders.sending import template_variables

    _sid, variables, body = template_variables(OutboundMessage.objects.get(kind=MessageKind.CLINIC_CANCELLED))
    assert variables["5"].startswith("https://wa.me/14155238886?text=") and variables["5"] in body
    assert "doctora" not in body  # the desk's reason stays inside the clinic
