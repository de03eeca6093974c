"""Reception records a verified number on the patient's page; it then opens the patient's turnos."""

from django.urls import reverse

from appointments.tests.factories import make_patient
from identity.models import NumberSource, VerifiedNumber
from identity.selectors import is_verified_number


def test_reception_adds_a_verified_number_on_the_patients_page(client, make_staff_user):
    receptionist = make_staff_user("ana", "Recepción")
    patient = make_patient(document_number="30111222", phone="", name="María Laura Gómez")
    client.force_login(receptionist)
    response = client.post(
        reverse("admin:appointments_patient_change", args=[patient.pk]),
        {
            "full_name": patient.full_name,
            "document_number": patient.document_number,
            "phone": "",
            "whatsapp_id": "",
            "email": "",
            "verified_numbers-TOTAL_FORMS": "1",
            "verified_numbers-INITIAL_FORMS": "0",
            "verified_numbers-0-number": "+54 9 11 5555-0001",
            "appointments-TOTAL_FORMS": "0",
            "appointments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    verified = VerifiedNumber.objects.get(patient=patient)
    assert (verified.number, verified.source, verified.verified_by) == (
        "+5491155550001",
        NumberSource.RECEPTION,
        receptionist,
    )
    assert is_verified_number(number="+5491155550001", patient=patient)


def test_an_invalid_number_is_refused_in_spanish(client, make_staff_user):
    client.force_login(make_staff_user("ana", "Recepción"))
    patient = make_patient(document_number="30111222", phone="", name="María Laura Gómez")
    response = client.post(
        reverse("admin:appointments_patient_change", args=[patient.pk]),
        {
            "full_name": patient.full_name,
            "document_number": patient.document_number,
            "phone": "",
            "whatsapp_id": "",
            "email": "",
            "verified_numbers-TOTAL_FORMS": "1",
            "verified_numbers-INITIAL_FORMS": "0",
            "verified_numbers-0-number": "123",
            "appointments-TOTAL_FORMS": "0",
            "appointments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Número de teléfono inválido" in response.content.decode()
    assert not VerifiedNumber.objects.exists()
