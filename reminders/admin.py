"""The desk's view of the no-show loop: what went out, what failed or was never confirmed
(the "Requiere atención" filter), the waitlist, and each clinic's messaging choices."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone

from appointments.phones import mask_phone
from clinic.models import Weekday
from reminders.models import (
    MessageStatus,
    MessagingSettings,
    OutboundMessage,
    WaitlistEntry,
    WaitlistOffer,
)
from reminders.services import join_waitlist


@admin.register(MessagingSettings)
class MessagingSettingsAdmin(admin.ModelAdmin):
    list_display = ("clinic", "reminder_hours", "confirm_deadline_hours", "unconfirmed_action", "retention_days")
    fieldsets = (
        (None, {"fields": ("clinic",)}),
        (
            "Recordatorios",
            {"fields": ("reminder_hours", "confirm_deadline_hours", "unconfirmed_action", "include_details")},
        ),
        (
            "Plantillas de WhatsApp",
            {
                "fields": (
                    "reminder_content_sid",
                    "waitlist_content_sid",
                    "waitlist_taken_content_sid",
                    "notice_content_sid",
                )
            },
        ),
        ("SMS", {"fields": ("sms_number",)}),
        ("Privacidad", {"fields": ("privacy_notice_url", "retention_days")}),
    )


class NeedsAttentionFilter(admin.SimpleListFilter):
    title = "requiere atención"
    parameter_name = "atencion"

    def lookups(self, request, model_admin):
        return [("si", "Sí: fallidos o sin confirmar")]

    def queryset(self, request, queryset):
        if self.value() == "si":
            return queryset.filter(Q(status=MessageStatus.FAILED) | Q(flagged_at__isnull=False))
        return queryset


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ("kind", "appointment", "masked_number", "channel", "due_at", "status", "attempts", "last_error")
    list_filter = (NeedsAttentionFilter, "status", "kind", "channel")
    list_select_related = ("appointment__patient", "appointment__doctor")
    date_hierarchy = "due_at"
    actions = ("retry_now",)
    readonly_fields = [field.name for field in OutboundMessage._meta.fields]

    @admin.display(description="para")
    def masked_number(self, obj):
        return mask_phone(obj.to_number)

    @admin.action(description="Reintentar ahora los seleccionados que fallaron")
    def retry_now(self, request, queryset):
        count = queryset.filter(status=MessageStatus.FAILED).update(
            status=MessageStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        self.message_user(request, f"{count} mensajes vuelven a la cola.", messages.SUCCESS)

    def has_add_permission(self, request):
        return False


class WaitlistEntryForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label="días", choices=Weekday.choices, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WaitlistEntry
        fields = ("clinic", "patient", "phone", "specialty", "doctor", "weekdays", "part_of_day")


class WaitlistOfferInline(admin.TabularInline):
    model = WaitlistOffer
    extra = 0
    fields = ("start_at", "doctor", "status", "appointment", "answered_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    form = WaitlistEntryForm
    list_display = ("patient", "specialty", "doctor", "part_of_day", "status", "source", "created_at")
    list_filter = ("status", "specialty", "source")
    search_fields = ("patient__full_name", "patient__document_number", "phone")
    autocomplete_fields = ("patient",)
    list_select_related = ("patient", "specialty", "doctor")
    inlines = (WaitlistOfferInline,)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # New entries go through the service, so one patient waits once per specialty.
        entry = join_waitlist(
            clinic=obj.clinic,
            patient=obj.patient,
            phone=obj.phone,
            specialty=obj.specialty,
            doctor=obj.doctor,
            weekdays=form.cleaned_data["weekdays"],
            part_of_day=obj.part_of_day,
            source="admin",
        )
        obj.pk = entry.pk
