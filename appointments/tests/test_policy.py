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


def test_rut_verifier_k_and_zero():
    assert policy.rut_verifier("12345678") == "5"
    assert {policy.rut_verifier(str(n)) for n in range(10_000_000, 10_000_200)} >= {"K", "0"}


def test_caps_come_from_settings(settings):
    settings.BOOKING_CAP_PER_NUMBER_PER_DAY = 2
    caps = policy.booking_caps()
    assert caps.per_turn == 1 and caps.per_number_per_day == 2
