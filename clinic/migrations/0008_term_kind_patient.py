from django.db import migrations, models


def mark_patients(apps, schema_editor):
    """Existing clinics' default words for who the patient is ("mi nena", "niños") become that
    kind, and they get the new ones; terms the admin wrote are left as they are."""
    from clinic.services import default_lexicon, install_default_lexicon

    SpecialtyTerm = apps.get_model("clinic", "SpecialtyTerm")
    for name, kinds in default_lexicon()["specialties"].items():
        terms = kinds.get("patient", {}).get("terms", [])
        SpecialtyTerm.objects.filter(specialty__name=name, term__in=terms).update(kind="patient")
    for clinic in apps.get_model("clinic", "Clinic").objects.all():
        install_default_lexicon(clinic=clinic)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0007_default_lexicon_more")]

    operations = [
        migrations.AlterField(
            model_name="specialtyterm",
            name="kind",
            field=models.CharField(
                choices=[
                    ("symptom", "síntoma o motivo"),
                    ("service", "servicio o práctica"),
                    ("abbreviation", "abreviatura o forma de decir"),
                    ("patient", "quién es el paciente"),
                ],
                default="symptom",
                max_length=20,
                verbose_name="tipo",
            ),
        ),
        migrations.RunPython(mark_patients, migrations.RunPython.noop),
    ]
