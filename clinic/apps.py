from django.apps import AppConfig


class ClinicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic"
    verbose_name = "Clínica"

    def ready(self):
        # Connects the receivers that keep every process's catalog snapshot in step with the data.
        from django.db.models.signals import post_migrate

        from clinic import signals  # noqa: F401
        from clinic_assistant.staff_roles import sync_after_last_app

        # The staff groups follow clinic_assistant.staff_roles after every migrate.
        post_migrate.connect(sync_after_last_app, dispatch_uid="sync_staff_groups")
