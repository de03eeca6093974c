"""One booking policy, three doors: the services, the admin's turno form and the assistant's
tools refuse the same bookings with the same code; the slot search never offers them."""

import dataclasses
import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from appointments import services
from appointments.errors import AppointmentError, AppointmentErrorCode
from appointments.models import Appointment, AppointmentStatus, Channel
from appointments.selectors import find_available_slots
from appointments.tests.factories import add_schedule, local, make_clinic, make_doctor, make_patient, make_specialty
from bot import flow
from bot.models import Conversation
from bot.tools import execute_tool
from bot.types import ToolContext
from clinic.models import Closure, OpeningHours

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)  # Tuesday 1 December 2026, 07:00 in Buenos Aires
TUESDAY, THURSDAY, FRIDAY = 1, 3, 4
CALLER = "+5491155550001"
Code = AppointmentErrorCode


@pytest.fixture
def clinic_setup(db):
    clinic = make_clinic()
    for weekday in range(5):
        OpeningHours.objects.create(clinic=clinic, weekday=weekday, opens_at=dt.time(8), closes_at=dt.time(20))
    cardio = make_specialty(clinic, "Cardiología")
    clinica = make_specialty(clinic, "Clínica médica")
    garcia = make_doctor(clinic, "García", [cardio])
    lopez = make_doctor(clinic, "López", [clinica], first_name="Luis")
    add_schedule(garcia, cardio, TUESDAY, "08:00", "12:00", 30)
    add_schedule(garcia, cardio, FRIDAY, "14:00", "20:00", 30)
    thursdays = add_schedule(garcia, cardio, THURSDAY, "08:00", "12:00", 30)
    thursdays.valid_until = dt.date(2026, 12, 3)  # the Thursday block ends after 3 December
    thursdays.save()
    add_schedule(lopez, clinica, TUESDAY, "08:00", "12:00", 30)
    Closure.objects.create(
        clinic=clinic, start_date=dt.date(2026, 12, 8), end_date=dt.date(2026, 12, 8), reason="Feriado"
    )
    Closure.objects.create(
        clinic=clinic,
        doctor=garcia,
        start_date=dt.date(2026, 12, 15),
        end_date=dt.date(2026, 12, 15),
        reason="Congreso",
    )
    return {"clinic": clinic, "cardio": cardio, "clinica": clinica, "garcia": garcia, "lopez": lopez}


# (day of December 2026, local time, expected refusal): every way the issue saw the desk go wrong.
REFUSALS = [
    pytest.param(6, "10:00", Code.OUTSIDE_SCHEDULE, id="sunday"),
    pytest.param(1, "14:00", Code.OUTSIDE_SCHEDULE, id="after-the-doctors-hours"),
    pytest.param(10, "09:00", Code.OUTSIDE_SCHEDULE, id="schedule-no-longer-valid"),
    pytest.param(1, "09:40", Code.OFF_GRID, id="off-the-grid"),
    pytest.param(8, "09:00", Code.CLOSED, id="holiday"),
    pytest.param(15, "09:00", Code.DOCTOR_ABSENT, id="doctor-absent"),
    pytest.param(-24, "09:00", Code.IN_PAST, id="last-week"),  # -24: 24 November
]


def start_of(setup, day: int, hhmm: str) -> dt.datetime:
    hour, minute = map(int, hhmm.split(":"))
    month, day = (11, -day) if day < 0 else (12, day)
    return local(setup["clinic"], 2026, month, day, hour, minute)


# --- service level -----------------------------------------------------------------------


@pytest.mark.parametrize(("day", "hhmm", "code"), REFUSALS)
def test_service_refuses_with_the_policys_code(clinic_setup, day, hhmm, code):
    with pytest.raises(AppointmentError) as error:
        services.book_appointment(
            patient=make_patient(),
            doctor=clinic_setup["garcia"],
            specialty=clinic_setup["cardio"],
            start=start_of(clinic_setup, day, hhmm),
            now=NOW,
        )
    assert error.value.code == code
    assert error.value.message  # Spanish, for the desk or the patient
    assert not Appointment.objects.exists()


def test_search_never_offers_what_booking_refuses(clinic_setup):
    """Agreement by construction: every slot offered in two weeks books, and no refused time is offered."""
    slots = find_available_slots(specialty=clinic_setup["cardio"], now=NOW)
    starts = {slot.start for slot in slots}
    for day, hhmm, _code in [param.values for param in REFUSALS]:
        assert start_of(clinic_setup, day, hhmm) not in starts
    local_days = {slot.start.astimezone(clinic_setup["clinic"].tzinfo).date() for slot in slots}
    assert dt.date(2026, 12, 3) in local_days and dt.date(2026, 12, 10) not in local_days
    patient = make_patient()
    for slot in slots[:: max(1, len(slots) // 10)]:
        booked = services.book_appointment(
            patient=patient, doctor=clinic_setup["garcia"], specialty=clinic_setup["cardio"], start=slot.start, now=NOW
        )
        assert (booked.start_at, booked.end_at) == (slot.start, slot.end)


def test_patient_cannot_overlap_with_another_doctor(clinic_setup):
    patient = make_patient()
    services.book_appointment(
        patient=patient,
        doctor=clinic_setup["garcia"],
        specialty=clinic_setup["cardio"],
        start=start_of(clinic_setup, 1, "09:00"),
        now=NOW,
    )
    with pytest.raises(AppointmentError) as error:
        services.book_appointment(
            patient=patient,
            doctor=clinic_setup["lopez"],
            specialty=clinic_setup["clinica"],
            start=start_of(clinic_setup, 1, "09:00"),
            now=NOW,
        )
    assert error.value.code == Code.PATIENT_BUSY
    assert Appointment.objects.count() == 1


def test_lead_time_depends_on_who_books(clinic_setup):
    """At 07:45 the desk books the 08:00 walk-in; the assistant (30 minutes ahead) may not."""
    now = NOW + dt.timedelta(minutes=45)
    kwargs = {
        "doctor": clinic_setup["garcia"],
        "specialty": clinic_setup["cardio"],
        "start": start_of(clinic_setup, 1, "08:00"),
        "now": now,
    }
    with pytest.raises(AppointmentError) as error:
        services.book_appointment(patient=make_patient(), channel=Channel.WHATSAPP, **kwargs)
    assert error.value.code == Code.TOO_SOON
    walk_in = make_patient(document_number="30999888", phone="+5491155550009")
    assert services.book_appointment(patient=walk_in, channel=Channel.ADMIN, **kwargs).pk


def test_reduced_opening_hours_stop_offers_and_bookings_after_closing(clinic_setup):
    friday = OpeningHours.objects.get(clinic=clinic_setup["clinic"], weekday=FRIDAY)
    friday.closes_at = dt.time(18)
    friday.save()
    slots = find_available_slots(
        specialty=clinic_setup["cardio"],
        start=start_of(clinic_setup, 4, "00:00"),
        end=start_of(clinic_setup, 5, "00:00"),
        now=NOW,
    )
    times = [slot.start.astimezone(clinic_setup["clinic"].tzinfo).strftime("%H:%M") for slot in slots]
    assert times[0] == "14:00" and times[-1] == "17:30"  # the 17:30 slot ends at closing time
    with pytest.raises(AppointmentError) as error:
        services.book_appointment(
            patient=make_patient(),
            doctor=clinic_setup["garcia"],
            specialty=clinic_setup["cardio"],
            start=start_of(clinic_setup, 4, "19:00"),
            now=NOW,
        )
    assert error.value.code == Code.OUTSIDE_OPENING_HOURS


# --- the admin's turno form ----------------------------------------------------------------


@pytest.fixture
def desk_client(clinic_setup, client, admin_user):
    with time_machine.travel(NOW, tick=False):
        client.force_login(admin_user)
        yield client


def post_turno(client, setup, patient, *, doctor="garcia", specialty="cardio", date_text, hhmm):
    return client.post(
        reverse("admin:appointments_appointment_add"),
        {
            "patient": patient.pk,
            "doctor": setup[doctor].pk,
            "specialty": setup[specialty].pk,
            "start_at_0": date_text,
            "start_at_1": hhmm,
            "status": AppointmentStatus.BOOKED,
            "notes": "",
        },
    )


def form_error_codes(response) -> list[str]:
    return [error.code for error in response.context["adminform"].form.errors.as_data().get("__all__", [])]


@pytest.mark.parametrize(("day", "hhmm", "code"), REFUSALS)
def test_admin_form_refuses_with_the_policys_code(desk_client, clinic_setup, day, hhmm, code):
    start = start_of(clinic_setup, day, hhmm)
    response = post_turno(desk_client, clinic_setup, make_patient(), date_text=f"{start:%d/%m/%Y}", hhmm=hhmm)
    assert response.status_code == 200
    assert form_error_codes(response) == [code]
    assert not Appointment.objects.exists()


def test_admin_form_refuses_a_patient_overlap_with_another_doctor(desk_client, clinic_setup):
    patient = make_patient()
    assert post_turno(desk_client, clinic_setup, patient, date_text="01/12/2026", hhmm="09:00").status_code == 302
    response = post_turno(
        desk_client, clinic_setup, patient, doctor="lopez", specialty="clinica", date_text="01/12/2026", hhmm="09:00"
    )
    assert form_error_codes(response) == [Code.PATIENT_BUSY]
    assert Appointment.objects.count() == 1


def test_admin_form_refuses_after_reduced_closing(desk_client, clinic_setup):
    friday = OpeningHours.objects.get(clinic=clinic_setup["clinic"], weekday=FRIDAY)
    friday.closes_at = dt.time(18)
    friday.save()
    response = post_turno(desk_client, clinic_setup, make_patient(), date_text="04/12/2026", hhmm="19:00")
    assert form_error_codes(response) == [Code.OUTSIDE_OPENING_HOURS]


def test_admin_dates_are_read_day_first(desk_client, clinic_setup):
    """ "12/01/2027" is 12 January 2027 (a Tuesday); "12/01/2026" is last January: refused, not saved."""
    patient = make_patient()
    assert form_error_codes(post_turno(desk_client, clinic_setup, patient, date_text="12/01/2026", hhmm="09:00")) == [
        Code.IN_PAST
    ]
    response = post_turno(desk_client, clinic_setup, patient, date_text="12/01/2027", hhmm="09:00")
    assert response.status_code == 302
    booked = Appointment.objects.get()
    assert booked.start_at == local(clinic_setup["clinic"], 2027, 1, 12, 9, 0)
    assert (booked.end_at - booked.start_at, booked.channel) == (dt.timedelta(minutes=30), Channel.ADMIN)


def test_admin_move_follows_the_policy(desk_client, clinic_setup):
    patient = make_patient()
    post_turno(desk_client, clinic_setup, patient, date_text="01/12/2026", hhmm="09:00")
    appointment = Appointment.objects.get()
    url = reverse("admin:appointments_appointment_change", args=[appointment.pk])
    response = desk_client.post(
        url, {"doctor": appointment.doctor_id, "start_at_0": "08/12/2026", "start_at_1": "09:00", "notes": ""}
    )
    assert form_error_codes(response) == [Code.CLOSED]
    # Moving by half an hour overlaps the turno's own time: it does not count against it.
    response = desk_client.post(
        url, {"doctor": appointment.doctor_id, "start_at_0": "01/12/2026", "start_at_1": "09:30", "notes": ""}
    )
    assert response.status_code == 302
    assert Appointment.objects.get(rescheduled_from=appointment).start_at == start_of(clinic_setup, 1, "09:30")


# --- the assistant's tools -------------------------------------------------------------------


def tool_context(setup, now=NOW) -> ToolContext:
    setup["clinic"].refresh_from_db()  # each turn reads its clinic row (and so sees new opening hours)
    conversation, _ = Conversation.objects.get_or_create(clinic=setup["clinic"], channel="whatsapp", participant=CALLER)
    return ToolContext(conversation=conversation, clinic=setup["clinic"], now=now)


def book_by_tool(setup, start: dt.datetime, *, specialty="Cardiología", dni="30111222") -> dict:
    """The tool called, read back and called again on the patient's yes (bot.flow.Write)."""
    local_start = start.astimezone(setup["clinic"].tzinfo)
    arguments = {
        "full_name": "Juan Pérez",
        "document_number": dni,
        "specialty": specialty,
        "date": f"{local_start:%Y-%m-%d}",
        "time": f"{local_start:%H:%M}",
    }
    context = tool_context(setup)
    held = execute_tool(name="book_appointment", arguments=arguments, context=context)
    if held.get("code") != flow.CONFIRM_FIRST:
        return held
    next_turn = dataclasses.replace(tool_context(setup), state=context.state)
    next_turn.confirmed = flow.confirmed_write(next_turn.state, "sí", now=next_turn.now)
    return execute_tool(name="book_appointment", arguments=arguments, context=next_turn)


@pytest.mark.parametrize(("day", "hhmm", "code"), REFUSALS)
def test_assistant_tool_refuses_with_the_policys_code(clinic_setup, day, hhmm, code):
    result = book_by_tool(clinic_setup, start_of(clinic_setup, day, hhmm))
    assert (result["ok"], result["code"]) == (False, code)
    assert not Appointment.objects.exists()


def test_assistant_tool_refuses_the_callers_overlap_with_another_doctor(clinic_setup):
    assert book_by_tool(clinic_setup, start_of(clinic_setup, 1, "09:00"))["ok"]
    result = book_by_tool(clinic_setup, start_of(clinic_setup, 1, "09:00"), specialty="Clínica médica")
    assert (result["ok"], result["code"]) == (False, Code.PATIENT_BUSY)
    assert Appointment.objects.count() == 1


def test_assistant_hours_offers_and_bookings_follow_reduced_opening_hours(clinic_setup):
    """The issue's Friday: closing moved to 18:00; the assistant says so, offers nothing
    later and does not book 19:00."""
    friday = OpeningHours.objects.get(clinic=clinic_setup["clinic"], weekday=FRIDAY)
    friday.closes_at = dt.time(18)
    friday.save()
    hours = execute_tool(name="get_clinic_info", arguments={"topic": "hours"}, context=tool_context(clinic_setup))
    assert "Viernes: 08:00 a 18:00" in hours["opening_hours"]
    offered = execute_tool(
        name="find_available_slots",
        arguments={"specialty": "Cardiología", "date": "2026-12-04", "limit": 6},
        context=tool_context(clinic_setup),
    )
    assert offered["slots"] and all(slot["time"] < "18:00" for slot in offered["slots"])
    result = book_by_tool(clinic_setup, start_of(clinic_setup, 4, "19:00"))
    assert (result["ok"], result["code"]) == (False, Code.OUTSIDE_OPENING_HOURS)
    assert not Appointment.objects.exists()
