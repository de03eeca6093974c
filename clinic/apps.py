from django.apps import AppConfig


class ClinicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic"
    verbose_name = "Clínica"

    def ready(self):
        # Connects the receivers that keep every process's catalog snapshot in step with the data.
        from clinic import signals  # noqa: F401
