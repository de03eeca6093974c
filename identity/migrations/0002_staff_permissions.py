"""Staff groups used to be created here. They are now declared once, for every app, in
clinic_assistant/staff_roles.py and brought up to date after each migrate (post_migrate); this
migration stays, empty, so the migration graph of existing databases is unchanged."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0001_initial"),
        ("appointments", "0004_staff_groups"),
    ]

    operations: list = []
