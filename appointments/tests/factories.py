"""Small, explicit clinic set-ups for domain tests (the demo seed is for demos and flows)."""

import datetime as dt

from appointments.models import Patient
from clinic.models import Clinic, Doctor, DoctorSchedule, Specialty

TZ_NAME = "America/Argentina/Buenos_Aires"


def make_clinic(**fields) -> Clinic:
    return Clinic.objects.create(
        name=fields.pop("name", "Clínica de Prueba"), timezone=fields.pop("timezone", TZ_NAME), **fields
    )


def make_doctor(clinic: Clinic, last_name: str, specialties: list[Specialty], **fields) -> Doctor:
    doctor = Doctor.objects.create(
        clinic=clinic, first_name=fields.pop("first_name", "Ana"), last_name=last_name, **fields
    )
    doctor.specialties.set(specialties)
    return doctor


def add_schedule(doctor, specialty, weekday: int, start: str, end: str, slot_minutes: int = 30) -> DoctorSchedule:
    return DoctorSchedule.objects.create(
        doctor=doctor,
        specialty=specialty,
        weekday=weekday,
        start_time=dt.time.fromisoformat(start),
        end_time=dt.time.fromisoformat(end),
        slot_minutes=slot_minutes,
    )


def make_patient(document_number: str = "30111222", phone: str = "+5491155550001", name: str = "Juan Pérez") -> Patient:
    return Patient.objects.create(full_name=name, document_number=document_number, phone=phone)


def local(clinic: Clinic, year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=clinic.tzinfo)


def make_specialty(clinic: Clinic, name: str) -> Specialty:
    return Specialty.objects.create(clinic=clinic, name=name)
