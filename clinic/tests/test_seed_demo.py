from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from appointments.models import Appointment
from clinic.models import Clinic, Coverage, Doctor, DoctorSchedule, OpeningHours, Specialty, Weekday

pytestmark = pytest.mark.django_db


def row_counts():
    """Rows of every model, the audit trail's (django-simple-history) included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_running_twice_gives_identical_row_counts_for_every_model():
    call_command("seed_demo", verbosity=0)
    first = row_counts()
    stamp = Clinic.objects.get().updated_at
    call_command("seed_demo", verbosity=0)
    assert row_counts() == first  # no duplicate data, and no "changed" history rows for unchanged rows
    assert first["clinic.Clinic"] == 1 and first["clinic.HistoricalClinic"] == 1
    assert first["clinic.HistoricalDoctorSchedule"] == first["clinic.DoctorSchedule"]
    assert Clinic.objects.get().updated_at == stamp  # every process's catalog stays valid


def test_a_rerun_records_only_what_it_restored(demo_clinic):
    Specialty.objects.filter(clinic=demo_clinic, name="Cardiología").update(aliases="")  # no history: update()
    before = row_counts()
    call_command("seed_demo", verbosity=0)
    after = row_counts()
    assert {label: after[label] - before[label] for label in after if after[label] != before[label]} == {
        "clinic.HistoricalSpecialty": 1
    }
    restored = Specialty.history.filter(name="Cardiología").latest("history_date")
    assert restored.history_type == "~" and "corazón" in restored.aliases


def test_rerun_restores_demo_values(demo_clinic):
    Specialty.objects.filter(clinic=demo_clinic, name="Cardiología").update(aliases="", is_active=False)
    call_command("seed_demo", verbosity=0)
    cardiology = Specialty.objects.get(clinic=demo_clinic, name="Cardiología")
    assert cardiology.is_active
    assert "corazón" in cardiology.alias_list


def test_clinic_data(demo_clinic):
    assert demo_clinic.reception_phone == "+541148765432"
    assert demo_clinic.emergency_number == "107"
    assert demo_clinic.timezone == "America/Argentina/Buenos_Aires"
    assert "Buenos Aires" in demo_clinic.address
    demo_clinic.full_clean()


def test_specialties_and_aliases(demo_clinic):
    specialties = {s.name: s.alias_list for s in demo_clinic.specialties.all()}
    assert set(specialties) == {
        "Cardiología",
        "Traumatología",
        "Odontología",
        "Pediatría",
        "Dermatología",
        "Clínica médica",
        "Ginecología",
        "Oftalmología",
    }
    assert {"cardiólogo", "corazón"} <= set(specialties["Cardiología"])
    assert {"dentista", "odontólogo", "muelas"} <= set(specialties["Odontología"])
    assert {"médico de cabecera", "generalista", "clínico"} <= set(specialties["Clínica médica"])
    assert {"oculista", "oftalmólogo", "vista"} <= set(specialties["Oftalmología"])


def test_coverages(demo_clinic):
    coverages = {c.name: c for c in Coverage.objects.filter(clinic=demo_clinic)}
    assert set(coverages) == {"OSDE", "Swiss Medical", "Galeno", "Medifé", "OMINT", "IOMA", "PAMI", "Particular"}
    assert {"Swiss", "SMG"} <= set(coverages["Swiss Medical"].alias_list)
    assert "Medife" in coverages["Medifé"].alias_list
    assert [c.name for c in coverages.values() if c.is_private_pay] == ["Particular"]
    assert all(c.is_accepted for c in coverages.values())


def test_opening_hours(demo_clinic):
    hours = {(h.weekday, h.opens_at.hour, h.closes_at.hour) for h in OpeningHours.objects.filter(clinic=demo_clinic)}
    weekdays = {(day, 8, 20) for day in range(Weekday.MONDAY, Weekday.SATURDAY)}
    assert hours == weekdays | {(Weekday.SATURDAY, 8, 13)}


def test_every_specialty_has_two_doctors_and_someone_has_two_specialties(demo_clinic):
    for specialty in demo_clinic.specialties.all():
        assert specialty.doctors.count() >= 2, specialty.name
    multi = [d for d in Doctor.objects.filter(clinic=demo_clinic) if d.specialties.count() >= 2]
    assert multi
    for doctor in multi:
        days_by_specialty = {}
        for schedule in doctor.schedules.all():
            days_by_specialty.setdefault(schedule.specialty_id, set()).add(schedule.weekday)
        day_sets = list(days_by_specialty.values())
        assert len(day_sets) >= 2
        assert not set.intersection(*day_sets), "a doctor with two specialties attends them on different days"
    assert all(d.title in {"Dr.", "Dra."} for d in Doctor.objects.filter(clinic=demo_clinic))


def test_schedules_are_valid_and_inside_opening_hours(demo_clinic):
    opening = {h.weekday: (h.opens_at, h.closes_at) for h in OpeningHours.objects.filter(clinic=demo_clinic)}
    schedules = DoctorSchedule.objects.filter(doctor__clinic=demo_clinic).select_related("doctor", "specialty")
    assert schedules.count() > 0
    for schedule in schedules:
        schedule.full_clean()  # specialty belongs to the doctor, no overlap on the same day
        opens_at, closes_at = opening[schedule.weekday]
        assert opens_at <= schedule.start_time < schedule.end_time <= closes_at, schedule
        assert schedule.slot_minutes in {20, 30}
    assert {s.slot_minutes for s in schedules} == {20, 30}
    # Some doctors have a lunch gap: two blocks on the same day.
    per_day = {}
    for schedule in schedules:
        per_day.setdefault((schedule.doctor_id, schedule.weekday), []).append(schedule)
    assert any(len(blocks) == 2 for blocks in per_day.values())
    assert schedules.filter(weekday=Weekday.SATURDAY).exists()
    assert schedules.filter(start_time__hour__gte=12).exists() and schedules.filter(end_time__hour__lte=13).exists()


def test_no_appointments_and_summary_output():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert Appointment.objects.count() == 0
    assert "Clínica San Rafael" in out.getvalue()
    assert "8 specialties" in out.getvalue()

    quiet = StringIO()
    call_command("seed_demo", verbosity=0, stdout=quiet)
    assert quiet.getvalue() == ""
    assert Clinic.objects.count() == 1
