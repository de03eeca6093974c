"""The receptionist's agenda (appointments.agenda): day and week with free slots from the
booking search, booking a walk-in, the turno's buttons, closures, sheet and CSV."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from appointments.agenda.selectors import agenda_grid
from appointments.models import Appointment, AppointmentStatus, Channel, Patient
from appointments.selectors import find_available_slots, local_day_bounds
from appointments.tests.test_admin import BUENOS_AIRES, NOW, TODAY, book, doctor, messages_of
from clinic.models import Clinic, Closure, Doctor, Specialty
from clinic.selectors import catalog_for

pytestmark = pytest.mark.django_db

AGENDA = "/admin/appointments/agenda/"
SATURDAY = date(2030, 6, 15)


def grid_for(clinic, day, days=1, **filters):
    return agenda_grid(
        clinic=clinic, first=day, days=days, specialties=catalog_for(clinic).active_specialties, **filters
    )


def column(response, last_name):
    return next(c for c in response.context["grid"].doctors if c.doctor.last_name == last_name)


# --- day view ------------------------------------------------------------------------


def test_day_view_shows_turnos_and_the_same_free_slots_as_the_assistant(desk, patients):
    gutierrez = doctor("Gutiérrez")
    cardiology = Specialty.objects.get(name="Cardiología")
    taken = book(patients["juan"], gutierrez, TODAY, "10:00")
    response = desk.get(AGENDA, {"doctor": gutierrez.pk})
    assert response.status_code == 200
    entries = column(response, "Gutiérrez").days[0].entries
    start, end = local_day_bounds(TODAY, BUENOS_AIRES)
    expected = [s.start for s in find_available_slots(specialty=cardiology, doctor=gutierrez, start=start, end=end)]
    assert [e.start for e in entries if e.is_free] == expected
    assert expected and all(slot > NOW for slot in expected)  # nothing in the past is offered
    assert [e.appointment for e in entries if not e.is_free] == [taken]
    assert taken.start_at not in expected
    html = response.text
    assert "Juan Pérez" in html and "Reservar" in html and "Agenda de hoy" in html


def test_agenda_groups_per_doctor_in_time_order(desk, patients):
    gutierrez, romero = doctor("Gutiérrez"), doctor("Romero")
    clinica = Specialty.objects.get(name="Clínica médica")
    book(patients["maria"], romero, TODAY, "11:00", minutes=20, specialty=clinica)
    book(patients["juan"], gutierrez, TODAY, "10:30")
    book(patients["ana"], romero, TODAY, "08:20", minutes=20, specialty=clinica)
    book(patients["ana"], gutierrez, TODAY, "08:00")
    book(patients["juan"], gutierrez, TODAY + timedelta(days=1), "08:00")  # another day
    response = desk.get(AGENDA)
    names = [c.doctor.last_name for c in response.context["grid"].doctors]
    assert names.index("Gutiérrez") < names.index("Romero")
    assert names.index("Acosta") < names.index("Álvarez") < names.index("Benítez")  # accents do not sort last
    assert [a.patient.full_name for a in column(response, "Gutiérrez").days[0].turnos] == ["Ana Ruiz", "Juan Pérez"]
    assert [a.patient.full_name for a in column(response, "Romero").days[0].turnos] == ["Ana Ruiz", "María Gómez"]
    assert "miércoles 12 de junio de 2030" in response.text


def test_specialty_filter_shows_only_its_doctors(desk, patients):
    cardiology = Specialty.objects.get(name="Cardiología")
    response = desk.get(AGENDA, {"specialty": cardiology.pk})
    shown = {c.doctor.last_name for c in response.context["grid"].doctors}
    assert shown == {"Gutiérrez"}  # Wednesday: the only cardiologist attending
    assert all(e.specialty == cardiology for c in response.context["grid"].doctors for e in c.days[0].entries)


@pytest.mark.parametrize(
    ("params", "warning"),
    [
        ({"date": "mañana"}, "no es válida"),
        ({"date": "2030-02-30"}, "no es válida"),
        ({"date": "9999-12-31"}, "no es válida"),
        ({"doctor": "abc"}, "No se encontró"),
        ({"specialty": "999999"}, "No se encontró"),
    ],
)
def test_bad_filters_get_a_spanish_warning_not_an_error(desk, params, warning):
    response = desk.get(AGENDA, params)
    assert response.status_code == 200
    assert any(warning in text for text in messages_of(response))


def test_agenda_day_follows_the_clinic_clock_not_utc(desk, patients):
    gutierrez = doctor("Gutiérrez")
    late = book(patients["juan"], gutierrez, TODAY, "23:30")  # 02:30 UTC of the next day
    book(patients["maria"], gutierrez, TODAY + timedelta(days=1), "00:30")
    early = book(patients["ana"], gutierrez, TODAY, "00:10")
    clinic = Clinic.objects.get()
    assert grid_for(clinic, TODAY, doctor=gutierrez).doctors[0].days[0].turnos == [early, late]
    with time_machine.travel(datetime(2030, 6, 12, 23, 50, tzinfo=BUENOS_AIRES), tick=False):
        response = desk.get(AGENDA)
    assert response.context["filters"].day == TODAY
    assert "23:30–00:00" in response.text


def test_agenda_days_are_23_or_25_hours_long_across_a_dst_change(db, patients):
    """Chile moves its clocks: the agenda's day runs from local midnight to local midnight."""
    from zoneinfo import ZoneInfo

    santiago = ZoneInfo("America/Santiago")
    clinic = Clinic.objects.create(name="Clínica Providencia", timezone="America/Santiago")
    specialty = Specialty.objects.create(clinic=clinic, name="Clínica médica")
    medic = Doctor.objects.create(clinic=clinic, first_name="Rocío", last_name="Soto", title="Dra.")
    medic.specialties.add(specialty)

    def at(local):
        start = local.astimezone(UTC)
        return Appointment.objects.create(
            patient=patients["juan"],
            doctor=medic,
            specialty=specialty,
            start_at=start,
            end_at=start + timedelta(minutes=20),
        )

    def turnos(day):
        return [a for c in grid_for(clinic, day).doctors for d in c.days for a in d.turnos]

    second_2330 = at(datetime(2030, 4, 6, 23, 30, fold=1, tzinfo=santiago))  # 25-hour Saturday
    next_day = at(datetime(2030, 4, 7, 0, 10, tzinfo=santiago))
    assert turnos(date(2030, 4, 6)) == [second_2330]
    assert turnos(date(2030, 4, 7)) == [next_day]
    one_am = at(datetime(2030, 9, 8, 1, 0, tzinfo=santiago))  # 23-hour Sunday
    assert turnos(date(2030, 9, 8)) == [one_am]


@pytest.mark.parametrize("role", ["superuser", "Recepción"])
def test_day_and_week_query_counts_do_not_grow(desk, patients, make_staff_user, django_assert_max_num_queries, role):
    """Queries are pinned: the same with 2 or 40 turnos, and the week costs no more than a day."""
    if role != "superuser":
        desk.force_login(make_staff_user("recepcion", role))
    doctors = list(Doctor.objects.all()[:4])

    def fill(count, days):
        Appointment.objects.all().delete()
        Patient.objects.filter(full_name__startswith="Paciente ").delete()
        for index in range(count):
            patient = Patient.objects.create(
                full_name=f"Paciente {count}-{index}", document_number=f"9{count:03}{index:04}"
            )
            book(
                patient,
                doctors[index % 4],
                (TODAY if days == 1 else date(2030, 6, 10)) + timedelta(days=index % days),
                f"{8 + index // 4 % 12:02}:{index % 4 * 15:02}",
                minutes=15,
            )

    counts = {}
    for view, days in (("day", 1), ("week", 7)):
        params = {"vista": "semana"} if view == "week" else {}
        for count in (2, 40):
            fill(count, days)
            desk.get(AGENDA, params)  # warm the catalog: its rebuild is not the view's cost
            with django_assert_max_num_queries(60) as captured:
                response = desk.get(AGENDA, params)
            counts[(view, count)] = len(captured.captured_queries)
        assert response.context["grid"].appointment_count == 40
    assert counts[("day", 2)] == counts[("day", 40)]
    assert counts[("week", 2)] == counts[("week", 40)]
    assert counts[("week", 40)] <= counts[("day", 40)]  # the day also links moved turnos


# --- week view -----------------------------------------------------------------------


def test_week_view_shows_free_slots_per_day_and_marks_closed_days(desk, patients):
    clinic = Clinic.objects.get()
    gutierrez = doctor("Gutiérrez")
    Closure.objects.create(
        clinic=clinic, start_date=TODAY + timedelta(days=2), end_date=TODAY + timedelta(days=2), reason="Feriado"
    )
    Closure.objects.create(
        clinic=clinic, doctor=gutierrez, start_date=date(2030, 6, 10), end_date=date(2030, 6, 10), reason="Congreso"
    )
    book(patients["juan"], gutierrez, TODAY, "10:00")
    response = desk.get(AGENDA, {"vista": "semana", "doctor": gutierrez.pk})
    assert response.status_code == 200
    days = column(response, "Gutiérrez").days
    assert [d.day for d in days] == [date(2030, 6, 10) + timedelta(days=i) for i in range(7)]
    monday, wednesday, friday = days[0], days[2], days[4]
    assert [c.reason for c in monday.closures] == ["Congreso"] and monday.free_count == 0
    assert wednesday.free_count > 0 and len(wednesday.turnos) == 1
    assert [c.reason for c in friday.closures] == ["Feriado"]
    html = response.text
    assert "Ausente: Congreso" in html and "Cerrado: Feriado" in html and "libre" in html


# --- booking a walk-in ---------------------------------------------------------------


def free_slot(name="Gutiérrez", after="10:00"):
    medic = doctor(name)
    specialty = medic.specialties.order_by("name").first()
    hour, minute = map(int, after.split(":"))
    start = datetime(2030, 6, 12, hour, minute, tzinfo=BUENOS_AIRES)
    return find_available_slots(specialty=specialty, doctor=medic, start=start, limit=1)[0]


def book_params(slot):
    return {
        "doctor": slot.doctor_id,
        "specialty": slot.specialty_id,
        "start": slot.start.astimezone(BUENOS_AIRES).isoformat(),
    }


def test_book_a_walk_in_creating_the_patient(desk):
    slot = free_slot()
    url = reverse("admin:appointments_agenda_book")
    assert desk.get(url, book_params(slot)).status_code == 200
    response = desk.post(
        url, book_params(slot) | {"full_name": "rosa quiroga", "document_number": "17.222.333", "phone": "11 4444-5555"}
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert (appointment.patient.full_name, appointment.patient.document_number) == ("Rosa Quiroga", "17222333")
    assert (appointment.start_at, appointment.doctor_id, appointment.channel) == (
        slot.start,
        slot.doctor_id,
        Channel.ADMIN,
    )


def test_book_finds_the_patient_by_dni_phone_or_name(desk, patients):
    slot = free_slot()
    url = reverse("admin:appointments_agenda_book")
    for term in ("12.345.678", "11 5555-1234", "juan"):
        assert [p.pk for p in desk.get(url, book_params(slot) | {"q": term}).context["matches"]] == [
            patients["juan"].pk
        ]
    desk.post(url, book_params(slot) | {"patient": patients["juan"].pk})
    assert Appointment.objects.get().patient == patients["juan"]
    found = desk.get(reverse("admin:appointments_agenda_patients"), {"q": "gómez"}).json()["patients"]
    assert [p["dni"] for p in found] == ["23456789"]


@pytest.mark.parametrize(
    "bad",
    [{"start": "mañana"}, {"start": "2030-06-12T10:00"}, {"doctor": "x"}, {"specialty": ""}],
)
def test_book_with_a_bad_slot_is_a_400_in_spanish(desk, bad):
    slot = free_slot()
    response = desk.post(reverse("admin:appointments_agenda_book"), book_params(slot) | bad | {"patient": "1"})
    assert response.status_code == 400 and "no es válido" in response.text
    assert not Appointment.objects.exists()


def test_book_a_taken_or_off_grid_slot_is_refused_in_spanish(desk, patients):
    slot = free_slot()
    book(patients["maria"], doctor("Gutiérrez"), TODAY, slot.start.astimezone(BUENOS_AIRES).strftime("%H:%M"))
    url = reverse("admin:appointments_agenda_book")
    taken = desk.post(url, book_params(slot) | {"patient": patients["juan"].pk})
    assert taken.status_code == 409 and Appointment.objects.count() == 1
    off_grid = book_params(slot) | {"start": "2030-06-12T10:10:00-03:00", "patient": patients["juan"].pk}
    assert desk.post(url, off_grid).status_code == 409
    no_dni = desk.post(url, book_params(free_slot(after="11:00")) | {"full_name": "Sin Documento"})
    assert no_dni.status_code == 409 and "documento" in no_dni.text
    assert Appointment.objects.count() == 1


# --- a turno's buttons -----------------------------------------------------------------


def turno_url(appointment):
    return reverse("admin:appointments_agenda_turno", args=[appointment.pk])


def test_cancel_needs_a_reason_and_undo_restores(desk, patients, admin_user):
    appointment = book(patients["juan"], doctor("Gutiérrez"), TODAY, "11:00")
    assert desk.post(turno_url(appointment), {"op": "cancel", "reason": ""}).status_code == 409
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    desk.post(turno_url(appointment), {"op": "cancel", "reason": "Llamó para avisar"})
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancelled_by, appointment.cancellation_reason) == (
        AppointmentStatus.CANCELLED,
        admin_user,
        "Llamó para avisar",
    )
    assert "Deshacer cancelación" in desk.get(turno_url(appointment)).text
    desk.post(turno_url(appointment), {"op": "undo"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_undo_refused_when_the_slot_was_retaken(desk, patients):
    appointment = book(patients["juan"], doctor("Gutiérrez"), TODAY, "11:00", status=AppointmentStatus.CANCELLED)
    book(patients["maria"], doctor("Gutiérrez"), TODAY, "11:00")
    response = desk.post(turno_url(appointment), {"op": "undo"})
    assert response.status_code == 409 and "reservado por otra persona" in response.text
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_attended_only_once_started(desk, patients):
    future = book(patients["juan"], doctor("Gutiérrez"), TODAY, "11:00")
    page = desk.get(turno_url(future)).text
    assert 'value="attended"' not in page
    assert desk.post(turno_url(future), {"op": "attended"}).status_code == 409
    future.refresh_from_db()
    assert future.status == AppointmentStatus.BOOKED
    started = book(patients["maria"], doctor("Gutiérrez"), TODAY, "08:30")
    assert 'value="attended"' in desk.get(turno_url(started)).text
    desk.post(turno_url(started), {"op": "attended"})
    started.refresh_from_db()
    assert started.status == AppointmentStatus.ATTENDED


def test_move_to_another_free_slot_links_both(desk, patients):
    old = book(patients["juan"], doctor("Gutiérrez"), TODAY, "10:00")
    target = free_slot(after="11:00")
    page = desk.get(turno_url(old))
    assert target.start in [slot.start for slot in page.context["move_choices"]]
    response = desk.post(turno_url(old), {"op": "move", "start": target.start.isoformat(), "doctor": target.doctor_id})
    new = Appointment.objects.get(rescheduled_from=old)
    assert response.status_code == 302 and response["Location"] == turno_url(new)
    old.refresh_from_db()
    assert old.status == AppointmentStatus.CANCELLED and old.rescheduled_to == new
    assert new.start_at == target.start
    day = desk.get(AGENDA).text
    assert "movido al" in day and "antes" in day


@pytest.mark.parametrize("op", ["explode", "move"])
def test_unknown_or_incomplete_operations_are_refused(desk, patients, op):
    appointment = book(patients["juan"], doctor("Gutiérrez"), TODAY, "10:00")
    assert desk.post(turno_url(appointment), {"op": op}).status_code == 409
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


# --- who gets in ------------------------------------------------------------------------


def test_anonymous_and_groupless_staff_are_kept_out(client, frozen_clock, demo_clinic, patients, django_user_model):
    appointment = book(patients["juan"], doctor("Gutiérrez"), TODAY, "10:00")
    for url in (AGENDA, turno_url(appointment), reverse("admin:appointments_agenda_csv")):
        assert "/admin/login/" in client.get(url)["Location"]
    assert "/admin/login/" in client.post(turno_url(appointment), {"op": "cancel", "reason": "x"})["Location"]
    django_user_model.objects.create_user(username="nadie", password="x", is_staff=True)
    client.login(username="nadie", password="x")
    assert client.get(AGENDA).status_code == 403
    assert client.post(turno_url(appointment), {"op": "cancel", "reason": "x"}).status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_writes_need_csrf(frozen_clock, demo_clinic, patients, admin_user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user)
    appointment = book(patients["juan"], doctor("Gutiérrez"), TODAY, "10:00")
    assert strict.post(turno_url(appointment), {"op": "cancel", "reason": "x"}).status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_index_links_to_the_agenda_for_reception(frozen_clock, client, demo_clinic, make_staff_user):
    make_staff_user("recepcion", "Recepción")
    client.login(username="recepcion", password=make_staff_user.password)
    index = client.get(reverse("admin:index"))
    assert f'href="{AGENDA}"' in index.text
    assert client.get(AGENDA).status_code == 200


# --- next free, sheet, CSV ---------------------------------------------------------------


def test_next_free_slot_for_a_specialty(desk, patients):
    cardiology = Specialty.objects.get(name="Cardiología")
    response = desk.get(reverse("admin:appointments_agenda_next"), {"specialty": cardiology.pk})
    assert [s.start for s in response.context["slots"]] == [
        s.start for s in find_available_slots(specialty=cardiology, limit=6)
    ]
    assert "Reservar" in response.text


def test_printable_sheet_per_doctor_without_the_admin_chrome(desk, patients):
    gutierrez = doctor("Gutiérrez")
    book(patients["juan"], gutierrez, TODAY, "10:00")
    book(patients["maria"], doctor("Romero"), TODAY, "09:00", minutes=20)
    response = desk.get(reverse("admin:appointments_agenda_sheet"), {"doctor": gutierrez.pk})
    html = response.text
    assert "Juan Pérez" in html and "María Gómez" not in html
    assert "nav-sidebar" not in html and "@media print" in html


def test_csv_of_a_day(desk, patients):
    book(patients["juan"], doctor("Gutiérrez"), TODAY, "10:00")
    Patient.objects.filter(pk=patients["maria"].pk).update(full_name='=HYPERLINK("http://x")')
    book(patients["maria"], doctor("Gutiérrez"), TODAY, "11:00", status=AppointmentStatus.CANCELLED)
    book(patients["ana"], doctor("Gutiérrez"), TODAY + timedelta(days=1), "10:00")
    response = desk.get(reverse("admin:appointments_agenda_csv"), {"date": "2030-06-12"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["fecha", "hora", "fin"]
    assert [row[1] for row in rows[1:]] == ["10:00", "11:00"]
    assert rows[1][5:7] == ["Juan Pérez", "12345678"]
    assert rows[2][5].startswith("'=")  # a formula typed as a name stays text


# --- closures ---------------------------------------------------------------------------


def test_closure_page_lists_and_cancels_the_affected_turnos(desk, patients, admin_user):
    clinic = Clinic.objects.get()
    affected = book(patients["juan"], doctor("Gutiérrez"), date(2030, 6, 17), "10:00")
    other_day = book(patients["maria"], doctor("Gutiérrez"), date(2030, 6, 19), "10:00")
    closure = Closure.objects.create(
        clinic=clinic, start_date=date(2030, 6, 17), end_date=date(2030, 6, 17), reason="Feriado"
    )
    url = reverse("admin:appointments_agenda_closure", args=[closure.pk])
    page = desk.get(url)
    assert [a.pk for a in page.context["affected"]] == [affected.pk]
    assert desk.post(url, {"appointment": [affected.pk], "reason": ""}).status_code == 400
    desk.post(url, {"appointment": [affected.pk, other_day.pk], "reason": "Feriado nacional"})
    affected.refresh_from_db()
    other_day.refresh_from_db()
    assert (affected.status, affected.cancellation_reason, affected.cancelled_by) == (
        AppointmentStatus.CANCELLED,
        "Feriado nacional",
        admin_user,
    )
    assert other_day.status == AppointmentStatus.BOOKED  # outside the closure: not touched
    assert "No quedan turnos activos" in desk.get(url).text


@pytest.mark.parametrize("moment", [NOW, datetime(2030, 6, 15, 10, 0, tzinfo=BUENOS_AIRES)], ids=["weekday", "weekend"])
def test_saving_a_closure_over_turnos_leads_to_them(client, demo_clinic, patients, make_staff_user, moment):
    with time_machine.travel(moment, tick=False):
        make_staff_user("admin2", "Administración")
        client.login(username="admin2", password=make_staff_user.password)
        affected = book(patients["juan"], doctor("Gutiérrez"), date(2030, 6, 17), "10:00")
        data = {
            "clinic": demo_clinic.pk,
            "doctor": "",
            "start_date": "17/06/2030",
            "end_date": "17/06/2030",
            "reason": "Feriado",
        }
        response = client.post(reverse("admin:clinic_closure_add"), data)
        closure = Closure.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:appointments_agenda_closure", args=[closure.pk])
        assert "Juan Pérez" in client.get(response["Location"]).text
        quiet = client.post(
            reverse("admin:clinic_closure_add"), data | {"start_date": "20/07/2030", "end_date": "20/07/2030"}
        )
        assert quiet["Location"] == reverse("admin:clinic_closure_changelist")
        affected.refresh_from_db()
        assert affected.status == AppointmentStatus.BOOKED  # warned, never cancelled silently


def test_a_closure_added_on_the_clinic_page_warns_too(frozen_clock, admin_client, patients):
    from appointments.tests.factories import add_schedule, make_clinic, make_doctor, make_specialty

    clinic = make_clinic()
    cardio = make_specialty(clinic, "Cardiología")
    medic = make_doctor(clinic, "García", [cardio])
    add_schedule(medic, cardio, 0, "08:00", "12:00")
    start = datetime(2030, 6, 17, 10, 0, tzinfo=BUENOS_AIRES)
    Appointment.objects.create(
        patient=patients["juan"], doctor=medic, specialty=cardio, start_at=start, end_at=start + timedelta(minutes=30)
    )
    page = admin_client.get(reverse("admin:clinic_clinic_change", args=[clinic.pk]))
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data |= {"timezone": clinic.timezone}
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    closures = next(f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model is Closure)
    data |= {
        f"{closures}-TOTAL_FORMS": "1",
        f"{closures}-0-start_date": "17/06/2030",
        f"{closures}-0-end_date": "17/06/2030",
        f"{closures}-0-reason": "Feriado",
    }
    response = admin_client.post(reverse("admin:clinic_clinic_change", args=[clinic.pk]), data, follow=True)
    closure = Closure.objects.get(clinic=clinic)
    assert any("Ver los turnos afectados" in text for text in messages_of(response)), messages_of(response)
    assert reverse("admin:appointments_agenda_closure", args=[closure.pk]) in response.text
