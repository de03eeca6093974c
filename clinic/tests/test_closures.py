"""closures_on / closures_between: what is closed on a local day, holidays before absences."""

import datetime as dt

import pytest

from appointments.tests.factories import make_clinic, make_doctor, make_specialty
from clinic.models import Closure
from clinic.selectors import closures_between, closures_on

pytestmark = pytest.mark.django_db


def test_closures_on_a_day_holidays_first_then_absences():
    clinic = make_clinic()
    other_clinic = make_clinic(name="Otra")
    doctor = make_doctor(clinic, "García", [make_specialty(clinic, "Cardiología")])
    absence = Closure.objects.create(
        clinic=clinic, doctor=doctor, start_date=dt.date(2026, 12, 7), end_date=dt.date(2026, 12, 11), reason="Congreso"
    )
    holiday = Closure.objects.create(
        clinic=clinic, start_date=dt.date(2026, 12, 8), end_date=dt.date(2026, 12, 8), reason="Feriado"
    )
    Closure.objects.create(clinic=other_clinic, start_date=dt.date(2026, 12, 8), end_date=dt.date(2026, 12, 8))

    assert closures_on(clinic=clinic, day=dt.date(2026, 12, 8)) == [holiday, absence]
    assert closures_on(clinic=clinic, day=dt.date(2026, 12, 9)) == [absence]
    assert closures_on(clinic=clinic, day=dt.date(2026, 12, 12)) == []
    assert closures_between(clinic=clinic, first=dt.date(2026, 12, 1), last=dt.date(2026, 12, 7)) == [absence]
