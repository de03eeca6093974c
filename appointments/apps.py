from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "appointments"
    verbose_name = "Turnos"

    def ready(self):
        # Connects the receiver that attributes the assistant's changes to its conversation.
        from appointments import audit  # noqa: F401
