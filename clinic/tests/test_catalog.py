"""The per-process catalog of reference data: read once, rebuilt whenever the data changes,
in this process at once and in others on their next fresh clinic row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic import selectors
from clinic.models import Clinic, Coverage, Doctor, OpeningHours, Specialty
from clinic.selectors import catalog_for, clinic_info, find_coverage, find_specialty

pytestmark = pytest.mark.django_db


def fresh(clinic: Clinic) -> Clinic:
    """The clinic row as the next webhook turn loads it."""
    return Clinic.objects.get(pk=clinic.pk)


def test_reference_data_is_read_once(demo_clinic):
    catalog_for(fresh(demo_clinic))
    row = fresh(demo_clinic)
    with CaptureQueriesContext(connection) as queries:
        assert find_specialty(clinic=row, text="quiero un cardiologo").name == "Cardiología"
        assert find_coverage(clinic=row, text="osde").name == "OSDE"
        assert clinic_info(clinic=row)["opening_hours"]
    assert len(queries) == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda clinic: Specialty.objects.filter(clinic=clinic, name="Cardiología").get().delete(),
        lambda clinic: Specialty.objects.create(clinic=clinic, name="Kinesiología"),
        lambda clinic: Coverage.objects.create(clinic=clinic, name="Sancor Salud"),
        lambda clinic: OpeningHours.objects.filter(clinic=clinic).first().delete(),
        lambda clinic: Doctor.objects.filter(clinic=clinic).first().specialties.clear(),
    ],
    ids=["specialty deleted", "specialty added", "coverage added", "hours deleted", "doctor's specialties"],
)
def test_every_change_bumps_the_clinic_row_other_processes_compare(demo_clinic, change):
    before = fresh(demo_clinic).updated_at
    change(demo_clinic)
    assert fresh(demo_clinic).updated_at > before


def test_a_change_here_is_seen_at_once_even_with_an_old_clinic_row(demo_clinic):
    row = fresh(demo_clinic)
    assert find_specialty(clinic=row, text="cardiologia") is not None
    cardiology = Specialty.objects.get(clinic=demo_clinic, name="Cardiología")
    cardiology.is_active = False
    cardiology.save()
    assert find_specialty(clinic=row, text="cardiologia") is None
    assert "Cardiología" not in clinic_info(clinic=row)["specialties"]


def test_another_process_rebuilds_on_its_next_fresh_clinic_row(demo_clinic):
    stale = catalog_for(fresh(demo_clinic))
    cardiology = Specialty.objects.get(clinic=demo_clinic, name="Cardiología")
    cardiology.aliases = "cardio, corazón, marcapasos"
    cardiology.save()
    # Another web instance still holds the snapshot built before the change.
    selectors._catalogs[demo_clinic.pk] = stale
    row = fresh(demo_clinic)
    assert find_specialty(clinic=row, text="marcapasos") == cardiology
    assert catalog_for(row) is not stale


def test_snapshot_rows_know_their_clinic_without_a_query(demo_clinic):
    catalog = catalog_for(fresh(demo_clinic))
    with CaptureQueriesContext(connection) as queries:
        assert {specialty.clinic.timezone for specialty in catalog.specialties} == {demo_clinic.timezone}
    assert len(queries) == 0
