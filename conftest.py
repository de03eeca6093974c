"""Project-wide pytest fixtures."""

import os

import pytest
from django.core.management import call_command
from django.db import connections


@pytest.fixture
def demo_clinic(db):
    """The seeded demo clinic "Clínica San Rafael"."""
    from clinic.models import Clinic

    call_command("seed_demo", verbosity=0)
    return Clinic.objects.get(name="Clínica San Rafael")


@pytest.fixture
def demo_clinic_tx(transactional_db):
    """The demo clinic for tests that need real commits (threads, several connections)."""
    from clinic.models import Clinic

    call_command("seed_demo", verbosity=0)
    return Clinic.objects.get(name="Clínica San Rafael")


@pytest.fixture
def fake_twilio(settings):
    """The local fake of Twilio's REST APIs (Verify included), with the settings pointing the
    real `twilio` client at it through TWILIO_API_BASE_URL."""
    from bot.tests.fake_twilio import VERIFY_SERVICE_SID, FakeTwilio
    from bot.tests.twilio_helpers import ACCOUNT_SID, AUTH_TOKEN

    with FakeTwilio() as fake:
        settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
        settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
        settings.TWILIO_API_BASE_URL = fake.base_url
        settings.TWILIO_VERIFY_SERVICE_SID = VERIFY_SERVICE_SID
        yield fake


# --- Staff roles ---------------------------------------------------------------------


def ensure_staff_group(name):
    """The "Recepción"/"Administración" group as clinic_assistant.staff_roles declares it."""
    from clinic_assistant.staff_roles import sync_staff_groups

    return sync_staff_groups()[name]


STAFF_PASSWORD = "clave-de-prueba-123"


@pytest.fixture
def make_staff_user(db, django_user_model):
    """make_staff_user("ana", "Recepción") -> an is_staff user in that group; make_staff_user.password logs in."""

    def make(username, group_name):
        user = django_user_model.objects.create_user(username=username, password=STAFF_PASSWORD, is_staff=True)
        user.groups.add(ensure_staff_group(group_name))
        return user

    make.password = STAFF_PASSWORD
    return make


# --- Browser -------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _browser_unavailable(reason):
    # CI installs Chromium and sets REQUIRE_BROWSER_TESTS=1: there a missing browser is a failure, not a skip.
    if os.environ.get("REQUIRE_BROWSER_TESTS", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (REQUIRE_BROWSER_TESTS=1 forbids skipping browser tests)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def browser_page(monkeypatch):
    """A Playwright page in headless Debian Chromium; use it with `live_server` and `transactional_db`."""
    if not os.path.exists(CHROMIUM):
        _browser_unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_unavailable("the playwright package is not installed")

    # Playwright's sync API keeps an event loop running in this thread, which makes Django
    # refuse ORM calls from the test body; they are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="es-AR", timezone_id="America/Argentina/Buenos_Aires")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            # ORM calls made while Playwright runs use a connection of their own context;
            # close it here or PostgreSQL cannot drop the test database afterwards.
            connections.close_all()
            context.close()
            browser.close()
