"""Clinic wall-clock times in headless Chromium from a browser on another clock: no "Enter
times in the UTC timezone" note next to any time field. Screenshot in test-artifacts/admin/."""

from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from appointments.tests.test_admin import NOW
from appointments.tests.test_agenda_browser import log_in
from clinic.models import Clinic

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "admin"
pytestmark = pytest.mark.usefixtures("transactional_db")


def test_clinic_hours_show_no_timezone_note_on_a_browser_in_madrid(browser_page, live_server, make_staff_user):
    with time_machine.travel(NOW, tick=True):
        call_command("seed_demo", verbosity=0)
        make_staff_user("admin_clinica", "Administración")
        clinic = Clinic.objects.get()
        # A clinic admin travelling: her browser's clock is five hours ahead of the clinic's.
        context = browser_page.context.browser.new_context(locale="es-ES", timezone_id="Europe/Madrid")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            log_in(page, live_server, "admin_clinica", make_staff_user.password)
            page.goto(f"{live_server.url}{reverse('admin:clinic_clinic_change', args=[clinic.pk])}")
            page.wait_for_load_state("load")
            time_inputs = page.locator("input.vTimeField")
            assert time_inputs.count() >= 12  # opening hours: opens and closes, six days
            assert "08:00" in time_inputs.first.input_value()
            assert page.locator(".timezonewarning").count() == 0
            # "Ahora" still writes the clinic's hour (the browser's real clock read in Buenos Aires), not Madrid's.
            clinic_hour = page.evaluate(
                "new Date().toLocaleTimeString('en-GB', {timeZone: 'America/Argentina/Buenos_Aires', hour12: false})"
            )[:2]
            page.locator("input.vTimeField").first.fill("")
            page.locator(".datetimeshortcuts a", has_text="Ahora").first.click()
            assert page.locator("input.vTimeField").first.input_value()[:2] == clinic_hour
            assert "UTC" not in page.locator("body").inner_text()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "clinic-hours-madrid.png"), full_page=True)
        finally:
            context.close()
