"""The demo clinic "Clínica San Rafael": enough realistic data to talk to the assistant
and to work the admin on a fresh database.

Idempotent: every row is looked up by its natural key and brought back to the values
below, so running it on every deploy (or twice by mistake) never duplicates anything. A row
already holding those values is not saved again, so a re-run adds nothing to the audit trail
(django-simple-history records every save) and leaves every process's catalog in place.
It creates no appointments: those belong to the people trying the demo."""

from datetime import time

from django.core.management.base import BaseCommand
from django.db import models, transaction

from clinic.models import Clinic, Coverage, Doctor, DoctorSchedule, OpeningHours, Specialty, Weekday
from clinic.services import install_default_lexicon

CLINIC_NAME = "Clínica San Rafael"
CLINIC = {
    "address": "Av. Rivadavia 5230, C1424 Caballito, Ciudad Autónoma de Buenos Aires",
    "phone": "+541148765400",
    "reception_phone": "+541148765432",
    "emergency_number": "107",
    "timezone": "America/Argentina/Buenos_Aires",
    "greeting": "",
}

# name -> (aliases as patients say them, description)
SPECIALTIES = {
    "Cardiología": ("cardiólogo, cardióloga, cardio, corazón, presión", "Controles cardiológicos, electrocardiograma."),
    "Traumatología": (
        "traumatólogo, traumatóloga, trauma, huesos",
        "Lesiones de huesos y articulaciones.",
    ),
    "Odontología": ("dentista, odontólogo, odontóloga, muelas, dientes", "Consultas y tratamientos odontológicos."),
    "Pediatría": ("pediatra", "Atención de bebés, niños y adolescentes."),
    "Dermatología": ("dermatólogo, dermatóloga, dermato, piel, lunares", "Consultas de piel, pelo y uñas."),
    "Clínica médica": (
        "clínico, médico clínico, médica clínica, médico de cabecera, generalista, médico general",
        "Consultas generales y controles de salud.",
    ),
    "Ginecología": ("ginecólogo, ginecóloga, gineco", "Controles ginecológicos, PAP."),
    "Oftalmología": ("oculista, oftalmólogo, oftalmóloga, vista", "Control de la vista y fondo de ojo."),
}

# name -> (aliases, is_private_pay, notes)
COVERAGES = {
    "OSDE": ("", False, ""),
    "Swiss Medical": ("Swiss, SMG", False, ""),
    "Galeno": ("", False, ""),
    "Medifé": ("Medife", False, ""),
    "OMINT": ("Omint", False, ""),
    "IOMA": ("", False, "Con orden de consulta."),
    "PAMI": ("", False, "Con orden de consulta del médico de cabecera."),
    "Particular": (
        "sin obra social, no tengo obra social, sin cobertura, no tengo cobertura, privado, privada, pago particular",
        True,
        "Consulta abonada en la clínica.",
    ),
}

MON, TUE, WED, THU, FRI, SAT = (
    Weekday.MONDAY,
    Weekday.TUESDAY,
    Weekday.WEDNESDAY,
    Weekday.THURSDAY,
    Weekday.FRIDAY,
    Weekday.SATURDAY,
)
OPENING_HOURS = {day: (time(8), time(20)) for day in (MON, TUE, WED, THU, FRI)} | {SAT: (time(8), time(13))}

# (title, first name, last name, license) -> [(specialty, weekdays, start, end, slot minutes)]
# Varied on purpose: mornings, afternoons, split days with a lunch gap, Saturdays, 20/30-minute
# slots, and Dr. Romero attending two specialties on different days.
DOCTORS: dict[tuple[str, str, str, str], list[tuple[str, tuple[Weekday, ...], time, time, int]]] = {
    ("Dr.", "Martín", "Gutiérrez", "MN 84.215"): [
        ("Cardiología", (MON, WED), time(8), time(12), 30),
        ("Cardiología", (MON, WED), time(14), time(18), 30),
    ],
    ("Dra.", "Laura", "Fernández", "MN 91.377"): [
        ("Cardiología", (TUE, THU, FRI), time(13), time(19), 30),
    ],
    ("Dr.", "Alejandro", "Romero", "MN 76.540"): [
        ("Clínica médica", (MON, WED, FRI), time(8), time(12), 20),
        ("Clínica médica", (MON, WED, FRI), time(13), time(16), 20),
        ("Cardiología", (TUE, THU), time(9), time(13), 30),
    ],
    ("Dr.", "Diego", "Sosa", "MN 102.118"): [
        ("Traumatología", (MON, TUE, THU), time(8), time(13), 20),
        ("Traumatología", (SAT,), time(8), time(12), 20),
    ],
    ("Dr.", "Pablo", "Acosta", "MN 95.602"): [
        ("Traumatología", (WED, FRI), time(14), time(20), 30),
    ],
    ("Dra.", "Valeria", "Benítez", "MN 88.934"): [
        ("Odontología", (MON, TUE, WED, THU), time(8), time(12), 30),
        ("Odontología", (MON, TUE, WED, THU), time(14), time(17), 30),
    ],
    ("Dr.", "Sebastián", "Medina", "MN 110.257"): [
        ("Odontología", (FRI,), time(12), time(20), 30),
        ("Odontología", (SAT,), time(8), time(13), 30),
    ],
    ("Dra.", "Carolina", "Herrera", "MN 79.863"): [
        ("Pediatría", (MON, TUE, WED, THU, FRI), time(8), time(12), 20),
    ],
    ("Dra.", "Florencia", "Álvarez", "MN 104.491"): [
        ("Pediatría", (MON, WED, FRI), time(15), time(20), 20),
        ("Pediatría", (SAT,), time(9), time(13), 20),
    ],
    ("Dra.", "Mariana", "Castro", "MN 97.025"): [
        ("Dermatología", (TUE, THU), time(8), time(12), 20),
        ("Dermatología", (TUE, THU), time(14), time(18), 20),
    ],
    ("Dr.", "Federico", "Ruiz", "MN 112.846"): [
        ("Dermatología", (MON, WED), time(16), time(20), 30),
    ],
    ("Dra.", "Silvina", "Pereyra", "MN 83.719"): [
        ("Clínica médica", (TUE, THU), time(8), time(13), 20),
        ("Clínica médica", (TUE, THU), time(14), time(19), 20),
        ("Clínica médica", (SAT,), time(8), time(12), 20),
    ],
    ("Dra.", "Luciana", "Giménez", "MN 90.158"): [
        ("Ginecología", (MON, WED, FRI), time(8), time(13), 30),
    ],
    ("Dra.", "Paula", "Morales", "MN 106.374"): [
        ("Ginecología", (TUE, THU), time(13), time(19), 30),
    ],
    ("Dr.", "Gustavo", "Domínguez", "MN 72.480"): [
        ("Oftalmología", (MON, TUE, WED), time(9), time(12), 20),
        ("Oftalmología", (MON, TUE, WED), time(14), time(17), 20),
    ],
    ("Dra.", "Natalia", "Vázquez", "MN 99.613"): [
        ("Oftalmología", (THU, FRI), time(10), time(18), 30),
    ],
}


def upsert[M: models.Model](model: type[M], *, defaults: dict, **lookup) -> M:
    """update_or_create() that saves only what differs: it saves even an unchanged row, and
    each save is a "changed" entry in the row's history."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **defaults)
    changed = {name: value for name, value in defaults.items() if getattr(obj, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.save()
    return obj


class Command(BaseCommand):
    help = 'Creates or refreshes the demo clinic "Clínica San Rafael" (idempotent; no appointments).'

    @transaction.atomic
    def handle(self, *args, **options):
        clinic = upsert(Clinic, name=CLINIC_NAME, defaults=CLINIC)

        for weekday, (opens_at, closes_at) in OPENING_HOURS.items():
            upsert(
                OpeningHours, clinic=clinic, weekday=weekday, defaults={"opens_at": opens_at, "closes_at": closes_at}
            )

        specialties = {}
        for name, (aliases, description) in SPECIALTIES.items():
            specialties[name] = upsert(
                Specialty,
                clinic=clinic,
                name=name,
                defaults={"aliases": aliases, "description": description, "is_active": True},
            )

        # What patients say for each specialty, and the services the clinic lacks (only adds).
        install_default_lexicon(clinic=clinic)

        for name, (aliases, is_private_pay, notes) in COVERAGES.items():
            upsert(
                Coverage,
                clinic=clinic,
                name=name,
                defaults={"aliases": aliases, "is_private_pay": is_private_pay, "notes": notes, "is_accepted": True},
            )

        for (title, first_name, last_name, license_number), blocks in DOCTORS.items():
            doctor = upsert(
                Doctor,
                clinic=clinic,
                first_name=first_name,
                last_name=last_name,
                defaults={"title": title, "license_number": license_number, "is_active": True},
            )
            attended = {specialties[block[0]] for block in blocks}
            if set(doctor.specialties.all()) != attended:  # set() records history even when nothing changes
                doctor.specialties.set(attended)
            for specialty_name, weekdays, start_time, end_time, slot_minutes in blocks:
                for weekday in weekdays:
                    upsert(
                        DoctorSchedule,
                        doctor=doctor,
                        weekday=weekday,
                        start_time=start_time,
                        defaults={
                            "specialty": specialties[specialty_name],
                            "end_time": end_time,
                            "slot_minutes": slot_minutes,
                            "valid_from": None,
                            "valid_until": None,
                        },
                    )

        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{clinic.name}: {clinic.specialties.count()} specialties, {clinic.doctors.count()} doctors, "
                    f"{DoctorSchedule.objects.filter(doctor__clinic=clinic).count()} weekly schedule blocks, "
                    f"{clinic.coverages.count()} coverages, {clinic.opening_hours.count()} opening-hours rows."
                )
            )
