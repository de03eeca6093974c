"""Families of round 15 (bench/data/dev_first_messages_r15.txt, Chile and Spain): Chile's
"sobrecupo" (and Argentina's "sobreturno") asked for is a turno, not a service; Chile's "el doc"
is the doctor; which doctors a specialty has, asked with "tenéis" or Chile's "pa"; the clinic's
"atención" on a day is its hours; a length of time ("esperando una hora") is no Chilean "hora"
(turno); Spain's "justificante" of a visit is the front desk's paper. Asserted on the intents
detected."""

import pytest

from bot import nlu


def main(text: str) -> set[str]:
    return set(nlu.detect_intents(text)) - {nlu.GREETING, nlu.AFFIRM, nlu.DENY, nlu.THANKS}


@pytest.mark.parametrize(
    "text",
    [
        "¿tienen sobrecupo hoy con el pediatra? mi hijo amaneció con fiebre",
        "hay sobrecupo con el traumatologo para hoy en la tarde",
        "necesito un sobrecupo con la dermatóloga",
        "¿hay sobreturno con la pediatra mañana?",
    ],
)
def test_an_extra_turno_asked_for_books(text):
    assert main(text) == {nlu.BOOK}


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("¿tienen pediatra?", {nlu.ASK_SPECIALTIES}),  # the service itself
        ("¿tienen kinesiólogo?", {nlu.ASK_SPECIALTIES}),
    ],
)
def test_near_misses_a_specialist_asked_about_stays_a_question(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    "text",
    [
        "¿el doc Ruiz atiende hoy?",
        "la doc castro atiende los jueves?",
        "¿qué días atiende el doc Romero?",
    ],
)
def test_chiles_doc_is_the_doctor(text):
    assert main(text) == {nlu.ASK_DOCTOR}


@pytest.mark.django_db
def test_the_doctor_named_after_doc_is_still_found(demo_clinic):
    from bench.understanding_adapter import understand_message
    from bench.understanding_eval import MESSAGES_NOW

    understood = understand_message(
        text="quiero hora con el doc Romero el lunes a primera hora", clinic=demo_clinic, now=MESSAGES_NOW
    )
    assert understood.intents == {nlu.BOOK}
    assert understood.entities["doctor"] == "Romero"


@pytest.mark.parametrize(
    "text",
    [
        "¿qué doctores tienen pa cardiología?",
        "queria saber que medicos teneis en dermatologia",
        "que medicos tiene para pediatria",
    ],
)
def test_the_doctors_of_a_specialty(text):
    assert main(text) == {nlu.ASK_DOCTOR}


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("¿qué especialidades tienen?", {nlu.ASK_SPECIALTIES}),
        ("¿qué doctores tienen?", {nlu.ASK_SPECIALTIES}),  # the whole list, no specialty
    ],
)
def test_near_misses_the_list_stays_the_list(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    "text",
    [
        "tienen atencion los domingos",
        "¿hay atención el sábado por la tarde?",
        "¿tenéis atención al público los festivos?",
    ],
)
def test_the_clinics_attention_on_a_day_is_its_hours(text):
    assert main(text) == {nlu.ASK_HOURS}


def test_near_miss_attention_of_a_service_is_no_hours():
    assert nlu.ASK_HOURS not in main("¿tienen atención de psicología?")


@pytest.mark.parametrize(
    "text",
    [
        "quiero poner un reclamo, me tuvieron esperando una hora",
        "el doctor llegó una hora tarde, quiero hacer un reclamo",
        "quiero poner una queja, hace una hora que espero",
        "una queja: más de una hora de espera en la sala",
    ],
)
def test_a_length_of_time_is_no_turno(text):
    assert main(text) == {nlu.TRANSFER}


@pytest.mark.parametrize(
    "text",
    [
        "necesito una hora con el dentista",
        "quiero otra hora para el viernes",
        "¿hay alguna hora con la matrona?",
    ],
)
def test_near_misses_chiles_hora_still_books(text):
    assert main(text) == {nlu.BOOK}


@pytest.mark.parametrize(
    "text",
    [
        "necesito un justificante de la consulta para el trabajo",
        "¿me podéis mandar el justificante de la cita de ayer?",
        "quería el justificante de asistencia",
    ],
)
def test_a_visits_justificante_is_the_front_desks(text):
    assert main(text) == {nlu.TRANSFER}


def test_near_miss_a_turno_asked_beside_the_justificante_still_books():
    assert nlu.BOOK in main("quiero pedir cita con el de cabecera y después el justificante")
