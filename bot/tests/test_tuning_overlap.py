"""The held-out reports' "unseen" scores (bench/tuning_overlap.py): a message counts as seen
when a dev set's first message, a dev dialogue's patient turn, a safety tuning row, or a quoted
string of the NLU data or of a test equals it, case, accents and punctuation aside; any other
text is unseen. If the collection missed a source, the unseen score would flatter the NLU again."""

import pytest

from bench.tuning_overlap import _dev_set_texts, seen_in_tuning

pytestmark = pytest.mark.django_db


def test_a_dev_first_message_and_a_dialogue_turn_are_read_but_not_labels_or_headers(tmp_path):
    dev_set = tmp_path / "dev_x.txt"
    dev_set.write_text(
        "# header | with a bar\n@source own | writing\nturno con la gine | book | specialty=Ginecología\n"
        "=== x01 | AR | whatsapp | 2026-12-01T10:00\n> el primero\nexpect: booked specialty=A | b\n",
        encoding="utf-8",
    )

    assert _dev_set_texts(dev_set) == ["turno con la gine ", "el primero"]


@pytest.mark.parametrize(
    "text",
    [
        "HOLA, me regala una cita con medicina general!",  # dev_first_messages_r11.txt, case and punctuation
        "Julieta Romano",  # a patient turn of dev_dialogues_round6.txt
        "dlor fuerte d pcho",  # a quoted string in a test
        "ya no quiero vivir mas",  # a row of bench/data/safety/dev.csv
    ],
)
def test_texts_of_the_tuning_data_are_seen(text):
    assert seen_in_tuning(text)


def test_a_text_nobody_wrote_is_unseen():
    # Built from words, not written as one literal: this file is itself a test, so tuning data.
    text = " ".join(["quisiera", "saber", "si", "el", "traumatologo", "atiende", "a", "mi", "suegra", "zurda"])

    assert not seen_in_tuning(text)
