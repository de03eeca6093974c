"""The clinic admin's dashboard, rendered from seeded data in a real browser."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from appointments.models import Appointment, AppointmentStatus, Channel
from bot.models import Conversation, ConversationOutcome, Message, MessageRole
from reminders import stats
from reminders.models import MessageKind, MessageStatus, OfferStatus, OutboundMessage, WaitlistEntry, WaitlistOffer
from reminders.tests.conftest import TZ, at, make_patient

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def seed_month(clinic):
    """A month of activity: bookings on three channels, finished turnos, reminders, a
    waitlist fill, conversations and model usage."""
    from clinic.models import Doctor, Specialty

    cardio = Specialty.objects.get(clinic=clinic, name="Cardiología")
    doctor = Doctor.objects.get(last_name="Gutiérrez")
    patient = make_patient()
    for n in range(24):
        start = at(1, 8) - dt.timedelta(days=n + 1, minutes=-30 * (n % 4))
        status = [AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW, AppointmentStatus.ATTENDED][n % 3]
        appointment = Appointment.objects.create(
            patient=patient,
            doctor=doctor,
            specialty=cardio,
            start_at=start,
            end_at=start + dt.timedelta(minutes=30),
            status=status,
            channel=[Channel.WHATSAPP, Channel.PHONE, Channel.ADMIN][n % 3],
        )
        Appointment.objects.filter(pk=appointment.pk).update(created_at=start - dt.timedelta(days=2))
        OutboundMessage.objects.filter(appointment=appointment).delete()
        OutboundMessage.objects.create(
            clinic=clinic,
            kind=MessageKind.REMINDER,
            appointment=appointment,
            hours_before=24,
            to_number=patient.phone,
            due_at=start - dt.timedelta(hours=24),
            next_attempt_at=start - dt.timedelta(hours=24),
            status=MessageStatus.ANSWERED if n % 2 else MessageStatus.FAILED,
            sent_at=start - dt.timedelta(hours=24) if n % 2 else None,
            answered_at=start - dt.timedelta(hours=20) if n % 2 else None,
            answer="confirm" if n % 2 else "",
        )
    entry = WaitlistEntry.objects.create(clinic=clinic, patient=patient, phone=patient.phone, specialty=cardio)
    WaitlistOffer.objects.create(
        entry=entry, doctor=doctor, specialty=cardio, start_at=at(3, 9), status=OfferStatus.ACCEPTED
    )
    for n, outcome in enumerate([ConversationOutcome.BOOKED] * 5 + [ConversationOutcome.INFORMED] * 3 + ["abandoned"]):
        conversation = Conversation.objects.create(
            clinic=clinic, channel="phone" if n % 2 else "whatsapp", participant=f"+5491100000{n:03d}", outcome=outcome
        )
        for turn in range(4):
            Message.objects.create(
                conversation=conversation,
                role=MessageRole.ASSISTANT,
                text="…",
                tokens_in=900 + 10 * turn,
                tokens_out=40,
                latency_ms=600 + 150 * turn + 40 * n,
            )
    return cardio


@pytest.mark.usefixtures("clock")
def test_the_numbers_behind_the_charts(demo_clinic):
    seed_month(demo_clinic)
    window = stats.Window.last_days(today=dt.date(2026, 12, 1), days=30, tz=TZ)

    by_channel = stats.bookings_by_day_and_channel(clinic=demo_clinic, window=window)
    assert sum(sum(counts) for counts in by_channel.values()) == 24
    assert set(by_channel) == {"whatsapp", "phone", "admin"}
    rates = stats.confirmation_and_no_show_by_week(clinic=demo_clinic, window=window)
    assert all(rate is None or 0 <= rate <= 1 for rate in rates["confirmation"] + rates["no_show"])
    assert any(rates["no_show"]) and any(rates["confirmation"])
    reminders = stats.reminders_by_week(clinic=demo_clinic, window=window)
    assert (sum(reminders["sent"]), sum(reminders["failed"]), sum(reminders["answered"])) == (12, 12, 12)
    assert sum(stats.waitlist_by_week(clinic=demo_clinic, window=window)["filled"]) == 1
    assert stats.conversations_by_outcome(clinic=demo_clinic, window=window) == {
        "booked": 5,
        "informed": 3,
        "abandoned": 1,
    }
    cost = stats.model_cost_by_day(clinic=demo_clinic, window=window)
    assert cost["tokens"][-1] == 9 * (4 * 900 + 60 + 4 * 40)
    latency = stats.voice_latency_by_day(clinic=demo_clinic, window=window)
    assert latency["p50"][-1] is not None and latency["p95"][-1] >= latency["p50"][-1]


@pytest.mark.usefixtures("clock")
def test_the_dashboard_is_staff_only_and_needs_no_internet(client, demo_clinic, make_staff_user, django_user_model):
    django_user_model.objects.create_user(username="paciente", password="x")
    client.login(username="paciente", password="x")
    assert client.get(reverse("dashboard")).status_code == 302  # to the admin login

    make_staff_user("admin", "Administración")
    client.login(username="admin", password=make_staff_user.password)
    html = client.get(reverse("dashboard")).content.decode()
    assert html.count('<figure id="chart-') == 7 and html.count('class="pygal-chart') == 7
    assert "http://kozea" not in html and "//kozea" not in html and "cdn" not in html.lower()


@pytest.mark.usefixtures("transactional_db")
def test_the_dashboard_renders_its_charts_in_a_browser(browser_page, live_server, make_staff_user, clock, settings):
    from django.core.management import call_command

    from clinic.models import Clinic

    settings.OPENAI_DAILY_BUDGET_USD = 0.01
    call_command("seed_demo", verbosity=0)
    seed_month(Clinic.objects.get(name="Clínica San Rafael"))
    make_staff_user("direccion", "Administración")
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "direccion")
    page.fill("#id_password", make_staff_user.password)
    page.click("input[type=submit]")
    page.get_by_role("link", name="Tablero").click()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-debug.png"), full_page=True)
    charts = page.locator("#dashboard-charts figure svg")
    assert charts.count() == 7
    for name in ["bookings", "rates", "reminders", "waitlist", "outcomes", "cost", "latency"]:
        # pygal draws each series' values as elements of class "value" / "dot" / "rect".
        drawn = page.locator(f"#chart-{name} svg .series .reactive").count()
        assert drawn > 0, f"{name} chart drew no data"
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 2200})
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
