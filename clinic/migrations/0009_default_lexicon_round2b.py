from django.db import migrations
from django.utils import timezone

# Words this migration adds to the services a clinic already lists as missing (rows the
# admin may have edited: only these words are added, never the ones the admin removed before).
NEW_MISSING_TERMS = {
    "Laboratorio": ["hematologia completa", "hemograma", "examen de orina"],
    "Diagnóstico por imágenes": ["eco", "eco de abdomen", "ecografia abdominal", "radiologia", "densitometria"],
    "Vacunación": ["vacunar", "vacunarme", "vacunarse", "vacuna de la gripe", "antigripal", "vacuna antigripal"],
    "Podología": ["una encarnada", "unas encarnadas", "unero", "callos", "callosidad"],
    "Otorrinolaringología": ["oido tapado", "oidos tapados", "zumbido en el oido"],
}


def install(apps, schema_editor):
    """Existing clinics get the default lexicon's round-2b words (issue 9): body parts, services
    and diminutives for their specialties (install_default_lexicon adds what is not there), and
    the new ways of asking for the services they lack."""
    from clinic.services import install_default_lexicon_in_every_clinic

    Clinic = apps.get_model("clinic", "Clinic")
    MissingService = apps.get_model("clinic", "MissingService")
    install_default_lexicon_in_every_clinic(apps, schema_editor)
    for missing in MissingService.objects.filter(name__in=list(NEW_MISSING_TERMS)):
        terms = [term.strip() for term in missing.terms.split(",") if term.strip()]
        added = [term for term in NEW_MISSING_TERMS[missing.name] if term not in terms]
        # The column holds 255 characters: a list the admin grew keeps what fits (a longer
        # value would abort the migration on PostgreSQL).
        limit = MissingService._meta.get_field("terms").max_length
        while added and len(", ".join([*terms, *added])) > limit:
            added.pop()
        if added:
            missing.terms = ", ".join([*terms, *added])
            missing.save(update_fields=["terms"])
            # A historical model sends no signal: tell every process's catalog (clinic.signals).
            Clinic.objects.filter(pk=missing.clinic_id).update(updated_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("clinic", "0008_term_kind_patient")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
