from django.db import migrations

from clinic.services import install_default_lexicon_in_every_clinic

# Existing clinics get the default lexicon's new words (body parts and lay names, more
# services a clinic usually lacks); install_default_lexicon only adds what is not there.


class Migration(migrations.Migration):
    dependencies = [("clinic", "0006_history")]

    operations = [migrations.RunPython(install_default_lexicon_in_every_clinic, migrations.RunPython.noop)]
