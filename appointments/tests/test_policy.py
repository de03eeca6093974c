"""The rules both brains and the desk share: lead times, parts of the day, documents, caps."""

import datetime as dt

import pytest

from appointments import policy
from appointments.policy import Actor, DocumentKind, DocumentProblem, InvalidDocument, PartOfDay


def test_lead_time_differs_by_who_books(settings):
    assert policy.lead_time(Actor.ASSISTANT) == dt.timedelta(minutes=30)
    assert policy.lead_time(Actor.DESK) == dt.timedelta(0)
    settings.BOOKING_LEAD_MINUTES_ASSISTANT = 90
    now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    assert policy.earliest_bookable(now=now, actor=Actor.ASSISTANT) == now + dt.timedelta(minutes=90)


@pytest.mark.parametrize(
    ("clock", "part"),
    [
        (dt.time(8, 0), PartOfDay.MORNING),
        (dt.time(12, 0), PartOfDay.MORNING),  # an Argentine morning shift runs until 13:00
        (dt.time(12, 59), PartOfDay.MORNING),
        (dt.time(13, 0), PartOfDay.AFTERNOON),
        (dt.time(18, 59), PartOfDay.AFTERNOON),
        (dt.time(19, 0), PartOfDay.EVENING),
    ],
)
def test_parts_of_the_day(clock, part):
    assert policy.part_of_day(clock) == part
    assert policy.in_part_of_day(clock, part.value)


def test_a_part_of_the_day_ends_where_the_next_starts():
    assert policy.part_of_day_ends(PartOfDay.MORNING) == dt.time(13, 0)
    assert policy.part_of_day_ends(PartOfDay.AFTERNOON) == dt.time(19, 0)


@pytest.mark.parametrize(
    ("raw", "kind", "number"),
    [
        ("12.345.678", DocumentKind.DNI_AR, "12345678"),
        ("1234567", DocumentKind.DNI_AR, "1234567"),
        ("12.345.678-5", DocumentKind.RUT_CL, "123456785"),
        ("7.654.321-6", DocumentKind.RUT_CL, "76543216"),  # a dash makes it a RUT, not an 8-digit DNI
        ("123456785", DocumentKind.RUT_CL, "123456785"),
        ("12345678z", DocumentKind.DNI_ES, "12345678Z"),
        ("X-1234567-L", DocumentKind.NIE_ES, "X1234567L"),
    ],
)
def test_document_formats(raw, kind, number):
    document = policy.parse_document(raw)
    assert (document.kind, document.number) == (kind, number)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", DocumentProblem.MISSING),
        ("12345", DocumentProblem.FORMAT),
        ("12.345.678-4", DocumentProblem.RUT_VERIFIER),
        ("123456784", DocumentProblem.RUT_VERIFIER),
        ("12345678A", DocumentProblem.CONTROL_LETTER),
        ("X1234567A", DocumentProblem.CONTROL_LETTER),
        ("hola", DocumentProblem.FORMAT),
    ],
)
def test_bad_documents_say_why(raw, problem):
    with pytest.raises(InvalidDocument) as error:
        policy.parse_document(raw)
    assert error.value.problem == problem


def test_only_accepted_kinds_pass(settings):
    settings.ACCEPTED_DOCUMENT_KINDS = ["dni_ar"]
    with pytest.raises(InvalidDocument) as error:
        policy.parse_document("12.345.678-5")
    assert error.value.problem == DocumentProblem.NOT_ACCEPTED
    assert policy.parse_document("12345678").kind == DocumentKind.DNI_AR


@pytest.mark.parametrize(
    "raw, kind, number",
    [
        ("1020304050", DocumentKind.CC_CO, "1020304050"),  # a Colombian cédula since 2003
        ("V-12.345.678", DocumentKind.CI_VE, "12345678"),
        ("e 84123456", DocumentKind.CI_VE, "84123456"),
        ("BOXW310820HNERXN09", DocumentKind.CURP_MX, "BOXW310820HNERXN09"),
        ("001-1391820-5", DocumentKind.CEDULA_DO, "00113918205"),
        ("12-345-678", DocumentKind.DNI_AR, "12345678"),  # dashes that only group digits
    ],
)
def test_documents_of_other_countries_by_default(raw, kind, number):
    document = policy.parse_document(raw)
    assert (document.kind, document.number) == (kind, number)


@pytest.mark.parametrize(
    "raw, problem",
    [
        ("BOXW310820HNERXN08", DocumentProblem.CHECK_DIGIT),  # CURP, wrong check character
        ("001-1391820-4", DocumentProblem.CHECK_DIGIT),  # Dominican cédula, wrong Luhn digit
        ("V-12345", DocumentProblem.FORMAT),
        ("12345678901234", DocumentProblem.FORMAT),
    ],
)
def test_bad_documents_of_other_countries_say_why(raw, problem):
    with pytest.raises(InvalidDocument) as error:
        policy.parse_document(raw)
    assert error.value.problem == problem


@pytest.mark.parametrize(
    "accepted, valid, wrong_check",
    [
        (["ci_uy"], "1.234.567-2", "1.234.567-3"),
        (["ci_ec"], "1710034065", "1710034066"),
        (["dni_pe"], "10117410-2", "10117410-3"),
    ],
)
def test_a_clinic_of_its_country_checks_its_digit(settings, accepted, valid, wrong_check):
    """Uruguay's CI, Ecuador's cédula and Peru's DNI share their shapes with the RUT, the
    Colombian cédula and the Argentine DNI: a clinic there lists its kind first."""
    settings.ACCEPTED_DOCUMENT_KINDS = accepted
    assert policy.parse_document(valid).kind == DocumentKind(accepted[0])
    with pytest.raises(InvalidDocument) as error:
        policy.parse_document(wrong_check)
    assert error.value.problem == DocumentProblem.CHECK_DIGIT


def test_the_first_accepted_kind_a_number_fits_decides(settings):
    settings.ACCEPTED_DOCUMENT_KINDS = ["cc_co", "dni_ar"]
    assert policy.parse_document("12345678").kind == DocumentKind.CC_CO
    settings.ACCEPTED_DOCUMENT_KINDS = ["dni_ar", "cc_co"]
    assert policy.parse_document("12345678").kind == DocumentKind.DNI_AR
    assert policy.parse_document("123456").kind == DocumentKind.CC_CO


def test_uruguay_ci_check_digit():
    assert policy.uruguay_ci_check_digit("1234567") == "2"
    assert policy.uruguay_ci_check_digit("123456") == policy.uruguay_ci_check_digit("0123456")


def test_caps_come_from_settings(settings):
    settings.BOOKING_CAP_PER_NUMBER_PER_DAY = 2
    caps = policy.booking_caps()
    assert caps.per_turn == 1 and caps.per_number_per_day == 2
