"""Intent families of round 5i (bench/data/dev_first_messages_r5i.txt): several requests in
one message and the main intent when a question mentions a turno. Asserted on the intents
detected, in INTENT_PRIORITY order."""

import pytest

from bot import nlu


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        # A price asked "para agendar": the purpose of the question, not a request said besides.
        ("cuánto sale la consulta y quiero pedir turno para el lunes", [nlu.BOOK, nlu.ASK_PRICE]),
        # Bolivia's "ficha", Costa Rica's "campo": free slots asked beside a price or a doctor.
        ("cuanto me sale sacar turno con la nutricionista?", [nlu.ASK_PRICE]),
        ("¿qué días atiende el otorrino? ¿y hay cupo esta semana?", [nlu.BOOK, nlu.ASK_DOCTOR]),
        # A specialty's doctors: their hours, not the clinic's.
        ("¿a qué hora atiende la ginecóloga?", [nlu.ASK_DOCTOR]),
        ("me duele la espalda, ¿qué horario tiene el traumatólogo?", [nlu.ASK_DOCTOR]),
        ("cuánto cobra la doctora Ruiz y qué días da consulta", [nlu.ASK_DOCTOR, nlu.ASK_PRICE]),
        ("¿tienen neurólogo? ¿y qué días atiende?", [nlu.ASK_DOCTOR, nlu.ASK_SPECIALTIES]),
        # A coverage asked about, not at the start, with a turno asked for besides.
        ("oye con colsanitas me atienden? necesito cita con el dermatólogo", [nlu.BOOK, nlu.ASK_COVERAGE]),
        ("tengo seguro Humano, ¿ustedes lo cogen?", [nlu.ASK_COVERAGE]),
        # A cancel with the next turno left for later; "y ya que estamos, dame otro" asks both.
        ("anúleme la cita del jueves, después veo otra fecha", [nlu.CANCEL]),
        ("cancelo la del martes, luego llamo para reprogramar", [nlu.CANCEL]),
        ("cancelame el turno del lunes y ya que estamos dame otro para el jueves", [nlu.CANCEL, nlu.BOOK]),
        ("pasame el turno del martes al jueves", [nlu.RESCHEDULE]),
        # The clinic's hours asked, and a turno; "pasar a coger un turno" moves none.
        ("¿qué horario tienen los viernes? y quiero una cita con el clínico", [nlu.BOOK, nlu.ASK_HOURS]),
        ("a que hora abren? voy a pasar a sacar un turno", [nlu.BOOK, nlu.ASK_HOURS]),
        # Someone to be seen now, or by a doctor.
        ("mi chamo tiene fiebre, ¿hay pediatra hoy?", [nlu.BOOK]),
        ("el nene tiene tos y mocos, que lo vea un pediatra", [nlu.BOOK]),
        ("¿qué horario tienen? ocupo llevar a mi mamá", [nlu.ASK_HOURS]),
    ],
)
def test_families_of_round_5i(text, intents):
    assert nlu.detect_intents(text) == intents
