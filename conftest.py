"""Project-wide pytest fixtures."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_clinic(db):
    """The seeded demo clinic "Clínica San Rafael"."""
    from clinic.models import Clinic

    call_command("seed_demo", verbosity=0)
    return Clinic.objects.get(name="Clínica San Rafael")
