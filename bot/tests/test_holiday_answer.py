"""Holidays answered by date: "¿atienden el 8 de diciembre?" is about a day the weekly
hours do not know is closed (the issue heard "No tengo información sobre «8 de diciembre»")."""

import datetime as dt

import pytest

from bot.tests.test_rules_brain import Chat
from bot.tools import execute_tool
from bot.types import ToolContext
from clinic.models import Closure, Doctor

pytestmark = pytest.mark.django_db


@pytest.fixture
def holiday(demo_clinic):
    return Closure.objects.create(
        clinic=demo_clinic, start_date=dt.date(2026, 12, 8), end_date=dt.date(2026, 12, 8), reason="Feriado"
    )


@pytest.mark.parametrize("question", ["¿Atienden el 8 de diciembre?", "¿Abren el martes 8?"])
def test_the_offline_brain_says_the_clinic_is_closed_that_day(demo_clinic, holiday, tuesday, offline_brain, question):
    answer = Chat(demo_clinic).say(question)
    assert "8 de diciembre la clínica está cerrada por feriado" in answer


def test_an_open_day_gets_its_hours(demo_clinic, holiday, tuesday, offline_brain):
    answer = Chat(demo_clinic).say("¿Atienden el 9 de diciembre?")
    assert "cerrada" not in answer and "8:00 a 20:00" in answer


def test_the_clinic_info_tool_reports_closures_of_a_date(demo_clinic, holiday, tuesday):
    absent = Doctor.objects.filter(clinic=demo_clinic).first()
    Closure.objects.create(
        clinic=demo_clinic, doctor=absent, start_date=dt.date(2026, 12, 9), end_date=dt.date(2026, 12, 9)
    )
    context = ToolContext(conversation=Chat(demo_clinic).conversation, clinic=demo_clinic, now=dt.datetime.now(dt.UTC))
    closed = execute_tool(name="get_clinic_info", arguments={"topic": "hours", "date": "2026-12-08"}, context=context)
    assert closed["clinic_closed"] == {"reason": "Feriado"}
    open_day = execute_tool(name="get_clinic_info", arguments={"topic": "hours", "date": "2026-12-09"}, context=context)
    assert open_day["clinic_closed"] is None and open_day["doctors_absent"] == [absent.display_name]
