"""The clinic's lexicon: what patients say for a specialty (symptoms, services, short and
regional names) and the services the clinic lacks, as rows the admin edits."""

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import Clinic, MissingService, Specialty, SpecialtyTerm, TermKind
from clinic.selectors import find_missing_service, find_specialties, find_specialty
from clinic.services import install_default_lexicon

pytestmark = pytest.mark.django_db


def fresh(clinic: Clinic) -> Clinic:
    return Clinic.objects.get(pk=clinic.pk)


@pytest.mark.parametrize(
    ("text", "specialty"),
    [
        ("me torcí la rodilla jugando al fútbol", "Traumatología"),
        ("me torci el tobillo", "Traumatología"),
        ("quiero una limpieza de dientes", "Odontología"),
        ("necesito hacer ortodoncia para mi hijo", "Odontología"),
        ("control del niño sano", "Pediatría"),
        ("turno con gine", "Ginecología"),
        ("algo con trauma", "Traumatología"),
        ("oftalmo el jueves", "Oftalmología"),
        ("medicina general", "Clínica médica"),
        ("con el clínico", "Clínica médica"),
        ("me duele la muela", "Odontología"),
        ("necesito un electrocardiograma", "Cardiología"),
        ("tengo que hacerme el pap", "Ginecología"),
        ("veo borroso de un ojo", "Oftalmología"),
        ("tengo acné", "Dermatología"),
    ],
)
def test_patients_words_find_the_specialty(demo_clinic, text, specialty):
    assert find_specialty(clinic=fresh(demo_clinic), text=text).name == specialty


@pytest.mark.parametrize("text", ["quiero un turno a la tarde", "deseo agendar una cita medica", "hola buen dia"])
def test_plain_requests_name_no_specialty(demo_clinic, text):
    assert find_specialty(clinic=fresh(demo_clinic), text=text) is None


def test_several_specialties_in_the_order_said(demo_clinic):
    text = "uno para mí con el clínico y otro para mi hija con la pediatra"
    assert [s.name for s in find_specialties(clinic=fresh(demo_clinic), text=text)] == ["Clínica médica", "Pediatría"]


def test_a_service_the_clinic_lacks_suggests_its_alternative(demo_clinic):
    missing = find_missing_service(clinic=fresh(demo_clinic), text="tienen kinesiologia? me lesioné el hombro")
    assert missing.name == "Kinesiología"
    assert missing.suggested_specialty.name == "Traumatología"
    assert missing.reason
    assert find_missing_service(clinic=fresh(demo_clinic), text="tienen kine?").name == "Kinesiología"
    # A typo in a long word still finds it.
    assert find_missing_service(clinic=fresh(demo_clinic), text="hacen kinesiolgia").name == "Kinesiología"


def test_longest_phrase_wins(demo_clinic):
    # "ecografía" alone is a service the clinic lacks; the transvaginal one is Ginecología's.
    clinic = fresh(demo_clinic)
    assert find_missing_service(clinic=clinic, text="una ecografia de abdomen").name == "Diagnóstico por imágenes"
    assert find_specialty(clinic=clinic, text="una ecografia transvaginal").name == "Ginecología"
    assert find_missing_service(clinic=clinic, text="una ecografia transvaginal") is None


def test_install_is_idempotent_and_keeps_the_admins_edits(demo_clinic):
    trauma = Specialty.objects.get(clinic=demo_clinic, name="Traumatología")
    SpecialtyTerm.objects.filter(specialty=trauma, term="trauma").update(kind=TermKind.SERVICE)
    SpecialtyTerm.objects.create(specialty=trauma, term="me doble el pie", kind=TermKind.SYMPTOM)
    kine = MissingService.objects.get(clinic=demo_clinic, name="Kinesiología")
    kine.reason = "para sus sesiones"
    kine.save()
    count = SpecialtyTerm.objects.count()

    assert install_default_lexicon(clinic=demo_clinic) == 0

    assert SpecialtyTerm.objects.count() == count
    assert SpecialtyTerm.objects.get(specialty=trauma, term="trauma").kind == TermKind.SERVICE
    assert MissingService.objects.get(pk=kine.pk).reason == "para sus sesiones"
    assert find_specialty(clinic=fresh(demo_clinic), text="me doblé el pie").name == "Traumatología"


def test_a_service_the_clinic_offers_is_not_installed_as_missing(db):
    clinic = Clinic.objects.create(name="Centro Kine")
    Specialty.objects.create(clinic=clinic, name="Kinesiología")
    Specialty.objects.create(clinic=clinic, name="Traumatología")
    install_default_lexicon(clinic=clinic)
    assert not MissingService.objects.filter(clinic=clinic, name="Kinesiología").exists()
    nutrition = MissingService.objects.get(clinic=clinic, name="Nutrición")
    assert nutrition.suggested_specialty is None and nutrition.reason == ""  # no Clínica médica here
    assert SpecialtyTerm.objects.filter(specialty__clinic=clinic, term="me torci la rodilla").exists()


def test_a_term_added_in_the_admin_is_heard_on_the_next_turn(admin_client, demo_clinic):
    clinic = fresh(demo_clinic)
    assert find_specialty(clinic=clinic, text="me agarró tortícolis") is None
    trauma = Specialty.objects.get(clinic=demo_clinic, name="Traumatología")
    url = reverse("admin:clinic_specialty_change", args=[trauma.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "ortodoncia" not in page.text and "me torci la rodilla" in page.text
    assert "Kinesiología" in page.text  # the services offered instead of it, inline
    form = page.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None and key != "clinic"}
    data |= {"clinic": demo_clinic.pk, "is_active": "on"}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        prefix = formset.formset.prefix
        data |= {f"{prefix}-{key}": value for key, value in management.initial.items()}
        for index, inline in enumerate(formset.formset.initial_forms):
            data |= {f"{prefix}-{index}-{name}": inline.initial.get(name, "") for name in inline.fields}
            data[f"{prefix}-{index}-id"] = inline.instance.pk
            data[f"{prefix}-{index}-{formset.formset.fk.name}"] = trauma.pk
    terms_prefix = page.context["inline_admin_formsets"][0].formset.prefix
    new_index = data[f"{terms_prefix}-INITIAL_FORMS"]
    data |= {
        f"{terms_prefix}-TOTAL_FORMS": new_index + 1,
        f"{terms_prefix}-{new_index}-term": "torticolis",
        f"{terms_prefix}-{new_index}-kind": TermKind.SYMPTOM,
        f"{terms_prefix}-{new_index}-specialty": trauma.pk,
    }
    response = admin_client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, response.context and response.context["errors"]
    assert find_specialty(clinic=fresh(demo_clinic), text="me agarró tortícolis").name == "Traumatología"


def test_a_specialty_named_wins_over_a_symptom(demo_clinic):
    text = "mi nene tiene tos, quiero turno con la pediatra"
    assert [s.name for s in find_specialties(clinic=fresh(demo_clinic), text=text)] == ["Pediatría"]
    assert [s.name for s in find_specialties(clinic=fresh(demo_clinic), text="tengo tos")] == ["Clínica médica"]


def apps_at(migration: str):
    """The clinic app's models as that migration sees them (a column's length then, say)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    return MigrationExecutor(connection).loader.project_state(("clinic", migration)).apps


def test_round_2b_migration_adds_only_its_new_words_to_a_missing_service(demo_clinic):
    """0009: an existing clinic's "Laboratorio" row gets the new words for a blood count, and a
    word the admin removed earlier stays removed."""
    import importlib

    migration = importlib.import_module("clinic.migrations.0009_default_lexicon_round2b")
    lab = MissingService.objects.get(clinic=demo_clinic, name="Laboratorio")
    lab.terms = "laboratorio, analisis de sangre"  # as the admin left it, before this round
    lab.save()

    migration.install(apps_at("0009_default_lexicon_round2b"), None)

    terms = [term.strip() for term in MissingService.objects.get(pk=lab.pk).terms.split(",")]
    assert terms[:2] == ["laboratorio", "analisis de sangre"]
    assert {"hematologia completa", "hemograma"} <= set(terms)
    assert "analitica" not in terms  # a default word the admin had removed
    assert find_missing_service(clinic=fresh(demo_clinic), text="necesito un hemograma").name == "Laboratorio"


def test_round_2b_migration_keeps_a_full_list_within_its_column(demo_clinic):
    """A list the admin filled up to the column's 255 characters gets only the new words that
    fit: a longer value would abort the migration on PostgreSQL."""
    import importlib

    migration = importlib.import_module("clinic.migrations.0009_default_lexicon_round2b")
    lab = MissingService.objects.get(clinic=demo_clinic, name="Laboratorio")
    lab.terms = ", ".join(f"estudio {n:03d}" for n in range(17))  # 219 characters
    lab.save()

    migration.install(apps_at("0009_default_lexicon_round2b"), None)

    terms = MissingService.objects.get(pk=lab.pk).terms
    assert len(terms) <= 255  # the column's max_length
    assert terms.startswith(lab.terms) and "hematologia completa" in terms


def test_round_3e_migration_adds_the_regional_words_for_a_child(demo_clinic):
    """0010: an existing clinic whose Pediatría lacks the round-3e words gets them (and with
    them "el botija tiene tos" is the pediatrician's); terms the admin has stay as they are."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("clinic.migrations.0010_default_lexicon_round3e")
    pediatrics = Specialty.objects.get(clinic=demo_clinic, name="Pediatría")
    SpecialtyTerm.objects.filter(specialty=pediatrics, term__in=["mi botija", "mi guri"]).delete()
    kept = SpecialtyTerm.objects.filter(specialty=pediatrics).count()
    assert [s.name for s in find_specialties(clinic=fresh(demo_clinic), text="el botija tiene tos")] != ["Pediatría"]

    migration.Migration.operations[0].code(apps, None)  # the migration's own step

    assert SpecialtyTerm.objects.filter(specialty=pediatrics).count() == kept + 2
    assert SpecialtyTerm.objects.get(specialty=pediatrics, term="mi botija").kind == TermKind.PATIENT
    assert [s.name for s in find_specialties(clinic=fresh(demo_clinic), text="el botija tiene tos")] == ["Pediatría"]


def test_round_4e_migration_adds_the_complaints_of_missing_services(demo_clinic):
    """0011: an existing clinic whose Clínica médica lacks the round-4e words gets them (and with
    them "me arde al hacer pis" is the clínico's); terms the admin has stay as they are."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("clinic.migrations.0011_default_lexicon_round4e")
    general = Specialty.objects.get(clinic=demo_clinic, name="Clínica médica")
    SpecialtyTerm.objects.filter(specialty=general, term__in=["arde al hacer pis", "carne de salud"]).delete()
    kept = SpecialtyTerm.objects.filter(specialty=general).count()
    assert find_specialties(clinic=fresh(demo_clinic), text="me arde al hacer pis") == []

    migration.Migration.operations[0].code(apps, None)  # the migration's own step

    assert SpecialtyTerm.objects.filter(specialty=general).count() == kept + 2
    assert SpecialtyTerm.objects.get(specialty=general, term="carne de salud").kind == TermKind.SERVICE
    assert [s.name for s in find_specialties(clinic=fresh(demo_clinic), text="me arde al hacer pis")] == [
        "Clínica médica"
    ]


def test_round_5e_migration_moves_the_check_ups_to_their_own_kind(demo_clinic):
    """0012: a clinic holding "control anual" as the service earlier rounds installed gets it
    moved to the check-up kind (so "control anual con la ginecóloga" is one specialty), and the
    round-5e words it lacks added."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("clinic.migrations.0012_default_lexicon_round5e")
    general = Specialty.objects.get(clinic=demo_clinic, name="Clínica médica")
    SpecialtyTerm.objects.filter(specialty=general, term="control anual").update(kind=TermKind.SERVICE)
    SpecialtyTerm.objects.filter(specialty=general, term="prostata").delete()
    Clinic.objects.filter(pk=demo_clinic.pk).update(updated_at=timezone.now())
    text = "quiero sacar turno para el control anual con la ginecologa"
    assert len(find_specialties(clinic=fresh(demo_clinic), text=text)) == 2

    migration.Migration.operations[-1].code(apps, None)  # the migration's own step

    assert SpecialtyTerm.objects.get(specialty=general, term="control anual").kind == TermKind.CHECKUP
    assert SpecialtyTerm.objects.get(specialty=general, term="prostata").kind == TermKind.SYMPTOM
    assert [s.name for s in find_specialties(clinic=fresh(demo_clinic), text=text)] == ["Ginecología"]
    assert [s.name for s in find_specialties(clinic=fresh(demo_clinic), text="necesito un control anual")] == [
        "Clínica médica"
    ]


def test_a_specialtys_alias_the_lexicon_lists_as_a_symptom_is_a_symptom(demo_clinic):
    """The demo lists "piel" as an alias of Dermatología and as its symptom: a baby's skin is
    the pediatrician's, an adult's the dermatologist's."""
    assert "piel" in Specialty.objects.get(clinic=demo_clinic, name="Dermatología").alias_list
    assert [s.name for s in find_specialties(clinic=fresh(demo_clinic), text="mi bebe tiene algo en la piel")] == [
        "Pediatría"
    ]
    assert [s.name for s in find_specialties(clinic=fresh(demo_clinic), text="tengo algo en la piel")] == [
        "Dermatología"
    ]


def test_round_14_migration_adds_the_specialties_and_the_missing_services_new_words(demo_clinic):
    """0016: an existing clinic whose Clínica médica lacks "tiroides" gets it (the thyroid said
    alone is the clínico's, no longer the missing endocrinologist's), and its "Otorrino" row the
    earwax words, after the ones the admin left; a word the admin removed stays removed."""
    import importlib

    migration = importlib.import_module("clinic.migrations.0016_default_lexicon_rounds_14_and_16")
    general = Specialty.objects.get(clinic=demo_clinic, name="Clínica médica")
    SpecialtyTerm.objects.filter(specialty=general, term__in=["tiroides", "bocio"]).delete()
    ent = MissingService.objects.get(clinic=demo_clinic, name="Otorrinolaringología")
    ent.terms = "otorrino, oido"  # as the admin left it, before this round
    ent.save()
    Clinic.objects.filter(pk=demo_clinic.pk).update(updated_at=timezone.now())
    assert find_specialties(clinic=fresh(demo_clinic), text="tengo la tiroides inflamada") == []
    text = "necesito una limpieza de oidos"
    assert [s.name for s in find_specialties(clinic=fresh(demo_clinic), text=text)] == ["Odontología"]

    migration.install(apps_at("0016_default_lexicon_rounds_14_and_16"), None)

    assert SpecialtyTerm.objects.get(specialty=general, term="tiroides").kind == TermKind.SYMPTOM
    assert [s.name for s in find_specialties(clinic=fresh(demo_clinic), text="tengo la tiroides inflamada")] == [
        "Clínica médica"
    ]
    terms = [term.strip() for term in MissingService.objects.get(pk=ent.pk).terms.split(",")]
    assert terms[:2] == ["otorrino", "oido"]
    assert {"tapon de cera", "limpieza de oidos"} <= set(terms)
    assert "otorrinolaringologo" not in terms  # a default word the admin had removed
    assert find_specialties(clinic=fresh(demo_clinic), text=text) == []
    assert find_missing_service(clinic=fresh(demo_clinic), text=text).name == "Otorrinolaringología"
