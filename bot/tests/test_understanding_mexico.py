"""Mexican and Colombian turns of issue 9 found with bench/data/dev_dialogues_mx.txt: "la que
sigue" among the offered slots, "pásemela para el otro martes", a relative named in a
specialty question. Through the engine with the offline brain on the demo clinic, asserting on
the typed state and the database; the clock frozen on a weekday (Tuesday 1 December 2026,
9:00) and on a weekend (Saturday 5 December, 19:30)."""

import datetime as dt

import pytest

from appointments.models import Appointment
from bot.state import Step
from bot.tests.conftest import CLINIC_TZ as TZ
from bot.tests.test_rules_brain import PHONE, Chat, book_for
from bot.tests.test_understanding_patterns import book_through, specialty, starts

pytestmark = pytest.mark.usefixtures("offline_brain")

CLOCKS = ["tuesday", "saturday_evening"]


@pytest.fixture(params=CLOCKS)
def clock(request):
    request.getfixturevalue(request.param)
    return request.param


def test_la_que_sigue_picks_the_next_free_slot_on_offer(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("quiero sacar cita con medicina general")
    first = starts(chat)[0]
    chat.say("la que sigue")
    assert chat.state.step == Step.NAME, chat
    assert chat.state.selected_slot is not None and chat.state.selected_slot.start.astimezone(TZ) == first, chat


def test_la_que_sigue_disponible_asks_for_the_earliest(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("quisiera una cita con traumatologia, la que sigue disponible")
    assert chat.state.booking.specialty_id == specialty("Traumatología").pk, chat
    earliest = starts(chat)[0]
    chat.say("la que sigue")
    chat.say("Ricardo Vázquez")
    chat.say("27888999")
    chat.say("sale")
    assert Appointment.objects.get().start_at.astimezone(TZ) == earliest


def test_pasemela_para_el_otro_martes_moves_it_to_next_weeks_tuesday(demo_clinic, clock):
    chat = Chat(demo_clinic)
    book_for(PHONE, last_name="Castro", specialty="Dermatología", start=dt.datetime(2026, 12, 17, 10, 0, tzinfo=TZ))
    chat.say("buenas tardes tengo una cita con la dermatologa")
    chat.say("pásemela para el otro martes por favor")
    next_tuesday = dt.date(2026, 12, 8)  # next week's from either clock
    assert starts(chat) and {s.date() for s in starts(chat)} == {next_tuesday}, chat
    chat.say("a las diez")  # the day just offered, not today
    chat.say("sí órale")
    moved = Appointment.objects.filter(status="booked").get()
    assert moved.start_at.astimezone(TZ) == dt.datetime.combine(next_tuesday, dt.time(10), tzinfo=TZ)


def test_a_relative_in_a_specialty_question_is_kept_after_the_yes(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("hola, ¿hay pediatra para mi hijo?")
    chat.say("sí")
    assert chat.state.booking.specialty_id == specialty("Pediatría").pk, chat
    assert chat.state.booking.for_whom == "hijo", chat
    book_through(chat, name="Santiago Flores", dni="55222333")
    chat.say("sí")
    assert Appointment.objects.get().patient.full_name == "Santiago Flores"


def test_la_que_sigue_after_a_pick_takes_the_next_free_slot_that_day(demo_clinic, clock):
    chat = Chat(demo_clinic)
    chat.say("hola una cita con dermatologia para el jueves")
    picked = starts(chat)[0]
    chat.say("la primera")
    assert chat.state.step == Step.NAME, chat
    chat.say("la que sigue")
    chosen = chat.state.selected_slot
    assert chosen is not None and chat.state.step == Step.NAME, chat
    assert chosen.start.astimezone(TZ).date() == picked.date() and chosen.start.astimezone(TZ) > picked, chat
    book_through(chat, name="Paola Medina", dni="38999000")
    chat.say("sí")
    assert Appointment.objects.get().start_at == chosen.start
