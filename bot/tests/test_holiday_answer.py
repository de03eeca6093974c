"""Holidays and absences answered by date: "¿atienden el 8 de diciembre?" is about a day the
weekly hours do not know is closed (the issue heard "No tengo información sobre «8 de
diciembre»"), and "¿el Dr. Gutiérrez atiende el miércoles 16?" about a day he is away."""

import datetime as dt
import json

import pytest
import time_machine

from bot.tests import fake_openai as fake
from bot.tests.conftest import CLINIC_TZ
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


# --- a doctor's absence on a date ------------------------------------------------------

ABSENT_DAY = dt.date(2026, 12, 16)  # a Wednesday, one of Dr. Gutiérrez's days


@pytest.fixture(params=["tuesday", "saturday"])
def clock(request):
    """A weekday and a weekend morning: the date asked is the same Wednesday from both."""
    when = dt.datetime(2026, 12, 1, 9, 0) if request.param == "tuesday" else dt.datetime(2026, 12, 5, 10, 0)
    with time_machine.travel(when.replace(tzinfo=CLINIC_TZ), tick=False):
        yield


@pytest.fixture
def leave(demo_clinic):
    return Closure.objects.create(
        clinic=demo_clinic,
        doctor=Doctor.objects.get(last_name="Gutiérrez"),
        start_date=ABSENT_DAY,
        end_date=ABSENT_DAY,
        reason="Licencia por enfermedad",
    )


@pytest.mark.parametrize(
    "question",
    [
        "¿El Dr. Gutiérrez atiende el miércoles 16?",  # the doctor
        "¿Hay cardiología el miércoles 16?",  # his specialty
        "¿Qué horario tiene cardiología el 16 de diciembre?",  # the hours, of the specialty
        "¿A qué hora atienden el miércoles 16?",  # the hours
        "quiero turno con gutierrez el miercoles 16",  # a booking with him that day
    ],
)
def test_the_offline_brain_says_the_doctor_is_absent_that_day(demo_clinic, leave, clock, offline_brain, question):
    answer = Chat(demo_clinic).say(question)
    assert "miércoles 16 de diciembre no atiende el Dr. Martín Gutiérrez" in answer
    assert "enfermedad" not in answer  # a doctor's reason is not the patients'


def test_an_absence_on_another_day_is_not_mentioned(demo_clinic, leave, clock, offline_brain):
    answer = Chat(demo_clinic).say("¿El Dr. Gutiérrez atiende el lunes 14?")
    assert answer.startswith("Sí") and "no atiende" not in answer


def tool_results(model) -> list[dict]:
    """What the tools answered, as the model read it in its later requests."""
    return [
        json.loads(message["content"]) for message in model.requests[-1]["messages"] if message.get("role") == "tool"
    ]


@pytest.mark.parametrize(
    "call",
    [
        fake.call("get_clinic_info", {"date": ABSENT_DAY.isoformat()}),
        fake.call(
            "find_available_slots", {"specialty": "cardiología", "doctor": "Gutiérrez", "date": ABSENT_DAY.isoformat()}
        ),
        fake.call("find_available_slots", {"specialty": "cardiología", "date": ABSENT_DAY.isoformat()}),
    ],
    ids=["hours", "the doctor", "the specialty"],
)
def test_the_model_reads_the_absence_in_the_tool_result(demo_clinic, leave, clock, scripted_model, call):
    scripted_model.script(fake.tool_calls(call), fake.text("Ese día el Dr. Gutiérrez no atiende."))
    Chat(demo_clinic).say("¿Atiende el Dr. Gutiérrez el miércoles 16?")
    [result] = tool_results(scripted_model)
    assert result["date"] == ABSENT_DAY.isoformat() and result["doctors_absent"] == ["Dr. Martín Gutiérrez"]
    assert "enfermedad" not in json.dumps(result)


def test_a_search_on_an_open_day_adds_nothing_for_the_model(demo_clinic, leave, clock, scripted_model):
    call = fake.call("find_available_slots", {"specialty": "cardiología", "date": "2026-12-14"})
    scripted_model.script(fake.tool_calls(call), fake.text("Tengo estos horarios."))
    Chat(demo_clinic).say("¿Hay turno de cardiología el lunes 14?")
    [result] = tool_results(scripted_model)
    assert result["slots"] and "doctors_absent" not in result and "clinic_closed" not in result
