"""The intents the offline brain tells apart, and the order it acts on several said together
(detected by bot/nlu/intents.py)."""

EMERGENCY = "emergency"
TRANSFER = "transfer"
RESCHEDULE = "reschedule"
CANCEL = "cancel"
MY_APPOINTMENTS = "my_appointments"
BOOK = "book"
ASK_COVERAGE = "ask_coverage"
ASK_SPECIALTIES = "ask_specialties"
ASK_HOURS = "ask_hours"
ASK_ADDRESS = "ask_address"
ASK_CONTACT = "ask_contact"
ASK_PRICE = "ask_price"
ASK_DOCTOR = "ask_doctor"
ASK_REQUIREMENTS = "ask_requirements"
HELP = "help"
AFFIRM = "affirm"
DENY = "deny"
GREETING = "greeting"
THANKS = "thanks"
GOODBYE = "goodbye"

# Order in which a brain should act on several requests in one message: safety first,
# then changes to existing turnos (the patient has a turno at stake), then new bookings,
# then questions, then small talk.
INTENT_PRIORITY = [
    EMERGENCY,
    TRANSFER,
    RESCHEDULE,
    CANCEL,
    MY_APPOINTMENTS,
    BOOK,
    ASK_DOCTOR,
    ASK_COVERAGE,
    ASK_SPECIALTIES,
    ASK_HOURS,
    ASK_ADDRESS,
    ASK_CONTACT,
    ASK_PRICE,
    ASK_REQUIREMENTS,
    HELP,
    AFFIRM,
    DENY,
    GREETING,
    THANKS,
    GOODBYE,
]
TASK_INTENTS = {TRANSFER, RESCHEDULE, CANCEL, MY_APPOINTMENTS, BOOK}
# The questions: everything between the new bookings and the small talk in INTENT_PRIORITY.
QUESTION_INTENTS = set(INTENT_PRIORITY[INTENT_PRIORITY.index(ASK_DOCTOR) : INTENT_PRIORITY.index(HELP) + 1])
