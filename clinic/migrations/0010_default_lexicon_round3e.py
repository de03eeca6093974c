from django.db import migrations

from clinic.services import install_default_lexicon_in_every_clinic

# Existing clinics get the default lexicon's round-3e words (issue 9): the regional words
# for a child and a son or daughter with symptoms (Pediatría), lay words for skin and
# general complaints. install_default_lexicon adds only what a clinic does not have yet.


class Migration(migrations.Migration):
    dependencies = [("clinic", "0009_default_lexicon_round2b")]

    operations = [migrations.RunPython(install_default_lexicon_in_every_clinic, migrations.RunPython.noop)]
