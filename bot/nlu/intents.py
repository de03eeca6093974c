"""What the patient asks for: intents from the rules in bot/nlu/data/intents.toml, the
emergency intent (bot/nlu/emergencies.py) and the tie-breaks between intents said together (yes and
no: bot/nlu/yes_no.py).

A message may carry several intents ("hola, ¿trabajan con OSDE? quiero un turno"):
`detect_intents` returns them all in INTENT_PRIORITY order, the order a brain acts on them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.nlu.emergencies import is_emergency
from bot.nlu.intent_names import (
    AFFIRM,
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
from bot.nlu.lexicon import expand, load
from bot.nlu.normalize import understand
from bot.nlu.yes_no import CLOSING_WORDS, yes_no
from clinic.endearments import without_endearments
from clinic.selectors import normalize_text

_RULES = load("intents")
AVAILABILITY_WORDS = frozenset(_RULES["availability_words"])


def _coverage_names() -> str:
    """The well-known coverages' spellings (bot/nlu/data/world.toml), longest first: "¿atienden
    Fonasa?" asks about one even without "por" or "con"."""
    spellings = {
        normalize_text(spelling)
        for display, aliases in load("world")["coverages"].items()
        for spelling in [display, *aliases.split(",")]
    }
    return "|".join(sorted((re.escape(s) for s in spellings if s), key=lambda s: (-len(s), s)))


def _fragments() -> dict[str, str]:
    fragments = {"AVAILABILITY": "|".join(sorted(AVAILABILITY_WORDS)), "COVERAGE_NAME": _coverage_names()}
    fragments["CLOSING_WORD"] = "|".join(sorted(CLOSING_WORDS))
    for name, pattern in _RULES["fragments"].items():
        fragments[name] = expand(pattern, fragments)
    return fragments


_FRAGMENTS = _fragments()
INTENT_RULES: dict[str, list[re.Pattern]] = {
    intent: [re.compile(expand(pattern, _FRAGMENTS)) for pattern in patterns]
    for intent, patterns in _RULES["rules"].items()
}
# An explicit request for a turno, as opposed to the bare word "consulta" in a price question
# ("quisiera saber cuánto cuesta la consulta" wants to know, not to book).
# "¿Se puede pagar con tarjeta?" asks how to pay; "no quiere salir de su cuarto" wants nothing.
REQUEST_VERB = re.compile(
    rf"(?<!\bno )\b(?:{_FRAGMENTS['WANT']}|{_FRAGMENTS['BOOK_VERB']})\b(?! (?:saber|preguntar|consultar|averiguar|informacion|pagar|abonar))"
)
# "Quiero turno y también preguntar qué llevar" asks for both; "¿se necesita orden para pedir
# la cita?" and "¿necesito pedir orden antes del turno?" only ask what is needed.
FIRST_PERSON_REQUEST = re.compile(
    r"\b(?:quiero|quisiera|queria|necesito|necesitaria|me gustaria|dame|deme|me das|me da|me podes dar|me puede dar)\b"
    # "¿qué necesito llevar para la consulta?" asks what to bring, not for a turno.
    r"(?! (?:saber|preguntar|consultar|averiguar|llevar|traer|presentar)\b"
    r"| (?:pedir |sacar |tener |conseguir |llevar |traer )?(?:la |una |el |un )?(?:orden|derivacion|autorizacion|receta)\b)"
)
MUST_BOOK = re.compile(_FRAGMENTS["MUST_BOOK"])
# What only names the turno or a specialist: a transfer that says "que me atienda una persona"
# asks for no turno unless one of these is there too.
APPOINTMENT_WORD = re.compile(rf"\b(?:{_FRAGMENTS['ANY_APPT']}|{_FRAGMENTS['SPECIALIST']})\b")
# A coverage the patient states ("tengo OSDE", "la orden de la obra social" to bring) is not a
# question about it; these verbs ask.
COVERAGE_QUESTION = re.compile(_FRAGMENTS["COVERAGE_QUESTION"])
# "Soy de Sanitas, ¿puedo pedir cita?" asks whether the coverage is taken: the turno waits for
# the answer, unless a request is said besides ("... y necesita una cita").
COVERAGE_PERMISSION = re.compile(rf"\b{_FRAGMENTS['COVERAGE_PERMISSION']}")
# "cambié de obra social" changes a coverage or a phone, not the turno; "un lunar que cambió de
# color" is a symptom.
CHANGED_OTHER_THING = re.compile(_FRAGMENTS["CHANGED_OTHER_THING"])
# "para el turno, ¿tengo que llevar algo?": the turno is the occasion, not the question.
MY_TURNO_HOURS = re.compile(r"(?<!\bque )\bhorarios?\b(?! (?:tienen|tiene|tenes|teneis|manejan|de atencion)\b)")
WANT_MY_TURNO = re.compile(
    rf"\b(?:quiero|quisiera|queria|necesito|necesitaria) (?:agendar |sacar |reservar |pedir )?mi {_FRAGMENTS['APPT']}\b"
)
# "¿Qué especialidades tienen?" asks for the list even beside a request, as "... y también
# preguntar si hacen análisis ahí mismo" asks whether they do it (round 12).
LIST_OF_SPECIALTIES = re.compile(
    rf"\b(?:que|cuales|cuantas) (?:especialidades|especialistas|medicos|doctores)\b|\b{_FRAGMENTS['DO_YOU_DO_IT']}"
)
# "Una consulta: ¿atienden por OSDE?", "te hago una consulta": Argentina's "consulta" is
# also a question; announcing one asks for no turno.
QUESTION_OPENER = re.compile(_FRAGMENTS["QUESTION_OPENER"])
# "mi hijo tiene fiebre", "la nena tiene granitos": the patient describing someone, not
# "¿tiene pediatra?".
SOMEONE_HAS = re.compile(rf"\b{_FRAGMENTS['SOMEONE']}tienen?\b")
# "¿tenéis dermatólogo?": a specialist named after "tienen" is a question about the specialty.
# Round 7 (nlu21): a service named so too ("¿hay laboratorio? me pidieron un análisis").
SERVICE = (
    r"(?:laboratorio|fono|fonoaudiolog\w*|logoped\w*|psicolog\w*|psiquiatr\w*|nutricion\w*|kine|kinesio\w*"
    r"|fisioterapia|vacunatorio|vacunas?|radiolog\w*|radiografi\w*|rayos(?: x)?|ecografi\w*|mamografi\w*|analitica"
    r"|podolog\w*|\w+logia"
    # Round 14: a study by name ("¿hacen el fondo de ojo?").
    r"|fondo de ojo|campo visual|ultrasonid\w*|sonogram\w*|espirometri\w*|audiometri\w*|ergometri\w*"
    r"|ecocardiogram\w*|densitometri\w*)"
)
# Round 12: "¿pasa consulta algún otorrino?", and whether they do what the story named (DO_YOU_DO_IT).
NAMED_SPECIALIST = re.compile(
    rf"\b(?:tienen|tenes|tiene|teneis|hay) (?:un |una |algun |alguna )?(?:{_FRAGMENTS['SPECIALIST']}|{SERVICE})\b"
    rf"|\b(?:pasa|atiende) (?:consulta )?(?:algun|alguna) {_FRAGMENTS['SPECIALIST']}\b|\b{_FRAGMENTS['DO_YOU_DO_IT']}"
    rf"|\b(?:hacen|haceis|realizan|ofrecen|cuentan con) (?:el |la |un |una |servicio de )?{SERVICE}\b"
)
# Round 10: what the patient needs done ("necesito hacerme el PAP") is why a specialty is asked about.
# Round 12: "¿tienen psiquiatra? queremos que lo vea alguien" too.
WANT_DONE = re.compile(_FRAGMENTS["WANT_DONE"])
# Paying privately, or how ("¿aceptan tarjeta?"), is no question about a coverage.
PRIVATE_PAY = re.compile(_FRAGMENTS["PRIVATE_PAY"])
# "¿Tenéis cita mañana con el dentista y cuánto cuesta?": free slots asked for are a request
# beside a price question, as a wish is.
AVAILABILITY_ASKED = re.compile(_FRAGMENTS["AVAILABILITY_ASKED"])
# "¿Ustedes lo cogen? es pa una cita con el pediatra": what the coverage is asked for.
IT_IS_FOR_A_TURNO = re.compile(_FRAGMENTS["IT_IS_FOR_A_TURNO"])
OR_PAY_PRIVATELY = re.compile(
    r"\bo (?:hay que |tengo que |tendria que |se |toca )?(?:pagar|paga|pago|abonar)? ?(?:solo |es )?(?:particular|privado)\b"
)
FREE_SLOTS = re.compile(rf"\b{_FRAGMENTS['FREE_SLOTS']}\b")
# "¿La hacéis allí?" after a study, "el número para pedir hora": what asks whether the clinic
# does it, or what a contact is for, is no request for a turno.
DO_YOU_DO = re.compile(rf"\b{_FRAGMENTS['DO_YOU_DO']}")
CONTACT_PURPOSE = re.compile(_FRAGMENTS["CONTACT_PURPOSE"])
ANY_APPT = re.compile(rf"\b{_FRAGMENTS['ANY_APPT']}\b")
PRICE_PURPOSE = re.compile(_FRAGMENTS["PRICE_PURPOSE"])
LATER = re.compile(_FRAGMENTS["LATER"])
EXPLICIT_CANCEL = re.compile(r"\b(?:cancel|anul|suspend|elimin|borr)")
INSTEAD = re.compile(_FRAGMENTS["INSTEAD"])
UNSURE_WHICH = re.compile(_FRAGMENTS["UNSURE_WHICH"])
GIVE_ME_ONE = re.compile(rf"\bme (?:den|de|da|das|dan|dais|daria|darian) (?:un |una )?{_FRAGMENTS['ANY_APPT']}\b")
WHEN_WANTED = re.compile(
    rf"\bpara (?:hoy|manana|pasado manana|esta semana|(?:el|este) {_FRAGMENTS['WEEKDAY']})\b"
    rf"|\b{_FRAGMENTS['SPECIALIST']} (?:disponibles? )?(?:para )?(?:hoy|ahorita|ahora|{_FRAGMENTS['SOON']})\b"
)
# "Cancelá el del jueves y dame otro": two requests; "... y dame otra con el mismo doctor"
# moves the same turno.
AND_A_NEW_ONE = re.compile(_FRAGMENTS["AND_A_NEW_ONE"])
SAME_ONE_AGAIN = re.compile(rf"{_FRAGMENTS['AND_A_NEW_ONE']}(?: \w+){{0,2}} con (?:el mismo|la misma)\b")
# "¿Todavía tengo la cita o se canceló?" asks about the turno; it cancels nothing ("la cancelo",
# without accents, is the patient cancelling).
WAS_CANCELLED = re.compile(_FRAGMENTS["WAS_CANCELLED"])
# "¿Dónde quedan? porque tengo cita mañana": the turno held is the occasion of the question.
TURNO_HELD = re.compile(_FRAGMENTS["TURNO_HELD"])
# "Mil gracias por la ayuda" thanks; it asks for no help.
PAPERWORK = re.compile(_FRAGMENTS["PAPERWORK"])
OWN_REQUEST = re.compile(_FRAGMENTS["OWN_REQUEST"])
COMPLAINT = re.compile(_FRAGMENTS["COMPLAINT"])
SEND_CHANNEL = re.compile(_FRAGMENTS["SEND_CHANNEL"])
THANKS_FOR_HELP = re.compile(r"\bgracias (?:\w+ ){0,3}(?:por|x) (?:la|su|tu|toda la|tanta) ayuda\b")
# "Necesito la factura de la consulta": an invoice or a receipt is the front desk's, not a turno.
INVOICE = re.compile(
    r"\b(?:factura|recibo|comprobante|justificante|boleta)s?\b(?: (?:\w+ ){0,2}?(?:de|del|por) (?:la |el |mi |una |un )?"
    r"(?:consulta|turno|cita|atencion|sesion|control)e?s?\b)?"
)
SYMPTOM_PATTERNS = [re.compile(expand(pattern, _FRAGMENTS)) for pattern in _RULES["symptom"]["patterns"]]
REASON_OR_CONDITION = re.compile(_FRAGMENTS["REASON_OR_CONDITION"])
CLINIC_HOURS = re.compile(_FRAGMENTS["CLINIC_HOURS"])
# An intent said only inside a phrase about another one said with it ([[said_within]]).
SAID_WITHIN = [(r["drop"], r["with"], re.compile(expand(r["phrase"], _FRAGMENTS))) for r in _RULES["said_within"]]


def detect_intents(text: str) -> list[str]:
    """Every intent the message expresses, in INTENT_PRIORITY order."""
    return list(_intents(text))


# Cached like understand(): the engine's goodbye check and the brain ask for the same message.
@lru_cache(maxsize=1024)
def _intents(text: str) -> tuple[str, ...]:
    # "hola mi amor", "gracias mi reina": said to the assistant, asks nothing.
    understood = without_endearments(understand(text))
    found = {intent for intent in INTENT_RULES if _matches(intent, understood)}
    if ASK_SPECIALTIES in found and not _matches(ASK_SPECIALTIES, SOMEONE_HAS.sub(" ", understood)):
        found.discard(ASK_SPECIALTIES)
    if BOOK in found and not _matches(BOOK, QUESTION_OPENER.sub(" ", understood)):
        found.discard(BOOK)
    if is_emergency(text):
        found.add(EMERGENCY)
    elif not found & (TASK_INTENTS | QUESTION_INTENTS) and any(p.search(understood) for p in SYMPTOM_PATTERNS):
        found.add(BOOK)
    polarity = yes_no(text)
    if polarity is True:
        found.add(AFFIRM)
    elif polarity is False:
        found.add(DENY)
    return tuple(intent for intent in INTENT_PRIORITY if intent in _tie_breaks(found, understood))


def _matches(intent: str, understood: str) -> bool:
    return any(pattern.search(understood) for pattern in INTENT_RULES[intent])


def _tie_breaks(found: set[str], understood: str) -> set[str]:
    found = set(found)
    for drop, companion, phrase in SAID_WITHIN:
        if drop in found and companion in found and not _matches(drop, phrase.sub(" ", understood)):
            found.discard(drop)
    # "¿Sigo teniendo la cita o se canceló?" asks about it.
    if CANCEL in found and not _matches(CANCEL, WAS_CANCELLED.sub(" ", understood)):
        found.discard(CANCEL)
    # Changing a turno mentions the turno: "cancelar mi turno" is not also a question about
    # "mi turno" nor a new booking; "un lunar que cambió de color, quiero turno" changes none.
    if found & {CANCEL, RESCHEDULE}:
        found.discard(MY_APPOINTMENTS)
        if CANCEL in found or _matches(RESCHEDULE, CHANGED_OTHER_THING.sub(" ", understood)):
            found.discard(BOOK)
    # "Quiero mi cita a las 11 con el dentista" asks for one: "mi cita" after a wish is the new one.
    if MY_APPOINTMENTS in found and WANT_MY_TURNO.search(understood):
        found = (found - {MY_APPOINTMENTS}) | {BOOK}
    if MY_APPOINTMENTS in found:
        found.discard(BOOK)
    # "No puedo ir el martes, ¿lo paso al jueves?" moves the turno rather than cancelling it.
    explicit_cancel = EXPLICIT_CANCEL.search(understood)
    # "Cancelámela, después veo otra fecha": the new date is for later, the turno is cancelled.
    later_only = explicit_cancel and not _matches(RESCHEDULE, LATER.sub(" ", understood))
    if CANCEL in found and RESCHEDULE in found and later_only:
        found.discard(RESCHEDULE)
    if RESCHEDULE in found and CANCEL in found and not explicit_cancel:
        found.discard(CANCEL)
    # "¿Dónde quedan? tengo cita mañana": the turno held is why the patient asks.
    if (
        MY_APPOINTMENTS in found
        and found & QUESTION_INTENTS
        and not _matches(MY_APPOINTMENTS, TURNO_HELD.sub(" ", understood))
    ):
        found.discard(MY_APPOINTMENTS)
    # A question about what to bring mentions the turno it is for ("para el turno, ¿tengo que
    # llevar algo?", "¿se necesita orden para pedir la cita?") and often a coverage's papers.
    # "¿Hay turno hoy? ¿y qué documentos llevo?", "le tengo que sacar turno a mi vieja, ¿qué
    # llevo?" ask for one besides.
    if ASK_REQUIREMENTS in found:
        found.discard(MY_APPOINTMENTS)
        if not any(r.search(understood) for r in (FIRST_PERSON_REQUEST, AVAILABILITY_ASKED, MUST_BOOK)):
            found.discard(BOOK)
    # "Cambié de obra social" changes the coverage, not the turno.
    if RESCHEDULE in found and not _matches(RESCHEDULE, CHANGED_OTHER_THING.sub(" ", understood)):
        found.discard(RESCHEDULE)
    # "Ya no voy a ir el jueves, mejor denme para el lunes": another day instead moves it.
    if CANCEL in found and not explicit_cancel and INSTEAD.search(understood):
        found = (found - {CANCEL, BOOK}) | {RESCHEDULE}
    # "Cancelame el del jueves y dame otro para el lunes" asks for both; "... y deme otra con el
    # mismo doctor" moves the turno.
    if CANCEL in found and SAME_ONE_AGAIN.search(understood):
        found = (found - {CANCEL, BOOK}) | {RESCHEDULE}
    elif CANCEL in found and AND_A_NEW_ONE.search(understood):
        found = (found - {RESCHEDULE}) | {BOOK}
    # A coverage named without a question verb is stated ("tengo OSDE, quiero un turno") or a
    # paper to bring; it is asked about when a verb asks, or when nothing else is asked.
    if (
        ASK_COVERAGE in found
        and found & (TASK_INTENTS | {ASK_REQUIREMENTS, ASK_PRICE})
        and not COVERAGE_QUESTION.search(understood)
    ):
        found.discard(ASK_COVERAGE)
    # "Tengo Rimac, ¿me cubre la consulta con el traumatólogo?" asks about the coverage; the
    # word "consulta" requests nothing unless a wish, free slots or "me dan una cita" are said.
    asked_coverage = ASK_COVERAGE in found and COVERAGE_QUESTION.search(understood)
    if asked_coverage and not any(
        r.search(understood) for r in (REQUEST_VERB, AVAILABILITY_ASKED, GIVE_ME_ONE, IT_IS_FOR_A_TURNO)
    ):
        found.discard(BOOK)
    # "¿Tienen odontólogo?" after a toothache asks about the specialty; "¿tenés dentista para
    # hoy?" asks for a turno with one.
    if BOOK in found and ASK_SPECIALTIES in found and NAMED_SPECIALIST.search(understood):
        if AVAILABILITY_ASKED.search(understood) or WHEN_WANTED.search(understood):
            found.discard(ASK_SPECIALTIES)
        elif not REQUEST_VERB.search(WANT_DONE.sub(" ", understood)):
            found.discard(BOOK)  # "¿tienen ginecólogo? necesito hacerme el PAP": why it is asked
    # "Me mandaron una eco, ¿la hacen ahí?": whether it is done here; "el WhatsApp para pedir cita".
    if BOOK in found and DO_YOU_DO.search(understood) and not ANY_APPT.search(understood):
        found = (found - {BOOK}) | {ASK_SPECIALTIES}
    for purpose in (BOOK, TRANSFER):
        if purpose in found and ASK_CONTACT in found and not _matches(purpose, CONTACT_PURPOSE.sub(" ", understood)):
            found.discard(purpose)
    if BOOK in found and UNSURE_WHICH.search(understood):
        found.discard(ASK_SPECIALTIES)
    # "¿Me atienden con bono?": Chile's bono is the coverage's voucher, not a price asked.
    # "¿Aceptan seguro o hay que pagar particular?": paying privately is the other choice.
    paid_otherwise = OR_PAY_PRIVATELY.sub(" ", understood.replace("bono", " "))
    if ASK_PRICE in found and ASK_COVERAGE in found and not _matches(ASK_PRICE, paid_otherwise):
        found.discard(ASK_PRICE)
    # "Soy de Sanitas, ¿puedo pedir cita?": whether the coverage is taken, before any turno.
    if BOOK in found and (permission := COVERAGE_PERMISSION.search(understood)):
        rest = understood[: permission.start()] + " " + understood[permission.end() :]
        if not REQUEST_VERB.search(rest):
            found.discard(BOOK)
    # "¿Me confirmás el horario de mi turno?" / "quiero cambiar el horario": the turno's time,
    # not the clinic's hours, unless the hours are asked in other words too.
    about_a_turno = found & {RESCHEDULE, CANCEL, MY_APPOINTMENTS}
    if about_a_turno and ASK_HOURS in found and not _matches(ASK_HOURS, MY_TURNO_HOURS.sub(" ", understood)):
        found.discard(ASK_HOURS)
    # "Necesito la factura de la consulta de ayer": the front desk's, no turno.
    # "Quiero un turno y después la factura": the turno is the request, the invoice comes later.
    if BOOK in found and INVOICE.search(understood):
        rest = INVOICE.sub(" ", understood)
        if not _matches(BOOK, rest):
            found = (found - {BOOK}) | {TRANSFER}
        elif TRANSFER in found and not _matches(TRANSFER, rest):
            found.discard(TRANSFER)
    # "¿Me mandan la factura de la consulta al correo?": papers only a person hands over.
    if TRANSFER in found and PAPERWORK.search(understood) and not OWN_REQUEST.search(understood):
        found.discard(BOOK)
        if not _matches(ASK_CONTACT, SEND_CHANNEL.sub(" ", understood)):
            found.discard(ASK_CONTACT)
    # "Quiero poner una queja: me dejaron esperando dos horas para la cita": the turno
    # complained about books nothing.
    if TRANSFER in found and COMPLAINT.search(understood) and not OWN_REQUEST.search(understood):
        found.discard(BOOK)
    # "Quiero que me atienda una persona" is a transfer, not a booking.
    if TRANSFER in found and BOOK in found and not APPOINTMENT_WORD.search(understood):
        found.discard(BOOK)
    # "¿Me ayudás con una cita?": "ayudar" is politeness around a request, not a help request.
    if HELP in found and (found & (TASK_INTENTS | QUESTION_INTENTS - {HELP}) or THANKS_FOR_HELP.search(understood)):
        found.discard(HELP)
    # "¿Qué días atiende la Dra. Herrera?" is about her, not about the clinic's hours; "¿atienden
    # niños?" is not a list of specialties.
    # "¿Tienen cardiólogo? ¿y qué días atiende?" asks both; so does "el horario de atención, y si
    # el Dr. Gutiérrez atiende el lunes" (the clinic's hours besides).
    if ASK_DOCTOR in found:
        if not CLINIC_HOURS.search(understood):
            found.discard(ASK_HOURS)
        if not NAMED_SPECIALIST.search(understood):
            found.discard(ASK_SPECIALTIES)
        # "¿El Dr. Gutiérrez pasa consulta los miércoles?" asks about him, books nothing; "¿y hay
        # cupo esta semana?" asks for a turno.
        # "... porque necesito ir con el clínico", "¿con quién me toca si pido cita?": a reason or
        # a condition of the question, no request.
        asked = REASON_OR_CONDITION.sub(" ", understood)
        if not (REQUEST_VERB.search(asked) or AVAILABILITY_ASKED.search(asked)):
            found.discard(BOOK)
    # "tienen turno mañana?" / "tienen OSDE?" / "atienden los sabados?": the generic "do you
    # have X" rule only stands when nothing more specific explains the question.
    generic_offer_question = not (
        re.search(r"\bespecialid|\bespecialista|\bque (?:medicos|doctores)", understood)
        or NAMED_SPECIALIST.search(understood)
    )
    if (
        ASK_SPECIALTIES in found
        and generic_offer_question
        and found - {ASK_SPECIALTIES, GREETING, THANKS, AFFIRM, DENY}
    ):
        found.discard(ASK_SPECIALTIES)
    # "Quiero un turno con la secretaria" never happens; "hablar con recepción" does, and
    # a "no" inside a longer request ("no puedo ir") is not an answer to a yes/no question.
    if found & TASK_INTENTS and DENY in found and len(understood.split()) > 3:
        found.discard(DENY)
    # "¿Cuánto cuesta la consulta con el cardiólogo?" asks a price: the word "consulta" alone
    # is not a request for one, nor is "particular" a question about coverages.
    if ASK_PRICE in found:
        asked = PRICE_PURPOSE.sub(" ", understood)
        if BOOK in found and not (REQUEST_VERB.search(asked) or AVAILABILITY_ASKED.search(understood)):
            found.discard(BOOK)
        if ASK_COVERAGE in found and not _matches(ASK_COVERAGE, PRIVATE_PAY.sub(" ", understood)):
            found.discard(ASK_COVERAGE)
    # "Necesito cita con el especialista del corazón": asking for a turno, not for the list.
    if BOOK in found and FIRST_PERSON_REQUEST.search(understood) and not LIST_OF_SPECIALTIES.search(understood):
        found.discard(ASK_SPECIALTIES)
    # "¿Qué horarios tienen disponibles?": free slots, not the clinic's hours.
    if BOOK in found and ASK_HOURS in found and not _matches(ASK_HOURS, FREE_SLOTS.sub(" ", understood)):
        found.discard(ASK_HOURS)
    # "Quisiera agendar en horario matutino": the turno's time, not the clinic's hours.
    asked_for_one = BOOK in found and FIRST_PERSON_REQUEST.search(understood)
    if asked_for_one and ASK_HOURS in found and not _matches(ASK_HOURS, MY_TURNO_HOURS.sub(" ", understood)):
        found.discard(ASK_HOURS)
    # "Hasta mañana" is a goodbye, not a request for tomorrow; "buenas noches" at the end of a
    # call too, but the engine greets back either way, which is harmless.
    if GOODBYE in found and (found & (TASK_INTENTS | QUESTION_INTENTS)):
        found.discard(GOODBYE)
    return found


def detect_intent(text: str) -> str | None:
    intents = detect_intents(text)
    return intents[0] if intents else None


def is_goodbye(text: str) -> bool:
    """The patient is closing the conversation ("gracias, nada más", "adiós", "chau") and
    asks for nothing else in the same message."""
    intents = set(detect_intents(text))
    return GOODBYE in intents and not intents & (TASK_INTENTS | QUESTION_INTENTS | {EMERGENCY})
