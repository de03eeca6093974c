import datetime as dt
import zoneinfo

import pytest
import time_machine

from bot.tests.twilio_helpers import ACCOUNT_SID, AUTH_TOKEN


@pytest.fixture
def twilio_settings(settings):
    """Webhooks as in production: a Twilio auth token, DEBUG off, the offline brain and no
    speech-to-text provider unless a test configures one."""
    settings.DEBUG = False
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.PUBLIC_BASE_URL = ""
    settings.BOT_BRAIN = "rules"
    settings.OPENAI_API_KEY = ""
    settings.OPENAI_BASE_URL = None
    settings.GOOGLE_APPLICATION_CREDENTIALS = ""
    settings.VOICE_LANGUAGE = "es-MX"
    settings.VOICE_NAME = "Polly.Mia"
    settings.VOICE_TIMEOUT = 5
    return settings


@pytest.fixture
def scripted_model(twilio_settings):
    """The OpenAI brain against the scripted OpenAI-compatible server (bot/tests/fake_openai.py)."""
    from bot.tests.fake_openai import FakeOpenAI

    with FakeOpenAI() as server:
        twilio_settings.BOT_BRAIN = "openai"
        twilio_settings.OPENAI_API_KEY = "test"
        twilio_settings.OPENAI_BASE_URL = server.base_url
        twilio_settings.OPENAI_TIMEOUT = 5
        yield server


CLINIC_TZ = zoneinfo.ZoneInfo("America/Argentina/Buenos_Aires")
# A Tuesday morning at the demo clinic: every specialty has free slots ahead.
TUESDAY_9AM = dt.datetime(2026, 12, 1, 9, 0, tzinfo=CLINIC_TZ)
# The weekend: the clinic closed since Saturday 13:00, open again on Monday.
SATURDAY_EVENING = dt.datetime(2026, 12, 5, 19, 30, tzinfo=CLINIC_TZ)


@pytest.fixture
def offline_brain(settings):
    """The offline rules brain, whatever the developer's environment says."""
    settings.BOT_BRAIN = "rules"
    settings.OPENAI_API_KEY = ""


@pytest.fixture
def tuesday():
    """Tuesday 09:00 at the clinic, frozen; a test moves it on with `tuesday.shift(...)`."""
    with time_machine.travel(TUESDAY_9AM, tick=False) as traveller:
        yield traveller


@pytest.fixture(params=["tuesday", "saturday_evening"])
def clock(request):
    """The clinic's clock frozen on a weekday morning and on a Saturday evening: each test that
    asks for it runs on both (a module may define its own `clock`)."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def saturday_evening():
    with time_machine.travel(SATURDAY_EVENING, tick=False):
        yield
