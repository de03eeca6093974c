"""The reception desk: turnos, patients and the day's agenda.

The admin stays thin: reads come from appointments.selectors, status changes go through
appointments.services (the same functions the assistant uses), so a turno confirmed or
cancelled here follows the same rules as one handled on the phone."""

from datetime import datetime, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from appointments import services
from appointments.agenda.urls import agenda_urls
from appointments.booking_policy import check_booking
from appointments.models import UPCOMING_STATUSES, Appointment, AppointmentStatus, Channel, Patient
from appointments.phones import normalize_phone
from appointments.policy import Actor
from appointments.selectors import clinic_timezone, local_day_bounds
from appointments.services import AppointmentError
from clinic.selectors import normalize_text
from identity.admin import VerifiedNumberInline

MAX_FAILURES_LISTED = 5
START_HELP = "Fecha dd/mm/aaaa y hora de la clínica: uno de los turnos libres del profesional."


def local_datetime_label(value: datetime) -> str:
    """ "mié 12/06/2030 10:00" on the active (clinic) wall clock."""
    return formats.date_format(timezone.localtime(value), "D d/m/Y H:i")


def patient_search_q(search_term: str, *, prefix: str = "") -> Q | None:
    """Matches for the ways people actually type a name, a phone or a DNI ("perez" or
    "GONZALEZ" for "Pérez" and "González", "11 5555-1234", "12.345.678"), which the admin's
    plain icontains search over stored values misses."""
    term = search_term.strip()
    digits = "".join(ch for ch in term if ch.isdigit())
    query = Q()
    if name := normalize_text(term):
        query |= Q(**{f"{prefix}search_name__contains": name})
    phone = normalize_phone(term)
    if phone:
        query |= Q(**{f"{prefix}phone": phone}) | Q(**{f"{prefix}whatsapp_id__endswith": phone.lstrip("+")})
    if len(digits) >= 6:
        query |= Q(**{f"{prefix}phone__contains": digits}) | Q(**{f"{prefix}document_number": digits})
    return query or None


class DayFilter(admin.SimpleListFilter):
    title = "día"
    parameter_name = "dia"

    def lookups(self, request, model_admin):
        return [("hoy", "Hoy"), ("manana", "Mañana"), ("semana", "Esta semana"), ("pasados", "Pasados")]

    def queryset(self, request, queryset):
        if self.value() == "pasados":
            return queryset.filter(start_at__lt=timezone.now())
        tz = clinic_timezone()
        today = timezone.localdate(timezone=tz)
        if self.value() == "hoy":
            start, end = local_day_bounds(today, tz)
        elif self.value() == "manana":
            start, end = local_day_bounds(today + timedelta(days=1), tz)
        elif self.value() == "semana":
            monday = today - timedelta(days=today.weekday())
            start, end = local_day_bounds(monday, tz)[0], local_day_bounds(monday + timedelta(days=6), tz)[1]
        else:
            return queryset
        return queryset.filter(start_at__gte=start, start_at__lt=end)


class AppointmentAdminForm(forms.ModelForm):
    """Turno form for the desk. The booking policy decides (appointments.booking_policy): the
    form refuses what the policy refuses, with its code and Spanish message, and the end is
    the slot's own, never typed. Dates are read day first (dd/mm/aaaa, the Spanish locale)."""

    # Set per request by AppointmentAdmin.get_form when the previous save was refused.
    save_conflict: str | None = None

    class Meta:
        model = Appointment
        fields = ("patient", "specialty", "doctor", "start_at", "status", "notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "start_at" in self.fields:
            self.fields["start_at"].help_text = START_HELP
        if "status" in self.fields:
            # Later states (cancelled, attended, absent) are reached with the actions, through the services.
            self.fields["status"].choices = [
                (AppointmentStatus.BOOKED, AppointmentStatus.BOOKED.label),
                (AppointmentStatus.CONFIRMED, AppointmentStatus.CONFIRMED.label),
            ]

    def clean(self):
        cleaned_data = super().clean()
        if self.save_conflict:
            raise forms.ValidationError(self.save_conflict, code="slot_taken")
        if self.instance.pk and not self.is_move():
            return cleaned_data
        start_at, doctor = cleaned_data.get("start_at"), cleaned_data.get("doctor")
        # On a change the patient and the specialty are read-only: the turno's own.
        specialty = cleaned_data.get("specialty") or getattr(self.instance, "specialty", None)
        patient = cleaned_data.get("patient") or getattr(self.instance, "patient", None)
        if start_at and doctor and specialty and patient:
            try:
                self.instance.end_at = check_booking(
                    doctor=doctor,
                    specialty=specialty,
                    start=start_at,
                    now=timezone.now(),
                    actor=Actor.DESK,
                    patient=patient,
                    exclude_pk=self.instance.pk,
                )
            except AppointmentError as error:
                # No slot, no interval: the model's own interval checks would only repeat the refusal.
                self.instance.end_at = None
                raise forms.ValidationError(error.message, code=error.code) from error
        return cleaned_data

    def is_move(self) -> bool:
        """A saved turno whose time or doctor changed: the desk moves it (reschedule), never overwrites it."""
        return bool(self.instance.pk) and bool({"start_at", "doctor"} & set(self.changed_data))


class SaveConflict(Exception):
    """The booking service refused the turno after the form was valid (e.g. a concurrent booking)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def turno_link(appointment: Appointment | None):
    if appointment is None:
        return "—"
    url = reverse("admin:appointments_appointment_change", args=[appointment.pk])
    return format_html(
        '<a href="{}">{} · {}</a>', url, local_datetime_label(appointment.start_at), appointment.get_status_display()
    )


def plural(count: int, singular: str, plural_form: str) -> str:
    return (singular if count == 1 else plural_form).format(n=count)


@admin.register(Appointment)
class AppointmentAdmin(SimpleHistoryAdmin):
    form = AppointmentAdminForm
    list_display = (
        "start_local",
        "patient_name",
        "patient_document",
        "doctor",
        "specialty",
        "status",
        "channel",
    )
    list_display_links = ("start_local", "patient_name")
    list_filter = (DayFilter, "status", "specialty", "doctor", "channel")
    date_hierarchy = "start_at"
    search_fields = ("patient__full_name", "patient__document_number", "patient__phone")
    list_select_related = ("patient", "doctor", "specialty")
    autocomplete_fields = ("patient",)
    ordering = ("-start_at",)
    list_per_page = 50
    actions = ("confirm_appointments", "cancel_appointments", "mark_attended", "mark_no_show")
    change_list_template = "admin/appointments/appointment/change_list.html"

    # --- list -------------------------------------------------------------------

    @admin.display(description="inicio", ordering="start_at")
    def start_local(self, obj):
        return format_html('<span class="nowrap">{}</span>', local_datetime_label(obj.start_at))

    @admin.display(description="paciente", ordering="patient__full_name")
    def patient_name(self, obj):
        return obj.patient.full_name

    @admin.display(description="DNI", ordering="patient__document_number")
    def patient_document(self, obj):
        return obj.patient.document_number

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        extra = patient_search_q(search_term, prefix="patient__")
        if extra is not None:
            results = results | queryset.filter(extra)
        return results, may_have_duplicates

    # --- form -------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ("patient", "specialty", "doctor", "start_at", "status", "notes")})]
        turno = ("patient", "specialty", "doctor", "start_at", "end_at", "status", "notes")
        return [
            (None, {"fields": turno}),
            ("Cancelación", {"fields": ("cancelled_at", "cancelled_by", "cancellation_reason")}),
            ("Reprogramación", {"fields": ("rescheduled_from_link", "rescheduled_to_link")}),
            ("Origen", {"fields": ("channel", "conversation", "created_at", "updated_at")}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # A turno belongs to its patient and specialty; changing its time or doctor moves it.
        # Once it is no longer upcoming, nothing about its time can change either.
        editable_time = ("doctor", "start_at") if obj.status in UPCOMING_STATUSES else ()
        fixed = [name for name in ("patient", "specialty", "doctor", "start_at", "end_at") if name not in editable_time]
        return (
            *fixed,
            "status",
            "cancelled_at",
            "cancelled_by",
            "cancellation_reason",
            "rescheduled_from_link",
            "rescheduled_to_link",
            "channel",
            "conversation",
            "created_at",
            "updated_at",
        )

    @admin.display(description="reprogramado desde")
    def rescheduled_from_link(self, obj):
        return turno_link(obj.rescheduled_from)

    @admin.display(description="reprogramado a")
    def rescheduled_to_link(self, obj):
        return turno_link(getattr(obj, "rescheduled_to", None))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        conflict = getattr(request, "_appointment_save_conflict", None)
        if conflict:
            form_class = type(form_class.__name__, (form_class,), {"save_conflict": conflict})
        return form_class

    def save_form(self, request, form, change):
        """A new turno is booked through the same service as the assistant's (the policy
        checked again under the patient's lock), not saved by the form."""
        if change:
            return super().save_form(request, form, change)
        data = form.cleaned_data
        try:
            appointment = services.book_appointment(
                patient=data["patient"],
                doctor=data["doctor"],
                specialty=data["specialty"],
                start=data["start_at"],
                channel=Channel.ADMIN,
                notes=data.get("notes", ""),
            )
            if data.get("status") == AppointmentStatus.CONFIRMED:
                appointment = services.confirm_appointment(appointment=appointment)
        except AppointmentError as error:
            raise SaveConflict(error.message) from error
        return appointment

    def save_model(self, request, obj, form, change):
        if not change:
            return  # booked by save_form
        if form.is_move():
            self._move(request, obj, form)
            return
        super().save_model(request, obj, form, change)

    def _move(self, request, obj, form):
        """Books the new time and cancels the old turno (linked both ways) through the service;
        other edits of the same submission (notes) go to the new turno."""
        try:
            moved = services.reschedule_appointment(
                appointment=obj, new_start=obj.start_at, new_doctor=obj.doctor, by_user=request.user
            )
        except AppointmentError as error:
            raise SaveConflict(error.message) from error
        if "notes" in form.changed_data:
            moved.notes = obj.notes
            moved.save(update_fields=["notes", "updated_at"])
        request._appointment_moved_to = moved
        # The admin's log entry and "saved" message then name the turno that now exists.
        form.instance = moved

    def response_change(self, request, obj):
        moved = getattr(request, "_appointment_moved_to", None)
        if moved is None:
            return super().response_change(request, obj)
        messages.success(
            request,
            f"Turno reprogramado al {local_datetime_label(moved.start_at)}; el turno anterior quedó cancelado.",
        )
        return HttpResponseRedirect(reverse("admin:appointments_appointment_change", args=[moved.pk]))

    def save_related(self, request, form, formsets, change):
        # A booked or moved turno has nothing related to save (and no form.save_m2m).
        if change and getattr(request, "_appointment_moved_to", None) is None:
            super().save_related(request, form, formsets, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except SaveConflict as conflict:
            # The POST's transaction has been rolled back; show the same form again, now
            # with the refusal as its error, instead of a 500.
            request._appointment_save_conflict = conflict.message
            return super().changeform_view(request, object_id, form_url, extra_context)

    # --- actions: each calls one service per turno and reports what happened -------

    def _run_transition(self, request, queryset, *, transition, done, failed, **service_kwargs):
        succeeded, failures = 0, []
        for appointment in queryset.select_related("patient", "doctor"):
            try:
                transition(appointment=appointment, **service_kwargs)
            except AppointmentError as error:
                failures.append((appointment, error.message))
            else:
                succeeded += 1
        if succeeded:
            messages.success(request, plural(succeeded, *done))
        if failures:
            details = "; ".join(
                f"{appointment.patient.full_name} ({local_datetime_label(appointment.start_at)}): {reason}"
                for appointment, reason in failures[:MAX_FAILURES_LISTED]
            )
            if len(failures) > MAX_FAILURES_LISTED:
                details += f"; y {len(failures) - MAX_FAILURES_LISTED} más"
            messages.error(request, f"{plural(len(failures), *failed)}: {details}.")

    @admin.action(
        permissions=["change"],
        description="Confirmar turno",
        description_plural="Confirmar los turnos seleccionados",
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def confirm_appointments(self, request, queryset):
        self._run_transition(
            request,
            queryset,
            transition=services.confirm_appointment,
            done=("Se confirmó {n} turno.", "Se confirmaron {n} turnos."),
            failed=("No se pudo confirmar {n} turno", "No se pudieron confirmar {n} turnos"),
        )

    @admin.action(
        permissions=["change"],
        description="Cancelar turno",
        description_plural="Cancelar los turnos seleccionados",
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def cancel_appointments(self, request, queryset):
        """Asks for the reason first (an intermediate page, like the admin's delete
        confirmation), then cancels each turno recording who and why."""
        reason = request.POST.get("cancellation_reason", "").strip()
        if "confirm_cancel" not in request.POST or not reason:
            if "confirm_cancel" in request.POST:
                messages.error(request, "Indique el motivo de la cancelación.")
            carried = [
                (name, value)
                for name in request.POST
                if name not in {"csrfmiddlewaretoken", "cancellation_reason", "confirm_cancel"}
                for value in request.POST.getlist(name)
            ]
            context = {
                **self.admin_site.each_context(request),
                "title": "Cancelar turnos",
                "opts": self.opts,
                "appointments": queryset.select_related("patient", "doctor", "specialty"),
                "carried": carried,
            }
            return TemplateResponse(request, "admin/appointments/appointment/cancel_reason.html", context)
        self._run_transition(
            request,
            queryset,
            transition=services.cancel_appointment,
            reason=reason,
            by_user=request.user,
            done=("Se canceló {n} turno.", "Se cancelaron {n} turnos."),
            failed=("No se pudo cancelar {n} turno", "No se pudieron cancelar {n} turnos"),
        )

    @admin.action(
        permissions=["change"],
        description="Marcar como atendido",
        description_plural="Marcar los turnos seleccionados como atendidos",
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def mark_attended(self, request, queryset):
        self._run_transition(
            request,
            queryset,
            transition=services.mark_attended,
            done=("Se marcó {n} turno como atendido.", "Se marcaron {n} turnos como atendidos."),
            failed=("No se pudo marcar {n} turno como atendido", "No se pudieron marcar {n} turnos como atendidos"),
        )

    @admin.action(
        permissions=["change"],
        description="Marcar como ausente",
        description_plural="Marcar los turnos seleccionados como ausentes",
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def mark_no_show(self, request, queryset):
        self._run_transition(
            request,
            queryset,
            transition=services.mark_no_show,
            done=("Se marcó {n} turno como ausente.", "Se marcaron {n} turnos como ausentes."),
            failed=("No se pudo marcar {n} turno como ausente", "No se pudieron marcar {n} turnos como ausentes"),
        )


class PatientAppointmentInline(admin.TabularInline):
    """The patient's turnos, for reading: changes happen on the turno itself."""

    model = Appointment
    fields = ("start_local", "doctor", "specialty", "status", "channel")
    readonly_fields = fields
    ordering = ("-start_at",)
    extra = 0
    show_change_link = True
    can_delete = False
    verbose_name_plural = "turnos"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("doctor", "specialty")

    @admin.display(description="inicio")
    def start_local(self, obj):
        return local_datetime_label(obj.start_at)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Patient)
class PatientAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "document_number", "phone", "coverage", "member_number", "created_at")
    list_filter = ("coverage",)
    search_fields = ("full_name", "document_number", "phone", "whatsapp_id")
    list_select_related = ("coverage",)
    inlines = (VerifiedNumberInline, PatientAppointmentInline)
    fieldsets = (
        (None, {"fields": ("full_name", "document_number")}),
        ("Contacto", {"fields": ("phone", "whatsapp_id", "email")}),
        ("Cobertura", {"fields": ("coverage", "member_number")}),
    )

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        extra = patient_search_q(search_term)
        if extra is not None:
            results = results | queryset.filter(extra)
        return results, may_have_duplicates


def mount_agenda_at_app_level(site: admin.AdminSite) -> None:
    """Serves the agenda (appointments.agenda) at /admin/appointments/agenda/.

    A ModelAdmin's own URLs always live under /admin/<app>/<model>/, and a custom
    AdminSite would need a settings change; prepending these patterns to this site's URLs
    keeps the short address receptionists are given."""
    site_get_urls = site.get_urls

    def get_urls():
        return [*agenda_urls(site), *site_get_urls()]

    site.get_urls = get_urls


mount_agenda_at_app_level(admin.site)
