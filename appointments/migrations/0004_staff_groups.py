"""Staff groups used to be created here. They are now declared once, for every app, in
clinic_assistant/staff_roles.py and brought up to date after each migrate (post_migrate); this
migration stays, empty, so the migration graph of existing databases is unchanged."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0003_no_overlap_exclusion_constraint"),
        ("bot", "0001_initial"),
        ("clinic", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations: list = []
