"""The admin as clinic staff read it: searches that forgive accents and capitals, Spanish
permission names and forbidden page, login throttling with a Spanish lock-out, and clinic
wall-clock times with no UTC note."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from appointments.models import Patient
from appointments.tests.test_admin import TODAY, book, doctor
from clinic.models import OpeningHours, Weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "perez": Patient.objects.create(full_name="Juan Pérez", document_number="12345678", phone="+5491155550001"),
        "gonzalez": Patient.objects.create(
            full_name="María José González", document_number="23456789", phone="+5491166660002"
        ),
        "nunez": Patient.objects.create(full_name="Ana Núñez", document_number="34567890", phone="+5491177770003"),
    }


SEARCHES = [("perez", "perez"), ("GONZALEZ", "gonzalez"), ("12.345.678", "perez"), ("11 5555-0001", "perez")]


@pytest.mark.parametrize(("term", "found"), SEARCHES)
def test_patient_search_forgives_accents_case_and_punctuation(desk, people, term, found):
    response = desk.get(reverse("admin:appointments_patient_changelist"), {"q": term})
    assert [p.pk for p in response.context["cl"].result_list] == [people[found].pk]


@pytest.mark.parametrize(("term", "found"), SEARCHES)
def test_turno_search_forgives_accents_case_and_punctuation(desk, people, term, found):
    for index, patient in enumerate(people.values()):
        book(patient, doctor("Gutiérrez"), TODAY, f"1{index}:00")
    response = desk.get(reverse("admin:appointments_appointment_changelist"), {"q": term})
    assert [a.patient_id for a in response.context["cl"].result_list] == [people[found].pk]


def test_a_renamed_patient_is_found_by_the_new_name(db, people):
    patient = people["nunez"]
    patient.full_name = "Ana Núñez Ibáñez"
    patient.save(update_fields=["full_name"])
    assert Patient.objects.filter(search_name__contains="ibanez").get() == patient


def test_permission_names_are_spanish(db):
    assert Permission.objects.get(codename="add_appointment").name == "Puede agregar turno"
    assert Permission.objects.get(codename="change_openinghours").name == "Puede modificar horario de atención"
    assert Permission.objects.get(codename="view_patient").name == "Puede ver paciente"
    own = Permission.objects.filter(content_type__app_label__in=["appointments", "clinic", "bot", "reminders"])
    assert not own.filter(name__startswith="Can ").exists()


def test_forbidden_page_is_spanish(client, frozen_clock, demo_clinic, django_user_model):
    groupless = django_user_model.objects.create_user(username="sin_grupo", password="x", is_staff=True)
    client.force_login(groupless)
    response = client.get("/admin/appointments/agenda/")
    assert response.status_code == 403
    assert "No tiene permiso" in response.text and "Forbidden" not in response.text


def test_clinic_times_are_shown_on_the_clinic_clock_without_a_utc_note(desk, demo_clinic):
    friday = OpeningHours.objects.get(clinic=demo_clinic, weekday=Weekday.FRIDAY)
    page = desk.get(reverse("admin:clinic_openinghours_change", args=[friday.pk])).text
    assert 'value="08:00:00"' in page  # a wall-clock time, stored and shown as typed
    assert 'data-admin-utc-offset="-10800"' in page  # the page runs on the clinic's clock...
    assert 'querySelectorAll(".timezonewarning")' in page  # ...and Django's UTC note is taken away
    assert "UTC" not in re.sub(r"<script.*?</script>", "", page, flags=re.S)


# --- login throttling ------------------------------------------------------------------------


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    settings.AXES_FAILURE_LIMIT = 5
    return settings


def test_wrong_passwords_lock_the_account_from_that_address(throttled, client, django_user_model):
    django_user_model.objects.create_user(username="recepcion", password="la-buena-123", is_staff=True)
    login = reverse("admin:login")
    for _ in range(throttled.AXES_FAILURE_LIMIT - 1):
        response = client.post(login, {"username": "recepcion", "password": "mala"})
        assert response.status_code == 200  # the form again, with Django's own error
    locked = client.post(login, {"username": "recepcion", "password": "mala"})
    assert locked.status_code == 429
    right = client.post(login, {"username": "recepcion", "password": "la-buena-123"})
    assert right.status_code == 429
    assert "Acceso bloqueado temporalmente" in right.text and "demasiados intentos fallidos" in right.text
    assert "_auth_user_id" not in client.session
    # Another address is not locked out (username and address together).
    other = client.post(login, {"username": "recepcion", "password": "la-buena-123"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
