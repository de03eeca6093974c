"""Who a channel's number may act for, and how much one number may do.

The number a message comes from is the only identity the assistant trusts (a DNI or a
name anyone can type). A number reaches the turnos it booked (Appointment.booked_by_number)
and those of the patients it is a verified number of (VerifiedNumber). The remaining
tables hold the state of the limits, in PostgreSQL so that every web instance sees the
same counts: one-time code attempts, new turnos per number and day, message counts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from appointments.models import Patient
from appointments.phones import normalize_phone


class NumberSource(models.TextChoices):
    SELF_BOOKING = "self_booking", "Reservó para sí desde ese número"
    CODE = "code", "Confirmó un código enviado al teléfono del paciente"
    RECEPTION = "reception", "Registrado por recepción"


class VerifiedNumber(models.Model):
    """A number proven to belong to (or to act for) a patient: from it, the assistant
    lists, cancels and moves all of that patient's turnos."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="verified_numbers", verbose_name="paciente"
    )
    number = models.CharField("número (E.164)", max_length=20, db_index=True)
    source = models.CharField("origen", max_length=16, choices=NumberSource.choices, default=NumberSource.RECEPTION)
    verified_at = models.DateTimeField("verificado el", default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="registrado por",
    )

    class Meta:
        verbose_name = "número verificado"
        verbose_name_plural = "números verificados"
        constraints = [models.UniqueConstraint(fields=["patient", "number"], name="unique_verified_number_per_patient")]

    def __str__(self):
        return f"{self.number} · {self.patient.full_name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        normalized = normalize_phone(self.number)
        if not normalized:
            raise ValidationError({"number": "Número de teléfono inválido."})
        self.number = normalized


class CodeStatus(models.TextChoices):
    PENDING = "pending", "Esperando el código"
    APPROVED = "approved", "Confirmado"
    LOCKED = "locked", "Bloqueado por intentos"
    EXPIRED = "expired", "Vencido"


class CodeVerification(models.Model):
    """One one-time code sent (through Twilio Verify) to a patient's registered number on
    behalf of the number asking. Attempts are counted here as well as by Twilio, so the
    limit holds whatever the Verify service is configured to allow. A row whose
    `destination` is empty stands for a request that sent nothing (unknown DNI, name that
    does not match, no registered number): it answers exactly like a real one, so the reply
    never tells whether a DNI exists."""

    requester = models.CharField("número que pide", max_length=20, db_index=True)
    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="paciente"
    )
    destination = models.CharField("enviado a", max_length=20, blank=True)
    channel = models.CharField("canal", max_length=10, blank=True)
    status = models.CharField("estado", max_length=10, choices=CodeStatus.choices, default=CodeStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("intentos", default=0)
    created_at = models.DateTimeField("creado", default=timezone.now, db_index=True)
    expires_at = models.DateTimeField("vence")

    class Meta:
        verbose_name = "código de verificación"
        verbose_name_plural = "códigos de verificación"
        constraints = [
            models.CheckConstraint(
                condition=Q(destination="") | Q(patient__isnull=False), name="code_sent_only_for_a_patient"
            )
        ]

    def __str__(self):
        return f"{self.requester} · {self.get_status_display()}"


class DailyBookingCount(models.Model):
    """New turnos booked from one number on one clinic-local day. The row is also the lock
    that serializes that number's bookings across web instances (SELECT ... FOR UPDATE)."""

    number = models.CharField(max_length=64)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "turnos nuevos por número y día"
        verbose_name_plural = "turnos nuevos por número y día"
        constraints = [models.UniqueConstraint(fields=["number", "day"], name="unique_booking_count_per_number_day")]

    def __str__(self):
        return f"{self.number} · {self.day:%d/%m/%Y}: {self.count}"


class MessageCount(models.Model):
    """Messages from one number in one fixed window (a minute), incremented with
    a single atomic upsert per message (see identity.ratelimit)."""

    key = models.CharField(max_length=64)
    window_seconds = models.PositiveIntegerField()
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "mensajes por número"
        verbose_name_plural = "mensajes por número"
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window_seconds", "window_start"], name="unique_message_count_window"
            )
        ]

    def __str__(self):
        return f"{self.key} · {self.window_start:%H:%M}: {self.count}"
