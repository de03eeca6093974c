"""Families of round 17 (specialty leftovers of bench/data/dev_first_messages_r12/_r13/_r14.txt):
bruises said with no specialist (the GP's; beside a knock, the injury's), Ecuador's "calce" (a
filling, a child's too); the vaccination booklet beside a specialty named; the "extracciones" of
the day of the analítica (blood drawn, no tooth pulled); "un especialista" asked for a condition
whose specialist the clinic lacks (the thyroid alone stays the GP's); a study already done shown
to the doctor (no imaging service asked). Asserted on the specialties found and the service the
clinic lacks, on the demo clinic, as bench.understanding_adapter reads them."""

import pytest

from bot.tests.test_understanding_r8 import specialties
from clinic.models import Clinic, MissingService
from clinic.selectors import find_missing_service
from clinic.tests.test_lexicon import apps_at, fresh


def missing(clinic, text: str) -> str | None:
    found = find_missing_service(clinic=clinic, text=text)
    return found.name if found else None


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("me estan saliendo moretones sin golpearme, ¿con quien saco cita?", ["Clínica médica"]),
        ("me salen hematomas sin motivo", ["Clínica médica"]),
        ("tengo moratones por todo el cuerpo", ["Clínica médica"]),
        ("se me cayó un calce", ["Odontología"]),
        ("la cita es para mi hijo de 8 años, se le cayo un calce", ["Odontología"]),
        ("necesito que me pongan el calce de nuevo", ["Odontología"]),
    ],
)
def test_bruises_and_fillings(demo_clinic, text, wanted):
    assert specialties(demo_clinic, text) == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("me golpee la rodilla y tengo un moreton", ["Traumatología"]),  # the knock's
        ("mi nene tiene moretones en las piernas", ["Pediatría"]),  # a child's
        ("necesito la firma al calce del certificado", []),  # a page's foot, no filling
        ("se me cayo una calza", ["Odontología"]),
    ],
)
def test_bruise_and_filling_near_misses(demo_clinic, text, wanted):
    assert specialties(demo_clinic, text) == wanted


def test_the_vaccination_booklet_beside_the_pediatrician_is_a_paper_to_bring(demo_clinic):
    text = "que necesito llevar para la consulta de mi hijo con el pediatra, ocupo la cartilla de vacunacion?"
    assert missing(demo_clinic, text) is None
    assert specialties(demo_clinic, text) == ["Pediatría"]


@pytest.mark.parametrize(
    "text",
    [
        "necesito la cartilla de vacunacion de mi hijo al dia",  # alone, the vaccines
        "tienen vacunas? mi hijo va con el pediatra",  # the vaccines named
        "quiero vacunar a mi hija con la pediatra",
    ],
)
def test_vaccines_asked_stay_asked(demo_clinic, text):
    assert missing(demo_clinic, text) == "Vacunación"


@pytest.mark.parametrize(
    "text",
    [
        "qué tengo que llevar el día de la analítica y a qué hora hacéis las extracciones",
        "a que hora son las extracciones para los analisis?",
    ],
)
def test_the_extractions_of_the_analitica_are_the_laboratory(demo_clinic, text):
    assert specialties(demo_clinic, text) == ["Laboratorio"]  # no offered specialty: the service lacked


@pytest.mark.parametrize(
    "text",
    [
        "necesito una extraccion",
        "necesito unos analisis de sangre y una extraccion de muela",
        "antes de la extraccion dental me piden analisis?",
    ],
)
def test_a_tooth_pulled_stays_the_dentists(demo_clinic, text):
    assert specialties(demo_clinic, text) == ["Odontología"]


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("me diagnosticaron hipotiroidismo y necesito un especialista", "Endocrinología"),
        ("necesito un especialista en tiroides", "Endocrinología"),
        ("tengo problemas de prostata, quiero ver a un especialista", "Urología"),
    ],
)
def test_a_specialist_asked_for_a_condition_is_the_missing_one(demo_clinic, text, wanted):
    assert missing(demo_clinic, text) == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("tengo tiroides, quiero turno", ["Clínica médica"]),  # no specialist asked
        ("quiero hacerme el control de la tiroides, tengo hipotiroidismo", ["Clínica médica"]),
        ("me diagnosticaron diabetes y necesito un especialista", ["Clínica médica"]),  # no lacking one
        ("necesito un especialista, me duele la rodilla", ["Traumatología"]),
        ("quiero un especialista en piel", ["Dermatología"]),
    ],
)
def test_conditions_without_a_missing_specialist_keep_theirs(demo_clinic, text, wanted):
    assert missing(demo_clinic, text) is None
    assert specialties(demo_clinic, text) == wanted


@pytest.mark.parametrize(
    "text",
    [
        "hola, me hice una eco de tiroides y me salio un nodulo, quiero que me vea un medico",
        "ya me hicieron una ecografia de tiroides, quiero que un medico la vea",
    ],
)
def test_a_study_done_names_no_imaging_service(demo_clinic, text):
    assert missing(demo_clinic, text) is None
    assert specialties(demo_clinic, text) == ["Clínica médica"]


@pytest.mark.parametrize(
    "text",
    [
        "quiero hacerme una eco de tiroides",  # to be done
        "me hicieron una eco en otro lado, ustedes hacen ecografias?",  # another one asked
    ],
)
def test_a_study_asked_stays_the_imaging_service(demo_clinic, text):
    assert missing(demo_clinic, text) == "Diagnóstico por imágenes"


def test_migration_0016_adds_the_vaccination_booklet_to_an_existing_row(demo_clinic):
    import importlib

    from django.utils import timezone

    migration = importlib.import_module("clinic.migrations.0016_default_lexicon_rounds_14_and_16")
    row = MissingService.objects.get(clinic=demo_clinic, name="Vacunación")
    row.terms = "vacuna, vacunas"  # as the admin left it, before this round
    row.save()
    Clinic.objects.filter(pk=demo_clinic.pk).update(updated_at=timezone.now())
    text = "consulta con el pediatra, llevo la cartilla de vacunacion?"
    assert missing(fresh(demo_clinic), text) == "Vacunación"

    migration.install(apps_at("0016_default_lexicon_rounds_14_and_16"), None)

    terms = [term.strip() for term in MissingService.objects.get(pk=row.pk).terms.split(",")]
    assert terms[:2] == ["vacuna", "vacunas"] and "cartilla de vacunacion" in terms
    assert "vacunacion" not in terms  # a default word the admin had removed
    assert missing(fresh(demo_clinic), text) is None
