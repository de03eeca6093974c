"""Offering free slots: the tool's real ones for the day, time and part of the day asked,
said honestly when they do not match ("El jueves a la tarde no tengo ..."), and moving through
them ("más tarde", "el último que tenga").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from abc import ABC, abstractmethod

from appointments.policy import PartOfDay, in_part_of_day, part_of_day, part_of_day_ends
from appointments.selectors import find_available_slots
from bot import nlu, responses
from bot.brains.rules.waitlist import WaitlistForm
from bot.formatting import at_time
from bot.state import OfferedSlot, Step
from bot.tools.lookup import MAX_SLOTS
from clinic.models import Specialty
from clinic.selectors import normalize_text

# A slot starting within this lead time is not offered: the patient cannot get there, and
# book_appointment refuses a start that is not in the future at booking time.
MIN_LEAD_TIME = dt.timedelta(minutes=30)
# Three options is what a caller can keep in mind.
OFFERED_SLOTS = 3
# How far ahead a time said without a day is looked for.
SEARCHED_DAYS = 14
# "mejor con otro médico", "¿y con otro dermatólogo?", "otra pediatra": any doctor of the
# specialty, not the one on offer (not "otro día", "otro horario").
OTHER_DOCTOR = re.compile(
    r"\b(?:otr[oa]|distint[oa]) (?:medic[oa]|doctor|doctora|profesional|especialista|\w+(?:log[oa]|ista|tra))\b"
)


class SlotOffers(WaitlistForm, ABC):
    """The slots on offer (bot.flow's slot step), read from find_available_slots."""

    @abstractmethod
    def select_slot(self, slot: OfferedSlot) -> str:
        """The booking form's next step once a slot is chosen (an exact time asked is free)."""

    def remember_period(self, when: nlu.When) -> None:
        if when.day_kind in {"week", "month"} and when.date:
            self.state.booking.requested_period = when.day_kind

    def offer_slots(self, specialty: Specialty | None, when: nlu.When, *, purpose: str = "book") -> str:
        """Real free slots read from the tool: the exact time when free, else the nearest."""
        if specialty is None:
            self.state.go(Step.SPECIALTY)
            return responses.ASK_SPECIALTY
        doctor_surname = None
        if self.state.booking.doctor_id and purpose == "book":
            doctor = self.catalog.doctor(self.state.booking.doctor_id)
            doctor_surname = doctor.last_name if doctor else None
        date, time = when.date, when.time
        self.state.forget_request()
        inferred_date = False
        if time and not date:
            date, inferred_date = self.first_day_with(specialty, time, doctor_surname), True
        # One spare: a slot inside the lead time is dropped below and three should remain; more
        # when days are ruled out ("lo antes posible, pero el lunes no puedo"), dropped below too.
        spare = MAX_SLOTS if when.avoided_weekdays and not date else OFFERED_SLOTS + 1
        arguments = {"specialty": specialty.name, "doctor": doctor_surname, "limit": spare}
        if date:
            arguments["date"] = date.isoformat()
            self.state.request(date=date, time=None, part_of_day=None)
        if time:
            arguments["time"] = time.strftime("%H:%M")
            self.state.request(date=None, time=time, part_of_day=None)
        if when.part_of_day and not time:
            arguments["part_of_day"] = when.part_of_day
            self.state.request(date=None, time=None, part_of_day=when.part_of_day)
        self.remember_period(when)
        result = self.tool("find_available_slots", **arguments)
        self.state.go(Step.NEW_TIME if purpose == "reschedule" else Step.SLOT)
        if not result.get("ok"):
            return responses.search_failed(result.get("error", ""))
        earliest = self.context.now + MIN_LEAD_TIME
        fresh = [
            s
            for s in self.offered()
            if s.start >= earliest and (date or self.slot_start(s).weekday() not in when.avoided_weekdays)
        ]
        if date and time:
            # The spare goes from the far end, not from the asked time: "a las 11:30" keeps 11:30
            # when the nearest come before it (10:00, 10:30, 11:00, 11:30).
            wanted = dt.datetime.combine(date, time, tzinfo=self.tz)
            fresh = sorted(sorted(fresh, key=lambda s: abs(s.start - wanted))[:OFFERED_SLOTS], key=lambda s: s.start)
        self.state.offer(fresh[:OFFERED_SLOTS])
        slots = self.offered()
        if not slots and purpose == "reschedule":
            self.state.go(Step.OFFER_TRANSFER)
            return f"{responses.NO_FREE_SLOTS.format(specialty=specialty.name)} {responses.OFFER_RECEPTION}"
        if not slots:
            return self.offer_waitlist(specialty, nothing_free=True)
        if time and result.get("requested_time_available"):
            exact = next(
                (s for s in slots if self.slot_start(s).time() == time and self.slot_start(s).date() == date), None
            )
            if exact:
                return self.select_slot(exact)
        said = {nlu.MORNING, nlu.AFTERNOON}
        part = responses.PART_OF_DAY_PHRASES[when.part_of_day] if when.part_of_day in said else None
        closed, absent = result.get("clinic_closed"), result.get("doctors_absent", [])
        if date and (closed or absent) and not any(self.fits(s, date=date, part=None) for s in slots):
            # Nothing that day because the clinic or the doctor is away: say so, then what there is.
            away = (
                responses.closed_on(self.day_phrase(date), reason=closed["reason"])
                if closed
                else responses.doctors_absent_on(self.day_phrase(date), absent)
            )
            intro = responses.nearest_after(away)
        elif time:
            asked = at_time(time) if inferred_date or date is None else f"{self.day_phrase(date)} {at_time(time)}"
            intro = responses.no_slot_at(asked, specialty.name)
        elif (date or part) and not any(self.fits(s, date=date, part=when.part_of_day) for s in slots):
            # Say what was asked and that there is none, then what there is: never "a la tarde
            # tengo ... a las 8:00".
            asked = " ".join(p for p in (self.day_phrase(date) if date else "", part or "") if p)
            intro = responses.not_available_then(asked, specialty.name)
            if date and when.part_of_day in said and not when.avoided_part_of_day:
                same_day = self.add_other_part_of_day(specialty, date, when.part_of_day, doctor_surname)
                if same_day:
                    return responses.slots_offer(intro, same_day)
        else:
            intro = responses.slots_for(specialty.name, part or "")
        return responses.slots_offer(intro, self.describe_offered())

    def add_other_part_of_day(self, specialty: Specialty, day: dt.date, part: str, doctor: str | None) -> str:
        """ "El jueves a la tarde no tengo ...": the nearest afternoons, and that Thursday's
        morning when it has a free slot (added to the offer). Returns the offer described,
        or "" when that day has nothing else either."""
        nearest = list(self.offered())[: OFFERED_SLOTS - 1]
        other = nlu.MORNING if part == nlu.AFTERNOON else nlu.AFTERNOON
        arguments = {"specialty": specialty.name, "doctor": doctor, "date": day.isoformat(), "limit": OFFERED_SLOTS}
        self.tool("find_available_slots", part_of_day=other, **arguments)
        earliest = self.context.now + MIN_LEAD_TIME
        same_day = [s for s in self.offered() if s.start >= earliest and self.slot_start(s).date() == day]
        self.state.offer(nearest + same_day[:1])
        if not same_day:
            return ""
        return responses.and_other_part(
            self.describe_offered(nearest), responses.PART_OF_DAY_PHRASES[other], self.describe_offered(same_day[:1])
        )

    def fits(self, slot: OfferedSlot, *, date: dt.date | None, part: str | None) -> bool:
        start = self.slot_start(slot)
        return (date is None or start.date() == date) and (part is None or in_part_of_day(start.time(), part))

    def move_offer(self, move: str, *, pick_last: bool = False, part: str | None = None) -> str:
        """ "más tarde", "otro más temprano", "el último que tenga": other free slots of the
        day on offer, after (or before) those offered, or the day's last ones; `pick_last`
        ("dame el último que tengas") chooses the day's last one at once, the last of `part`
        when one is said ("la última de la mañana")."""
        specialty = self.current_specialty()
        assert specialty is not None
        before = list(self.offered())
        starts = [self.slot_start(s) for s in before]
        day = starts[0].date()
        anchor = {"later": max(starts), "earlier": min(starts)}.get(move)
        # The last minute of the part of the day asked for, else the day's end.
        last = dt.time(23, 0)
        if part:
            last = (dt.datetime.combine(day, part_of_day_ends(PartOfDay(part))) - dt.timedelta(minutes=1)).time()
        probe = dt.datetime.combine(day, last, tzinfo=self.tz) if move == "latest" else anchor
        doctor = self.catalog.doctor(self.state.booking.doctor_id) if self.state.booking.doctor_id else None
        self.tool(
            "find_available_slots",
            specialty=specialty.name,
            doctor=doctor.last_name if doctor else None,
            date=day.isoformat(),
            time=probe.strftime("%H:%M") if probe else None,
            limit=6,
        )
        earliest = self.context.now + MIN_LEAD_TIME
        found = [s for s in self.offered() if s.start >= earliest and self.fits(s, date=day, part=part)]
        if move == "later":
            found = [s for s in found if self.slot_start(s) > max(starts)][:OFFERED_SLOTS]
        elif move == "earlier":
            found = [s for s in found if self.slot_start(s) < min(starts)][-OFFERED_SLOTS:]
        else:
            found = found[-OFFERED_SLOTS:]
        self.state.go(Step.SLOT)
        if not found:
            self.state.offer(before)
            return responses.nothing_else_then(
                self.day_phrase(day).capitalize(), later=move == "later", offered=self.describe_offered()
            )
        self.state.offer(found, latest=move == "latest")
        if pick_last:
            return self.select_slot(found[-1])
        return responses.moved_offer(move, self.describe_offered())

    def select_next_after(self, picked: OfferedSlot) -> str:
        """ "la que sigue" once a slot is picked: the next free one that day, of any doctor."""
        specialty = self.current_specialty()
        assert specialty is not None
        before, start = list(self.offered()), self.slot_start(picked)
        self.tool(
            "find_available_slots",
            specialty=specialty.name,
            date=start.date().isoformat(),
            time=start.strftime("%H:%M"),
            limit=6,
        )
        later = [s for s in self.offered() if self.slot_start(s) > start]
        if later:
            self.state.offer(later[:OFFERED_SLOTS])
            return self.select_slot(later[0])
        self.state.offer(before)
        self.state.go(Step.SLOT)
        return responses.nothing_else_then(
            self.day_phrase(start.date()).capitalize(), later=True, offered=self.describe_offered()
        )

    def first_day_with(self, specialty: Specialty, time: dt.time, doctor_surname: str | None) -> dt.date:
        """For a time without a day ("a las 10"): the first of the next days where that time
        is free, so the patient is not offered "the nearest" when the exact one exists. When
        no day has it, the first day with a free slot in that part of the day: the nearest to
        "a las 16:30" are that afternoon's, not this morning's."""
        earliest = (self.local_now + MIN_LEAD_TIME).time()
        first = (
            self.today
            if time >= earliest and self.local_now.date() == self.today
            else self.today + dt.timedelta(days=1)
        )
        doctor = (
            next((d for d in self.catalog.doctors if d.last_name == doctor_surname), None) if doctor_surname else None
        )
        begin = dt.datetime.combine(first, dt.time.min, tzinfo=self.tz)
        starts = [
            slot.start.astimezone(self.tz)
            for slot in find_available_slots(
                specialty=specialty,
                doctor=doctor,
                start=max(begin, self.context.now),
                end=begin + dt.timedelta(days=SEARCHED_DAYS),
                now=self.context.now,
            )
        ]
        exact = next((start.date() for start in starts if start.time() == time), None)
        part = part_of_day(time)
        same_part = next((start.date() for start in starts if part_of_day(start.time()) == part), None)
        return exact or same_part or first

    def match_offered(self) -> OfferedSlot | None:
        slots = self.offered()
        if not slots:
            return None
        choice = nlu.extract_choice(self.text, len(slots))
        if choice is not None:
            return slots[choice]
        candidates = slots
        when = self.when
        if when.date:
            candidates = [s for s in candidates if self.slot_start(s).date() == when.date]
        if when.time:
            candidates = [s for s in candidates if self.slot_start(s).time() == when.time]
        if when.part_of_day and not when.time:
            candidates = [s for s in candidates if in_part_of_day(self.slot_start(s).time(), when.part_of_day)]
        offering = {s.doctor_id for s in slots}
        doctor = self.doctor_in_text([d for d in self.catalog.doctors if d.pk in offering])
        if doctor:
            candidates = [s for s in candidates if s.doctor_id == doctor.pk]
        # "¿Tenés algo hoy?" asks for that day's slots; "el jueves" picks the one offered then.
        asks = "?" in self.text or self.has(nlu.BOOK)
        picked = (when.time or (len(candidates) == 1 and not asks) or doctor) or nlu.picks_by_part_of_day(self.text)
        if (when or doctor) and len(candidates) >= 1 and picked:
            if (when.date or when.part_of_day) and not when.time:
                # Chosen by its day: "el primero" said next means the first of that day's, not
                # the first of the whole offer ("el viernes" ... "el primero").
                self.state.offer(
                    [s for s in slots if self.fits(s, date=when.date, part=when.part_of_day)],
                    latest=self.state.booking.offered_latest,
                )
            return candidates[0]
        if self.yes_no is True and len(slots) == 1:
            return slots[0]
        return None

    def when_on_discussed_day(self) -> nlu.When:
        """ "¿Y a las 11?" or "¿y a la tarde?" right after hearing Wednesday's slots means Wednesday."""
        when = self.when
        day = self.state.booking.requested_date
        if (when.time or when.part_of_day) and not when.date and day and day >= self.today:
            # "El jueves a la tarde no tengo ..." - "bueno, a la mañana entonces": Thursday morning.
            return nlu.When(
                date=day, time=when.time, part_of_day=when.part_of_day, avoided_part_of_day=when.avoided_part_of_day
            )
        part = self.state.booking.requested_part_of_day
        if when.date and not (when.time or when.part_of_day) and part in {nlu.MORNING, nlu.AFTERNOON}:
            # "En la tarde de preferencia" ... "¿el martes que viene?": that Tuesday's afternoon.
            return dataclasses.replace(when, part_of_day=part.value)
        return when

    def discussed_day(self) -> nlu.When:
        """The day (and part of it) the offer is about, unless the message says another: "ah no,
        mejor con la doctora Fernández" after Tuesday's slots with Dr. Romero is Tuesday still."""
        when = self.when_on_discussed_day()
        booking = self.state.booking
        day = booking.requested_date
        if when.date or not day or day < self.today:
            return when
        part = booking.requested_part_of_day
        kept_part = part.value if part in {nlu.MORNING, nlu.AFTERNOON} and not when.part_of_day else when.part_of_day
        return dataclasses.replace(when, date=day, part_of_day=kept_part)

    def changed_at_offer(self) -> str | None:
        """A change of mind about who sees the patient, while slots are on offer or one is
        picked: another specialty ("no es con el dermatólogo, es con el oculista", "mejor con el
        médico general el mismo día") or another doctor ("¿y con otro dermatólogo el
        miércoles?"). The day being discussed stays unless another is said; the picked slot
        and its doctor go."""
        current = self.state.booking.specialty_id
        said = self.specialties_in_text()
        others = [specialty for specialty in said if specialty.pk != current]
        # "no es X, es Y" names both: the one that is not on offer is the one wanted. One other
        # alone, while slots are on offer, is a new request (BookingForm.start_booking).
        both = len(said) == 2 and len(others) == 1
        if current and len(others) == 1 and (both or self.pending != Step.SLOT):
            when = self.discussed_day()
            self.state.booking.specialty_id = others[0].pk
            self.state.booking.doctor_id = None
            self.state.booking.selected_slot_id = None
            return self.offer_slots(others[0], when)
        specialty = self.current_specialty()
        if specialty and self.doctor_in_text() is None and OTHER_DOCTOR.search(normalize_text(self.text)):
            when = self.discussed_day()
            self.state.booking.doctor_id = None
            self.state.booking.selected_slot_id = None
            return self.offer_slots(specialty, when)
        return None
