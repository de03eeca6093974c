from django.db import migrations

from clinic.services import install_default_lexicon_in_every_clinic

# Existing clinics get the default lexicon's round-9 words: itchy eyes (Oftalmología, not the
# skin's "picazón"), an infected throat (Clínica médica), a knock on a limb and a pulled muscle
# (Traumatología). install_default_lexicon adds only what a clinic does not have yet.


class Migration(migrations.Migration):
    dependencies = [("clinic", "0014_clinic_accepted_document_kinds")]

    operations = [migrations.RunPython(install_default_lexicon_in_every_clinic, migrations.RunPython.noop)]
