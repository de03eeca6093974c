"""Families of round 16 (bench/data/dev_first_messages_r16.txt: Mexico, Central America, the
Caribbean): real words the typo correction turned into rule words ("¿o me la cancelaron?" read
"cancelarlo", "cuánto cobra" read "cobran", "médico primario" read "primero"); Mexico's "¿me da
informes?" (information, no medical report); a doctor's price is no fact about the doctor; what a
doctor does or knows ("¿sigue dando consulta?", "¿opera de cataratas?", "¿cuántos años de
experiencia tiene?"); "¿me podría pasar con alguien?"; "cambiármela" (the turno moved in one
word); Costa Rica's "¿tienen campo?"; "¿qué documentos hacen falta?"; "¿con quién me checo?";
regional greetings ("wepa", "upe", "xopa", "klk"); words the lexicon lacked. Asserted on the
intents detected, the words as the rules read them and the specialties found on the demo clinic."""

import pytest

from bot import nlu
from bot.nlu.normalize import understand
from bot.tests.test_understanding_r8 import specialties


def main(text: str) -> set[str]:
    return set(nlu.detect_intents(text)) - {nlu.GREETING, nlu.AFFIRM, nlu.DENY, nlu.THANKS}


# --- real words the typo correction must leave alone -------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("o me la cancelaron", "cancelaron"),
        ("me la anularon", "anularon"),
        ("cuantos años tiene", "cuantos"),
        ("cuanto cobra el doctor", "cobra"),
        ("el medico primario", "primario"),
        ("que me chequen la presion", "chequen"),
    ],
)
def test_real_words_are_not_corrected_into_rule_words(text, kept):
    assert kept in understand(text).split()


@pytest.mark.parametrize(
    "text",
    [
        "oye tengo cita con el doctor romero o me la cancelaron",
        "¿me cancelaron la cita?",
        "me cambiaron la hora y no me avisaron",
    ],
)
def test_a_turno_the_clinic_cancelled_or_moved_is_asked_about(text):
    assert main(text) == {nlu.MY_APPOINTMENTS}


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("quiero cancelar la cita de mañana", {nlu.CANCEL}),  # the patient cancelling
        ("cancelela por favor", {nlu.CANCEL}),
        ("¿se canceló mi cita?", {nlu.MY_APPOINTMENTS}),
    ],
)
def test_near_misses_cancelling_stays_cancelling(text, intents):
    assert main(text) == intents


# --- information, prices and doctors -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["¿me da informes?", "bueno buenas tardes me da informes por favor", "quisiera información", "informes"],
)
def test_information_asked_for_with_nothing_more_is_help(text):
    assert main(text) == {nlu.HELP}


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("quiero informes sobre los precios de las consultas", {nlu.ASK_PRICE}),
        # Near misses: a medical report asked for is the front desk's.
        ("necesito los informes de mis estudios", {nlu.TRANSFER}),
        ("necesito que me manden el informe de la ultima consulta", {nlu.TRANSFER}),
    ],
)
def test_informes_about_something_asks_for_it_and_a_report_is_a_transfer(text, intents):
    assert main(text) == intents


@pytest.mark.parametrize(
    "text", ["¿cuánto cobra el doctor por la consulta?", "oiga cuanto cobra la doctora por la consulta"]
)
def test_a_doctors_price_is_no_fact_about_the_doctor(text):
    assert main(text) == {nlu.ASK_PRICE}


@pytest.mark.parametrize(
    "text",
    [
        "¿el doctor Gutiérrez sigue dando consulta ahí?",
        "la doctora castro da consulta los jueves?",
        "quiero saber si el doctor Domínguez opera de cataratas",
        "oiga cuantos años de experiencia tiene el doctor sosa",
        "¿qué experiencia tiene la doctora Morales?",
    ],
)
def test_what_a_doctor_does_or_knows_is_asked_about_the_doctor(text):
    assert main(text) == {nlu.ASK_DOCTOR}


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("el doctor romero atiende hoy?", {nlu.ASK_DOCTOR}),
        ("quiero que me opere el doctor sosa de la rodilla", {nlu.BOOK}),  # to be operated on
        ("quiero que me cheque el doctor romero", {nlu.BOOK}),
        ("¿cuánto cuesta la consulta con el doctor Sosa?", {nlu.ASK_PRICE}),
    ],
)
def test_near_misses_about_doctors(text, intents):
    assert main(text) == intents


# --- a person, moving a turno, free slots, papers, whom to see ---------------------------------


@pytest.mark.parametrize(
    "text",
    ["este buenas tardes me podria pasar con alguien de la clinica", "¿me puede comunicar con una persona?"],
)
def test_a_person_asked_for_with_a_modal_is_a_transfer(text):
    assert main(text) == {nlu.TRANSFER}


@pytest.mark.parametrize(
    "text",
    [
        "mire tengo una cita el viernes y quiero cambiarmela para el lunes",
        "¿me puede recorrérmela para la tarde?",
        "necesito pasármela al jueves",
    ],
)
def test_the_turno_moved_in_one_word_after_an_infinitive(text):
    assert main(text) == {nlu.RESCHEDULE}


def test_near_miss_something_sent_in_one_word_is_no_move():
    assert nlu.RESCHEDULE not in main("¿me puede pasármelo por whatsapp?")


@pytest.mark.parametrize(
    "text",
    ["upe, buenas, ¿tienen campo con el dermatólogo el jueves?", "hay campo para mañana?", "tienen espacio el viernes"],
)
def test_a_free_slot_asked_for_as_campo_or_espacio_books(text):
    assert main(text) == {nlu.BOOK}


@pytest.mark.parametrize(
    "text",
    ["¿qué documentos hacen falta para la consulta?", "que papeles ocupo para la cita", "que documentos se requieren"],
)
def test_what_papers_are_needed_in_more_verbs(text):
    assert main(text) == {nlu.ASK_REQUIREMENTS}


def test_near_miss_a_specialty_asked_about_stays():
    assert main("¿tienen pediatra?") == {nlu.ASK_SPECIALTIES}


@pytest.mark.parametrize(
    "text",
    [
        "se me está cayendo mucho el pelo, ¿con quién me checo?",
        "con quien lo llevo, tiene tos",
        "¿con quién me puedo atender?",
    ],
)
def test_whom_to_be_seen_by_books(text):
    assert main(text) == {nlu.BOOK}


def test_near_miss_whom_to_talk_to_is_a_transfer():
    assert main("¿con quién puedo hablar para una queja?") == {nlu.TRANSFER}


@pytest.mark.parametrize("text", ["wepa, buenas", "upe", "xopa", "klk", "mande"])
def test_regional_greetings(text):
    assert nlu.detect_intents(text) == [nlu.GREETING]


def test_near_miss_mande_as_send_is_no_greeting():
    assert nlu.GREETING not in nlu.detect_intents("mande los resultados al correo")


# --- specialties ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("se me está cayendo mucho el pelo", ["Dermatología"]),
        ("ocupo una cita para ahorita, me siento mal de la panza", ["Clínica médica"]),
        ("necesito una cita con el medico primario para el lunes", ["Clínica médica"]),
        ("mi hijo se cayó y le duele el brazo", ["Pediatría"]),
        # Near misses: an adult's fall is the bones'; "mi hijo" with no complaint names none.
        ("me caí y me duele el brazo", ["Traumatología"]),
        ("quiero una cita con el dentista para mi hijo", ["Odontología"]),
    ],
)
def test_words_the_lexicon_lacked(demo_clinic, text, wanted):
    assert specialties(demo_clinic, text) == wanted


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("¿ya están mis resultados de laboratorio?", None),
        ("me pueden enviar los resultados del laboratorio por aca?", None),
        # Near misses: the service itself asked about.
        ("¿tienen laboratorio?", "Laboratorio"),
        ("necesito hacerme unos analisis de sangre", "Laboratorio"),
    ],
)
def test_results_of_the_laboratory_name_no_service(text, wanted):
    assert nlu.find_common_specialty(text) == wanted
