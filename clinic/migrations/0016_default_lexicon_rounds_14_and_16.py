from django.db import migrations
from django.utils import timezone

# Round 14 (issue 9): what the patient needs seen. Existing clinics get the default lexicon's
# new words for their specialties (install_default_lexicon adds what is not there): the
# thyroid, a goitre and trouble peeing at night said without a specialist (Clínica médica),
# the blood pressure said "la tensión" (Cardiología), Argentina's "lumbago" and a bone "se lo
# quebró" (Traumatología), "emplomadura" (Odontología), the child's health booklet and Peru's
# "control CRED" (Pediatría), Colombia's "paño", a skin allergy by where it itches and warts
# of the sole (Dermatología), Mexico's "constancia médica" (Clínica médica), the eye's tests
# and the Caribbean's "espejuelos" (Oftalmología). Round 16: hair falling out as it happens
# (Dermatología), Mexico's "mal de la panza" and Puerto Rico's "médico primario" (Clínica médica).
# Round 17: bruises, "moretones" (Clínica médica), Ecuador's "calce" (Odontología) and the
# vaccination booklet, "cartilla de vacunación" (Vacunación, a paper to bring beside a specialty).
# Words this migration adds to the services a clinic already lists as missing (rows the admin
# may have edited: only these words are added, never the ones the admin removed before).
NEW_MISSING_TERMS = {
    "Otorrinolaringología": [
        "tapon de cera", "tapones de cera", "cera en el oido", "cera en los oidos", "limpieza de oidos",
        "lavado de oidos", "tabique desviado", "tabique chueco",
    ],
    "Fonoaudiología": ["audiometria", "audiologo", "audiologa"],
    "Neumonología": ["espirometria"],
    "Laboratorio": [
        "prueba del azucar", "prueba de glucosa", "prueba de la glucosa", "examen de glucosa", "quimica sanguinea",
        "biometria hematica",
    ],
    "Diagnóstico por imágenes": ["sonograma", "sonografia"],
    "Vacunación": [
        "cartilla de vacunacion", "cartilla de vacunas", "carnet de vacunacion", "carnet de vacunas",
        "carne de vacunacion", "carne de vacunas", "tarjeta de vacunacion", "tarjeta de vacunas",
        "libreta de vacunacion", "libreta de vacunas",
    ],
}  # fmt: skip


def install(apps, schema_editor):
    from clinic.services import install_default_lexicon_in_every_clinic

    Clinic = apps.get_model("clinic", "Clinic")
    MissingService = apps.get_model("clinic", "MissingService")
    install_default_lexicon_in_every_clinic(apps, schema_editor)
    for missing in MissingService.objects.filter(name__in=list(NEW_MISSING_TERMS)):
        terms = [term.strip() for term in missing.terms.split(",") if term.strip()]
        added = [term for term in NEW_MISSING_TERMS[missing.name] if term not in terms]
        if added:
            missing.terms = ", ".join([*terms, *added])
            missing.save(update_fields=["terms"])
            # A historical model sends no signal: tell every process's catalog (clinic.signals).
            Clinic.objects.filter(pk=missing.clinic_id).update(updated_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("clinic", "0015_missing_service_terms_text_lexicon_rounds_9_to_11")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
