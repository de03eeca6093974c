"""Admin for clinic data: every page renders, and only "Administración" may change clinic data."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse

from appointments.models import Appointment, AppointmentStatus, Patient
from clinic.models import Coverage, Doctor, Specialty

pytestmark = pytest.mark.django_db

REGISTERED_MODELS = sorted(model._meta.label for model in admin.site._registry)


@pytest.fixture
def demo_with_appointments(demo_clinic):
    patient = Patient.objects.create(full_name="Juan Pérez", document_number="12345678", phone="+5491155551234")
    doctor = Doctor.objects.get(last_name="Gutiérrez")
    start = datetime(2030, 6, 12, 13, 0, tzinfo=UTC)
    for offset in range(3):
        Appointment.objects.create(
            patient=patient,
            doctor=doctor,
            specialty=doctor.specialties.get(),
            start_at=start + timedelta(minutes=30 * offset),
            end_at=start + timedelta(minutes=30 * (offset + 1)),
        )
    return demo_clinic


@pytest.mark.parametrize("label", REGISTERED_MODELS)
def test_every_admin_page_renders_for_a_superuser(admin_client, demo_with_appointments, label):
    model = next(m for m in admin.site._registry if m._meta.label == label)
    info = (model._meta.app_label, model._meta.model_name)
    assert admin_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert admin_client.get(reverse("admin:{}_{}_add".format(*info))).status_code in {200, 403}
    if obj := model._default_manager.first():
        for view in ("change", "history", "delete"):
            assert admin_client.get(reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk])).status_code == 200


def test_index_and_agenda_render_for_a_superuser(client, admin_user, demo_with_appointments):
    with time_machine.travel(datetime(2030, 6, 12, 15, 0, tzinfo=UTC), tick=False):
        client.force_login(admin_user)  # inside the frozen clock, so the session is not already expired
        index = client.get(reverse("admin:index"))
        agenda = client.get(reverse("admin:appointments_agenda"))
    assert index.status_code == 200
    assert "Agenda de hoy" in index.text
    assert agenda.status_code == 200
    assert "Juan Pérez" in agenda.text


def test_doctor_changelist_lists_specialties_without_n_plus_one(
    admin_client, demo_clinic, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:clinic_doctor_changelist"))
    assert "Clínica médica, Cardiología" in response.text or "Cardiología, Clínica médica" in response.text


def test_coverage_acceptance_is_editable_from_the_list(admin_client, demo_clinic):
    coverages = list(Coverage.objects.filter(clinic=demo_clinic).order_by("name"))
    data = {
        "form-TOTAL_FORMS": str(len(coverages)),
        "form-INITIAL_FORMS": str(len(coverages)),
        "_save": "Guardar",
    }
    for index, coverage in enumerate(coverages):
        data[f"form-{index}-id"] = str(coverage.pk)
        if coverage.name != "PAMI":
            data[f"form-{index}-is_accepted"] = "on"
    response = admin_client.post(reverse("admin:clinic_coverage_changelist"), data)
    assert response.status_code == 302
    assert not Coverage.objects.get(name="PAMI").is_accepted
    assert Coverage.objects.get(name="OSDE").is_accepted


def test_doctor_schedule_inline_refuses_overlapping_rows_in_one_submission(admin_client, demo_clinic):
    specialty = Specialty.objects.get(name="Dermatología")
    data = {
        "clinic": demo_clinic.pk,
        "title": "Dra.",
        "first_name": "Ana",
        "last_name": "Prueba",
        "specialties": [specialty.pk],
        "is_active": "on",
        "schedules-TOTAL_FORMS": "2",
        "schedules-INITIAL_FORMS": "0",
    }
    for index, (start, end) in enumerate([("08:00", "12:00"), ("11:00", "14:00")]):
        data |= {
            f"schedules-{index}-specialty": specialty.pk,
            f"schedules-{index}-weekday": "0",
            f"schedules-{index}-start_time": start,
            f"schedules-{index}-end_time": end,
            f"schedules-{index}-slot_minutes": "30",
        }
    response = admin_client.post(reverse("admin:clinic_doctor_add"), data)
    assert response.status_code == 200
    assert "Dos horarios del mismo día se superponen." in response.text
    assert not Doctor.objects.filter(last_name="Prueba").exists()


# --- Roles ---------------------------------------------------------------------------


def specialty_change_data(specialty, page=None, **changes):
    """The change form as the browser posts it; with the rendered `page`, its inlines (the
    lexicon's terms) go back unchanged, as a browser would send them."""
    data = {
        "clinic": specialty.clinic_id,
        "name": specialty.name,
        "aliases": specialty.aliases,
        "description": specialty.description,
        "is_active": "on",
    }
    for inline in page.context["inline_admin_formsets"] if page is not None else []:
        formset = inline.formset
        data |= {f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()}
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.initial_forms)
        for form in formset.initial_forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is not None:
                    data[form.add_prefix(name)] = getattr(value, "pk", value)
    return data | changes


def test_reception_works_turnos_but_cannot_change_clinic_data(client, demo_clinic, make_staff_user):
    make_staff_user("recepcion", "Recepción")
    assert client.login(username="recepcion", password=make_staff_user.password)
    specialty = Specialty.objects.get(name="Cardiología")
    change_url = reverse("admin:clinic_specialty_change", args=[specialty.pk])

    assert client.get(reverse("admin:appointments_appointment_changelist")).status_code == 200
    assert client.get(reverse("admin:appointments_appointment_add")).status_code == 200
    assert client.get(reverse("admin:appointments_patient_changelist")).status_code == 200

    # Reception may look at clinic data (to answer the phone) but never change it.
    read_only = client.get(change_url)
    assert read_only.status_code == 200
    assert 'name="_save"' not in read_only.text
    assert client.post(change_url, specialty_change_data(specialty, name="Cardio X")).status_code == 403
    assert client.get(reverse("admin:clinic_specialty_add")).status_code == 403
    assert (
        client.post(reverse("admin:clinic_specialty_add"), {"clinic": demo_clinic.pk, "name": "Kine"}).status_code
        == 403
    )
    assert client.get(reverse("admin:clinic_specialty_delete", args=[specialty.pk])).status_code == 403
    specialty.refresh_from_db()
    assert specialty.name == "Cardiología"
    assert not Specialty.objects.filter(name="Kine").exists()


def test_administration_changes_clinic_data(client, demo_clinic, make_staff_user):
    make_staff_user("direccion", "Administración")
    assert client.login(username="direccion", password=make_staff_user.password)
    specialty = Specialty.objects.get(name="Cardiología")
    change_url = reverse("admin:clinic_specialty_change", args=[specialty.pk])

    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' in page.text
    response = client.post(change_url, specialty_change_data(specialty, page, aliases="cardiólogo, corazón, cardio"))
    assert response.status_code == 302
    specialty.refresh_from_db()
    assert specialty.aliases == "cardiólogo, corazón, cardio"
    assert client.get(reverse("admin:appointments_appointment_changelist")).status_code == 200


def test_staff_without_a_group_sees_nothing(client, demo_clinic, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="nadie", is_staff=True))
    assert client.get(reverse("admin:appointments_appointment_changelist")).status_code == 403
    assert client.get(reverse("admin:appointments_agenda")).status_code == 403
    assert "Agenda de hoy" not in client.get(reverse("admin:index")).text


def test_appointment_statuses_are_listed_in_spanish(admin_client, demo_with_appointments):
    Appointment.objects.update(status=AppointmentStatus.CONFIRMED)
    response = admin_client.get(reverse("admin:appointments_appointment_changelist"))
    assert "Confirmado" in response.text
