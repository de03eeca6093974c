"""Reception works the waitlist and sees what was sent (and retries failures); the clinic's
administration also sets each clinic's messaging choices."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECEPTION = "Recepción"
ADMINISTRATION = "Administración"
PERMISSIONS = {
    RECEPTION: {
        "outboundmessage": ["view", "change"],
        "waitlistentry": ["view", "add", "change"],
        "waitlistoffer": ["view"],
        "messagingsettings": ["view"],
    },
    ADMINISTRATION: {
        "outboundmessage": ["view", "change"],
        "waitlistentry": ["view", "add", "change", "delete"],
        "waitlistoffer": ["view"],
        "messagingsettings": ["view", "add", "change"],
    },
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("reminders")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for group_name, models in PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=group_name)
        group.permissions.add(
            *permission_model.objects.filter(
                content_type__app_label="reminders",
                codename__in=[f"{action}_{model}" for model, actions in models.items() for action in actions],
            )
        )


def revoke(apps, schema_editor):
    apps.get_model("auth", "Permission").objects.filter(content_type__app_label="reminders").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_outbound_messages_and_waitlist"),
        ("appointments", "0004_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
