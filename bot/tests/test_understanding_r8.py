"""Families of round 8 (bench/data/dev_first_messages_r8.txt): self-corrections ("el jueves,
perdón, el viernes"), a question and a request in one message, what only a person can answer
in chat, "¿hay pediatra esta tarde?" after symptoms, and symptoms told with no request word.
Asserted on the intents detected, the day and time read, and the specialties found, on the
demo clinic; clock: Tuesday 1 December 2026, 9:00."""

import datetime as dt

import pytest

from bot import nlu
from bot.tests.conftest import CLINIC_TZ as TZ
from clinic.selectors import find_specialties, without_clinic_name

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = (dt.date(2026, 12, day) for day in (1, 2, 3, 4))


def specialties(clinic, text: str) -> list[str]:
    said = without_clinic_name(clinic=clinic, text=text)  # as the rules brain reads it
    return [s.name for s in find_specialties(clinic=clinic, text=said)]


# --- self-corrections -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day", "hour"),
    [
        ("quiero turno con el dermatologo el jueves, perdon, el viernes", FRIDAY, None),
        ("una cita para el martes... no, mejor el miercoles, con la ginecologa", dt.date(2026, 12, 2), None),
        ("el jueves digo el viernes a las 10", FRIDAY, dt.time(10)),
        ("turno el jueves o sea el viernes", FRIDAY, None),
        ("queria cita a las diez, digo, a las once, con el dentista mañana", WEDNESDAY, dt.time(11)),
        ("el lunes a las 10 no mejor a las 11", dt.date(2026, 12, 7), dt.time(11)),
        ("mañana, perdón, pasado mañana", THURSDAY, None),
        # Near misses: two days offered, a day ruled out, an apology.
        ("turno el jueves o el viernes", THURSDAY, None),
        ("perdón la molestia, quería turno el jueves", THURSDAY, None),
        ("el viernes perdon que insista, necesito turno", FRIDAY, None),
    ],
)
def test_the_value_meant_is_the_last_one(text, day, hour):
    when = nlu.extract_when(text, now=NOW)
    assert (when.date, when.time) == (day, hour)


def test_a_part_of_day_taken_back():
    assert nlu.extract_when("el lunes a la mañana, perdon, a la tarde", now=NOW).part_of_day == nlu.AFTERNOON


def test_a_day_ruled_out_is_no_correction():
    assert nlu.extract_when("no, el jueves no puedo", now=NOW).date is None


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("necesito cita pa mi hijo con el pediatra... perdon, con el dentista, le duele una muela", ["Odontología"]),
        ("para cardio, digo, para traumato", ["Traumatología"]),
        ("turno con la ginecologa o sea con la dermatologa", ["Dermatología"]),
        # Near misses: a day corrected after a specialty, a specialty for someone else.
        ("turno con el clinico, mejor para el jueves", ["Clínica médica"]),
        ("turno para el clinico no para mi sino para mi mama", ["Clínica médica"]),
        ("con el pediatra y con el dentista", ["Pediatría", "Odontología"]),
    ],
)
def test_a_specialist_taken_back_is_not_asked_for(demo_clinic, text, wanted):
    assert specialties(demo_clinic, text) == wanted
