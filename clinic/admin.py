"""Admin for the clinic's own data, kept by the "Administración" group ("Recepción" only views it)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from appointments.agenda.selectors import affected_by_closure
from clinic.models import (
    Clinic,
    Closure,
    Coverage,
    Doctor,
    DoctorSchedule,
    MissingService,
    OpeningHours,
    Specialty,
    SpecialtyTerm,
)
from clinic.services import install_default_lexicon


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0
    show_change_link = True  # its own page has the row's history
    fields = ("weekday", "opens_at", "closes_at")


class ClinicClosureInline(admin.TabularInline):
    model = Closure
    extra = 0
    fields = ("doctor", "start_date", "end_date", "reason")
    verbose_name_plural = "cierres y ausencias"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("doctor")


@admin.register(Clinic)
class ClinicAdmin(SimpleHistoryAdmin):
    list_display = ("name", "phone", "reception_phone", "emergency_number", "timezone")
    search_fields = ("name",)
    inlines = (OpeningHoursInline, ClinicClosureInline)
    fieldsets = (
        (None, {"fields": ("name", "address", "greeting")}),
        ("Teléfonos", {"fields": ("phone", "reception_phone", "emergency_number", "crisis_line")}),
        ("Zona horaria", {"fields": ("timezone",)}),
        ("Documentos de identidad", {"fields": ("accepted_document_kinds",)}),
        (
            "Límites del asistente",
            {
                "fields": (
                    "bookings_per_number_per_day",
                    "active_bookings_per_patient",
                    "messages_per_number_per_minute",
                )
            },
        ),
    )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Closure:
            # Closures added or edited on the clinic's page warn like those saved on their own.
            for closure in [f.instance for f in formset.forms if f.instance.pk and f.has_changed()]:
                count = affected_by_closure(closure=closure).count()
                if count:
                    url = reverse("admin:appointments_agenda_closure", args=[closure.pk])
                    messages.warning(
                        request,
                        format_html(
                            '{}: hay {} turno(s) activo(s) en esas fechas. <a href="{}">Ver los turnos afectados</a>.',
                            closure,
                            count,
                            url,
                        ),
                    )


class SpecialtyTermInline(admin.TabularInline):
    model = SpecialtyTerm
    extra = 1
    fields = ("term", "kind")


class SuggestedForInline(admin.TabularInline):
    """Services the clinic lacks for which this specialty is offered instead."""

    model = MissingService
    fk_name = "suggested_specialty"
    extra = 0
    fields = ("name", "terms", "reason")
    verbose_name = "servicio que no ofrecemos (se sugiere esta especialidad)"
    verbose_name_plural = "servicios que no ofrecemos, para los que se sugiere esta especialidad"


@admin.register(Specialty)
class SpecialtyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "aliases", "doctor_count", "is_active", "clinic")
    list_filter = ("is_active", "clinic")
    search_fields = ("name", "aliases", "terms__term")
    list_select_related = ("clinic",)
    inlines = (SpecialtyTermInline, SuggestedForInline)
    actions = ("add_default_lexicon",)

    def save_formset(self, request, form, formset, change):
        if formset.model is MissingService:
            for inline_form in formset.forms:
                inline_form.instance.clinic = form.instance.clinic
        super().save_formset(request, form, formset, change)

    @admin.action(description="Agregar las palabras de pacientes por defecto (solo las que faltan)")
    def add_default_lexicon(self, request, queryset):
        clinics = {specialty.clinic for specialty in queryset.select_related("clinic")}
        added = sum(install_default_lexicon(clinic=clinic) for clinic in clinics)
        messages.success(request, f"Se agregaron {added} palabras y servicios.")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_doctor_count=Count("doctors", distinct=True))

    @admin.display(description="profesionales", ordering="_doctor_count")
    def doctor_count(self, obj):
        return obj._doctor_count


class DoctorScheduleFormSet(BaseInlineFormSet):
    """Catches overlaps among rows of the same submission, which the model's clean() cannot
    see because it only compares against rows already saved."""

    def clean(self):
        super().clean()
        blocks: list[tuple] = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if (
                not data
                or data.get("DELETE")
                or not all(data.get(k) is not None for k in ("weekday", "start_time", "end_time"))
            ):
                continue
            for weekday, start_time, end_time in blocks:
                if weekday == data["weekday"] and start_time < data["end_time"] and data["start_time"] < end_time:
                    raise ValidationError("Dos horarios del mismo día se superponen.")
            blocks.append((data["weekday"], data["start_time"], data["end_time"]))


class DoctorScheduleInline(admin.TabularInline):
    model = DoctorSchedule
    formset = DoctorScheduleFormSet
    extra = 0
    show_change_link = True  # its own page has the row's history
    fields = ("specialty", "weekday", "start_time", "end_time", "slot_minutes", "valid_from", "valid_until")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("specialty")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "specialty" and formfield is not None:
            # One row per weekly block: add/edit/view icons for specialties on every row are noise.
            for flag in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
                setattr(formfield.widget, flag, False)
        return formfield


@admin.register(Doctor)
class DoctorAdmin(SimpleHistoryAdmin):
    list_display = ("display_name", "license_number", "specialty_names", "is_active")
    list_display_links = ("display_name",)
    list_filter = ("is_active", "specialties", "clinic")
    search_fields = ("first_name", "last_name", "license_number", "specialties__name")
    filter_horizontal = ("specialties",)
    inlines = (DoctorScheduleInline,)
    fields = ("clinic", "title", "first_name", "last_name", "license_number", "specialties", "is_active")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("specialties")

    @admin.display(description="profesional", ordering="last_name")
    def display_name(self, obj):
        return obj.display_name

    @admin.display(description="especialidades")
    def specialty_names(self, obj):
        return ", ".join(specialty.name for specialty in obj.specialties.all())


@admin.register(Coverage)
class CoverageAdmin(SimpleHistoryAdmin):
    list_display = ("name", "aliases", "is_accepted", "is_private_pay", "notes")
    list_editable = ("is_accepted",)
    list_filter = ("is_accepted", "is_private_pay", "clinic")
    search_fields = ("name", "aliases")


@admin.register(Closure)
class ClosureAdmin(SimpleHistoryAdmin):
    list_display = ("start_date", "end_date", "who", "reason")
    list_filter = ("doctor", "clinic")
    date_hierarchy = "start_date"
    search_fields = ("reason", "doctor__last_name", "doctor__first_name")
    list_select_related = ("doctor",)

    @admin.display(description="quién", ordering="doctor__last_name")
    def who(self, obj):
        return obj.doctor or "Toda la clínica"

    def response_add(self, request, obj, post_url_continue=None):
        return self._warn_about_turnos(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._warn_about_turnos(request, obj) or super().response_change(request, obj)

    def _warn_about_turnos(self, request, closure):
        """A closure over booked turnos never leaves them silently: the desk is taken to the
        list of affected turnos, to cancel them with a reason or move each one."""
        count = affected_by_closure(closure=closure).count()
        if not count:
            return None
        messages.warning(
            request,
            f"Hay {count} turno{'s' if count != 1 else ''} activo{'s' if count != 1 else ''} en esas fechas: "
            "cancélelos con un motivo o muévalos.",
        )
        return HttpResponseRedirect(reverse("admin:appointments_agenda_closure", args=[closure.pk]))


@admin.register(MissingService)
class MissingServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "terms", "suggested_specialty", "reason", "clinic")
    list_filter = ("clinic",)
    search_fields = ("name", "terms")
    list_select_related = ("suggested_specialty", "clinic")
    autocomplete_fields = ("suggested_specialty",)


# Rows edited inline on the clinic's and the doctors' pages also get a page of their own,
# where their history (who changed the hours, old and new values) is read.
@admin.register(OpeningHours)
class OpeningHoursAdmin(SimpleHistoryAdmin):
    list_display = ("clinic", "weekday", "opens_at", "closes_at")
    list_filter = ("clinic", "weekday")
    fields = ("clinic", "weekday", "opens_at", "closes_at")


@admin.register(DoctorSchedule)
class DoctorScheduleAdmin(SimpleHistoryAdmin):
    list_display = ("doctor", "specialty", "weekday", "start_time", "end_time", "slot_minutes")
    list_filter = ("doctor", "specialty", "weekday")
    list_select_related = ("doctor", "specialty")
    fields = ("doctor", "specialty", "weekday", "start_time", "end_time", "slot_minutes", "valid_from", "valid_until")
