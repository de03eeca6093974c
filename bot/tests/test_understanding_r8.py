"""Families of round 8 (bench/data/dev_first_messages_r8.txt): self-corrections ("el jueves,
perdón, el viernes"), a question and a request in one message, what only a person can answer
in chat, "¿hay pediatra esta tarde?" after symptoms, and symptoms told with no request word.
Asserted on the intents detected, the day and time read, and the specialties found, on the
demo clinic; clock: Tuesday 1 December 2026, 9:00."""

import datetime as dt

import pytest

from bot import nlu
from bot.tests.conftest import CLINIC_TZ as TZ
from clinic.selectors import find_missing_service, find_specialties, without_clinic_name

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = (dt.date(2026, 12, day) for day in (1, 2, 3, 4))


def specialties(clinic, text: str) -> list[str]:
    """The specialties found, or the service the clinic lacks (as the brain answers about it)."""
    said = without_clinic_name(clinic=clinic, text=text)  # as the rules brain reads it
    missing = find_missing_service(clinic=clinic, text=said)
    return [s.name for s in find_specialties(clinic=clinic, text=said)] or ([missing.name] if missing else [])


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


# --- a question and a request in one message --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("che, atienden por swiss medical? necesito el apto fisico para el club", [nlu.BOOK, nlu.ASK_COVERAGE]),
        ("hola, atienden fonasa? necesito hora con el traumatologo por un esguince", [nlu.BOOK, nlu.ASK_COVERAGE]),
        ("atienden osde quiero turno con el cardiologo", [nlu.BOOK, nlu.ASK_COVERAGE]),
        ("buenas, ¿con ips se puede? quiero turno para el clinico", [nlu.BOOK, nlu.ASK_COVERAGE]),
        ("¿la doctora vazquez es oftalmologa? quiero que me revise la vista", [nlu.BOOK, nlu.ASK_DOCTOR]),
        ("necesito el carnet de salud", [nlu.BOOK]),
        # Near misses: the question alone, a coverage stated, a payment means, a doctor's days.
        ("atienden fonasa?", [nlu.ASK_COVERAGE]),
        ("tengo osde, quiero turno con el cardiologo", [nlu.BOOK]),
        ("¿la doctora vazquez atiende los lunes?", [nlu.ASK_DOCTOR]),
        ("atienden por la tarde?", [nlu.ASK_HOURS]),
    ],
)
def test_a_question_and_a_request_are_both_kept(text, intents):
    assert [i for i in nlu.detect_intents(text) if i not in {nlu.GREETING, nlu.AFFIRM}] == intents


# --- what only a person can answer in chat ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "hola, ¿me pueden dar el resultado de mis analisis por aqui?",
        "me pueden decir los resultados de la biopsia",
        "¿me podeis decir que me salio en la biopsia?",
        "ya estan listos mis analisis?",
        "¿con quien hablo para pedir una copia de la historia clinica?",
        "necesito una copia de mi historial medico",
        "¿me pueden mandar la factura electronica de la consulta de la semana pasada al correo?",
        "me cobraron de mas en la ultima consulta",
    ],
)
def test_results_records_and_invoices_go_to_a_person(demo_clinic, text):
    assert [i for i in nlu.detect_intents(text) if i not in {nlu.GREETING, nlu.AFFIRM}] == [nlu.TRANSFER]
    assert specialties(demo_clinic, text) in ([], ["Traumatología"])  # "factura" vs "fractura": not this family


@pytest.mark.parametrize(
    ("text", "intents", "wanted"),
    [
        # Near misses: results to show the doctor, studies to have done, a symptom "que me salió".
        ("quiero turno con el clinico para que vea el resultado de los analisis", [nlu.BOOK], ["Clínica médica"]),
        ("necesito hacerme unos analisis de sangre", [nlu.BOOK], ["Laboratorio"]),
        ("tengo un grano que me salio en la cara, quiero turno", [nlu.BOOK], ["Dermatología"]),
        ("el resultado salio positivo, necesito cita con el clinico", [nlu.BOOK], ["Clínica médica"]),
    ],
)
def test_results_to_show_a_doctor_still_book(demo_clinic, text, intents, wanted):
    assert nlu.detect_intents(text) == intents
    assert specialties(demo_clinic, text) == wanted


# --- "¿hay pediatra esta tarde?": today's parts of the day ------------------------------------


@pytest.mark.parametrize(
    ("text", "day", "part"),
    [
        ("mi crio tiene la garganta con placas y fiebre alta, ¿hay pediatra esta tarde?", TUESDAY, nlu.AFTERNOON),
        ("¿hay turno hoy de siesta?", TUESDAY, nlu.AFTERNOON),
        ("quiero turno esta noche", TUESDAY, nlu.AFTERNOON),
        ("¿tienen algo para esta mañana?", TUESDAY, nlu.MORNING),
        # Near misses: when something began is no day asked for, and never tomorrow.
        ("esta mañana amanecio con fiebre mi nene, quiero turno", None, None),
        ("desde esta tarde me duele la cabeza, quiero turno", None, None),
        ("quiero turno para mañana a la tarde", WEDNESDAY, nlu.AFTERNOON),
    ],
)
def test_today_said_with_esta_and_the_siesta(text, day, part):
    when = nlu.extract_when(text, now=NOW)
    assert (when.date, when.part_of_day) == (day, part)


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("mi crio tiene la garganta con placas y fiebre alta, ¿hay pediatra esta tarde?", [nlu.BOOK]),
        ("¿tienen dermatologo el jueves?", [nlu.BOOK]),
        ("hay cardiologo mañana?", [nlu.BOOK]),
        # Near miss: whether the specialty exists.
        ("¿tienen dermatologo?", [nlu.ASK_SPECIALTIES]),
    ],
)
def test_a_specialist_asked_for_a_day_soon_is_a_booking(text, intents):
    assert nlu.detect_intents(text) == intents
