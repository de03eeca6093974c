"""The agenda in headless Chromium, as a receptionist and a clinic admin use it. Screenshots
go to test-artifacts/agenda/ (git-ignored) for a person to look at."""

from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from appointments.models import Appointment, AppointmentStatus, Channel, Patient
from appointments.tests.test_admin import NOW, TODAY, book, doctor
from clinic.models import Closure

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "agenda"
pytestmark = pytest.mark.usefixtures("transactional_db")


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_receptionist_books_moves_cancels_and_undoes(browser_page, live_server, make_staff_user):
    # Ticking clock in the future: server-side dates are fixed, cookies stay valid for the real browser.
    with time_machine.travel(NOW, tick=True):
        call_command("seed_demo", verbosity=0)
        make_staff_user("recepcion", "Recepción")
        regular = Patient.objects.create(full_name="Rosa Quiroga", document_number="17222333", phone="+5491144445555")
        book(regular, doctor("Romero"), TODAY, "10:40", minutes=20)
        gutierrez = doctor("Gutiérrez")
        page = browser_page
        log_in(page, live_server, "recepcion", make_staff_user.password)

        page.get_by_role("link", name="Agenda de hoy").first.click()
        page.wait_for_url("**/admin/appointments/agenda/")
        assert page.locator("h1").inner_text() == "Agenda de hoy"
        assert "10:40–11:00" in page.locator("tr", has_text="Rosa Quiroga").inner_text()
        section = page.locator(f"#doctor-{gutierrez.pk}")
        assert section.locator("tr.free").count() > 0
        shot(page, "1-day")

        # A walk-in takes Dr. Gutiérrez's 10:30, as a new patient.
        section.locator("tr.free", has_text="10:30–11:00").get_by_role("link", name="Reservar").click()
        page.fill("#id_q", "Lucía")
        page.fill("#id_full_name", "Lucía Díaz")
        page.fill("#id_document_number", "30.111.222")
        page.fill("#id_phone", "11 4444-5555")
        shot(page, "2-book")
        page.click("#book-submit")
        page.wait_for_url("**/admin/appointments/agenda/**")
        walk_in = Appointment.objects.get(patient__document_number="30111222")
        assert (walk_in.doctor, walk_in.channel, walk_in.status) == (gutierrez, Channel.ADMIN, AppointmentStatus.BOOKED)
        assert page.locator(f"#doctor-{gutierrez.pk} tr.turno", has_text="Lucía Díaz").count() == 1

        # Move it to 11:30 with the same doctor.
        page.get_by_role("link", name="Lucía Díaz").click()
        page.locator("tr.move-choice", has_text="11:30").filter(has_text="Gutiérrez").get_by_role(
            "button", name="Mover aquí"
        ).click()
        page.wait_for_selector("#turno-moved-from")
        moved = Appointment.objects.get(rescheduled_from=walk_in)
        walk_in.refresh_from_db()
        assert walk_in.status == AppointmentStatus.CANCELLED and walk_in.rescheduled_to == moved
        shot(page, "3-moved")
        page.get_by_role("link", name="Volver a la agenda").click()
        old_row = page.locator(f"#doctor-{gutierrez.pk} tr.status-cancelled", has_text="Lucía Díaz")
        assert "Cancelado" in old_row.inner_text() and "movido al" in old_row.inner_text()
        shot(page, "4-day-after-move")

        # Cancel the new one with a reason, then undo.
        page.locator(f"#doctor-{gutierrez.pk} tr.status-booked").get_by_role("link", name="Lucía Díaz").click()
        page.fill("#id_reason", "Se siente mejor")
        page.get_by_role("button", name="Cancelar turno").click()
        page.wait_for_selector("#undo-cancel")
        moved.refresh_from_db()
        assert (moved.status, moved.cancellation_reason, moved.cancelled_by.username) == (
            AppointmentStatus.CANCELLED,
            "Se siente mejor",
            "recepcion",
        )
        assert "Se siente mejor" in page.locator("#turno-cancellation").inner_text()
        shot(page, "5-cancelled")
        page.click("#undo-cancel")
        page.wait_for_selector("#cancel-form")
        moved.refresh_from_db()
        assert moved.status == AppointmentStatus.BOOKED
        assert page.locator("#turno-status").inner_text() == "Reservado"


def test_admin_adds_a_holiday_over_booked_turnos_and_sees_them(browser_page, live_server, make_staff_user):
    with time_machine.travel(NOW, tick=True):
        call_command("seed_demo", verbosity=0)
        make_staff_user("direccion", "Administración")
        patient = Patient.objects.create(full_name="Jorge Paz", document_number="20333444", phone="+5491133334444")
        booked = book(patient, doctor("Gutiérrez"), date(2030, 6, 17), "10:00")
        page = browser_page
        log_in(page, live_server, "direccion", make_staff_user.password)

        page.goto(f"{live_server.url}/admin/clinic/closure/add/")
        page.select_option("#id_clinic", index=1)
        page.fill("#id_start_date", "17/06/2030")
        page.fill("#id_end_date", "17/06/2030")
        page.fill("#id_reason", "Feriado")
        page.click("input[name=_save]")
        page.wait_for_url("**/agenda/cierre/**")
        table = page.locator("#affected-turnos")
        assert "Jorge Paz" in table.inner_text() and "+5491133334444" in table.inner_text()
        assert Closure.objects.get().reason == "Feriado"
        booked.refresh_from_db()
        assert booked.status == AppointmentStatus.BOOKED  # shown, not cancelled behind the desk's back
        shot(page, "6-holiday-affected")

        page.goto(f"{live_server.url}/admin/appointments/agenda/?date=2030-06-17")
        assert "Clínica cerrada: Feriado" in page.locator("#clinic-closed").inner_text()


@pytest.mark.parametrize("moment", [NOW, datetime(2030, 6, 15, 10, 0, tzinfo=NOW.tzinfo)], ids=["weekday", "weekend"])
def test_week_view_renders_with_free_slots_also_on_a_phone(browser_page, live_server, make_staff_user, moment):
    with time_machine.travel(moment, tick=True):
        call_command("seed_demo", verbosity=0)
        make_staff_user("recepcion", "Recepción")
        gutierrez = doctor("Gutiérrez")
        page = browser_page
        log_in(page, live_server, "recepcion", make_staff_user.password)
        # Next week: every weekday of Dr. Gutiérrez (Monday, Wednesday) is still ahead.
        page.goto(f"{live_server.url}/admin/appointments/agenda/?vista=semana&doctor={gutierrez.pk}&date=2030-06-19")
        assert page.locator("h1").inner_text() == "Agenda de la semana"
        monday = page.locator('.daycol[data-day="2030-06-17"]')
        assert monday.locator(".chip.free").count() == 16  # 8-12 and 14-18, 30-minute slots
        assert page.locator('.daycol[data-day="2030-06-18"] .chip').count() == 0  # no Tuesday schedule
        shot(page, f"7-week-{'weekday' if moment == NOW else 'weekend'}")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/admin/appointments/agenda/?date=2030-06-17&doctor={gutierrez.pk}")
        assert page.locator("tr.free").first.is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"the day view scrolls sideways on a phone ({width}px)"
        shot(page, "8-phone-day")
