"""Reception records verified numbers (add, view, remove); Administración may do everything."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECEPTION = "Recepción"
ADMINISTRATION = "Administración"
GRANTS = {RECEPTION: ["view", "add", "delete"], ADMINISTRATION: ["view", "add", "change", "delete"]}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("identity")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for group_name, actions in GRANTS.items():
        group = group_model.objects.filter(name=group_name).first()
        if group is None:
            continue
        group.permissions.add(
            *permission_model.objects.filter(
                content_type__app_label="identity", codename__in=[f"{action}_verifiednumber" for action in actions]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0001_initial"),
        ("appointments", "0004_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
