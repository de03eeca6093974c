"""The receptionist's main screen: day and week agenda with free slots, "próximo turno
libre", the printable daily sheet and the CSV of a day. Reads only; writes live in
agenda/actions.py. Staff only (the admin's login), and each view checks the turno
permissions that the "Recepción" and "Administración" groups hold."""

import csv
import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import formats, timezone

from appointments.agenda.selectors import WEEK_DAYS, agenda_grid, appointments_between, surname_order
from appointments.models import Appointment
from appointments.policy import Actor
from appointments.selectors import find_available_slots, local_day_bounds
from clinic.models import Clinic, Doctor, Specialty
from clinic.selectors import catalog_for, get_default_clinic

NEXT_FREE_LIMIT = 6


def require(request, action: str) -> None:
    """Staff without the turno permission (e.g. a staff user in no group) get the 403 page."""
    if not request.user.has_perm(f"appointments.{action}_appointment"):
        raise PermissionDenied


def render_local(request, template: str, context: dict, clinic: Clinic | None, status: int = 200):
    """Renders on the clinic's wall clock (a TemplateResponse renders lazily, after the view)."""
    with timezone.override(clinic.tzinfo if clinic else None):
        return TemplateResponse(request, template, context, status=status).render()


@dataclass
class Filters:
    """The agenda's query string, read forgivingly: bad values become a Spanish warning."""

    clinic: Clinic
    day: dt.date
    today: dt.date
    doctor: Doctor | None
    specialty: Specialty | None
    week: bool

    @property
    def query(self) -> str:
        parts = [f"date={self.day:%Y-%m-%d}"]
        if self.doctor:
            parts.append(f"doctor={self.doctor.pk}")
        if self.specialty:
            parts.append(f"specialty={self.specialty.pk}")
        return "&".join(parts)


def _pick(request, name: str, options, label: str):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    found = next((option for option in options if str(option.pk) == raw), None)
    if found is None:
        messages.warning(request, f"No se encontró {label} «{raw}»: se muestran todos.")
    return found


def read_filters(request, clinic: Clinic) -> Filters:
    catalog = catalog_for(clinic)
    today = timezone.localdate(timezone=clinic.tzinfo)
    day = today
    if raw := request.GET.get("date"):
        try:
            day = dt.date.fromisoformat(raw)
            # The neighbour links (a week away) must not step off the calendar's ends.
            if not dt.date.min + dt.timedelta(days=WEEK_DAYS) < day < dt.date.max - dt.timedelta(days=WEEK_DAYS):
                raise ValueError(raw)
        except ValueError:
            day = today
            messages.warning(request, f"La fecha «{raw}» no es válida (use AAAA-MM-DD): se muestra hoy.")
    return Filters(
        clinic=clinic,
        day=day,
        today=today,
        doctor=_pick(request, "doctor", catalog.doctors, "el profesional"),
        specialty=_pick(request, "specialty", catalog.specialties, "la especialidad"),
        week=request.GET.get("vista") == "semana",
    )


def no_clinic(request):
    messages.error(request, "Todavía no hay una clínica cargada: cárguela en Clínicas.")
    return render_local(request, "appointments/agenda/empty.html", {"title": "Agenda"}, None)


def base_context(request, admin_site, filters: Filters, title: str) -> dict:
    catalog = catalog_for(filters.clinic)
    return {
        **admin_site.each_context(request),
        "title": title,
        "filters": filters,
        "clinic": filters.clinic,
        "specialties": catalog.active_specialties,
        "doctor_options": [
            (doctor, " ".join(str(pk) for pk in sorted(catalog.doctor_specialty_ids.get(doctor.pk, ()))))
            for doctor in catalog.active_doctors
        ],
        "can_change": request.user.has_perm("appointments.change_appointment"),
        "can_add": request.user.has_perm("appointments.add_appointment"),
    }


def agenda_view(request, admin_site):
    """Day view (default) or week view (?vista=semana) per doctor, filterable by specialty."""
    require(request, "view")
    clinic = get_default_clinic()
    if clinic is None:
        return no_clinic(request)
    filters = read_filters(request, clinic)
    first = filters.day - dt.timedelta(days=filters.day.weekday()) if filters.week else filters.day
    grid = agenda_grid(
        clinic=clinic,
        first=first,
        days=WEEK_DAYS if filters.week else 1,
        doctor=filters.doctor,
        specialty=filters.specialty,
        specialties=catalog_for(clinic).active_specialties,
    )
    step = dt.timedelta(days=WEEK_DAYS if filters.week else 1)
    if filters.week:
        title = "Agenda de la semana"
        subtitle = (
            f"{formats.date_format(first, 'j \\d\\e F')} al {formats.date_format(grid.days[-1], 'j \\d\\e F \\d\\e Y')}"
        )
    else:
        title = "Agenda de hoy" if filters.day == filters.today else "Agenda"
        subtitle = formats.date_format(filters.day, "l j \\d\\e F \\d\\e Y")
    context = base_context(request, admin_site, filters, title) | {
        "subtitle": subtitle,
        "grid": grid,
        "previous_day": filters.day - step,
        "next_day": filters.day + step,
        "groups": grid.doctors,
        "appointment_count": grid.appointment_count,
        "clinic_timezone": clinic.tzinfo,
        "now": timezone.now(),
    }
    template = "appointments/agenda/week.html" if filters.week else "appointments/agenda/day.html"
    return render_local(request, template, context, clinic)


def next_free_view(request, admin_site):
    """ "Próximo turno libre" for a specialty (any of its doctors) or one doctor."""
    require(request, "view")
    clinic = get_default_clinic()
    if clinic is None:
        return no_clinic(request)
    filters = read_filters(request, clinic)
    catalog = catalog_for(clinic)
    searched = (
        [filters.specialty] if filters.specialty else catalog.specialties_of(filters.doctor) if filters.doctor else []
    )
    slots = sorted(
        (
            slot
            for specialty in searched
            for slot in find_available_slots(
                specialty=specialty, doctor=filters.doctor, limit=NEXT_FREE_LIMIT, actor=Actor.DESK
            )
        ),
        key=lambda slot: slot.start,
    )[:NEXT_FREE_LIMIT]
    if not searched:
        messages.info(request, "Elija una especialidad o un profesional para buscar el próximo turno libre.")
    context = base_context(request, admin_site, filters, "Próximo turno libre") | {"slots": slots, "searched": searched}
    return render_local(request, "appointments/agenda/next_free.html", context, clinic)


def _day_appointments(filters: Filters):
    start, end = local_day_bounds(filters.day, filters.clinic.tzinfo)
    return appointments_between(clinic=filters.clinic, start=start, end=end, doctor=filters.doctor)


def sheet_view(request, admin_site):
    """The printable daily sheet of one doctor (or every doctor, one page each)."""
    require(request, "view")
    clinic = get_default_clinic()
    if clinic is None:
        return no_clinic(request)
    filters = read_filters(request, clinic)
    sheets: dict[int, tuple[Doctor, list[Appointment]]] = {}
    for appointment in _day_appointments(filters):
        sheets.setdefault(appointment.doctor_id, (appointment.doctor, []))[1].append(appointment)
    context = {
        "title": "Hoja del día",
        "clinic": clinic,
        "filters": filters,
        "day_label": formats.date_format(filters.day, "l j \\d\\e F \\d\\e Y"),
        "sheets": sorted(sheets.values(), key=lambda sheet: surname_order(sheet[0])),
    }
    return render_local(request, "appointments/agenda/sheet.html", context, clinic)


CSV_HEADER = [
    "fecha",
    "hora",
    "fin",
    "profesional",
    "especialidad",
    "paciente",
    "DNI",
    "teléfono",
    "estado",
    "canal",
    "motivo de cancelación",
]


def spreadsheet_safe(text: str) -> str:
    """A name typed as "=HYPERLINK(...)" must stay text when the CSV is opened in a spreadsheet."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_view(request, admin_site):
    """The day's turnos as CSV (UTF-8 with BOM and ';', as spreadsheets in Spanish open it)."""
    require(request, "view")
    clinic = get_default_clinic()
    if clinic is None:
        return no_clinic(request)
    filters = read_filters(request, clinic)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="turnos-{filters.day:%Y-%m-%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(CSV_HEADER)
    tz = clinic.tzinfo
    for appointment in _day_appointments(filters):
        start, end = appointment.start_at.astimezone(tz), appointment.end_at.astimezone(tz)
        writer.writerow(
            [
                f"{start:%d/%m/%Y}",
                f"{start:%H:%M}",
                f"{end:%H:%M}",
                appointment.doctor.display_name,
                appointment.specialty.name,
                spreadsheet_safe(appointment.patient.full_name),
                appointment.patient.document_number,
                appointment.patient.phone,
                appointment.get_status_display(),
                appointment.get_channel_display(),
                spreadsheet_safe(appointment.cancellation_reason),
            ]
        )
    return response
