from django.apps import AppConfig


class ClinicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic"
    verbose_name = "Clínica"

    def ready(self):
        from django.db.models.signals import post_migrate

        # Connects the receivers that keep every process's catalog snapshot in step with the data.
        from clinic import signals  # noqa: F401
        from clinic.permissions import spanish_permission_names
        from clinic_assistant.staff_roles import sync_after_last_app

        # The staff groups follow clinic_assistant.staff_roles after every migrate.
        post_migrate.connect(sync_after_last_app, dispatch_uid="sync_staff_groups")
        post_migrate.connect(spanish_permission_names, dispatch_uid="clinic_spanish_permission_names")
