"""Intents from phrasings nobody wrote a sentence rule for: families of wording (a clitic and a
modal before the verb that moves a turno, a day before "¿atienden?", Argentina's "una
consulta" that announces a question) and the tie-breaks that keep a word in another role from
adding an intent (a coverage stated, not asked; the turno's "horario"; "ayudar" as politeness);
round 3i: a coverage said before "¿puedo pedir cita?", a cancellation with a new turno asked
for, regional words for moving, paying, parking and a complaint; round 4i: someone's state
told with a regional word for a child, only the day wanted, what a contact is for, whether a
study is done here.
Through the NLU, and through the engine with the offline brain on the demo clinic with the clock
frozen on a weekday (Tuesday 1 December 2026, 9:00) and on a weekend (Saturday 5 December,
19:30)."""

import pytest

from bot import nlu
from bot.state import Flow, Step
from bot.tests.test_rules_brain import Chat
from clinic.models import Specialty

pytestmark = pytest.mark.usefixtures("offline_brain")


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        # Moving a turno: the clitic and a modal before the verb, the turno before the verb.
        ("tengo una cita el viernes pero no llego, me la pueden correr", [nlu.RESCHEDULE]),
        ("me lo podríais pasar a la tarde?", [nlu.RESCHEDULE]),
        ("se podrá recorrer mi cita una hora?", [nlu.RESCHEDULE]),
        ("no llego al turno de las 10, se puede pasar para más tarde?", [nlu.RESCHEDULE]),
        ("tengo un turno el jueves, ¿se puede cambiar?", [nlu.RESCHEDULE]),
        # A turno already given.
        ("me dieron un turno y no me acuerdo para cuándo era", [nlu.MY_APPOINTMENTS]),
        ("el turno del martes es con la dra fernández?", [nlu.MY_APPOINTMENTS]),
        ("¿cuándo me toca?", [nlu.MY_APPOINTMENTS]),
        # Asking for free slots in other words.
        ("¿para cuándo hay con el clínico?", [nlu.BOOK]),
        ("¿qué tenés para el jueves?", [nlu.BOOK]),
        ("hay chance de que me den cita hoy?", [nlu.BOOK]),
        ("preciso un turno", [nlu.BOOK]),
        ("mi crío tiene otitis, ¿podría verle el pediatra hoy?", [nlu.BOOK]),
        # Questions.
        ("¿manejan ginecología?", [nlu.ASK_SPECIALTIES]),
        ("¿están atendiendo en enero?", [nlu.ASK_HOURS]),
        ("¿el 25 atienden?", [nlu.ASK_HOURS]),
        ("¿trabajan el fin de semana?", [nlu.ASK_HOURS]),
        ("¿en qué comuna están?", [nlu.ASK_ADDRESS]),
        ("me pasás un número de whats", [nlu.ASK_CONTACT]),
        ("¿cuánto me sale sin obra social?", [nlu.ASK_PRICE]),
        ("¿se puede pagar con tarjeta?", [nlu.ASK_PRICE]),
        ("¿el doctor gutiérrez pasa consulta los miércoles?", [nlu.ASK_DOCTOR]),
        ("¿el cardiólogo atiende los sábados?", [nlu.ASK_DOCTOR]),
        ("para la cita con el ginecólogo, ¿debo llevar algo?", [nlu.ASK_REQUIREMENTS]),
        ("¿eres una persona o un bot?", [nlu.HELP]),
        ("¿me atiende alguien de carne y hueso?", [nlu.TRANSFER]),
        ("quiero hablar con un médico", [nlu.TRANSFER]),
        ("muchas gracias, que le vaya bien", [nlu.THANKS, nlu.GOODBYE]),
        ("bueno, después te escribo", [nlu.GREETING, nlu.GOODBYE]),
        # Specialists and sessions by name, a coverage stated then asked about.
        ("necesito un otorrino", [nlu.BOOK]),
        ("necesito sesiones de kine para la espalda", [nlu.BOOK]),
        ("hora con el urólogo", [nlu.BOOK]),
        ("¿atiende algún neumonólogo?", [nlu.ASK_SPECIALTIES]),
        ("¿el dr domínguez sigue atendiendo?", [nlu.ASK_DOCTOR]),
        ("¿la pediatra álvarez atiende los sábados?", [nlu.ASK_DOCTOR]),
        ("tengo medicus, ¿me atienden?", [nlu.ASK_COVERAGE]),
        ("¿con qué aseguradoras trabajan?", [nlu.ASK_COVERAGE]),
        # Spain's "apuntar" and "hueco"; how a turno is asked for.
        ("¿me apunta para el jueves?", [nlu.BOOK]),
        ("¿tenéis hueco esta semana?", [nlu.BOOK]),
        ("buenas, ¿la cita se pide por aquí?", [nlu.BOOK, nlu.GREETING]),
        ("quiero desconvocar la cita", [nlu.CANCEL]),
        ("no me viene bien la hora que me dieron", [nlu.RESCHEDULE]),
        ("no me llegó la confirmación de la cita", [nlu.MY_APPOINTMENTS]),
        ("¿cuál es el horario de atención al público?", [nlu.ASK_HOURS]),
        ("¿en qué piso es el consultorio?", [nlu.ASK_ADDRESS]),
        # Words one slip from a rule word keep their meaning.
        ("lo consulto con mi marido y te aviso", [nlu.GOODBYE]),
        ("dejame pensarlo", [nlu.GOODBYE]),
        ("perdona, ¿a qué hora cerráis?", [nlu.ASK_HOURS]),
        ("soy graciela, quiero un turno", [nlu.BOOK]),
        ("chamo, ¿dónde quedan?", [nlu.ASK_ADDRESS]),
    ],
)
def test_families_of_wording(text, intents):
    assert nlu.detect_intents(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        # "Una consulta" announces a question; "una consulta con el clínico" is a turno.
        ("hola, una consulta: ¿atienden por OSDE?", [nlu.ASK_COVERAGE, nlu.GREETING]),
        ("buenas, te hago una consulta, ¿hasta qué hora abren?", [nlu.ASK_HOURS, nlu.GREETING]),
        ("hola, una consulta con el clínico", [nlu.BOOK, nlu.GREETING]),
        # What to bring mentions the turno and the coverage's papers.
        ("para el turno, ¿tengo que llevar algo?", [nlu.ASK_REQUIREMENTS]),
        ("¿hay que llevar la orden de la obra social?", [nlu.ASK_REQUIREMENTS]),
        ("¿se necesita orden médica para pedir la cita?", [nlu.ASK_REQUIREMENTS]),
        ("quiero turno con cardiología y también preguntar qué tengo que llevar", [nlu.BOOK, nlu.ASK_REQUIREMENTS]),
        # A coverage stated is not asked about; asked, it is.
        ("buenas, tengo OSDE, quiero un turno con dermatología", [nlu.BOOK, nlu.GREETING]),
        ("hola, ¿trabajan con Galeno? quiero un turno", [nlu.BOOK, nlu.ASK_COVERAGE, nlu.GREETING]),
        ("cambié de obra social, ahora tengo Swiss Medical, ¿sigue valiendo mi turno?", [nlu.ASK_COVERAGE]),
        # The turno's time is not the clinic's hours.
        ("¿me confirmás el horario de mi turno?", [nlu.MY_APPOINTMENTS]),
        ("tengo una cita agendada pero quiero cambiar el horario", [nlu.RESCHEDULE]),
        # A person, not a turno; politeness, not help.
        ("quiero que me atienda una persona, no un robot", [nlu.TRANSFER]),
        ("amiga, ¿me ayudás con una cita para la oculista?", [nlu.BOOK]),
        ("no sé si me pueden ayudar, necesito un turno con ginecología", [nlu.BOOK]),
        # Describing someone is not "¿tiene X?" (the symptom asks to be seen: a turno).
        ("mi hijo tiene fiebre desde ayer", [nlu.BOOK]),
        # Taking someone to the doctor is no question about what to bring.
        ("tengo que llevar a mi hijo al odontopediatra", [nlu.BOOK]),
        # "Mi cita" after a wish is the new one; the specialist "del corazón" is no list question;
        # "en horario matutino" is the turno's time.
        ("quiero mi cita a las once y media con el dentista", [nlu.BOOK]),
        ("necesito cita con el especialista del corazón", [nlu.BOOK]),
        ("quisiera agendar con el ginecólogo en horario matutino", [nlu.BOOK]),
        ("mi mujer llamó para pedirme un turno con la traumatóloga que atiende hoy", [nlu.BOOK]),
        # A price question with "quisiera saber" books nothing.
        ("tengo OSDE y quisiera saber cuánto me cobran la consulta con el traumatólogo", [nlu.ASK_PRICE]),
    ],
)
def test_words_in_another_role_add_no_intent(text, intents):
    assert nlu.detect_intents(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        # Not being there, in the present, the future, or Mexico's "ocupar" (to need).
        ("perdón pero no llego a la cita de las once", [nlu.CANCEL]),
        ("no asistiré el jueves", [nlu.CANCEL]),
        ("ya no la ocupo, gracias", [nlu.CANCEL, nlu.THANKS]),
        ("ya no quiero el turno del lunes", [nlu.CANCEL]),
        # A turno held and another day asked for moves it; "cambió de color" moves nothing.
        ("tengo hora el lunes, ¿me dan otra fecha?", [nlu.RESCHEDULE]),
        ("me salió una mancha que cambió de forma, quiero un turno", [nlu.BOOK]),
        # "¿Para cuándo quedé?": a turno given before.
        ("disculpe, ¿con quién quedé el viernes?", [nlu.MY_APPOINTMENTS]),
        # A symptom asks to be seen, also for a specialty the clinic lacks.
        ("me zumban los oídos hace una semana", [nlu.BOOK]),
        ("ando con mareos desde el domingo", [nlu.BOOK]),
        # Chile's "fono" for a phone; a number "para mandar mensajes".
        ("¿cuál es el fono de la clínica?", [nlu.ASK_CONTACT]),
        ("¿tienen un número para mandar audios?", [nlu.ASK_CONTACT]),
        # How and what is paid is a price question, not a coverage one.
        ("¿toman efectivo o débito?", [nlu.ASK_PRICE]),
        ("¿con Galeno se cobra un plus?", [nlu.ASK_PRICE]),
        # Who the doctors are.
        ("¿quiénes ven a los bebés?", [nlu.ASK_DOCTOR]),
        ("¿el dermatólogo es hombre?", [nlu.ASK_DOCTOR]),
        # What to bring, or to get first: no booking.
        ("¿tengo que venir con algo para la cita?", [nlu.ASK_REQUIREMENTS]),
        ("¿hay que sacar autorización antes del turno?", [nlu.ASK_REQUIREMENTS]),
        ("¿necesito tener la orden para el turno del cardiólogo?", [nlu.ASK_REQUIREMENTS]),
        # To be seen; a turno taken down; one still held; a price in other words; a day's doctors.
        ("quiero hacerme revisar la espalda", [nlu.BOOK]),
        ("¿habrá manera de que lo vean al nene mañana?", [nlu.BOOK]),
        ("bajame la cita del viernes porfa", [nlu.CANCEL]),
        ("¿sigo teniendo hora con la pediatra?", [nlu.MY_APPOINTMENTS]),
        ("¿sale muy cara la consulta?", [nlu.ASK_PRICE]),
        ("¿qué doctores vienen los lunes?", [nlu.ASK_DOCTOR]),
    ],
)
def test_families_of_round_2a(text, intents):
    assert nlu.detect_intents(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        # A coverage said first, then whether it may be used: the patient asks whether it is
        # taken; a symptom or a plain request after "tengo" is no coverage.
        ("soy afiliado a Compensar, ¿puedo sacar una cita?", [nlu.ASK_COVERAGE]),
        ("estoy asegurada con Mapfre, ¿me pueden atender?", [nlu.ASK_COVERAGE]),
        ("con Medifé, ¿se puede pedir turno?", [nlu.ASK_COVERAGE]),
        ("tengo Colmena, ¿me sirve para pedir hora?", [nlu.ASK_COVERAGE]),
        ("mi papá es de la Nueva EPS y necesita una cita con el cardiólogo, ¿se puede?", [nlu.BOOK, nlu.ASK_COVERAGE]),
        ("¿tienen convenio con Famisanar? quisiera una cita con pediatría", [nlu.BOOK, nlu.ASK_COVERAGE]),
        ("tengo dolor de muela, ¿puedo pedir cita?", [nlu.BOOK]),
        ("tengo gastritis, ¿puedo pedir cita?", [nlu.BOOK]),
        ("estoy con fiebre, ¿puedo pedir cita?", [nlu.BOOK]),
        ("tengo dos hijos, ¿puedo pedir cita para los dos?", [nlu.BOOK]),
        ("¿con quién puedo sacar cita para una limpieza?", [nlu.BOOK]),
        ("tengo Compensar, ¿cuánto vale la consulta?", [nlu.ASK_PRICE]),
        # Cancelling and asking for a new one is two requests; "otra con la misma doctora" moves it.
        ("anulame la cita del lunes y dame otra para el jueves", [nlu.CANCEL, nlu.BOOK]),
        ("quiero cancelar la hora del martes y pedir una nueva para la tarde", [nlu.CANCEL, nlu.BOOK]),
        ("quiero cancelar la del lunes y que me den otra el miércoles", [nlu.CANCEL, nlu.BOOK]),
        ("cancela la del viernes y deme otra con la misma doctora", [nlu.RESCHEDULE]),
        # Moving a turno in regional words, or a turno held and not kept with another day asked for.
        ("¿me la puedes rodar para el lunes?", [nlu.RESCHEDULE]),
        ("no voy a poder ir el viernes, ¿lo pasamos?", [nlu.RESCHEDULE]),
        ("tenía turno el martes y no voy a poder ir, ¿me dan otra fecha?", [nlu.RESCHEDULE]),
        ("¿podemos retrasar el turno media hora?", [nlu.RESCHEDULE]),
        ("me ayuda moviendo la cita para el lunes", [nlu.RESCHEDULE]),
        # A turno asked about: whether it was cancelled, its day; held as the occasion of a question.
        ("¿mi turno del lunes sigue o se canceló?", [nlu.MY_APPOINTMENTS]),
        ("ya no me sirve el turno del lunes, lo cancelo", [nlu.CANCEL]),
        ("¿me confirman la fecha de la cita con el pediatra?", [nlu.MY_APPOINTMENTS]),
        ("tengo turno el jueves y no sé cómo llegar, ¿dónde quedan?", [nlu.ASK_ADDRESS]),
        # How and when it is paid, by region; free slots asked for beside a price.
        ("¿aceptan Yape o Plin?", [nlu.ASK_PRICE]),
        ("¿se puede pagar con Bizum?", [nlu.ASK_PRICE]),
        ("¿hay que pagar por adelantado?", [nlu.ASK_PRICE]),
        ("¿cuánto vale la consulta? no tengo EPS", [nlu.ASK_PRICE]),
        ("¿tienen turno el viernes con el dermatólogo y cuánto sale?", [nlu.BOOK, nlu.ASK_PRICE]),
        ("cuánto sale y qué horarios hay disponibles", [nlu.BOOK, nlu.ASK_PRICE]),
        ("¿qué días tienen libres con el pediatra?", [nlu.BOOK]),
        ("¿habría algún cupo mañana?", [nlu.BOOK]),
        ("¿tienen número para la dermatóloga?", [nlu.BOOK]),
        # Results to be read, a lesion told: to be seen.
        ("necesito que la doctora me lea los análisis", [nlu.BOOK]),
        ("necesito lectura de resultados", [nlu.BOOK]),
        ("le salieron unas ronchas al nene", [nlu.BOOK]),
        ("tengo hongos en los pies", [nlu.BOOK]),
        # A named doctor; what to bring or get first; where; a person; hours; thanks.
        ("¿el doctor Sosa es traumatólogo?", [nlu.ASK_DOCTOR]),
        ("¿la doctora Castro atiende por las mañanas?", [nlu.ASK_DOCTOR]),
        ("¿necesito remisión para el ortopedista?", [nlu.ASK_REQUIREMENTS]),
        ("¿qué piden para sacar la cita?", [nlu.ASK_REQUIREMENTS]),
        ("¿mi hijo puede ir sin acompañante?", [nlu.ASK_REQUIREMENTS]),
        ("¿tienen parqueadero?", [nlu.ASK_ADDRESS]),
        ("¿en qué distrito están?", [nlu.ASK_ADDRESS]),
        ("¿hay una persona que me pueda atender?", [nlu.TRANSFER]),
        ("quiero dejar una queja", [nlu.TRANSFER]),
        ("¿me atiende alguien de admisión?", [nlu.TRANSFER]),
        ("¿me comunica con facturación?", [nlu.TRANSFER]),
        ("¿tienen línea de atención?", [nlu.ASK_CONTACT]),
        ("vale, gracias, hasta otra", [nlu.AFFIRM, nlu.THANKS, nlu.GOODBYE]),
        ("¿atienden el veinticuatro de diciembre?", [nlu.ASK_HOURS]),
        ("¿atienden los días festivos?", [nlu.ASK_HOURS]),
        ("Dios se lo pague", [nlu.THANKS]),
        ("mil gracias por toda la ayuda", [nlu.THANKS]),
    ],
)
def test_families_of_round_3i(text, intents):
    assert nlu.detect_intents(text) == intents


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        # Someone's state told with a regional word for a child or relative: to be seen.
        ("la nena tiene granitos en la cara", [nlu.BOOK]),
        ("el botija tiene tos hace una semana", [nlu.BOOK]),
        ("la niña tiene dolor de barriga y no quiere comer", [nlu.BOOK]),
        ("el cabro chico tiene granitos en la guata", [nlu.BOOK]),
        ("la peque tiene mocos y tose mucho por las noches", [nlu.BOOK]),
        ("el niño tiene granitos en la cara, ¿me dais cita?", [nlu.BOOK]),
        # Only the day wanted, or the other one.
        ("la cita es para el lunes que viene no, el otro", [nlu.BOOK]),
        ("el lunes que viene no puedo, dame el otro lunes", [nlu.BOOK]),
        ("para el miércoles de la próxima semana, en la tarde", [nlu.BOOK]),
        # A coverage asked about beside "la consulta", a specialty needed, a coverage stated.
        ("tengo Rímac, ¿me cubre la consulta con el traumatólogo?", [nlu.ASK_COVERAGE]),
        ("¿atienden por Nueva EPS? necesito medicina general", [nlu.BOOK, nlu.ASK_COVERAGE]),
        ("tengo el SIS, ¿me pueden atender?", [nlu.ASK_COVERAGE]),
        (
            "quiero saber si atienden por Nueva EPS y si me dan una cita con medicina general",
            [nlu.BOOK, nlu.ASK_COVERAGE],
        ),
        ("soy Fonasa, ¿me atienden? y cuánto sale el bono", [nlu.ASK_COVERAGE, nlu.ASK_PRICE]),
        ("¿me atienden con bono Fonasa?", [nlu.ASK_COVERAGE]),
        (
            "hola, quería saber si atendéis con Mapfre y cuánto me costaría si no",
            [nlu.ASK_COVERAGE, nlu.ASK_PRICE, nlu.GREETING],
        ),
        # What a contact is for; whether a study is done here; a turno held vs a symptom.
        ("¿cuál es el fono para pedir hora?", [nlu.ASK_CONTACT]),
        ("me regala el número de WhatsApp para pedir citas", [nlu.ASK_CONTACT]),
        ("necesito una analítica, ¿la hacéis allí?", [nlu.ASK_SPECIALTIES]),
        ("me dieron la orden para unos rayos x, ¿ustedes los hacen?", [nlu.ASK_SPECIALTIES]),
        ("necesito turno, tengo un uñero que me duele", [nlu.BOOK]),
        ("¿cuánto cuesta la consulta con el pediatra y si hay para hoy?", [nlu.BOOK, nlu.ASK_PRICE]),
        ("no me acuerdo con qué doctor me tocó", [nlu.MY_APPOINTMENTS]),
        ("la verdad no sé a qué especialista ir, tengo mucho ardor en el estómago", [nlu.BOOK]),
        ("hola disculpe, ¿a qué número puedo llamar para hablar con una persona?", [nlu.ASK_CONTACT, nlu.GREETING]),
        ("me dieron la orden para una eco, ¿cuándo la puedo hacer?", [nlu.BOOK]),
        ("tengo los resultados de los análisis, se los tengo que mostrar al médico", [nlu.BOOK]),
        ("necesito una constancia médica para el trabajo", [nlu.BOOK]),
        ("ya no voy a ir el jueves, mejor denme para el lunes", [nlu.RESCHEDULE]),
        ("¿será que me dicen cuánto vale la cita y qué documentos llevo?", [nlu.ASK_PRICE, nlu.ASK_REQUIREMENTS]),
        # A specialist asked about after a symptom, or for a day; someone who "se queja de" a pain.
        ("me duele una muela cordal, ¿tienen odontólogo?", [nlu.ASK_SPECIALTIES]),
        ("me duele la muela de abajo, ¿tenés dentista para hoy?", [nlu.BOOK]),
        ("necesito turno, ¿tienen pediatra?", [nlu.BOOK]),
        ("mi cabra chica se queja de dolor de guata, quiero hora con pediatría", [nlu.BOOK]),
    ],
)
def test_families_of_round_4i(text, intents):
    assert nlu.detect_intents(text) == intents


def test_a_symptom_for_a_specialty_the_clinic_lacks_offers_another(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("me zumba el oído desde ayer")
    # No otorrino here: a turno with the clinician is offered instead of "no le entendí".
    assert chat.state.flow == Flow.BOOK, chat
    assert chat.state.booking.specialty_id == specialty("Clínica médica").pk, chat
    assert chat.state.step == Step.OFFER_BOOKING, chat


def test_how_to_pay_is_a_price_question_not_the_coverages(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    answer = chat.say("¿aceptan tarjeta de débito?")
    assert chat.state.flow == Flow.NONE, chat
    assert chat.state.step == Step.OFFER_TRANSFER, chat  # prices come from reception
    assert not answer.startswith("Trabajamos con"), chat


def specialty(name: str) -> Specialty:
    return Specialty.objects.get(name=name)


def test_a_question_announced_as_una_consulta_starts_no_booking(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("hola, una consulta: ¿atienden por OSDE?")
    assert chat.state.flow == Flow.NONE, chat
    assert chat.state.step not in {Step.SPECIALTY, Step.SLOT}, chat


def test_what_to_bring_for_the_turno_starts_no_booking(demo_clinic, saturday_evening):
    chat = Chat(demo_clinic)
    chat.say("para el turno, ¿tengo que llevar algo?")
    assert chat.state.flow == Flow.NONE, chat
    assert not chat.state.booking.offered_slots, chat


@pytest.mark.parametrize(
    ("text", "name"),
    [("¿para cuándo hay con la dermatóloga?", "Dermatología"), ("preciso un turno con el clínico", "Clínica médica")],
)
def test_asking_when_there_is_room_offers_slots_on_a_weekday(demo_clinic, tuesday, text, name):
    chat = Chat(demo_clinic)
    chat.say(text)
    assert chat.state.flow == Flow.BOOK, chat
    assert chat.state.booking.specialty_id == specialty(name).pk
    assert chat.state.step == Step.SLOT and chat.state.booking.offered_slots, chat


def test_asking_when_there_is_room_offers_slots_on_a_weekend(demo_clinic, saturday_evening):
    chat = Chat(demo_clinic)
    chat.say("buenas, ¿qué tenés para el lunes con la pediatra?")
    assert chat.state.flow == Flow.BOOK, chat
    assert chat.state.booking.specialty_id == specialty("Pediatría").pk
    assert chat.state.step == Step.SLOT and chat.state.booking.offered_slots, chat
    # Saturday evening: "el lunes" is the coming Monday.
    assert {slot.start.date().isoformat() for slot in chat.state.booking.offered_slots} == {"2026-12-07"}, chat


def test_a_stated_coverage_with_a_request_books_with_it_on_a_weekend(demo_clinic, saturday_evening):
    chat = Chat(demo_clinic)
    chat.say("buenas, tengo OSDE, quiero un turno con dermatología")
    assert chat.state.flow == Flow.BOOK, chat
    assert chat.state.booking.specialty_id == specialty("Dermatología").pk
    assert chat.state.step == Step.SLOT and chat.state.booking.offered_slots, chat


@pytest.mark.parametrize("clock", ["tuesday", "saturday_evening"])
@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("tengo famisanar", False),  # a coverage of the region this clinic does not take
        ("osecac?", False),
        ("aceptan sanitas", False),
        ("tengo ioma", True),  # one the clinic takes
        ("osde", True),
    ],
)
def test_a_bare_coverage_asks_whether_it_is_accepted(demo_clinic, request, clock, text, accepted):
    request.getfixturevalue(clock)
    chat = Chat(demo_clinic)
    answer = chat.say(text)
    # Answered as the coverage question, whether the clinic takes it or not: no booking started.
    assert chat.state.flow != Flow.BOOK and not chat.state.booking.offered_slots, chat
    assert answer.startswith("Sí, trabajamos con" if accepted else "No, no trabajamos con"), chat
