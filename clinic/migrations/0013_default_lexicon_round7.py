from django.db import migrations

from clinic.services import install_default_lexicon_in_every_clinic

# Existing clinics get the default lexicon's round-7 words: lice (Dermatología; a child's go
# to Pediatría as any child's complaint) and a diabetic's wound that does not heal (Clínica
# médica). install_default_lexicon adds only what a clinic does not have yet.


class Migration(migrations.Migration):
    dependencies = [("clinic", "0012_default_lexicon_round5e")]

    operations = [migrations.RunPython(install_default_lexicon_in_every_clinic, migrations.RunPython.noop)]
