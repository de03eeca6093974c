"""The conversation's structured state: one typed, versioned object instead of a loose dict.

Every part of a turn (engine, both brains, the tools, the channels) reads and writes what
the conversation knows through `ConversationState` and its methods; the row keeps it as
JSON in `Conversation.state` (see `Conversation.load_state` / `store_state`). Rows written
before this module existed (version 1: a flat dict of string keys such as "pending",
"offered_slots", "appointment_flow") are upgraded when loaded, and a value that no longer
fits its type is dropped rather than failing the turn: a conversation must always answer.

Pure data: this module imports no Django models, so models, brains and tools can all use it.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from appointments.policy import PartOfDay

VERSION = 2


class Flow(StrEnum):
    """What the patient came for, once the assistant knows it."""

    NONE = ""
    BOOK = "book"
    CANCEL = "cancel"
    RESCHEDULE = "reschedule"
    LIST = "list"
    WAITLIST = "waitlist"


class Step(StrEnum):
    """What the assistant is waiting for (the question it last asked). One name per step:
    the offer to hand over to reception (after an emergency, a price question or no free
    slots) is OFFER_TRANSFER wherever it is asked."""

    NONE = ""
    SPECIALTY = "specialty"
    OFFER_BOOKING = "offer_booking"
    SLOT = "slot"
    NAME = "name"
    DOCUMENT = "document"
    CONFIRM_BOOKING = "confirm_booking"
    IDENTIFY = "identify"
    CODE = "code"  # waiting for the one-time code sent to the patient's registered number
    CHOOSE_APPOINTMENT = "choose_appointment"
    CONFIRM_CANCEL = "confirm_cancel"
    NEW_TIME = "new_time"
    CONFIRM_RESCHEDULE = "confirm_reschedule"
    OFFER_TRANSFER = "offer_transfer"
    OFFER_WAITLIST = "offer_waitlist"  # nothing suits: wait for a freed slot?
    WAITLIST_PATIENT = "waitlist_patient"  # who waits: full name and DNI
    ANYTHING_ELSE = "anything_else"


class _Model(BaseModel):
    model_config = ConfigDict(validate_assignment=True, extra="ignore")


class OfferedSlot(_Model):
    """A free slot the patient was told about; `slot_id` is what the tools book by."""

    slot_id: str
    doctor_id: int
    specialty_id: int
    start: dt.datetime  # aware


class BookingSlots(_Model):
    """What the booking flow has gathered so far. The caller's name and document stay when a
    new flow starts (they are asked once per conversation)."""

    specialty_id: int | None = None
    doctor_id: int | None = None
    requested_date: dt.date | None = None
    requested_time: dt.time | None = None
    requested_part_of_day: PartOfDay | None = None
    # "week" / "month" when requested_date is the start of "la semana / el mes que viene": a
    # later bare "el martes" means that week's (or month's) Tuesday.
    requested_period: str = ""
    offered_slots: list[OfferedSlot] = Field(default_factory=list)
    # The offer is the day's last slots ("el último que tenga"): a bare "ese" / "sí" is the last.
    offered_latest: bool = False
    selected_slot_id: str | None = None
    patient_name: str = ""
    partial_name: str = ""  # a first name alone, waiting for the surname
    document_number: str = ""
    # Whom this turno is for when not the caller ("hija"): their own name and document are
    # asked, never the caller's reused.
    for_whom: str = ""


class QueuedBooking(_Model):
    """A further turno asked in the same message ("y otro para mi hija con la pediatra"),
    booked after the current one."""

    specialty_id: int | None = None
    for_whom: str = ""
    requested_date: dt.date | None = None
    requested_part_of_day: PartOfDay | None = None


class PatientSlots(_Model):
    """Who the conversation has established the caller to be."""

    last_booked_appointment_id: int | None = None
    # The turnos booked in this conversation for a relative, by appointment id: whom for
    # ("marido"), so that "anulá la suya, la mía dejala" knows which is which.
    relatives_turnos: dict[int, str] = Field(default_factory=dict)
    # A one-time code sent to the registered number of the patient whose turnos the caller
    # asked for (identity.codes); cleared when checked, expired or locked.
    code_verification_id: int | None = None


class TargetSlots(_Model):
    """The caller's own turno being cancelled or moved, and the ones offered to choose from."""

    appointment_id: int | None = None
    options: list[int] = Field(default_factory=list)


class ConversationState(_Model):
    version: int = VERSION
    flow: Flow = Flow.NONE
    step: Step = Step.NONE
    # The step an emergency interrupted, resumed when the patient declines the transfer, and
    # what the engine's safety check found (bot.safety.Concern value).
    interrupted_step: Step | None = None
    safety_concern: str = ""
    booking: BookingSlots = Field(default_factory=BookingSlots)
    queued_bookings: list[QueuedBooking] = Field(default_factory=list)
    patient: PatientSlots = Field(default_factory=PatientSlots)
    target: TargetSlots = Field(default_factory=TargetSlots)
    end_requested: bool = False
    transfer_reason: str = ""
    model_summary: str = ""
    voice_silences: int = 0
    # The automated-assistant and privacy notice is said once per conversation, first.
    notice_given: bool = False

    # --- storage -----------------------------------------------------------------------

    @classmethod
    def load(cls, raw: Any) -> ConversationState:
        """The state stored in a row, upgraded from older versions. Never raises: values
        that do not fit (a hand-edited row, a removed step name) are dropped."""
        if not isinstance(raw, dict):
            return cls()
        data = dict(raw) if raw.get("version", 1) >= VERSION else _upgrade_v1(raw)
        return _validate_leniently(cls, data)

    def dump(self) -> dict:
        """JSON for `Conversation.state`: only what differs from a fresh state, plus the version."""
        return {"version": VERSION, **self.model_dump(mode="json", exclude_defaults=True, exclude={"version"})}

    # --- steps and flows -----------------------------------------------------------------

    def go(self, step: Step) -> None:
        self.step = step

    def start(self, flow: Flow) -> None:
        """A new errand: forget the previous flow's progress, keep what is known of the caller."""
        self.clear_flow()
        self.flow = flow

    def clear_flow(self) -> None:
        """Forget where the flow was (step, choice, requested time, target turno); the
        specialty, the last offered slots and the caller's name and document stay."""
        booking = self.booking
        self.flow = Flow.NONE
        self.step = Step.NONE
        booking.selected_slot_id = None
        booking.doctor_id = None
        booking.partial_name = ""
        self.forget_request()
        self.target = TargetSlots()

    def reset(self) -> None:
        """/reiniciar: start from nothing (the notice, once given, stays given)."""
        for name, field in type(self).model_fields.items():
            if name != "notice_given":
                setattr(self, name, field.get_default(call_default_factory=True))

    def interrupt_for_emergency(self, *, concern: str) -> None:
        """Offer a transfer, remembering the step to resume if the patient declines."""
        if not self.after_emergency:
            self.interrupted_step = self.step
        self.step = Step.OFFER_TRANSFER
        self.safety_concern = concern

    def resume_after_emergency(self) -> None:
        self.step = self.interrupted_step or Step.NONE
        self.interrupted_step = None
        self.safety_concern = ""

    @property
    def after_emergency(self) -> bool:
        return self.step == Step.OFFER_TRANSFER and self.interrupted_step is not None

    # --- the booking ---------------------------------------------------------------------

    def request(self, *, date: dt.date | None, time: dt.time | None, part_of_day: PartOfDay | str | None) -> None:
        """Remember the day / time / part of day asked for (only the parts given)."""
        booking = self.booking
        if date:
            booking.requested_date = date
        if time:
            booking.requested_time = time
        if part_of_day:
            booking.requested_part_of_day = PartOfDay(part_of_day)

    def forget_request(self) -> None:
        self.booking.requested_period = ""
        self.booking.requested_date = None
        self.booking.requested_time = None
        self.booking.requested_part_of_day = None

    def offer(self, slots: list[OfferedSlot], *, specialty_id: int | None = None, latest: bool = False) -> None:
        if specialty_id is not None:
            self.booking.specialty_id = specialty_id
        self.booking.offered_slots = list(slots)
        self.booking.offered_latest = latest

    def offered_slot(self, slot_id: str | None) -> OfferedSlot | None:
        return next((slot for slot in self.booking.offered_slots if slot.slot_id == slot_id), None)

    def select(self, slot: OfferedSlot, *, tz) -> None:
        """The patient chose one of the offered slots: it becomes the request."""
        booking = self.booking
        local = slot.start.astimezone(tz)
        booking.selected_slot_id = slot.slot_id
        booking.doctor_id = slot.doctor_id
        booking.specialty_id = slot.specialty_id or booking.specialty_id
        booking.requested_date = local.date()
        booking.requested_time = local.time().replace(second=0, microsecond=0)
        booking.requested_part_of_day = None

    @property
    def selected_slot(self) -> OfferedSlot | None:
        return self.offered_slot(self.booking.selected_slot_id)

    def set_caller(self, *, name: str | None = None, document_number: str | None = None) -> None:
        """The name / document the caller gave for this booking (only the parts given)."""
        if name:
            self.booking.patient_name = name
            self.booking.partial_name = ""
        if document_number:
            self.booking.document_number = document_number

    def record_booking(self, *, patient_name: str, document_number: str, appointment_id: int) -> None:
        self.set_caller(name=patient_name, document_number=document_number)
        self.patient.last_booked_appointment_id = appointment_id
        if self.booking.for_whom:
            self.patient.relatives_turnos = {**self.patient.relatives_turnos, appointment_id: self.booking.for_whom}
        self.booking.offered_slots = []

    # --- the caller's own turnos -----------------------------------------------------------

    def choose_target(self, appointment_id: int) -> None:
        self.target = TargetSlots(appointment_id=appointment_id)

    def offer_targets(self, appointment_ids: list[int]) -> None:
        self.target.options = list(appointment_ids)


# --- version 1 (a flat dict of string keys) ---------------------------------------------

_V1_STEPS = {"confirm_transfer": Step.OFFER_TRANSFER}  # the engine's name for OFFER_TRANSFER
_V1_FLOWS: dict[str, Flow] = {"cancel": Flow.CANCEL, "reschedule": Flow.RESCHEDULE, "list": Flow.LIST}
_V1_BOOKING_STEPS = {
    Step.SPECIALTY,
    Step.OFFER_BOOKING,
    Step.SLOT,
    Step.NAME,
    Step.DOCUMENT,
    Step.CONFIRM_BOOKING,
}
_V1_BOOKING_KEYS = (
    "specialty_id",
    "doctor_id",
    "requested_date",
    "requested_time",
    "requested_part_of_day",
    "offered_slots",
    "selected_slot_id",
    "patient_name",
    "partial_name",
    "document_number",
)


def _v1_step(value) -> Step | None:
    if not isinstance(value, str):
        return None
    if value in _V1_STEPS:
        return _V1_STEPS[value]
    return Step(value) if value in Step._value2member_map_ else None


def _upgrade_v1(raw: dict) -> dict:
    step = _v1_step(raw.get("pending")) or Step.NONE
    flow = _V1_FLOWS.get(str(raw.get("appointment_flow"))) or (Flow.BOOK if step in _V1_BOOKING_STEPS else Flow.NONE)
    offered = [slot for slot in raw.get("offered_slots") or [] if isinstance(slot, dict)]
    data: dict = {
        "flow": flow,
        "step": step,
        "interrupted_step": (
            _v1_step(raw.get("pending_before_emergency")) or Step.NONE
            if raw.get("pending") == "confirm_transfer"
            else None
        ),
        "booking": {key: raw[key] for key in _V1_BOOKING_KEYS if raw.get(key) is not None} | {"offered_slots": offered},
        "patient": {key: raw[key] for key in ("last_booked_appointment_id", "code_verification_id") if raw.get(key)},
        "target": {"appointment_id": raw.get("target_appointment_id"), "options": raw.get("appointment_options") or []},
    }
    for key in ("end_requested", "transfer_reason", "model_summary", "voice_silences", "safety_concern"):
        if raw.get(key) is not None:
            data[key] = raw[key]
    return data


def _validate_leniently(cls: type[ConversationState], data: dict) -> ConversationState:
    """Validate, dropping each value pydantic rejects (for a list, only the bad items)."""
    data = copy.deepcopy(data)
    for _attempt in range(20):
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            for problem in error.errors():
                # A required field missing: the object holding it goes (an offered slot without a start).
                loc = problem["loc"][:-1] if problem["type"] == "missing" else problem["loc"]
                _mark_dropped(data, loc)
            data = _without_dropped(data)
    return cls()


_DROPPED = object()


def _mark_dropped(data: dict, loc: tuple) -> None:
    node: Any = data
    for key in loc[:-1]:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return
    if loc:
        with contextlib.suppress(IndexError, TypeError):
            node[loc[-1]] = _DROPPED


def _without_dropped(value):
    if isinstance(value, dict):
        return {key: _without_dropped(item) for key, item in value.items() if item is not _DROPPED}
    if isinstance(value, list):
        return [_without_dropped(item) for item in value if item is not _DROPPED]
    return value
