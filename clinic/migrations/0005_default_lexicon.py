from django.db import migrations


def install(apps, schema_editor):
    """Existing clinics get the default Spanish lexicon (new ones get it from seed_demo or
    the admin)."""
    from clinic.services import install_default_lexicon

    for clinic in apps.get_model("clinic", "Clinic").objects.all():
        install_default_lexicon(clinic=clinic)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0004_lexicon")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
