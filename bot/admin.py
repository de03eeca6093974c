"""Conversations for the desk to review (read-only: they are the record of what the
assistant said and did), and a simulator where staff can talk to the assistant as a patient."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from appointments.admin import local_datetime_label
from bot import engine
from bot.conversations import close_conversation, get_or_start_conversation
from bot.models import Conversation, ConversationChannel, ConversationStatus, Message
from bot.usage import estimated_cost_usd

SIMULATOR_SESSION_KEY = "bot_simulator_conversation_id"
# Staff try the assistant from a number no patient has, so their tests never touch real turnos.
SIMULATOR_PARTICIPANT = "simulador"


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "created_at",
        "role",
        "text",
        "tool_name",
        "tool_arguments",
        "tool_result",
        "brain",
        "latency_ms",
        "response_ms",
    )
    ordering = ["created_at", "id"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = [
        "started",
        "channel",
        "participant",
        "patient",
        "status",
        "outcome",
        "duration_seconds",
        "tokens",
        "cost",
        "summary",
    ]
    list_filter = ["channel", "status", "outcome", "started_at"]
    search_fields = ["participant", "patient__full_name", "patient__document_number", "summary", "call_sid"]
    date_hierarchy = "started_at"
    list_select_related = ["patient"]
    inlines = [MessageInline]
    readonly_fields = [
        "clinic",
        "channel",
        "participant",
        "call_sid",
        "patient",
        "status",
        "outcome",
        "state",
        "summary",
        "duration_seconds",
        "started_at",
        "last_activity_at",
        "ended_at",
    ]

    @admin.display(description="inicio", ordering="started_at")
    def started(self, obj):
        return local_datetime_label(obj.started_at)

    def get_queryset(self, request):
        # Token sums in the list's own query (no query per row); the change page needs none.
        return (
            super()
            .get_queryset(request)
            .annotate(
                tokens_in=Coalesce(Sum("messages__tokens_in"), 0), tokens_out=Coalesce(Sum("messages__tokens_out"), 0)
            )
        )

    @admin.display(description="tokens (entrada / salida)", ordering="tokens_in")
    def tokens(self, obj):
        return f"{obj.tokens_in:,} / {obj.tokens_out:,}".replace(",", ".")

    @admin.display(description="costo estimado (USD)")
    def cost(self, obj):
        """From bot.usage's price table, the one the dashboard and the daily budget use."""
        return f"{estimated_cost_usd(tokens_in=obj.tokens_in, tokens_out=obj.tokens_out):.4f}".replace(".", ",")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("simulador/", self.admin_site.admin_view(self.simulator_view), name="bot_simulator"),
            *super().get_urls(),
        ]

    def simulator_view(self, request):
        """Talk to the assistant as a patient would, on the real engine and clinic data."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        conversation = self._simulator_conversation(request)
        if request.method == "POST":
            if "restart" in request.POST:
                close_conversation(conversation=conversation)
                request.session.pop(SIMULATOR_SESSION_KEY, None)
                return redirect("admin:bot_simulator")
            text = request.POST.get("text", "").strip()
            if text:
                bot_reply = engine.reply(conversation, text)
                if bot_reply.transfer_to_human:
                    messages.info(request, "En una llamada real, aquí se transferiría a recepción.")
                if bot_reply.end_conversation:
                    messages.info(request, "El asistente terminó la conversación. Escriba de nuevo para empezar otra.")
                    request.session.pop(SIMULATOR_SESSION_KEY, None)
            return redirect("admin:bot_simulator")
        transcript = conversation.messages.filter(role__in=["user", "assistant"]).order_by("created_at", "id")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Probar el asistente",
            "conversation": conversation,
            "transcript": transcript,
            "conversation_link": format_html(
                '<a href="{}">conversación #{}</a>',
                f"../{conversation.pk}/change/",
                conversation.pk,
            ),
        }
        return TemplateResponse(request, "admin/bot/simulator.html", context)

    def _simulator_conversation(self, request) -> Conversation:
        conversation = (
            Conversation.objects.filter(
                pk=request.session.get(SIMULATOR_SESSION_KEY), status=ConversationStatus.ACTIVE
            ).first()
            if request.session.get(SIMULATOR_SESSION_KEY)
            else None
        )
        if conversation is None:
            conversation = get_or_start_conversation(
                channel=ConversationChannel.SIMULATOR, participant=f"{SIMULATOR_PARTICIPANT}-{request.user.pk}"
            )
            if not conversation.messages.exists():
                engine.greet(conversation)
            request.session[SIMULATOR_SESSION_KEY] = conversation.pk
        return conversation
