from django.contrib import admin
from django.urls import include, path

from clinic_assistant.views import health

admin.site.site_header = "Clínica — Asistente de turnos"
admin.site.site_title = "Asistente de turnos"
admin.site.index_title = "Administración"

urlpatterns = [
    path("health", health, name="health"),
    path("admin/", admin.site.urls),
    path("", include("appointments.urls")),
    path("", include("bot.urls")),
]
