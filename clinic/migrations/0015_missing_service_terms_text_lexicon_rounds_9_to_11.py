from django.db import migrations, models

from clinic.services import install_default_lexicon_in_every_clinic

# A missing service's terms become a text (the laboratory's named tests pass 255 characters),
# before existing clinics get the default lexicon's round-9 and round-10 words: itchy eyes
# (Oftalmología, not the skin's "picazón"), an infected throat (Clínica médica), a knock on a
# limb and a pulled muscle (Traumatología); burning or going often when peeing in lay words
# (Clínica médica) and Chile's "examen de medicina preventiva" (the GP's check-up); round 11's
# kidney stones, "mal de orín", piles and a yearly physical (Clínica médica), "me falseé el pie"
# (Traumatología) and the eyes' pressure (Oftalmología).
# install_default_lexicon adds only what a clinic does not have yet (a missing service's new
# terms, such as the laboratory's named tests, reach new clinics only).


class Migration(migrations.Migration):
    dependencies = [("clinic", "0014_clinic_accepted_document_kinds")]

    operations = [
        migrations.AlterField(
            model_name="missingservice",
            name="terms",
            field=models.TextField(
                blank=True,
                help_text="Separados por comas, p. ej. «kine, kinesio, fisioterapia».",
                verbose_name="cómo lo piden",
            ),
        ),
        migrations.RunPython(install_default_lexicon_in_every_clinic, migrations.RunPython.noop),
    ]
