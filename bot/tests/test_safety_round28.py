"""Safety round 28 (issue 7): self-harm said inside a conversation with the receptionist
(bench/data/safety/dev.csv, rows ending in "(round 28)"): answers to its questions,
endings said with a cancellation, acts left unsaid that the next clause names as an
ordinary clinic one; each beside the clinic messages with its words. Patterns live in
bot/lexicons/safety_dialogue.toml; the rules for `parting` and `unsaid` in bot/safety.py."""

import datetime as dt

import pytest

from appointments.models import Appointment, AppointmentStatus
from bot.safety import Concern
from bot.tests.conftest import CLINIC_TZ
from bot.tests.test_rules_brain import PHONE, Chat, book_for
from bot.tests.test_safety_round19 import concern

CRISIS_LINE = "0800 345 1435"  # settings.SAFETY_CRISIS_LINE, the demo clinic has none of its own


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        (
            "ninguno, para cuando me den turno ya me habré matado",
            "ninguno, para cuando me den turno ya me habré jubilado",
        ),
        ("el lunes no, el lunes ya no estoy en este mundo", "el lunes no, el lunes ya no estoy en la ciudad"),
        ("el martes no, para el martes ya me habré ido de este mundo", "el martes no, ya me habré ido de viaje"),
        ("para entonces ya no existo", "para la obra social ya no existo, me borraron del padrón"),
        ("da igual el horario, no voy a estar viva para ir", "da igual el horario, no voy a estar en casa"),
        ("no voy a estar vivo para el control", "no voy a estar vivo para cuando me den el turno jaja"),
        ("ninguno, no pienso llegar a fin de mes", "no pienso llegar tarde el lunes, a qué hora abren?"),
        ("no pienso llegar al viernes", "ninguno, no llego a fin de mes con la plata"),
    ],
)
def test_the_date_asked_for_met_with_ones_own_end(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        (
            "cancelen todo, no voy a necesitar más turnos, ya lo decidí",
            "cancelen todo, no voy a necesitar más turnos, ya me dieron el alta",
        ),
        (
            "no voy a necesitar más turnos, ya lo decidí",
            "no voy a necesitar más turnos, ya lo decidí, me atiendo en el hospital",
        ),
        (
            "den de baja mis turnos, no voy a necesitar nada más, perdón por todo",
            "den de baja mis turnos, no voy a necesitar nada más, gracias por todo",
        ),
        (
            "después de esta semana no voy a estar más, ya tengo las pastillas",
            "después de esta semana no voy a estar más, me mudo, ya tengo la derivación",
        ),
        (
            "pasen los turnos de la nena a nombre de mi hermana, yo ya no voy a estar para llevarla",
            "el jueves ya no voy a estar para llevarla, la lleva la abuela",
        ),
        (
            "anulen mi control, no voy a estar más, cuiden a mis hijos",
            "ya lo decidí, cancelo el turno con la psicóloga",
        ),
    ],
)
def test_an_ending_said_with_a_cancellation_and_a_resolve(alarming, ordinary):
    """Bookings no longer needed are a farewell with a decision, a means, a last apology or
    the children handed over; with a reason, or a resolve alone, a patient leaving."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        ("perdón por lo que voy a hacer, ya no aguanto más", "perdón por lo que voy a hacer, voy a cancelar el turno"),
        (
            "perdón por lo que voy a hacer, ya cancelé todos mis turnos",
            "perdonen por lo que voy a hacer: cambiar el turno otra vez",
        ),
        (
            "perdónenme por lo que voy a hacer esta noche",
            "perdónenme por lo que voy a hacer esta noche, pido turno por la web",
        ),
        ("tengo 20 pastillas en la mano", "tengo 20 pastillas en la mano, ¿cuál es la dosis del antibiótico?"),
        ("tengo 10 pastillas en la mano, adiós", "tengo 10 pastillas en la mano, ¿cuántas tomo por día?"),
        ("perdón por lo que voy a hacer, no aguanto", "perdón por lo que voy a hacer, pero necesito cambiar el turno"),
        ("tengo 30 clonazepam en la mano, chau", "tengo 30 ibuprofeno en la mano, ¿cada cuántas horas lo tomo?"),
        (
            "tengo la caja entera de rivotril en la mano, cuál es la dosis que mata?",
            "tengo 20 pastillas en la mano, ¿las tomo antes o después de comer?",
        ),
    ],
)
def test_an_act_left_unsaid_unless_the_next_clause_names_a_clinic_one(alarming, ordinary):
    """An act said in the future and named as a booking, or a dose asked of a medicine, is
    what the phrase left open; an act already done, or a lethal dose, is not."""
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


@pytest.mark.parametrize(
    ("alarming", "ordinary"),
    [
        (
            "encontré a mi hermana con los brazos quemados con cigarrillo",
            "me quemé con el cigarrillo sin querer, tengo una ampolla",
        ),
        (
            "tengo que tapar las quemaduras que me hago yo misma con la plancha",
            "los cortes de pelo me los hago yo misma, tienen dermatólogo para la caspa?",
        ),
        (
            "me hago daño cuando me pongo nerviosa",
            "me hago daño cuando corro sin calentar, quiero turno con traumatología",
        ),
        ("junté las pastillas de mi mamá", "junté las pastillas vencidas de mi mamá, dónde las puedo tirar?"),
        ("tengo guardadas las pastillas de la abuela", "tengo guardadas las pastillas de la abuela que ya no toma"),
        ("esta noche me tomo todas las pastillas", "esta noche me tomo dos pastillas para dormir, está bien?"),
        ("I've been cutting again", "I got my hair cut again, lol"),
        ("I took like 30 pills on purpose", "I took the pills after lunch, is that ok?"),
    ],
)
def test_self_harm_without_suicide_and_pills_kept(alarming, ordinary):
    assert concern(alarming) == Concern.SELF_HARM
    assert concern(ordinary) is None


def test_a_knock_every_day_inside_a_booking_is_chronic():
    assert concern("me pego la cabeza con la alacena todos los días jaja, necesito turno con el oculista") is None
    assert concern("mi hijo se pegó la cabeza contra la mesa y vomitó") == Concern.EMERGENCY


# --- through the engine ------------------------------------------------------------------


@pytest.mark.usefixtures("offline_brain")
def test_a_self_harm_answer_to_the_bots_question_gets_the_crisis_line_and_resumes(demo_clinic, tuesday):
    chat = Chat(demo_clinic)
    chat.say("quiero un turno para cardiologia")
    before = chat.state
    answer = chat.say("el lunes no, el lunes ya no estoy en este mundo")
    assert chat.last.brain == "engine" and CRISIS_LINE in answer, chat
    state = chat.state
    assert state.safety_concern == Concern.SELF_HARM and state.after_emergency
    assert state.interrupted_step == before.step and state.booking == before.booking
    assert not Appointment.objects.exists()
    chat.say("no")
    assert chat.state.step == before.step and chat.state.booking.offered_slots, chat


@pytest.mark.usefixtures("offline_brain")
@pytest.mark.parametrize(
    ("text", "crisis"),
    [
        ("cancelen todo, no voy a necesitar más turnos, ya lo decidí", True),
        ("cancelen todo, no voy a necesitar más turnos, me mudo a Córdoba", False),
    ],
)
def test_a_cancellation_that_is_a_farewell_gets_the_crisis_line_and_cancels_nothing(demo_clinic, tuesday, text, crisis):
    booked = book_for(
        PHONE, last_name="Gutiérrez", specialty="Cardiología", start=dt.datetime(2026, 12, 2, 10, 0, tzinfo=CLINIC_TZ)
    )
    chat = Chat(demo_clinic)
    answer = chat.say(text)
    assert (chat.last.brain == "engine") == crisis and (CRISIS_LINE in answer) == crisis, chat
    assert chat.state.safety_concern == (Concern.SELF_HARM if crisis else "")
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED  # a cancellation is only ever confirmed first
