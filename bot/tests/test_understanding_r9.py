"""Families of round 9 (bench/data/dev_first_messages_r9.txt, nlu22): what only a person can
do (complaints, charges, the management, reports and records, papers to pick up, results
wanted), a turno that cannot be kept and another day asked for, terms of endearment that name
no specialty, and smaller families (what may be done before a turno, a study "¿la hacéis
vosotros?", "¿me pueden checar?", bleeding gums). Asserted on the intents detected and the
specialties found, on the demo clinic."""

import pytest

from bot import nlu
from bot.tests.test_understanding_r8 import NOW, specialties


def main(text: str) -> set[str]:
    return set(nlu.detect_intents(text)) - {nlu.GREETING, nlu.AFFIRM, nlu.DENY}


# --- what only a person can do ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "hola, queria reclamar por un cobro que me hicieron dos veces",
        "quiero quejarme por la atencion de ayer",
        "quiero hablar con la gerencia, estoy muy molesta con el trato que recibi",
        "necesito comunicarme con el encargado de la clinica",
        "necesito que me mandeis el informe de la ultima consulta, me lo pide el seguro",
        "¿a quien le pido mi expediente? me voy a cambiar de ciudad",
        "¿donde retiro el certificado medico que me dieron la semana pasada?",
        "¿cuando retiro los resultados de la ecografia?",
        "quiero los resultados de mi analisis de orina, ¿con quien hablo?",
        "¿me pueden mandar la boleta de la consulta del otro dia? la necesito para reembolsar en la isapre",
        "q mas, xq no me contestan en el telefono? necesito hablar con alguien de la clinica",
    ],
)
def test_what_only_a_person_can_do_is_a_transfer(text):
    assert main(text) == {nlu.TRANSFER}


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        # Near misses: a certificate or a turno to get, the address or the phone asked for, the
        # results read by a doctor.
        ("necesito un certificado medico para el trabajo", {nlu.BOOK}),
        ("¿donde queda la clinica? tengo que retirar algo", {nlu.ASK_ADDRESS}),
        ("¿cual es el telefono de la clinica?", {nlu.ASK_CONTACT}),
        ("quiero un turno para que el medico me lea los resultados", {nlu.BOOK}),
        ("¿a quien le pido un turno con el pediatra?", {nlu.BOOK}),
        ("hola, me cobraron la consulta, ¿aceptan tarjeta?", {nlu.ASK_PRICE}),
    ],
)
def test_near_misses_of_a_transfer(text, intents):
    assert main(text) == intents


# --- a turno that cannot be kept ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("no voy a poder ir el viernes, ¿que otro dia me pueden dar?", {nlu.RESCHEDULE}),
        ("no voy a poder ir al turno del lunes, ¿que otro dia hay?", {nlu.RESCHEDULE}),
        ("ya no voy a poder ir a mi cita del miercoles, ¿la puedo dejar para la otra semana?", {nlu.RESCHEDULE}),
        ("yo tenia una ficha para el viernes pero quisiera que me la pasen para el lunes", {nlu.RESCHEDULE}),
        ("necesito que me la cambien para el jueves", {nlu.RESCHEDULE}),
        # Near misses: only cancelled, or the next one left for later.
        ("no voy a poder ir a la cita del jueves, me salio un turno en el trabajo", {nlu.CANCEL}),
        ("no voy a poder ir el viernes, despues te escribo para otro dia", {nlu.CANCEL}),
        ("cancelame el turno del viernes y dame otro para el lunes", {nlu.CANCEL, nlu.BOOK}),
    ],
)
def test_another_day_asked_for_moves_the_turno(text, intents):
    assert main(text) == intents


# --- terms of endearment name no specialty ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("hola corazon, ¿ustedes reciben compensar? necesito cita con el oftalmologo", ["Oftalmología"]),
        ("hola mi reina, me regala una cita con medicina general para hoy", ["Clínica médica"]),
        ("mil gracias mi reina, Dios me la bendiga", []),
        ("hola corazon 💕 q precio tiene la consulta con la dermato?", ["Dermatología"]),
        # Near misses: the heart itself.
        ("necesito cita con el especialista del corazon", ["Cardiología"]),
        ("me late rapido el corazon", ["Cardiología"]),
    ],
)
def test_a_term_of_endearment_names_no_specialty(demo_clinic, text, wanted):
    assert specialties(demo_clinic, text) == wanted


# --- smaller families ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        (
            "tengo cita mañana con la oculista y me van a dilatar la pupila, puedo ir conduciendo?",
            {nlu.ASK_REQUIREMENTS},
        ),
        ("¿puedo desayunar antes del analisis?", {nlu.ASK_REQUIREMENTS}),
        (
            "necesito una analitica completa, ¿la haceis vosotros o me tiene que mandar el medico?",
            {nlu.ASK_SPECIALTIES},
        ),
        ("¿me pueden checar hoy? traigo una infeccion en la garganta", {nlu.BOOK}),
        ("me sangran las encias cuando me lavo los dientes", {nlu.BOOK}),
        ("precisaria hora con el dentista, ¿cuanto sale si es particular?", {nlu.ASK_PRICE, nlu.BOOK}),
        ("hola tia, mi guagua tiene fiebre, ¿hay pediatra en la tarde?", {nlu.BOOK}),
        ("¿a que horas es que atienden los sabados? para ver si llevo al niño al pediatra", {nlu.ASK_HOURS, nlu.BOOK}),
        # Near misses: driving to the clinic asked as an address, bleeding a lot, the hours alone.
        ("¿como llego manejando?", {nlu.ASK_ADDRESS}),
        ("estoy sangrando mucho", {nlu.EMERGENCY}),
        ("¿a que hora atienden los sabados?", {nlu.ASK_HOURS}),
        ("¿hacen analiticas?", {nlu.ASK_SPECIALTIES}),
    ],
)
def test_smaller_families(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        (
            "me regala el horario de atencion porfa, y si el doctor gutierrez atiende el lunes",
            {nlu.ASK_DOCTOR, nlu.ASK_HOURS},
        ),
        ("precisaba saber el horario del sabado y si atiende la pediatra ese dia", {nlu.ASK_DOCTOR, nlu.ASK_HOURS}),
        ("¿viene el dr sosa el lunes?", {nlu.ASK_DOCTOR}),
        # Near misses: a doctor's own days are no clinic hours; being seen is a request.
        ("¿que dias atiende la dra herrera?", {nlu.ASK_DOCTOR}),
        ("¿que horario tiene el medico general?", {nlu.ASK_DOCTOR}),
        ("quiero que me atienda la pediatra el lunes", {nlu.BOOK}),
    ],
)
def test_the_clinic_hours_asked_beside_a_doctor_question(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    ("text", "hour"),
    [
        ("quiero poner una queja porque me dejaron esperando dos horas", None),
        ("hace 2 horas que me duele la muela", None),
        ("estuve como tres horas en la sala", None),
        # Near misses: a time said with its unit.
        ("turno a las 17 hs", 17),
        ("turno mañana 17 horas", 17),
        ("el lunes como a las 10", 10),
    ],
)
def test_how_long_is_no_time(text, hour):
    when = nlu.extract_when(text, now=NOW)
    assert (when.time.hour if when.time else None) == hour


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("¿me pueden ver hoy? tengo una picazon en los ojos que no me deja", ["Oftalmología"]),
        ("¿me pueden checar hoy? traigo una infeccion en la garganta", ["Clínica médica"]),
        ("ocupo que me revisen un golpe en la mano", ["Traumatología"]),
        ("tengo la espalda fatal, empece con un tiron en el gimnasio", ["Traumatología"]),
        # Near misses: itching of the skin, a knock on the head (no specialty of its own here).
        ("tengo picazon en la piel", ["Dermatología"]),
        ("tengo picazon en los brazos", ["Dermatología"]),
    ],
)
def test_what_hurts_says_the_specialty(demo_clinic, text, wanted):
    assert specialties(demo_clinic, text) == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("necesito un certificado medico para la escuela de mi hija, ¿con quien la llevo?", ["Pediatría"]),
        ("certificado medico para el jardin del nene", ["Pediatría"]),
        ("quiero sacar turno para un chequeo general con analisis y todo", ["Clínica médica"]),
        # Near misses: a certificate for work, tests asked for on their own, a wrist.
        ("necesito un certificado medico para el trabajo", ["Clínica médica"]),
        ("mi hijo se ha torcido la muñeca en el cole", ["Traumatología"]),
    ],
)
def test_round_8_leftover_specialties(demo_clinic, text, wanted):
    assert specialties(demo_clinic, text) == wanted


@pytest.mark.parametrize(
    ("text", "emergency"),
    [
        ("la wawa se ha golpeado la cabeza y ha vomitado dos veces, ¿que hago?", True),
        ("se pego en la cabeza con la puerta y esta mareado", True),
        ("mi esposo se corto el dedo y no para de sangrar", True),
        # Near misses: bleeding gums, a knock on the knee.
        ("se me inflaman las encias y me sangran al cepillarme", False),
        ("se golpeo la rodilla jugando", False),
    ],
)
def test_a_head_knock_or_bleeding_that_will_not_stop_is_an_emergency(text, emergency):
    assert nlu.is_emergency(text) is emergency
