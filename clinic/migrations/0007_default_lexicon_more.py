from django.db import migrations


def install(apps, schema_editor):
    """Existing clinics get the default lexicon's new words (body parts and lay names, more
    services a clinic usually lacks); install_default_lexicon only adds what is not there."""
    from clinic.services import install_default_lexicon

    for clinic in apps.get_model("clinic", "Clinic").objects.all():
        install_default_lexicon(clinic=clinic)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0006_history")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
