from django.db import migrations


def install(apps, schema_editor):
    """Existing clinics get the default lexicon's round-3e words (issue 9): the regional words
    for a child and a son or daughter with symptoms (Pediatría), lay words for skin and
    general complaints. install_default_lexicon adds only what a clinic does not have yet."""
    from clinic.services import install_default_lexicon

    Clinic = apps.get_model("clinic", "Clinic")
    for clinic in Clinic.objects.all():
        install_default_lexicon(clinic=clinic)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0009_default_lexicon_round2b")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
