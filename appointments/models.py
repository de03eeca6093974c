"""Patients and their turnos. Invariants live here and in the database; the booking
rules (availability, idempotency, errors a patient can read) live in services.py."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from appointments.phones import normalize_phone
from appointments.policy import normalize_document
from clinic.models import Coverage, Doctor, Specialty, audit_history
from clinic.selectors import normalize_text


def normalize_document_number(raw: str) -> str:
    """ "12.345.678" -> "12345678": the DNI as stored (the policy's one definition)."""
    return normalize_document(raw)


class Patient(models.Model):
    full_name = models.CharField("nombre completo", max_length=150)
    document_number = models.CharField("DNI", max_length=20, unique=True)
    phone = models.CharField("teléfono (E.164)", max_length=20, blank=True, db_index=True)
    whatsapp_id = models.CharField("WhatsApp", max_length=32, blank=True, db_index=True)
    email = models.EmailField(blank=True)
    coverage = models.ForeignKey(
        Coverage, on_delete=models.SET_NULL, null=True, blank=True, related_name="patients", verbose_name="cobertura"
    )
    member_number = models.CharField("número de afiliado", max_length=40, blank=True)
    # The name as searched: lower case, no accents ("perez" and "PÉREZ" find "Pérez" on
    # PostgreSQL and SQLite alike, whose LIKE folds neither accents nor non-ASCII case).
    search_name = models.CharField(max_length=150, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField("creado", auto_now_add=True)
    updated_at = models.DateTimeField("modificado", auto_now=True)

    # updated_at moves on every save: the record's own date says when.
    history = audit_history("paciente", "pacientes", excluded_fields=["updated_at", "search_name"])

    class Meta:
        verbose_name = "paciente"
        verbose_name_plural = "pacientes"
        ordering = ["full_name"]

    def __str__(self):
        return f"{self.full_name} (DNI {self.document_number})"

    def save(self, *args, **kwargs):
        self.search_name = normalize_text(self.full_name)
        if kwargs.get("update_fields") is not None and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def clean(self):
        self.document_number = normalize_document_number(self.document_number)
        if not self.document_number:
            raise ValidationError({"document_number": "El DNI es obligatorio."})
        if self.phone:
            normalized = normalize_phone(self.phone)
            if not normalized:
                raise ValidationError({"phone": "Número de teléfono inválido."})
            self.phone = normalized


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Reservado"
    CONFIRMED = "confirmed", "Confirmado"
    CANCELLED = "cancelled", "Cancelado"
    ATTENDED = "attended", "Atendido"
    NO_SHOW = "no_show", "Ausente"


# Statuses that hold the doctor's time. A cancelled turno frees its slot; one that was
# attended or missed still took the time, so it keeps blocking it.
OCCUPYING_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.ATTENDED,
    AppointmentStatus.NO_SHOW,
)
# Statuses a patient can still cancel or move.
UPCOMING_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)


class Channel(models.TextChoices):
    PHONE = "phone", "Teléfono"
    WHATSAPP = "whatsapp", "WhatsApp"
    ADMIN = "admin", "Recepción"
    CHAT = "chat", "Chat de prueba"


class Appointment(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments", verbose_name="paciente")
    doctor = models.ForeignKey(
        Doctor, on_delete=models.PROTECT, related_name="appointments", verbose_name="profesional"
    )
    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, related_name="appointments", verbose_name="especialidad"
    )
    start_at = models.DateTimeField("inicio", db_index=True)
    end_at = models.DateTimeField("fin")
    status = models.CharField(
        "estado", max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED, db_index=True
    )
    channel = models.CharField("canal", max_length=12, choices=Channel.choices, default=Channel.ADMIN)
    notes = models.TextField("notas", blank=True)
    conversation = models.ForeignKey(
        "bot.Conversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name="conversación",
    )
    # Who asked, as the channel told us: the number may manage this turno (identity app),
    # and the name typed then is what the assistant reads back to that number, never the
    # stored patient's name (the caller may have typed someone else's DNI).
    booked_by_number = models.CharField("reservado desde", max_length=20, blank=True, db_index=True)
    booked_as_name = models.CharField("nombre indicado al reservar", max_length=150, blank=True)
    cancelled_at = models.DateTimeField("cancelado el", null=True, blank=True)
    # Who cancelled and why, kept on the row so the desk reads it without digging in a log.
    # Empty `cancelled_by` on a cancelled turno: the patient (or the assistant) cancelled it.
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cancelado por",
    )
    cancellation_reason = models.CharField("motivo de la cancelación", max_length=200, blank=True)
    # A move books a new turno and cancels this one; the link is kept both ways
    # (`rescheduled_to` on the old one is the reverse of this field).
    rescheduled_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rescheduled_to",
        verbose_name="reprogramado desde",
    )
    created_at = models.DateTimeField("creado", auto_now_add=True)
    updated_at = models.DateTimeField("modificado", auto_now=True)

    # updated_at moves on every save: the record's own date says when.
    history = audit_history("turno", "turnos", excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "turno"
        verbose_name_plural = "turnos"
        ordering = ["start_at"]
        indexes = [models.Index(fields=["doctor", "start_at"], name="appointment_doctor_start")]
        constraints = [
            models.CheckConstraint(condition=Q(start_at__lt=models.F("end_at")), name="appointment_start_before_end"),
        ]
        # The no-overlap exclusion constraint is PostgreSQL-only and is created in
        # migration 0002 (see the design's field notes); SQLite relies on the service check.

    def __str__(self):
        # localtime(): the admin activates the clinic's zone, so people read their wall clock.
        return f"{self.patient.full_name} · {self.doctor} · {timezone.localtime(self.start_at):%d/%m/%Y %H:%M}"

    def clean(self):
        if self.start_at and self.end_at and self.start_at >= self.end_at:
            raise ValidationError("El turno debe empezar antes de terminar.")
        if self.doctor_id and self.specialty_id and not self.doctor.specialties.filter(pk=self.specialty_id).exists():
            raise ValidationError({"specialty": "El profesional no atiende esa especialidad."})
        if self.doctor_id and self.start_at and self.end_at and self.status in OCCUPYING_STATUSES:
            overlapping = Appointment.objects.filter(
                doctor_id=self.doctor_id,
                status__in=OCCUPYING_STATUSES,
                start_at__lt=self.end_at,
                end_at__gt=self.start_at,
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError("El profesional ya tiene un turno en ese horario.")
