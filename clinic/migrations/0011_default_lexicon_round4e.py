from django.db import migrations

from clinic.services import install_default_lexicon_in_every_clinic

# Existing clinics get the default lexicon's round-4e words (issue 9): complaints of
# services a clinic often lacks said without naming one (Clínica médica), job-entry and
# Uruguayan health certificates, a lump in the breast (Ginecología).
# install_default_lexicon adds only what a clinic does not have yet.


class Migration(migrations.Migration):
    dependencies = [("clinic", "0010_default_lexicon_round3e")]

    operations = [migrations.RunPython(install_default_lexicon_in_every_clinic, migrations.RunPython.noop)]
