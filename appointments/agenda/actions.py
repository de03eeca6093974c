"""The agenda's writes: book a free slot (finding or creating the patient), and on a turno
confirm, cancel with a reason, undo a cancellation, mark attended/absent, move it to another
free slot; plus the page that a closure over booked turnos leads to. Every write is a POST
(CSRF-checked by Django) that calls one service; a refusal is shown in Spanish on the same
page with status 400/409, never a 500."""

import datetime as dt

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from appointments import services
from appointments.agenda.selectors import affected_by_closure
from appointments.agenda.views import base_context, no_clinic, read_filters, render_local, require
from appointments.errors import AppointmentError, AppointmentErrorCode
from appointments.models import UPCOMING_STATUSES, Appointment, AppointmentStatus, Channel, Patient
from appointments.phones import normalize_phone
from appointments.policy import Actor
from appointments.selectors import find_available_slots, local_day_bounds
from clinic.models import Closure
from clinic.selectors import catalog_for, get_default_clinic, normalize_text

PATIENT_MATCHES = 8
MOVE_CHOICES = 12


def find_patients(term: str) -> list[Patient]:
    """Patients by DNI (as typed, dots included), phone (as typed) or part of the name."""
    term = " ".join(term.split())
    if len(term) < 2:
        return []
    digits = "".join(ch for ch in term if ch.isdigit())
    name = normalize_text(term)
    query = Q(search_name__contains=name) if name else Q(pk__in=[])
    if len(digits) >= 6:
        query |= Q(document_number__startswith=digits) | Q(phone__contains=digits)
    if phone := normalize_phone(term):
        query |= Q(phone=phone) | Q(whatsapp_id__endswith=phone.lstrip("+"))
    return list(Patient.objects.filter(query).order_by("full_name", "pk")[:PATIENT_MATCHES])


def patients_json(request, admin_site):
    """The booking form's live patient search (progressive: the form works without it)."""
    require(request, "view")
    found = find_patients(request.GET.get("q", ""))
    return JsonResponse(
        {"patients": [{"id": p.pk, "name": p.full_name, "dni": p.document_number, "phone": p.phone} for p in found]}
    )


def _parse_start(raw: str) -> dt.datetime | None:
    try:
        start = dt.datetime.fromisoformat(raw.strip().replace(" ", "+"))
    except ValueError:
        return None
    return start if timezone.is_aware(start) else None


def agenda_url(day: dt.date, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"date": f"{day:%Y-%m-%d}", **params}.items() if value)
    return f"{reverse('admin:appointments_agenda')}?{query}"


def book_view(request, admin_site):
    """A free slot chosen on the agenda: find the patient (DNI, phone or name) or type a new
    one, then book through the same service as the assistant (desk channel)."""
    require(request, "add")
    clinic = get_default_clinic()
    if clinic is None:
        return no_clinic(request)
    catalog = catalog_for(clinic)
    data = request.POST if request.method == "POST" else request.GET
    doctor = catalog.doctor(_int(data.get("doctor")))
    specialty = catalog.specialty(_int(data.get("specialty")))
    start = _parse_start(data.get("start", ""))
    filters = read_filters(request, clinic)
    context = base_context(request, admin_site, filters, "Reservar turno") | {
        "doctor": doctor,
        "specialty": specialty,
        "start": start,
        "query": data.get("q", ""),
        "matches": find_patients(data.get("q", "")),
        "form": data,
    }
    if not (doctor and specialty and start):
        messages.error(request, "Ese horario no es válido. Elija un horario libre en la agenda.")
        return render_local(request, "appointments/agenda/book.html", context, clinic, status=400)
    if request.method != "POST":
        return render_local(request, "appointments/agenda/book.html", context, clinic)
    try:
        if patient_id := _int(data.get("patient")):
            patient = Patient.objects.filter(pk=patient_id).first()
            if patient is None:
                raise AppointmentError(
                    AppointmentErrorCode.INVALID_PATIENT, "Ese paciente ya no existe. Búsquelo de nuevo."
                )
        else:
            patient = services.get_or_create_patient(
                full_name=data.get("full_name", ""),
                document_number=data.get("document_number", ""),
                phone=data.get("phone", ""),
            )
        appointment = services.book_appointment(
            patient=patient,
            doctor=doctor,
            specialty=specialty,
            start=start,
            channel=Channel.ADMIN,
            notes=data.get("notes", "").strip(),
        )
    except AppointmentError as error:
        messages.error(request, error.message)
        return render_local(request, "appointments/agenda/book.html", context, clinic, status=409)
    local = timezone.localtime(appointment.start_at, clinic.tzinfo)
    messages.success(request, f"Turno reservado: {patient.full_name}, {local:%d/%m %H:%M} con {doctor.display_name}.")
    return HttpResponseRedirect(
        agenda_url(local.date(), doctor=data.get("back_doctor"), specialty=data.get("back_specialty"))
    )


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


OPERATIONS = {
    "confirm": ("Turno confirmado.", lambda a, request: services.confirm_appointment(appointment=a)),
    "cancel": (
        "Turno cancelado.",
        lambda a, request: services.cancel_appointment(
            appointment=a, by_user=request.user, reason=request.POST.get("reason", "")
        ),
    ),
    "undo": (
        "Cancelación deshecha: el turno vuelve a estar reservado.",
        lambda a, request: services.restore_appointment(appointment=a),
    ),
    "attended": ("Turno marcado como atendido.", lambda a, request: services.mark_attended(appointment=a)),
    "no_show": ("Turno marcado como ausente.", lambda a, request: services.mark_no_show(appointment=a)),
}


def _move(appointment: Appointment, request, clinic) -> Appointment:
    start = _parse_start(request.POST.get("start", ""))
    doctor = catalog_for(clinic).doctor(_int(request.POST.get("doctor")))
    if start is None or doctor is None:
        raise AppointmentError(
            AppointmentErrorCode.INVALID_TIME, "Elija uno de los horarios libres para mover el turno."
        )
    return services.reschedule_appointment(
        appointment=appointment, new_start=start, new_doctor=doctor, by_user=request.user
    )


def move_choices(appointment: Appointment, clinic, day: dt.date | None) -> list:
    """Free slots of the turno's specialty (any doctor) on `day`, or the next ones from now."""
    if day is None:
        return find_available_slots(specialty=appointment.specialty, limit=MOVE_CHOICES, actor=Actor.DESK)
    start, end = local_day_bounds(day, clinic.tzinfo)
    return find_available_slots(specialty=appointment.specialty, start=start, end=end, actor=Actor.DESK)


def turno_view(request, admin_site, pk: int):
    """One turno: its state and history links, and the buttons that fit its state."""
    require(request, "view")
    clinic = get_default_clinic()
    if clinic is None:
        return no_clinic(request)
    appointment = get_object_or_404(
        Appointment.objects.select_related(
            "patient", "doctor", "specialty", "rescheduled_from", "rescheduled_to", "cancelled_by"
        ),
        pk=pk,
        doctor__clinic=clinic,
    )
    status = 200
    if request.method == "POST":
        require(request, "change")
        operation = request.POST.get("op", "")
        try:
            if operation == "move":
                moved = _move(appointment, request, clinic)
                messages.success(request, "Turno movido; el anterior quedó cancelado y enlazado al nuevo.")
                return HttpResponseRedirect(reverse("admin:appointments_agenda_turno", args=[moved.pk]))
            if operation not in OPERATIONS:
                raise AppointmentError(AppointmentErrorCode.INVALID_OPERATION)
            done, run = OPERATIONS[operation]
            run(appointment, request)
            messages.success(request, done)
            return HttpResponseRedirect(request.get_full_path())
        except AppointmentError as error:
            messages.error(request, error.message)
            status = 409
    move_day = None
    if raw := request.GET.get("move_date"):
        try:
            move_day = dt.date.fromisoformat(raw)
        except ValueError:
            messages.warning(request, f"La fecha «{raw}» no es válida (use AAAA-MM-DD).")
    now = timezone.now()
    local_day = timezone.localtime(appointment.start_at, clinic.tzinfo).date()
    context = base_context(
        request, admin_site, read_filters(request, clinic), f"Turno de {appointment.patient.full_name}"
    ) | {
        "appointment": appointment,
        "is_upcoming": appointment.status in UPCOMING_STATUSES,
        "has_started": appointment.start_at <= now,
        "can_undo": appointment.status == AppointmentStatus.CANCELLED and not hasattr(appointment, "rescheduled_to"),
        "move_choices": move_choices(appointment, clinic, move_day) if appointment.status in UPCOMING_STATUSES else [],
        "move_day": move_day,
        "agenda_link": agenda_url(local_day, doctor=appointment.doctor_id),
    }
    return render_local(request, "appointments/agenda/turno.html", context, clinic, status=status)


def closure_view(request, admin_site, pk: int):
    """After saving a closure over booked turnos: list them, cancel the chosen ones with a
    reason (one service call each), or open one to move it to a free slot."""
    require(request, "view")
    closure = get_object_or_404(Closure.objects.select_related("clinic", "doctor"), pk=pk)
    status = 200
    if request.method == "POST":
        require(request, "change")
        reason = request.POST.get("reason", "").strip()
        chosen = affected_by_closure(closure=closure).filter(pk__in=request.POST.getlist("appointment"))
        if not reason:
            messages.error(request, "Indique el motivo de la cancelación.")
            status = 400
        elif not chosen:
            messages.error(request, "Elija al menos un turno.")
            status = 400
        else:
            cancelled, failures = 0, []
            for appointment in chosen:
                try:
                    services.cancel_appointment(appointment=appointment, by_user=request.user, reason=reason)
                    cancelled += 1
                except AppointmentError as error:
                    failures.append(f"{appointment.patient.full_name}: {error.message}")
            if cancelled:
                messages.success(request, f"Turnos cancelados: {cancelled}.")
            for failure in failures:
                messages.error(request, failure)
            return HttpResponseRedirect(request.get_full_path())
    context = {
        **admin_site.each_context(request),
        "title": "Turnos afectados por el cierre",
        "closure": closure,
        "affected": list(affected_by_closure(closure=closure)),
        "can_change": request.user.has_perm("appointments.change_appointment"),
        "default_reason": f"Clínica cerrada: {closure.reason}" if closure.reason else "",
    }
    return render_local(request, "appointments/agenda/closure.html", context, closure.clinic, status=status)
