"""Entities in unseen phrasings (bench/data/dev_first_messages_entities.txt): whole-word
specialty names, an exact word before a typo's near match, qualifiers and symptoms losing to a
service named, intensifiers, coverages as written, a patient's surname that is also a doctor's,
"tipo once" and the parts of the day said with meals. On the demo clinic, asserting on what is
extracted and on the typed state; clocks frozen on a weekday (Tuesday 1 December 2026, 9:00)
and on a weekend (Saturday 5 December, 19:30)."""

import datetime as dt

import pytest

from bot import nlu
from bot.tests.conftest import CLINIC_TZ as TZ
from bot.tests.test_rules_brain import Chat
from bot.tests.test_understanding_patterns import specialty
from clinic.selectors import find_coverage, find_missing_service, find_specialties, find_specialty

CLOCKS = ["tuesday", "saturday_evening"]
NOW = {
    "tuesday": dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ),
    "saturday_evening": dt.datetime(2026, 12, 5, 19, 30, tzinfo=TZ),
}


@pytest.fixture(params=CLOCKS)
def clock(request):
    request.getfixturevalue(request.param)
    return request.param


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("tengo que llevar a mi hijo al odontopediatra", "Odontología"),  # not "pediatra" inside it
        ("me duele mucho la espalda baja", "Traumatología"),  # "mucho" says how much, not what
        ("necesito un turno para el medico de los chicos", "Pediatría"),
        ("ocupo cita con el medico familiar", "Clínica médica"),
        ("tienen traumatologo infantil", "Traumatología"),  # who it is for is no second specialty
    ],
)
def test_the_specialty_said_in_lay_or_compound_words(demo_clinic, text, wanted):
    assert [s.name for s in find_specialties(clinic=demo_clinic, text=text)] == [wanted]
    assert find_specialty(clinic=demo_clinic, text=text).name == wanted


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("tenes urologo?", "Urología"),  # said exactly: not a slip of "neurologo"
        ("tienen hematologo?", "Hematología"),  # not a slip of "dermatologo"
        ("necesito hora con el broncopulmonar", "Neumonología"),
        ("hay psicologo para niños?", "Psicología"),
        ("necesito un turno con el kinesiologo para la rodilla", "Kinesiología"),
        ("tienen terapista de lenguaje?", "Fonoaudiología"),  # not "terapia" (Psicología)
    ],
)
def test_a_service_the_clinic_lacks_wins_over_a_near_name_or_a_symptom(demo_clinic, text, missing):
    assert find_missing_service(clinic=demo_clinic, text=text).name == missing
    # The knee or the children only qualify what was asked: no specialty of the clinic is.
    assert find_specialties(clinic=demo_clinic, text=text) == []


@pytest.mark.parametrize(
    ("text", "coverage"),
    [
        ("atienden union personal?", "Unión Personal"),  # as written, before any typo correction
        ("aceptan seguro de gastos medicos de gnp?", "GNP Seguros"),  # "medicos" is no typo of Medicus
        ("tengo nueva masvida, me atienden", "Nueva Masvida"),
        ("quisiera una cita con el traumatologo porque me duele la columna", None),  # not Colmena
    ],
)
def test_common_coverages_as_written(text, coverage):
    assert nlu.find_common_coverage(text) == coverage


@pytest.mark.parametrize(
    ("text", "time", "part"),
    [
        ("turno con pediatria tipo once", dt.time(11), None),
        ("tipo 9 el jueves con la oftalmologa", dt.time(9), None),
        ("cita para el medico general despues del almuerzo", None, nlu.AFTERNOON),
        ("hora con el oftalmologo despues de almuerzo", None, nlu.AFTERNOON),
        ("hora con la pediatra antes de almuerzo", None, nlu.MORNING),
        ("turno con dermato pasado el mediodia", None, nlu.AFTERNOON),  # not 12:00
        ("cita con el dentista a media tarde", None, nlu.AFTERNOON),
        ("cita con la pediatra en la mañanita", None, nlu.MORNING),
        ("turno para el clinico tempranito", None, nlu.MORNING),
    ],
)
@pytest.mark.parametrize("clock", CLOCKS)
def test_times_and_parts_of_the_day_in_words(text, time, part, clock):
    when = nlu.extract_when(text, now=NOW[clock])
    assert (when.time, when.part_of_day) == (time, part)


@pytest.mark.parametrize("clock_name", CLOCKS)
def test_media_manana_is_the_morning_not_tomorrow(clock_name):
    when = nlu.extract_when("cita con el doctor gutierrez a media mañana", now=NOW[clock_name])
    assert (when.date, when.part_of_day) == (None, nlu.MORNING)


@pytest.mark.parametrize(
    "text",
    [
        "me llamo Lucía Fernández y necesito turno con el clínico",
        "me llamo jose luis hernandez y necesito turno con el clinico",  # not a slip of Fernández
    ],
)
def test_the_patients_own_surname_is_not_a_doctor(demo_clinic, clock, text):
    chat = Chat(demo_clinic)
    chat.say(text)
    booking = chat.state.booking
    assert booking.specialty_id == specialty("Clínica médica").pk, chat
    assert booking.doctor_id is None, chat
    # Every slot offered is the specialty's, from any of its doctors.
    assert booking.offered_slots and {s.specialty_id for s in booking.offered_slots} == {booking.specialty_id}, chat


def test_a_doctor_named_next_to_the_patients_name_is_still_found(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("soy Ana López, quiero turno con la doctora Pereyra")
    doctor_id = chat.state.booking.doctor_id
    assert doctor_id is not None and demo_clinic.doctors.get(pk=doctor_id).last_name == "Pereyra", chat


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("me duele la cabeza hace tres dias", "Clínica médica"),  # read as "dolor de cabeza"
        ("tengo dolor en la cintura desde ayer", "Traumatología"),  # "dolor de cintura"
        ("turno con la doctora de cabecera", "Clínica médica"),  # a médico de cabecera
        ("quisiera cita para control de tension", "Cardiología"),
    ],
)
def test_the_same_saying_in_other_words(demo_clinic, text, wanted):
    assert [s.name for s in find_specialties(clinic=demo_clinic, text=text)] == [wanted]


@pytest.mark.parametrize("clock_name", CLOCKS)
def test_the_hour_before_de_la_manana_is_a_time_not_a_day(clock_name):
    now = NOW[clock_name]
    when = nlu.extract_when("el viernes 9 de la mañana con el clinico", now=now)
    friday = now.date() + dt.timedelta(days=(4 - now.weekday()) % 7 or 7)
    assert (when.date, when.time, when.part_of_day) == (friday, dt.time(9), nlu.MORNING)
    assert nlu.extract_when("turno con el oculista el viernes 4 de la tarde", now=now).time == dt.time(16)


@pytest.mark.parametrize(
    ("text", "part"), [("cita en horario matutino", nlu.MORNING), ("turno en horario vespertino", nlu.AFTERNOON)]
)
def test_formal_parts_of_the_day(text, part):
    assert nlu.extract_when(text, now=NOW["tuesday"]).part_of_day == part


def test_a_coverage_spelled_letter_by_letter(demo_clinic):
    assert find_coverage(clinic=demo_clinic, text="trabajan con o s d e").name == "OSDE"


@pytest.mark.parametrize(
    "text",
    [
        "ojo que el lunes no puedo, quiero turno el martes",  # Argentina's "careful"
        "gracias de corazon",
        "quiero una cita para mi hijo",  # who it is for, with nothing about what
    ],
)
def test_words_that_name_no_specialty(demo_clinic, text):
    assert find_specialties(clinic=demo_clinic, text=text) == []
    assert find_specialty(clinic=demo_clinic, text=text) is None
    assert find_missing_service(clinic=demo_clinic, text=text) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("les escribe andrea rios, necesito un turno", "Andrea Rios"),
        ("hola soy valentina, la mama de tomas, necesito turno con la pediatra", "Valentina"),
    ],
)
def test_names_said_in_other_ways(text, name):
    assert nlu.extract_name(text) == name


@pytest.mark.parametrize(
    ("text", "time", "part"),
    [
        ("tengo libre las tardes", None, nlu.AFTERNOON),
        ("puedo por las mañanas", None, nlu.MORNING),
        ("a la nochecita", None, nlu.AFTERNOON),
        ("de mañanita", None, nlu.MORNING),
        ("turno a las 1830", dt.time(18, 30), None),
    ],
)
@pytest.mark.parametrize("clock", CLOCKS)
def test_plural_parts_of_the_day_and_joined_times(text, time, part, clock):
    when = nlu.extract_when(text, now=NOW[clock])
    assert (when.time, when.part_of_day) == (time, part)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("mi nena se levanto con fiebre y tos", ["Pediatría"]),  # a child's symptoms: the pediatrician
        ("hola mi hijo tiene tres años y tiene fiebre hace dos dias", ["Pediatría"]),
        ("mi nene tiene tos, quiero turno con la pediatra", ["Pediatría"]),
        ("quiero turno con el dentista para mi nene", ["Odontología"]),  # a specialty named wins
        ("necesito una hora para control de embarazo", ["Ginecología"]),
        ("tengo mucho ardor en el estomago", ["Clínica médica"]),
        ("me atiende alguien de carne y hueso?", []),
    ],
)
def test_whose_doctor_and_what_for(demo_clinic, text, wanted):
    assert [s.name for s in find_specialties(clinic=demo_clinic, text=text)] == wanted


def test_the_doctor_who_sent_the_patient_is_not_the_one_asked_for(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("vengo de parte de la dra gimenez, me mando a hacer un control con el cardiologo")
    booking = chat.state.booking
    assert booking.specialty_id == specialty("Cardiología").pk and booking.doctor_id is None, chat


@pytest.mark.parametrize("clock_name", CLOCKS)
def test_para_la_tarde_is_a_part_of_the_day(clock_name):
    assert nlu.extract_when("se puede correr la hora para la tarde?", now=NOW[clock_name]).part_of_day == nlu.AFTERNOON


# --- round 2b (issue 9): Colombian, Spanish, Venezuelan and Peruvian words, voice style -----------


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("me duele la planta del pie al caminar", "Traumatología"),
        ("me duele mucho la zona lumbar", "Traumatología"),
        ("tengo la espalda cargada", "Traumatología"),
        ("queria pedir hora para una limpieza de boca", "Odontología"),
        ("necesito una limpieza", "Odontología"),  # at a clinic, the dentist's
        ("quiero una limpieza facial", "Dermatología"),  # the longer phrase wins
        ("quiero cita con la dra benitez para una extraccion", "Odontología"),
        ("me quiero poner el implante subdermico", "Ginecología"),  # no dental implant
        ("buenas, quisiera cita con el de familia para mañana", "Clínica médica"),
        ("me duele la garganta y tengo placas", "Clínica médica"),  # not X-ray plates
        ("mi hijita tiene tos y no quiere comer", "Pediatría"),  # a child, in diminutive
        ("el peque tiene otitis", "Pediatría"),
        ("tengo la tension un poco alta y quiero que me la controlen", "Cardiología"),
        ("tengo la presion descontrolada", "Cardiología"),
        ("me diagnosticaron glaucoma", "Oftalmología"),
    ],
)
def test_regional_and_lay_words_for_a_specialty(demo_clinic, text, wanted):
    assert [s.name for s in find_specialties(clinic=demo_clinic, text=text)] == [wanted]


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("necesito hacerme una hematologia completa", "Laboratorio"),  # a blood count (Venezuela)
        ("necesito que me hagan un eco de abdomen", "Diagnóstico por imágenes"),
        ("queria vacunarme de la gripe", "Vacunación"),  # the vaccine, not the flu
        ("tengo una uña encarnada", "Podología"),
        ("me duele el oido y lo tengo tapado", "Otorrinolaringología"),
    ],
)
def test_a_service_the_clinic_lacks_said_by_what_is_done(demo_clinic, text, missing):
    assert find_missing_service(clinic=demo_clinic, text=text).name == missing


@pytest.mark.parametrize(
    ("text", "coverage"),
    [
        ("tengo la positiva, me cubre?", "La Positiva"),
        ("tengo colmedica", "Colmédica"),
        ("trabajais con caser?", "Caser"),
    ],
)
def test_more_coverages_of_the_region(text, coverage):
    assert nlu.find_common_coverage(text) == coverage


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("necesito cita para control de la presion, soy hipertensa", None),  # what she is, not who
        ("soy mutualista de muface", None),
        ("soy asegurado de essalud, puedo atenderme?", None),
        ("mi nombre es rosa elvira quispe, deseo una cita con ginecologia", "Rosa Elvira Quispe"),
    ],
)
def test_a_condition_is_no_name_and_a_request_ends_one(text, name):
    assert nlu.extract_name(text) == name


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        ("necesito una ecografia", None),
        ("quisiera hacerme unos analisis de sangre", None),
        ("me tienen que hacer una mamografia", None),
        ("me han dicho que vaya al urologo", "Clínica médica"),
        ("me duele el oido y lo tengo tapado", "Clínica médica"),
    ],
)
def test_a_study_or_a_referral_asks_for_a_turno(demo_clinic, clock, text, suggested):
    from appointments.models import Appointment

    chat = Chat(demo_clinic)
    chat.say(text)
    assert nlu.BOOK in nlu.detect_intents(text)
    # What the clinic lacks is never booked: its alternative is offered when it has one.
    wanted = specialty(suggested).pk if suggested else None
    assert chat.state.booking.specialty_id == wanted, chat
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("text", "not_intent"),
    [
        ("tengo un lunar que ha cambiado de color", nlu.RESCHEDULE),  # the mole changed, not the turno
        ("habla juan carlos huaman, quiero una cita con el traumatologo", nlu.TRANSFER),  # a surname
        ("me tienen que hacer una mamografia", nlu.ASK_SPECIALTIES),  # an obligation, no question
    ],
)
def test_words_that_looked_like_another_request(text, not_intent):
    assert not_intent not in nlu.detect_intents(text)


# --- round 3e (bench/data/dev_first_messages_r3e.txt) ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "mi hija tiene tos hace una semana",  # a son or daughter with a symptom
        "el botija tiene tos hace una semana",  # Uruguay, any determiner before the child word
        "la guagua tiene diarrea y no recibe leche",  # Chile
        "el guambra tiene fiebre",  # Ecuador
        "el carajito tiene una tos que no se le quita",  # Venezuela
        "mi cabro chico tiene tos y mocos",  # Chile
        "el nene se quema de fiebre",
        "mi menor tiene fiebre alta y dolor de oido",  # an ear complaint of a child, no otorrino
        "mi nene tiene fiebre y le duelen los oidos, me das un turno con la pediatra?",
    ],
)
def test_a_childs_symptoms_are_the_pediatricians(demo_clinic, text):
    assert [s.name for s in find_specialties(clinic=demo_clinic, text=text)] == ["Pediatría"]
    assert find_missing_service(clinic=demo_clinic, text=text) is None


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("teneis logopeda para mi hijo?", "Fonoaudiología"),  # the service named stays asked for
        ("tenes turno para la fono? mi hijo no pronuncia bien", "Fonoaudiología"),  # Argentina's "la fono"
        ("me duele el oido desde ayer", "Otorrinolaringología"),
    ],
)
def test_a_missing_service_named_or_alone_is_still_asked_for(demo_clinic, text, missing):
    assert find_missing_service(clinic=demo_clinic, text=text).name == missing


@pytest.mark.parametrize(
    ("text", "wanted"),
    [("mi hijo tiene treinta años y le duele la espalda", ["Traumatología"]), ("mi hija tiene turno el jueves?", [])],
)
def test_a_grown_son_or_a_question_about_a_turno_is_no_child(demo_clinic, text, wanted):
    assert [s.name for s in find_specialties(clinic=demo_clinic, text=text)] == wanted


def test_a_symptom_of_a_missing_service_yields_to_a_specialty_named(demo_clinic):
    text = "me viene doliendo el oido, quiero un turno con el clinico"
    assert find_missing_service(clinic=demo_clinic, text=text) is None
    assert [s.name for s in find_specialties(clinic=demo_clinic, text=text)] == ["Clínica médica"]


@pytest.mark.parametrize(
    "text", ["me da el fono de la clinica para llamar", "cual es el fono para pedir hora?", "mi fono es 9 8765 4321"]
)
def test_chiles_fono_is_the_phone_not_fonoaudiologia(demo_clinic, text):
    assert find_missing_service(clinic=demo_clinic, text=text) is None
    assert nlu.find_common_specialty(text) is None
    assert nlu.extract_document_number(text) is None  # nine digits of a phone are no document


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("necesito cita porque me salio un nacido en la espalda", "Dermatología"),  # Colombia's boil
        ("me salieron barros en la cara", "Dermatología"),  # Mexico
        ("tengo la tension por las nubes", "Cardiología"),  # Spain
        ("queria cita a primera hora del jueves con el de cabecera", "Clínica médica"),
    ],
)
def test_round_3e_lay_words_for_a_specialty(demo_clinic, text, wanted):
    assert [s.name for s in find_specialties(clinic=demo_clinic, text=text)] == [wanted]


@pytest.mark.parametrize(
    ("text", "tuesday", "saturday"),
    [
        ("el lunes que viene no, el otro", dt.date(2026, 12, 14), dt.date(2026, 12, 14)),
        ("el lunes que viene no puedo, dame el otro lunes", dt.date(2026, 12, 14), dt.date(2026, 12, 14)),
        ("este viernes no, el siguiente", dt.date(2026, 12, 11), dt.date(2026, 12, 18)),
        ("quiero turno para el finde con el dentista", dt.date(2026, 12, 5), dt.date(2026, 12, 12)),
        ("me duele una muela desde el finde", None, None),  # a past weekend
        ("ocupo cita ahorita en la tarde", dt.date(2026, 12, 1), dt.date(2026, 12, 5)),
        ("ahorita no, gracias", None, None),
        ("¿estan abiertos ahorita?", None, None),  # about the hours, not a day
    ],
)
@pytest.mark.parametrize("clock", CLOCKS)
def test_days_said_as_people_say_them(text, tuesday, saturday, clock):
    assert nlu.extract_when(text, now=NOW[clock]).date == (tuesday if clock == "tuesday" else saturday)


@pytest.mark.parametrize("clock", CLOCKS)
def test_pa_la_tarde_is_the_afternoon(clock):
    assert nlu.extract_when("hay hora pa la tarde?", now=NOW[clock]).part_of_day == nlu.AFTERNOON


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("habla jesus cruz, ocupo cita con el traumatologo", "Jesus Cruz"),  # "ocupo" ends the name
        ("soy maria de la paz, me das un turno", "Maria de la Paz"),
        ("me atienden si soy derechohabiente del imss", None),
        ("soy de rosario y necesito un turno", None),
    ],
)
def test_any_request_ends_a_name_and_a_beneficiary_is_none(text, name):
    assert nlu.extract_name(text) == name


@pytest.mark.parametrize(
    ("text", "coverage"),
    [
        ("atienden con el iess?", "IESS"),
        ("soy socio de casmu", "CASMU"),
        ("tengo seguros caracas", "Seguros Caracas"),
        ("tengo el sis", "SIS"),
        ("quiero pedir hora con medicina general", None),  # "general" is no slip of "Generali"
    ],
)
def test_coverages_of_ecuador_uruguay_venezuela_and_peru(text, coverage):
    assert nlu.find_common_coverage(text) == coverage
