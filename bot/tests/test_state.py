"""The typed conversation state: rows written before it existed upgrade on load, bad values
are dropped instead of failing a turn, and what is stored is versioned JSON."""

import datetime as dt
import json

import pytest

from appointments.policy import PartOfDay
from bot.models import Conversation
from bot.state import VERSION, ConversationState, Flow, OfferedSlot, Step

UTC = dt.UTC

# A version-1 row as the engine, the tools and the rules brain wrote it: flat string keys.
V1_BOOKING_ROW = {
    "pending": "confirm_booking",
    "specialty_id": 3,
    "doctor_id": 7,
    "requested_date": "2026-12-02",
    "requested_time": "10:00",
    "requested_part_of_day": "morning",
    "offered_slots": [
        {"slot_id": "7-202612021300", "doctor_id": 7, "specialty_id": 3, "start": "2026-12-02T13:00:00+00:00"},
        {"slot_id": "7-202612021330", "doctor_id": 7, "specialty_id": 3, "start": "2026-12-02T13:30:00+00:00"},
    ],
    "selected_slot_id": "7-202612021300",
    "patient_name": "Juan Pérez",
    "document_number": "12345678",
    "code_verification_id": 9,
    "last_booked_appointment_id": 41,
    "voice_silences": 1,
    "model_summary": "pidió cardiología",
}


def test_a_version_1_booking_row_upgrades_to_typed_slots():
    state = ConversationState.load(V1_BOOKING_ROW)

    assert state.version == VERSION
    assert (state.flow, state.step) == (Flow.BOOK, Step.CONFIRM_BOOKING)
    booking = state.booking
    assert (booking.specialty_id, booking.doctor_id) == (3, 7)
    assert booking.requested_date == dt.date(2026, 12, 2) and booking.requested_time == dt.time(10, 0)
    assert booking.requested_part_of_day is PartOfDay.MORNING
    assert [slot.start for slot in booking.offered_slots] == [
        dt.datetime(2026, 12, 2, 13, 0, tzinfo=UTC),
        dt.datetime(2026, 12, 2, 13, 30, tzinfo=UTC),
    ]
    assert state.selected_slot == booking.offered_slots[0]
    assert (booking.patient_name, booking.document_number) == ("Juan Pérez", "12345678")
    assert state.patient.code_verification_id == 9
    assert state.patient.last_booked_appointment_id == 41
    assert state.voice_silences == 1 and state.model_summary == "pidió cardiología"


@pytest.mark.parametrize(
    ("row", "flow", "step", "target", "options"),
    [
        ({"pending": "confirm_cancel", "appointment_flow": "cancel", "target_appointment_id": 5}, Flow.CANCEL,
         Step.CONFIRM_CANCEL, 5, []),
        ({"pending": "choose_appointment", "appointment_flow": "reschedule", "appointment_options": [5, 6]},
         Flow.RESCHEDULE, Step.CHOOSE_APPOINTMENT, None, [5, 6]),
        ({"pending": "identify", "appointment_flow": "list"}, Flow.LIST, Step.IDENTIFY, None, []),
        ({"pending": "anything_else"}, Flow.NONE, Step.ANYTHING_ELSE, None, []),
    ],
)  # fmt: skip
def test_version_1_appointment_flows_upgrade(row, flow, step, target, options):
    state = ConversationState.load(row)
    assert (state.flow, state.step, state.target.appointment_id, state.target.options) == (flow, step, target, options)


def test_the_engines_old_name_for_the_transfer_offer_becomes_the_one_step():
    """v1 had two names for one step: the engine's "confirm_transfer" (after an emergency)
    and the rules brain's "offer_transfer". Both are Step.OFFER_TRANSFER now."""
    state = ConversationState.load({"pending": "confirm_transfer", "pending_before_emergency": "slot"})
    assert state.step == Step.OFFER_TRANSFER and state.interrupted_step == Step.SLOT
    assert state.after_emergency
    assert ConversationState.load({"pending": "offer_transfer"}).step == Step.OFFER_TRANSFER
    assert not ConversationState.load({"pending": "offer_transfer"}).after_emergency


@pytest.mark.parametrize(
    "row",
    [
        None,
        [],
        "pending",
        {"pending": "choose_slot"},  # a step name no version ever had
        {"pending": 3, "specialty_id": "cardiología", "requested_date": "el martes", "voice_silences": "x"},
        {"version": 2, "step": "nope", "booking": "x", "target": {"options": ["a", 2]}},
    ],
)
def test_values_that_do_not_fit_are_dropped_not_raised(row):
    state = ConversationState.load(row)
    assert isinstance(state, ConversationState)
    assert state.step in Step


def test_only_the_bad_offered_slot_is_dropped():
    good = json.loads(json.dumps(V1_BOOKING_ROW["offered_slots"]))
    row = V1_BOOKING_ROW | {"offered_slots": [*good, {"slot_id": "x", "start": "ayer"}, "basura"]}
    state = ConversationState.load(row)
    assert [slot.slot_id for slot in state.booking.offered_slots] == ["7-202612021300", "7-202612021330"]
    assert state.booking.patient_name == "Juan Pérez"


def test_load_does_not_change_the_row_it_reads():
    row = json.loads(json.dumps({"version": 2, "booking": {"offered_slots": [{"slot_id": "bad"}]}}))
    before = json.dumps(row)
    ConversationState.load(row)
    assert json.dumps(row) == before


def test_dump_is_versioned_json_that_loads_back_equal():
    state = ConversationState.load(V1_BOOKING_ROW)
    stored = state.dump()
    assert stored["version"] == VERSION
    assert json.loads(json.dumps(stored)) == stored
    assert ConversationState.load(stored) == state
    assert ConversationState().dump() == {"version": VERSION}  # a fresh state stores nothing else


def test_start_keeps_the_callers_data_and_forgets_the_flow():
    state = ConversationState.load(V1_BOOKING_ROW)
    state.choose_target(9)
    state.start(Flow.CANCEL)
    assert (state.flow, state.step, state.target.appointment_id) == (Flow.CANCEL, Step.NONE, None)
    assert state.booking.selected_slot_id is None and state.booking.requested_date is None
    assert (state.booking.patient_name, state.booking.document_number) == ("Juan Pérez", "12345678")
    state.reset()
    assert state == ConversationState()


def test_selecting_a_slot_makes_it_the_request_in_the_clinic_zone():
    tz = dt.timezone(dt.timedelta(hours=-3))
    slot = OfferedSlot(slot_id="7-1", doctor_id=7, specialty_id=3, start=dt.datetime(2026, 12, 2, 13, 0, tzinfo=UTC))
    state = ConversationState()
    state.offer([slot], specialty_id=3)
    state.select(slot, tz=tz)
    assert state.selected_slot == slot
    assert (state.booking.requested_date, state.booking.requested_time) == (dt.date(2026, 12, 2), dt.time(10, 0))


def test_typed_fields_refuse_wrong_values_on_assignment():
    state = ConversationState()
    with pytest.raises(ValueError):
        state.step = "choose_slot"  # type: ignore[assignment]  # what the test is about


@pytest.mark.django_db
def test_a_conversation_row_from_before_upgrades_and_stores_back(demo_clinic):
    conversation = Conversation.objects.create(clinic=demo_clinic, channel="whatsapp", participant="+5491100000000")
    Conversation.objects.filter(pk=conversation.pk).update(state=V1_BOOKING_ROW)
    conversation.refresh_from_db()
    state = conversation.load_state()
    state.go(Step.ANYTHING_ELSE)
    conversation.store_state(state)
    conversation.save()
    conversation.refresh_from_db()
    assert conversation.state["version"] == VERSION and "pending" not in conversation.state
    assert conversation.load_state().step == Step.ANYTHING_ELSE
