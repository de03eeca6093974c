"""The two staff roles: "Recepción" works the agenda (turnos, patients, conversations);
"Administración" also keeps the clinic's data."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECEPTION = "Recepción"
ADMINISTRATION = "Administración"

RECEPTION_PERMISSIONS = {
    "appointments": {"appointment": ["view", "add", "change"], "patient": ["view", "add", "change"]},
    "bot": {"conversation": ["view"], "message": ["view"]},
    "clinic": {
        "clinic": ["view"],
        "specialty": ["view"],
        "doctor": ["view"],
        "coverage": ["view"],
        "openinghours": ["view"],
        "doctorschedule": ["view"],
        "closure": ["view"],
    },
}
ALL = ["view", "add", "change", "delete"]
ADMINISTRATION_PERMISSIONS = {
    "appointments": {"appointment": ALL, "patient": ALL},
    "bot": {"conversation": ["view", "change"], "message": ["view"]},
    "clinic": {
        model: ALL
        for model in ["clinic", "specialty", "doctor", "coverage", "openinghours", "doctorschedule", "closure"]
    },
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for group_name, spec in [(RECEPTION, RECEPTION_PERMISSIONS), (ADMINISTRATION, ADMINISTRATION_PERMISSIONS)]:
        group, _ = group_model.objects.get_or_create(name=group_name)
        codenames = [
            (app_label, f"{action}_{model}")
            for app_label, models in spec.items()
            for model, actions in models.items()
            for action in actions
        ]
        permissions = [
            permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in codenames
        ]
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[RECEPTION, ADMINISTRATION]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0003_no_overlap_exclusion_constraint"),
        ("bot", "0001_initial"),
        ("clinic", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
