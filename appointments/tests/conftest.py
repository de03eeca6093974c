"""Fixtures of the reception desk tests (admin and agenda): a frozen Wednesday 9:00 in Buenos
Aires, a logged-in desk on the demo clinic, three patients."""

import pytest
import time_machine

from appointments.models import Patient
from appointments.tests.test_admin import NOW


@pytest.fixture
def frozen_clock():
    """Today is TODAY at 9:00 in Buenos Aires. List it before any fixture that logs in, so the
    session is created on the frozen clock (one made on the real clock would look expired)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def desk(frozen_clock, client, admin_user, demo_clinic):
    client.force_login(admin_user)
    return client


@pytest.fixture
def patients(db):
    return {
        "juan": Patient.objects.create(full_name="Juan Pérez", document_number="12345678", phone="+5491155551234"),
        "maria": Patient.objects.create(full_name="María Gómez", document_number="23456789", phone="+5491166662345"),
        "ana": Patient.objects.create(full_name="Ana Ruiz", document_number="34567890", phone="+5491177773456"),
    }
