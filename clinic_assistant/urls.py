from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from clinic.views import privacy_notice
from clinic_assistant.views import health
from reminders.dashboard import dashboard_view

admin.site.site_header = "Clínica — Asistente de turnos"
admin.site.site_title = "Asistente de turnos"
admin.site.index_title = "Administración"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("health", health, name="health"),
    path("privacidad/", privacy_notice, name="privacy_notice"),
    path("admin/tablero/", admin.site.admin_view(dashboard_view), name="dashboard"),
    path("admin/", admin.site.urls),
    path("", include("bot.urls")),
]
