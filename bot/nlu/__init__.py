"""Spanish understanding for the offline brain: pure functions over text, no database.

Patients write (or speech recognition transcribes) the way they talk across Latin America:
turno / cita / hora / consulta, obra social / prepaga / EPS / Fonasa / Isapre, vos and
usted, typos, emojis, no accents, no punctuation, numbers as words. By job:

- `normalize`: emojis to words, lower case without accents or punctuation, typos corrected
  towards the rules' vocabulary ("afendar un truno" -> "agendar un turno").
- `intents`: the intent rules (data: data/intents.toml) and their tie-breaks; `intent_names`: the
  intents and the order a brain acts on them; `emergencies`: the NLU's emergency words.
- `yes_no`: yes and no, closings, the assistant's own read-back.
- `dates`: days, times and parts of the day from the clinic's today.
- `self_corrections`, `said_for_dates`: "el jueves, perdón, el viernes" is Friday, "esta tarde"
  today in the afternoon (`extract_when` reads them so).
- `numbers`: number words to digits.
- `entities`: the option chosen, documents, things a clinic may not offer.
- `names`: the patient's name and corrections of their data.
- `examples`: the intent of the nearest labelled example, when the rules find none.
- `lexicon`: reads the word lists and rules in data/*.toml.

The names below are the package's public interface (`from bot import nlu; nlu.BOOK`).
"""

from bot.nlu.dates import AFTERNOON, MONTHS, MORNING, WEEKDAYS, When, extract_date_times
from bot.nlu.entities import (
    COMMON_COVERAGES,
    COMMON_SPECIALTIES,
    THEIRS,
    asks_earliest,
    extract_choice,
    extract_document_number,
    extract_offer_move,
    extract_offer_subject,
    extract_people,
    find_common_coverage,
    find_common_specialty,
    picks_by_part_of_day,
    says_next_one,
    says_relatives_document,
    turno_owner,
)
from bot.nlu.examples import intent_from_examples
from bot.nlu.intent_names import (
    AFFIRM,
    ASK_ADDRESS,
    ASK_CONTACT,
    ASK_COVERAGE,
    ASK_DOCTOR,
    ASK_HOURS,
    ASK_PRICE,
    ASK_REQUIREMENTS,
    ASK_SPECIALTIES,
    BOOK,
    CANCEL,
    DENY,
    EMERGENCY,
    GOODBYE,
    GREETING,
    HELP,
    INTENT_PRIORITY,
    MY_APPOINTMENTS,
    QUESTION_INTENTS,
    RESCHEDULE,
    TASK_INTENTS,
    THANKS,
    TRANSFER,
)
from bot.nlu.intents import (
    detect_intent,
    detect_intents,
    is_emergency,
    is_goodbye,
)
from bot.nlu.names import (
    corrected_datum,
    extract_corrected_name,
    extract_name,
    extract_relative_name,
    respelled_name,
    spells_a_name,
)
from bot.nlu.normalize import VOCABULARY_SET, correct_typos, prepare, understand
from bot.nlu.numbers import words_to_digits
from bot.nlu.said_for_dates import extract_when
from bot.nlu.self_corrections import without_self_corrections
from bot.nlu.yes_no import asks_for_change, is_affirmative, is_closing, is_negative, read_back_question, yes_no

__all__ = [
    "AFFIRM",
    "AFTERNOON",
    "ASK_ADDRESS",
    "ASK_CONTACT",
    "ASK_COVERAGE",
    "ASK_DOCTOR",
    "ASK_HOURS",
    "ASK_PRICE",
    "ASK_REQUIREMENTS",
    "ASK_SPECIALTIES",
    "BOOK",
    "CANCEL",
    "COMMON_COVERAGES",
    "COMMON_SPECIALTIES",
    "DENY",
    "EMERGENCY",
    "GOODBYE",
    "GREETING",
    "HELP",
    "INTENT_PRIORITY",
    "MONTHS",
    "MORNING",
    "MY_APPOINTMENTS",
    "QUESTION_INTENTS",
    "RESCHEDULE",
    "TASK_INTENTS",
    "THANKS",
    "TRANSFER",
    "VOCABULARY_SET",
    "WEEKDAYS",
    "When",
    "asks_earliest",
    "asks_for_change",
    "correct_typos",
    "corrected_datum",
    "detect_intent",
    "detect_intents",
    "extract_choice",
    "extract_corrected_name",
    "extract_document_number",
    "picks_by_part_of_day",
    "says_relatives_document",
    "extract_name",
    "extract_relative_name",
    "extract_offer_move",
    "says_next_one",
    "extract_offer_subject",
    "THEIRS",
    "extract_people",
    "turno_owner",
    "extract_date_times",
    "extract_when",
    "intent_from_examples",
    "find_common_coverage",
    "find_common_specialty",
    "is_affirmative",
    "is_closing",
    "is_emergency",
    "is_goodbye",
    "is_negative",
    "prepare",
    "read_back_question",
    "respelled_name",
    "spells_a_name",
    "understand",
    "without_self_corrections",
    "words_to_digits",
    "yes_no",
]
