"""The reception desk in the admin: turnos list and form, actions, patients and the day's agenda."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, connection
from django.urls import reverse

from appointments.models import Appointment, AppointmentStatus, Channel, Patient
from clinic.models import Doctor, Specialty

pytestmark = pytest.mark.django_db

BUENOS_AIRES = ZoneInfo("America/Argentina/Buenos_Aires")
TODAY = date(2030, 6, 12)  # a Wednesday
NOW = datetime(2030, 6, 12, 9, 0, tzinfo=BUENOS_AIRES)


def doctor(last_name):
    return Doctor.objects.get(last_name=last_name)


def book(patient, doctor, day, hhmm, *, minutes=30, specialty=None, status=AppointmentStatus.BOOKED):
    hour, minute = map(int, hhmm.split(":"))
    start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=BUENOS_AIRES)
    return Appointment.objects.create(
        patient=patient,
        doctor=doctor,
        specialty=specialty or doctor.specialties.order_by("name").first(),
        start_at=start,
        end_at=start + timedelta(minutes=minutes),
        status=status,
        channel=Channel.WHATSAPP,
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Turnos list ---------------------------------------------------------------------


def test_changelist_shows_local_times_dni_and_channel(desk, patients, django_assert_max_num_queries):
    for hhmm in ("08:00", "08:30", "09:00", "09:30", "10:00"):
        book(patients["juan"], doctor("Gutiérrez"), TODAY, hhmm)
    with django_assert_max_num_queries(15):
        response = desk.get(reverse("admin:appointments_appointment_changelist"))
    html = response.text
    assert "12/06/2030 10:00" in html  # 13:00 UTC shown on the clinic's clock
    assert "12345678" in html and "WhatsApp" in html and "Reservado" in html


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("hoy", {"hoy"}), ("manana", {"mañana"}), ("semana", {"hoy", "mañana", "sábado"}), ("pasados", {"ayer"})],
)
def test_day_filter(desk, patients, choice, expected):
    gutierrez = doctor("Gutiérrez")
    made = {
        "ayer": book(patients["juan"], gutierrez, TODAY - timedelta(days=1), "08:00"),  # Tuesday, this week, past
        "hoy": book(patients["juan"], gutierrez, TODAY, "10:00"),
        "mañana": book(patients["juan"], gutierrez, TODAY + timedelta(days=1), "10:00"),
        "sábado": book(patients["juan"], gutierrez, TODAY + timedelta(days=3), "10:00"),
        "próxima semana": book(patients["juan"], gutierrez, TODAY + timedelta(days=5), "10:00"),
    }
    if choice == "semana":
        expected = expected | {"ayer"}
    response = desk.get(reverse("admin:appointments_appointment_changelist"), {"dia": choice})
    shown = {appointment.pk for appointment in response.context["cl"].result_list}
    assert shown == {made[name].pk for name in expected}


@pytest.mark.parametrize(
    "term", ["Juan", "12345678", "12.345.678", "+5491155551234", "11 5555-1234", "011 15-5555-1234"]
)
def test_search_by_name_dni_or_phone_as_typed(desk, patients, term):
    book(patients["juan"], doctor("Gutiérrez"), TODAY, "10:00")
    book(patients["maria"], doctor("Gutiérrez"), TODAY, "11:00")
    response = desk.get(reverse("admin:appointments_appointment_changelist"), {"q": term})
    assert [a.patient.full_name for a in response.context["cl"].result_list] == ["Juan Pérez"]


# --- Turno form ----------------------------------------------------------------------


def add_form_data(patient, doctor, specialty, day, hhmm):
    return {
        "patient": patient.pk,
        "doctor": doctor.pk,
        "specialty": specialty.pk,
        "start_at_0": day.strftime("%d/%m/%Y"),
        "start_at_1": hhmm,
        "status": AppointmentStatus.BOOKED,
        "notes": "",
    }


def test_add_form_reads_times_on_the_clinic_clock_and_fills_the_end(desk, patients):
    romero = doctor("Romero")
    clinica = Specialty.objects.get(name="Clínica médica")
    response = desk.post(
        reverse("admin:appointments_appointment_add"), add_form_data(patients["juan"], romero, clinica, TODAY, "10:00")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    appointment = Appointment.objects.get()
    assert appointment.start_at == datetime(2030, 6, 12, 13, 0, tzinfo=UTC)
    # Dr. Romero's Wednesday clinic block has 20-minute slots.
    assert appointment.end_at - appointment.start_at == timedelta(minutes=20)
    assert appointment.channel == Channel.ADMIN


def test_add_form_refuses_a_taken_slot_in_spanish(desk, patients):
    gutierrez = doctor("Gutiérrez")
    cardiology = Specialty.objects.get(name="Cardiología")
    book(patients["maria"], gutierrez, TODAY, "10:00")
    response = desk.post(
        reverse("admin:appointments_appointment_add"),
        add_form_data(patients["juan"], gutierrez, cardiology, TODAY, "10:00"),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.as_data()["__all__"][0].code == "slot_taken"
    assert "Ese horario acaba de ser reservado" in response.text
    assert Appointment.objects.count() == 1


def test_a_cancelled_turno_does_not_block_the_slot(desk, patients):
    gutierrez = doctor("Gutiérrez")
    cardiology = Specialty.objects.get(name="Cardiología")
    book(patients["maria"], gutierrez, TODAY, "10:00", status=AppointmentStatus.CANCELLED)
    response = desk.post(
        reverse("admin:appointments_appointment_add"),
        add_form_data(patients["juan"], gutierrez, cardiology, TODAY, "10:00"),
    )
    assert response.status_code == 302


def test_database_refusal_on_save_becomes_a_form_error(desk, patients, monkeypatch):
    """A concurrent booking slips past the form's check; the database's refusal must not be a 500."""
    gutierrez = doctor("Gutiérrez")
    cardiology = Specialty.objects.get(name="Cardiología")

    def refuse(self, *args, **kwargs):
        raise IntegrityError('conflicting key value violates exclusion constraint "appointment_no_overlap_per_doctor"')

    monkeypatch.setattr(Appointment, "save", refuse)
    response = desk.post(
        reverse("admin:appointments_appointment_add"),
        add_form_data(patients["juan"], gutierrez, cardiology, TODAY, "10:00"),
    )
    assert response.status_code == 200
    assert "Ese horario acaba de ser reservado" in response.text
    assert response.context["adminform"].form.data["start_at_1"] == "10:00"  # the receptionist's input is kept
    monkeypatch.undo()
    assert Appointment.objects.count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint exists only on PostgreSQL")
def test_postgresql_exclusion_constraint_becomes_a_form_error(desk, patients, monkeypatch):
    gutierrez = doctor("Gutiérrez")
    cardiology = Specialty.objects.get(name="Cardiología")
    book(patients["maria"], gutierrez, TODAY, "10:00")
    # Simulate the race: the policy's checks saw nothing, the other turno committed meanwhile.
    end = datetime(2030, 6, 12, 13, 30, tzinfo=UTC)
    monkeypatch.setattr("appointments.admin.check_booking", lambda **kwargs: end)
    monkeypatch.setattr("appointments.services.check_booking", lambda **kwargs: end)
    monkeypatch.setattr(Appointment, "clean", lambda self: None)
    response = desk.post(
        reverse("admin:appointments_appointment_add"),
        add_form_data(patients["juan"], gutierrez, cardiology, TODAY, "10:00"),
    )
    assert response.status_code == 200
    assert "Ese horario acaba de ser reservado" in response.text
    assert Appointment.objects.count() == 1
    # The connection is still usable after the refused insert.
    edit = desk.post(
        reverse("admin:appointments_appointment_change", args=[Appointment.objects.get().pk]),
        add_form_data(patients["maria"], gutierrez, cardiology, TODAY, "10:00") | {"notes": "Trae estudios"},
    )
    assert edit.status_code == 302
    assert Appointment.objects.get().notes == "Trae estudios"


def change_form_data(appointment, hhmm, **extra):
    """What the change form posts: only the editable fields (doctor, start, notes)."""
    return {
        "doctor": appointment.doctor_id,
        "start_at_0": TODAY.strftime("%d/%m/%Y"),
        "start_at_1": hhmm,
        "notes": appointment.notes,
        **extra,
    }


def test_change_form_moves_the_turno_instead_of_overwriting_it(desk, patients):
    appointment = book(patients["juan"], doctor("Gutiérrez"), TODAY, "10:00")
    url = reverse("admin:appointments_appointment_change", args=[appointment.pk])
    page = desk.get(url)
    assert page.status_code == 200
    assert 'name="start_at_1" value="10:00:00"' in page.text  # local time in the widget
    assert 'name="status"' not in page.text and 'name="end_at_1"' not in page.text

    # Only the start changes: no "Fin" to clear by hand, no constraint message.
    response = desk.post(url, change_form_data(appointment, "11:00", notes="Trae estudios", status="cancelled"))

    new = Appointment.objects.get(rescheduled_from=appointment)
    assert response.status_code == 302 and response["Location"].endswith(f"/{new.pk}/change/")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.start_at == datetime(2030, 6, 12, 13, 0, tzinfo=UTC)  # the old turno keeps its time
    assert appointment.rescheduled_to == new
    assert appointment.cancelled_by is not None and "Reprogramado" in appointment.cancellation_reason
    assert new.status == AppointmentStatus.BOOKED
    assert (new.start_at, new.end_at) == (
        datetime(2030, 6, 12, 14, 0, tzinfo=UTC),
        datetime(2030, 6, 12, 14, 30, tzinfo=UTC),
    )
    assert new.notes == "Trae estudios"
    old_page = desk.get(url).text
    assert reverse("admin:appointments_appointment_change", args=[new.pk]) in old_page


def test_change_form_move_onto_a_taken_slot_is_refused_in_spanish(desk, patients):
    appointment = book(patients["juan"], doctor("Gutiérrez"), TODAY, "10:00")
    book(patients["maria"], doctor("Gutiérrez"), TODAY, "11:00")
    url = reverse("admin:appointments_appointment_change", args=[appointment.pk])
    response = desk.post(url, change_form_data(appointment, "11:00"))
    assert response.status_code == 200
    assert "acaba de ser reservado" in response.text
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert Appointment.objects.count() == 2


def test_change_form_edits_notes_in_place(desk, patients):
    appointment = book(patients["juan"], doctor("Gutiérrez"), TODAY, "10:00")
    url = reverse("admin:appointments_appointment_change", args=[appointment.pk])
    response = desk.post(url, change_form_data(appointment, "10:00", notes="Llamar antes"))
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.notes, appointment.status) == ("Llamar antes", AppointmentStatus.BOOKED)
    assert Appointment.objects.count() == 1


# --- Actions (they call appointments.services) ---------------------------------------


CANCEL_REASON = {"cancellation_reason": "El paciente viaja", "confirm_cancel": "1"}


def run_action(client, action, appointments, **extra):
    if action == "cancel_appointments":
        extra = CANCEL_REASON | extra
    return client.post(
        reverse("admin:appointments_appointment_changelist"),
        {"action": action, "_selected_action": [a.pk for a in appointments], "index": 0, **extra},
        follow=True,
    )


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("confirm_appointments", AppointmentStatus.CONFIRMED, "Se confirmaron 2 turnos."),
        ("cancel_appointments", AppointmentStatus.CANCELLED, "Se cancelaron 2 turnos."),
        ("mark_attended", AppointmentStatus.ATTENDED, "Se marcaron 2 turnos como atendidos."),
        ("mark_no_show", AppointmentStatus.NO_SHOW, "Se marcaron 2 turnos como ausentes."),
    ],
)
def test_status_actions(desk, patients, action, status, message):
    chosen = [
        book(patients["juan"], doctor("Gutiérrez"), TODAY, "08:00"),
        book(patients["maria"], doctor("Gutiérrez"), TODAY, "08:30"),
    ]
    untouched = book(patients["ana"], doctor("Gutiérrez"), TODAY, "09:00")
    response = run_action(desk, action, chosen)
    assert response.status_code == 200
    assert message in messages_of(response)
    assert {a.status for a in Appointment.objects.filter(pk__in=[a.pk for a in chosen])} == {status}
    untouched.refresh_from_db()
    assert untouched.status == AppointmentStatus.BOOKED


def test_cancel_action_asks_for_the_reason_first(desk, patients, admin_user):
    appointment = book(patients["juan"], doctor("Gutiérrez"), TODAY, "11:00")
    changelist = reverse("admin:appointments_appointment_changelist")
    ask = desk.post(changelist, {"action": "cancel_appointments", "_selected_action": [appointment.pk], "index": 0})
    assert ask.status_code == 200 and 'name="cancellation_reason"' in ask.text and "Juan Pérez" in ask.text
    blank = desk.post(
        changelist,
        {"action": "cancel_appointments", "_selected_action": [appointment.pk], "index": 0}
        | CANCEL_REASON
        | {"cancellation_reason": "  "},
    )
    assert blank.status_code == 200 and "Indique el motivo" in blank.text
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED

    run_action(desk, "cancel_appointments", [appointment])
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert (appointment.cancelled_by, appointment.cancellation_reason) == (admin_user, "El paciente viaja")
    assert appointment.cancelled_at == NOW


@pytest.mark.parametrize("action", ["mark_attended", "mark_no_show"])
def test_a_future_turno_cannot_be_marked_attended_or_absent(desk, patients, action):
    future = book(patients["juan"], doctor("Gutiérrez"), TODAY, "09:30")  # it is 9:00
    response = run_action(desk, action, [future])
    assert any("todavía no empezó" in text for text in messages_of(response))
    future.refresh_from_db()
    assert future.status == AppointmentStatus.BOOKED


def test_status_action_reports_failures_in_spanish(desk, patients):
    ok = book(patients["juan"], doctor("Gutiérrez"), TODAY, "08:00")
    cancelled = book(patients["maria"], doctor("Gutiérrez"), TODAY, "08:30", status=AppointmentStatus.CANCELLED)
    response = run_action(desk, "confirm_appointments", [ok, cancelled])
    texts = messages_of(response)
    assert "Se confirmó 1 turno." in texts
    assert any(text.startswith("No se pudo confirmar 1 turno: María Gómez (") for text in texts), texts
    cancelled.refresh_from_db()
    assert cancelled.status == AppointmentStatus.CANCELLED


def test_status_action_from_the_change_form(desk, patients):
    appointment = book(patients["juan"], doctor("Gutiérrez"), TODAY, "08:00")
    url = reverse("admin:appointments_appointment_change", args=[appointment.pk])
    assert "Confirmar turno" in desk.get(url).text
    response = desk.post(
        url, {"CHANGE_FORM-action": "confirm_appointments", "_selected_action": [appointment.pk]}, follow=True
    )
    assert "Se confirmó 1 turno." in messages_of(response)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED


def test_reception_can_run_status_actions(frozen_clock, client, demo_clinic, patients, make_staff_user):
    make_staff_user("recepcion", "Recepción")
    client.login(username="recepcion", password=make_staff_user.password)
    appointment = book(patients["juan"], doctor("Gutiérrez"), TODAY, "08:00")
    run_action(client, "cancel_appointments", [appointment])
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancelled_at is not None


# --- Patients ------------------------------------------------------------------------


def test_patient_page_lists_their_turnos_read_only(desk, patients):
    book(patients["juan"], doctor("Gutiérrez"), TODAY, "10:00")
    book(patients["juan"], doctor("Romero"), TODAY + timedelta(days=1), "09:00", minutes=30)
    page = desk.get(reverse("admin:appointments_patient_change", args=[patients["juan"].pk]))
    assert page.status_code == 200
    html = page.text
    assert "12/06/2030 10:00" in html and "Dr. Alejandro Romero" in html
    assert html.index("13/06/2030 09:00") < html.index("12/06/2030 10:00")  # newest first
    assert 'name="appointments-0-start_at' not in html


@pytest.mark.parametrize("term", ["pérez", "12.345.678", "11 5555 1234"])
def test_patient_search(desk, patients, term):
    response = desk.get(reverse("admin:appointments_patient_changelist"), {"q": term})
    assert [p.full_name for p in response.context["cl"].result_list] == ["Juan Pérez"]


def test_patient_form_normalizes_dni_and_phone(desk):
    response = desk.post(
        reverse("admin:appointments_patient_add"),
        {
            "full_name": "Lucía Díaz",
            "document_number": "30.111.222",
            "phone": "11 4444-5555",
            "whatsapp_id": "",
            "email": "",
            "appointments-TOTAL_FORMS": "0",
            "appointments-INITIAL_FORMS": "0",
            "verified_numbers-TOTAL_FORMS": "0",
            "verified_numbers-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    patient = Patient.objects.get(full_name="Lucía Díaz")
    assert patient.document_number == "30111222"
    assert re.fullmatch(r"\+54\d{10,11}", patient.phone)
