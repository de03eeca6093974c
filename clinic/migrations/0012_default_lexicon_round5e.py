from django.db import migrations, models

from clinic.services import install_default_lexicon_in_every_clinic

# Existing clinics get the default lexicon's round-5e words (issue 9): general check-ups as a
# kind of their own (the check-up of the specialty named with it, else the GP's; the rows
# earlier rounds installed as services are moved), regional words for a child (Pediatría),
# lay names of the skin and eye specialists, eye and skin complaints, and organs of services a
# clinic often lacks (próstata, hígado, vesícula -> Clínica médica).
# install_default_lexicon adds only what a clinic does not have yet.


class Migration(migrations.Migration):
    dependencies = [("clinic", "0011_default_lexicon_round4e")]

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
                    ("checkup", "control o chequeo general"),
                ],
                default="symptom",
                max_length=20,
                verbose_name="tipo",
            ),
        ),
        migrations.RunPython(install_default_lexicon_in_every_clinic, migrations.RunPython.noop),
    ]
