"""Benchmark: send_reminders for 10,000 turnos due in the next 72 hours, on PostgreSQL,
through the real `twilio` client against the local fake of Twilio's Messages API.

Prints the wall time of one `send_reminders` run, messages per second, and the SQL queries
per reminder for 1,000 and for 10,000 turnos (it must not grow with the number of turnos),
against a baseline measured in the same run: the same number of bare Messages API calls
through the same client on the same number of threads, without any database work — the
floor any sender has to pay.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic_bench_reminders .venv/bin/python bench/reminders.py
"""

import datetime as dt
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_bench_reminders")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_assistant.test_settings")

import django  # noqa: E402

from bench.common import recreate_database  # noqa: E402

SIZES = (1_000, 10_000)
WORKERS = 8
DOCTORS = 50


def load(total: int, now: dt.datetime) -> None:
    """`total` turnos spread over the next 72 hours across DOCTORS doctors, each with its
    72 h reminder already due (bulk-created: loading is not what is measured)."""
    from appointments.models import Appointment, Patient
    from clinic.models import Clinic, Doctor, Specialty
    from reminders.models import MessageKind, OutboundMessage

    clinic = Clinic.objects.create(name="Bench", timezone="America/Argentina/Buenos_Aires")
    specialty = Specialty.objects.create(clinic=clinic, name="Clínica médica")
    doctors = []
    for index in range(DOCTORS):
        doctor = Doctor.objects.create(clinic=clinic, first_name="Doc", last_name=f"N{index}")
        doctor.specialties.add(specialty)
        doctors.append(doctor)
    patients = Patient.objects.bulk_create(
        Patient(full_name=f"Paciente {n}", document_number=f"{20_000_000 + n}", phone=f"+549115{n:07d}")
        for n in range(total)
    )
    per_doctor = total // DOCTORS + 1
    appointments = Appointment.objects.bulk_create(
        Appointment(
            patient=patient,
            doctor=doctors[n % DOCTORS],
            specialty=specialty,
            start_at=now + dt.timedelta(minutes=10 + (n // DOCTORS) * (72 * 60 // per_doctor)),
            end_at=now + dt.timedelta(minutes=10 + (n // DOCTORS) * (72 * 60 // per_doctor) + 5),
        )
        for n, patient in enumerate(patients)
    )
    OutboundMessage.objects.bulk_create(
        OutboundMessage(
            clinic=clinic,
            kind=MessageKind.REMINDER,
            appointment=appointment,
            hours_before=72,
            to_number=appointment.patient.phone,
            due_at=now - dt.timedelta(minutes=1),
            next_attempt_at=now - dt.timedelta(minutes=1),
        )
        for appointment in appointments
    )


def main() -> None:
    url = os.environ["DATABASE_URL"]
    recreate_database(url)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bot.tests.fake_twilio import FakeMessages, FakeTwilio
    from bot.tests.twilio_helpers import ACCOUNT_SID, AUTH_TOKEN
    from clinic_assistant.twilio_rest import twilio_client
    from reminders.models import OutboundMessage
    from reminders.sending import send_due_messages

    call_command("migrate", verbosity=0)
    query_count = [0]

    def count_queries(execute, sql, params, many, context):
        # A wrapper rather than connection.queries, whose log stops at 9,000 entries.
        query_count[0] += 1
        return execute(sql, params, many, context)

    with FakeTwilio(products={"messages": FakeMessages()}) as fake:
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = ACCOUNT_SID, AUTH_TOKEN
        settings.TWILIO_API_BASE_URL = fake.base_url
        settings.TWILIO_WHATSAPP_NUMBER = "+14155238886"
        settings.TWILIO_REMINDER_CONTENT_SID = "HX" + "a" * 32
        client = twilio_client()
        print(f"send_reminders against the fake Messages API ({DOCTORS} doctors, turnos in the next 72 h)")
        print(
            f"{'turnos':>8} {'seconds':>8} {'msg/s':>8} {'queries':>8} {'q/reminder':>10} {'bare API s':>10} {'ratio':>6}"
        )
        for total in SIZES:
            OutboundMessage.objects.all().delete()
            from appointments.models import Appointment, Patient
            from clinic.models import Clinic

            Appointment.objects.all().delete()
            Patient.objects.all().delete()
            Clinic.objects.all().delete()
            now = dt.datetime.now(dt.UTC)
            load(total, now)
            fake.messages.sent.clear()
            query_count[0] = 0
            started = time.perf_counter()
            with connection.execute_wrapper(count_queries):
                report = send_due_messages(now=now, client=client, workers=WORKERS)
            elapsed = time.perf_counter() - started
            queries = query_count[0]
            assert report.sent == total == len(fake.messages.sent), (report, total)

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=WORKERS) as pool:
                list(
                    pool.map(
                        lambda n: client.messages.create(
                            to=f"whatsapp:+549115{n:07d}", from_="whatsapp:+14155238886", body="x"
                        ),
                        range(total),
                    )
                )
            bare = time.perf_counter() - started
            print(
                f"{total:>8} {elapsed:>8.2f} {total / elapsed:>8.0f} {queries:>8} {queries / total:>10.3f} "
                f"{bare:>10.2f} {elapsed / bare:>6.2f}"
            )


if __name__ == "__main__":
    main()
