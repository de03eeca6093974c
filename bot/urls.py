import os

from django.urls import path

from bot import views

urlpatterns = [
    path("webhook/voice", views.voice_incoming, name="webhook-voice"),
    path("webhook/voice/gather", views.voice_gather, name="webhook-voice-gather"),
    path("webhook/voice/status", views.voice_status, name="webhook-voice-status"),
    path("webhook/voice/relay", views.voice_relay_ended, name="webhook-voice-relay"),
    path("webhook/whatsapp", views.whatsapp_message, name="webhook-whatsapp"),
    path("webhook/messages/status", views.message_status_callback, name="webhook-message-status"),
]

# bench/webhooks.py compares the assistant with a bare endpoint served by the same process.
if os.environ.get("BENCH_BARE_ENDPOINT") == "1":
    urlpatterns.append(path("bench/bare", views.bench_bare, name="bench-bare"))
