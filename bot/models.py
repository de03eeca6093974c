"""Conversations as rows, so any web instance can serve any turn."""

import copy

from django.db import models
from django.utils import timezone

from bot.state import ConversationState


class ConversationChannel(models.TextChoices):
    PHONE = "phone", "Teléfono"
    WHATSAPP = "whatsapp", "WhatsApp"
    CHAT = "chat", "Chat de terminal"
    SIMULATOR = "simulator", "Simulador"


class ConversationStatus(models.TextChoices):
    ACTIVE = "active", "Activa"
    ENDED = "ended", "Finalizada"


class ConversationOutcome(models.TextChoices):
    NONE = "", "—"
    BOOKED = "booked", "Reservó"
    CANCELLED = "cancelled", "Canceló"
    RESCHEDULED = "rescheduled", "Reprogramó"
    INFORMED = "informed", "Consulta"
    TRANSFERRED = "transferred", "Transferida"
    WAITLISTED = "waitlisted", "Lista de espera"
    ABANDONED = "abandoned", "Abandonada"


class Conversation(models.Model):
    clinic = models.ForeignKey(
        "clinic.Clinic", on_delete=models.CASCADE, related_name="conversations", null=True, verbose_name="clínica"
    )
    channel = models.CharField("canal", max_length=12, choices=ConversationChannel.choices)
    participant = models.CharField("número", max_length=64, db_index=True, help_text="E.164 del paciente.")
    call_sid = models.CharField("CallSid", max_length=64, null=True, blank=True, unique=True)
    patient = models.ForeignKey(
        "appointments.Patient",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name="paciente",
    )
    status = models.CharField(
        "estado", max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.ACTIVE, db_index=True
    )
    outcome = models.CharField(
        "resultado", max_length=12, choices=ConversationOutcome.choices, default=ConversationOutcome.NONE, blank=True
    )
    state = models.JSONField("estado estructurado", default=dict, blank=True)
    summary = models.TextField("resumen", blank=True)
    duration_seconds = models.PositiveIntegerField("duración (s)", null=True, blank=True)
    started_at = models.DateTimeField("inicio", auto_now_add=True)
    last_activity_at = models.DateTimeField("última actividad", auto_now=True)
    ended_at = models.DateTimeField("fin", null=True, blank=True)
    # Set by from_db (not a field).
    _loaded_values: dict[str, object]

    class Meta:
        verbose_name = "conversación"
        verbose_name_plural = "conversaciones"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["channel", "participant", "status"], name="conversation_lookup")]
        constraints = [
            # A number has one conversation going on each channel (calls: one per CallSid,
            # and two calls from one number may overlap). get_or_start_conversation relies on it.
            models.UniqueConstraint(
                fields=["channel", "participant"],
                condition=models.Q(status="active", call_sid__isnull=True),
                name="one_active_conversation_per_number",
            ),
        ]

    def __str__(self):
        started = timezone.localtime(self.started_at) if self.started_at else None
        return (
            f"{self.get_channel_display()} {self.participant} · {started:%d/%m/%Y %H:%M}"
            if started
            else self.participant
        )

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        # Remember what was loaded, so a turn saves only the fields it changed (see
        # bot.conversations.save_changes) and never writes back a stale copy of the others.
        instance = super().from_db(db, field_names, values, **kwargs)
        # A copy: the state is a dict that turns change in place.
        instance._loaded_values = copy.deepcopy(dict(zip(field_names, values, strict=True)))
        return instance

    def load_state(self) -> ConversationState:
        """The typed state of this conversation (rows from older versions are upgraded)."""
        return ConversationState.load(self.state)

    def store_state(self, state: ConversationState) -> None:
        """Put `state` in the row's JSON; the caller saves the row."""
        self.state = state.dump()


class MessageRole(models.TextChoices):
    USER = "user", "Paciente"
    ASSISTANT = "assistant", "Asistente"
    TOOL = "tool", "Herramienta"
    SYSTEM = "system", "Sistema"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField("rol", max_length=10, choices=MessageRole.choices)
    text = models.TextField("texto", blank=True)
    tool_name = models.CharField("herramienta", max_length=64, blank=True)
    tool_call_id = models.CharField(max_length=64, blank=True)
    tool_arguments = models.JSONField("argumentos", null=True, blank=True)
    tool_result = models.JSONField("resultado", null=True, blank=True)
    tokens_in = models.PositiveIntegerField(null=True, blank=True)
    tokens_out = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    # Phone turns: from the caller's final words (the webhook's arrival, the relay's final
    # prompt) to the first <Say> or the first streamed text token.
    response_ms = models.PositiveIntegerField("respuesta (ms)", null=True, blank=True)
    brain = models.CharField("cerebro", max_length=12, blank=True, help_text="openai o rules")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "mensaje"
        verbose_name_plural = "mensajes"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_role_display()}: {self.text[:60]}"


class ProcessedWebhook(models.Model):
    """One row per Twilio delivery key (MessageSid, or CallSid + turn), so a retry replays
    the stored reply instead of running the engine (and a booking) twice."""

    key = models.CharField(max_length=120, unique=True)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="webhooks"
    )
    response_body = models.TextField(blank=True)
    is_complete = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Until then the claim belongs to the request that made it; past it (a worker killed, a
    # connection lost before the claim could be released) Twilio's retry takes it over.
    lease_expires_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "webhook procesado"
        verbose_name_plural = "webhooks procesados"

    def __str__(self):
        return self.key


class TurnLease(models.Model):
    """Who is running a turn of one conversation right now ("whatsapp:+54911…", "phone:CA…"),
    so that turns run one after another across threads and web instances. A row, not a
    transaction or a session lock: a turn holds no transaction across model calls, and an
    ASGI turn may use several connections. The lease expires by itself if its holder dies."""

    key = models.CharField(max_length=120, primary_key=True)
    holder = models.CharField(max_length=32, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "conversación en curso"
        verbose_name_plural = "conversaciones en curso"

    def __str__(self):
        return self.key
