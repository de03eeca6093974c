from django.apps import AppConfig


class RemindersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reminders"
    verbose_name = "Recordatorios y lista de espera"

    def ready(self):
        from reminders import signals  # noqa: F401  (keeps reminder rows in step with turnos)
