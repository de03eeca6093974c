"""Messages the clinic sends first (reminders, waitlist offers, notices) as rows, and the
waitlist. A row is the truth about a message: when it is due, whether it went out, its
Twilio SID and last error, so two senders never send it twice and reception sees failures."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from appointments.models import Appointment, Patient
from appointments.policy import PartOfDay
from clinic.models import Clinic, Doctor, Specialty


def validate_hours(value: str) -> None:
    parse_hours(value)


def parse_hours(value: str) -> list[int]:
    """ "72, 24" -> [72, 24]: the hours before a turno at which reminders go out."""
    try:
        hours = sorted({int(part) for part in value.replace(";", ",").split(",") if part.strip()}, reverse=True)
    except ValueError as exc:
        raise ValidationError("Escriba horas enteras separadas por comas, por ejemplo «72, 24».") from exc
    if not hours or any(hour <= 0 or hour > 24 * 14 for hour in hours):
        raise ValidationError("Cada recordatorio va entre 1 hora y 14 días antes del turno.")
    return hours


class UnconfirmedAction(models.TextChoices):
    FLAG = "flag", "Avisar a recepción"
    RELEASE = "release", "Liberar el turno"


class MessagingSettings(models.Model):
    """Per-clinic choices for what the clinic sends first; defaults come from the environment."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="messaging", verbose_name="clínica")
    reminder_hours = models.CharField(
        "recordatorios (horas antes)", max_length=40, default="72, 24", validators=[validate_hours]
    )
    confirm_deadline_hours = models.PositiveIntegerField(
        "confirmar hasta (horas antes)",
        default=12,
        help_text="Si el paciente no confirmó a esta altura, se aplica la acción de abajo.",
    )
    unconfirmed_action = models.CharField(
        "si no confirma", max_length=8, choices=UnconfirmedAction.choices, default=UnconfirmedAction.FLAG
    )
    reminder_content_sid = models.CharField(
        "plantilla de recordatorio (ContentSid)",
        max_length=64,
        blank=True,
        help_text="Plantilla aprobada con botones «Confirmo», «Necesito cambiarlo», «No voy a poder ir». "
        "Vacío: la de TWILIO_REMINDER_CONTENT_SID.",
    )
    waitlist_content_sid = models.CharField(
        "plantilla de oferta de lista de espera (ContentSid)", max_length=64, blank=True
    )
    notice_content_sid = models.CharField("plantilla de aviso de la clínica (ContentSid)", max_length=64, blank=True)
    waitlist_taken_content_sid = models.CharField(
        "plantilla de oferta ya tomada (ContentSid)",
        max_length=64,
        blank=True,
        help_text="Avisa a los demás pacientes de la lista que el turno ofrecido ya fue tomado.",
    )
    include_details = models.BooleanField(
        "incluir profesional y especialidad",
        default=False,
        help_text="Desactivado, el recordatorio dice solo el día y la hora (datos de salud sensibles, Ley 25.326).",
    )
    sms_number = models.CharField(
        "número para SMS", max_length=20, blank=True, help_text="Si WhatsApp falla se envía SMS desde este número."
    )
    privacy_notice_url = models.URLField("aviso de privacidad", blank=True)
    retention_days = models.PositiveIntegerField(
        "conservar conversaciones (días)", default=180, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = "configuración de mensajes"
        verbose_name_plural = "configuración de mensajes"

    def __str__(self):
        return f"Mensajes de {self.clinic}"

    @property
    def hours(self) -> list[int]:
        return parse_hours(self.reminder_hours)


class MessageKind(models.TextChoices):
    REMINDER = "reminder", "Recordatorio"
    WAITLIST_OFFER = "waitlist_offer", "Oferta de lista de espera"
    WAITLIST_TAKEN = "waitlist_taken", "Aviso: oferta ya tomada por otro paciente"
    CLINIC_CANCELLED = "clinic_cancelled", "Aviso: turno cancelado por la clínica"
    CLINIC_MOVED = "clinic_moved", "Aviso: turno movido por la clínica"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Pendiente"
    SENDING = "sending", "Enviando"
    SENT = "sent", "Enviado"
    DELIVERED = "delivered", "Entregado"
    ANSWERED = "answered", "Respondido"
    FAILED = "failed", "Falló"
    CANCELLED = "cancelled", "Anulado"


class MessageChannel(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    SMS = "sms", "SMS"


class OutboundMessage(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="outbound_messages")
    kind = models.CharField("tipo", max_length=20, choices=MessageKind.choices)
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbound_messages",
        verbose_name="turno",
    )
    offer = models.ForeignKey(
        "reminders.WaitlistOffer", on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    hours_before = models.PositiveIntegerField("horas antes", null=True, blank=True)
    to_number = models.CharField("para", max_length=20)
    channel = models.CharField("canal", max_length=10, choices=MessageChannel.choices, default="whatsapp")
    due_at = models.DateTimeField("vence", db_index=True)
    next_attempt_at = models.DateTimeField("próximo intento")
    status = models.CharField(
        "estado", max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("intentos", default=0)
    message_sid = models.CharField("MessageSid", max_length=64, null=True, blank=True, unique=True)
    last_error = models.CharField("último error", max_length=300, blank=True)
    sent_at = models.DateTimeField("enviado", null=True, blank=True)
    answered_at = models.DateTimeField("respondido", null=True, blank=True)
    answer = models.CharField("respuesta", max_length=20, blank=True)
    flagged_at = models.DateTimeField(
        "señalado a recepción", null=True, blank=True, help_text="El paciente no confirmó a tiempo."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mensaje a paciente"
        verbose_name_plural = "mensajes a pacientes"
        ordering = ["-due_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbound_due")]
        constraints = [
            # One reminder per turno and offset, whatever reschedules and reruns do.
            models.UniqueConstraint(
                fields=["appointment", "hours_before"],
                condition=Q(kind="reminder"),
                name="one_reminder_per_offset",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.to_number} ({self.get_status_display()})"


# The waitlist's wishes use the policy's parts of the day, so "a la tarde" means the same
# hours here as in the assistant's offers.
PART_OF_DAY_CHOICES = [
    ("", "Cualquier horario"),
    (PartOfDay.MORNING.value, "Mañana"),
    (PartOfDay.AFTERNOON.value, "Tarde"),
    (PartOfDay.EVENING.value, "Noche"),
]


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "En espera"
    FILLED = "filled", "Obtuvo turno"
    WITHDRAWN = "withdrawn", "Dado de baja"


class WaitlistEntry(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="waitlist")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="waitlist", verbose_name="paciente")
    phone = models.CharField("avisar a", max_length=20, help_text="E.164; recibe las ofertas por WhatsApp.")
    specialty = models.ForeignKey(Specialty, on_delete=models.CASCADE, verbose_name="especialidad")
    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, null=True, blank=True, verbose_name="profesional")
    weekdays = models.JSONField(
        "días", default=list, blank=True, help_text="0 = lunes … 6 = domingo; vacío: cualquiera."
    )
    part_of_day = models.CharField("horario", max_length=10, choices=PART_OF_DAY_CHOICES, blank=True, default="")
    status = models.CharField(
        "estado", max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING, db_index=True
    )
    filled_by = models.OneToOneField(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="waitlist_entry"
    )
    source = models.CharField("origen", max_length=12, default="admin")
    # What the caller typed when the assistant took the entry: offers greet by this name, never
    # by the stored one (a caller who only knows a DNI must not learn the patient's name).
    requested_as_name = models.CharField("nombre indicado", max_length=150, blank=True)
    created_at = models.DateTimeField("anotado", auto_now_add=True)

    class Meta:
        verbose_name = "lista de espera"
        verbose_name_plural = "lista de espera"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.patient.full_name} · {self.specialty}"


class OfferStatus(models.TextChoices):
    OFFERED = "offered", "Ofrecido"
    ACCEPTED = "accepted", "Aceptado"
    TAKEN = "taken", "Ya tomado"
    DECLINED = "declined", "Rechazado"


class WaitlistOffer(models.Model):
    """A freed slot offered to one waitlisted patient; several may hold offers for the same
    slot, and the booking's exclusion constraint decides who gets it."""

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE)
    specialty = models.ForeignKey(Specialty, on_delete=models.CASCADE)
    start_at = models.DateTimeField("horario")
    status = models.CharField("estado", max_length=10, choices=OfferStatus.choices, default=OfferStatus.OFFERED)
    appointment = models.OneToOneField(Appointment, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "oferta de lista de espera"
        verbose_name_plural = "ofertas de lista de espera"
        constraints = [
            models.UniqueConstraint(fields=["entry", "doctor", "start_at"], name="one_offer_per_entry_and_slot")
        ]

    def __str__(self):
        return f"{self.entry} · {self.start_at:%d/%m %H:%M}"
