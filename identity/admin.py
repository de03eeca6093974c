"""Reception records a patient's verified numbers on the patient's page (an inline that
appointments.admin.PatientAdmin shows); the other identity tables are internal counters."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from identity.models import NumberSource, VerifiedNumber


class RecordedByFormSet(BaseInlineFormSet):
    recorded_by = None  # the staff user, set per request by the inline

    def save_new(self, form, commit=True):
        verified = super().save_new(form, commit=False)
        verified.source = NumberSource.RECEPTION
        verified.verified_by = self.recorded_by
        if commit:
            verified.save()
        return verified


class VerifiedNumberInline(admin.TabularInline):
    """Numbers from which the assistant lists, cancels and moves all of this patient's
    turnos. Reception adds one after checking it with the patient in person."""

    model = VerifiedNumber
    formset = RecordedByFormSet
    fields = ("number", "source", "verified_at", "verified_by")
    readonly_fields = ("source", "verified_at", "verified_by")
    extra = 0
    verbose_name_plural = "números verificados (desde ellos el asistente gestiona todos sus turnos)"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.recorded_by = request.user
        return formset

    def has_change_permission(self, request, obj=None):
        return False  # a number is added or removed, never edited into another one
