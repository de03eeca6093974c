"""The booking form: specialty, a free slot chosen among real ones, the caller's name and
document, a read-back, then book_appointment.
"""

from __future__ import annotations

import datetime as dt
import re

from appointments.errors import SLOT_UNAVAILABLE_CODES
from appointments.policy import DocumentProblem, PartOfDay, in_part_of_day
from appointments.selectors import find_slot
from bot import nlu, responses
from bot.brains.rules.waitlist import WaitlistForm
from bot.formatting import at_time, join_spanish
from bot.state import Flow, OfferedSlot, QueuedBooking, Step
from clinic.models import Specialty
from clinic.selectors import normalize_text, suggest_names

# A slot starting within this lead time is not offered: the patient cannot get there, and
# book_appointment refuses a start that is not in the future at booking time.
MIN_LEAD_TIME = dt.timedelta(minutes=30)
# Three options is what a caller can keep in mind.
OFFERED_SLOTS = 3


class BookingForm(WaitlistForm):
    """Filling the booking's slots step by step (bot.flow's booking steps)."""

    # --- the specialty -----------------------------------------------------------------------

    def start_booking(self) -> str:
        # "Quiero un turno para el jueves" ... "cardiología": the day said before still counts.
        earlier = self.remembered_when()
        self.state.start(Flow.BOOK)
        specialty = self.specialty_in_text()
        doctor = self.doctor_in_text()
        if doctor and specialty is None:
            specialties = self.catalog.specialties_of(doctor)
            if len(specialties) == 1:
                specialty = specialties[0]
        missing = self.missing_in_text()
        if specialty is None and missing and missing.suggested_specialty and missing.suggested_specialty.is_active:
            # "turno de kinesiología": we have none; offer what the clinic suggests instead.
            self.remember_when()
            self.state.booking.specialty_id = missing.suggested_specialty.pk
            self.state.go(Step.OFFER_BOOKING)
            return f"{self.missing_answer(missing)} {responses.offer_booking(missing.suggested_specialty.name)}"
        if specialty is None:
            self.remember_when()
            asked = missing.name if missing else nlu.find_common_specialty(self.text)
            names = self.specialty_names()
            self.state.go(Step.SPECIALTY)
            if asked:
                closest = suggest_names(text=asked, names=names)
                ordered = closest + [name for name in names if name not in closest]
                return responses.not_offered(asked, join_spanish(ordered))
            return responses.which_specialty(join_spanish(names))
        self.state.booking.specialty_id = specialty.pk
        if doctor and self.catalog.attends(doctor, specialty):
            self.state.booking.doctor_id = doctor.pk
        self.plan_bookings(specialty)
        offer = self.offer_slots(specialty, self.when or earlier)
        if nlu.extract_offer_move(self.text) == "latest" and self.state.step == Step.SLOT and self.offered():
            return self.move_offer("latest")  # "el último que tenga el jueves"
        return offer

    def plan_bookings(self, first: Specialty) -> None:
        """Several turnos in one message ("uno para mí con el clínico y otro para mi hija con la
        pediatra"): this one first, for whom it is; the others queued in the order said."""
        people = nlu.extract_people(self.text)
        others = [s for s in self.specialties_in_text() if s.pk != first.pk]
        self.set_for_whom(people[0] if people else "")
        rest = people[1:]
        if not others and rest:
            others = [first] * len(rest)
        when = self.when
        self.state.queued_bookings = [
            QueuedBooking(
                specialty_id=specialty.pk,
                for_whom=rest[min(index, len(rest) - 1)] if rest else "",
                requested_date=when.date,
                requested_part_of_day=PartOfDay(when.part_of_day) if when.part_of_day else None,
            )
            for index, specialty in enumerate(others)
        ]

    def set_for_whom(self, whom: str) -> None:
        """Whom the turno is for; another person's name and document are asked, never reused."""
        booking = self.state.booking
        if whom or booking.for_whom:
            booking.patient_name = booking.document_number = booking.partial_name = ""
        booking.for_whom = whom

    def remember_when(self) -> None:
        when = self.when
        self.state.request(date=when.date, time=when.time, part_of_day=when.part_of_day)
        self.remember_period(when)

    def remember_period(self, when: nlu.When) -> None:
        if when.day_kind in {"week", "month"} and when.date:
            self.state.booking.requested_period = when.day_kind

    def remembered_when(self) -> nlu.When:
        booking = self.state.booking
        date = booking.requested_date
        if date and date < self.today:
            date = None
        part = booking.requested_part_of_day
        return nlu.When(
            date=date,
            time=booking.requested_time,
            part_of_day=part.value if part else None,
            day_kind=booking.requested_period if date else "",
        )

    def continue_specialty(self) -> str | None:
        if self.specialty_in_text() or self.doctor_in_text():
            return self.start_booking()
        asked = nlu.find_common_specialty(self.text)
        if asked:
            names = self.specialty_names()
            return responses.not_offered(asked, join_spanish(names), but=False)
        if self.when:
            self.remember_when()
            return responses.OK_ASK_SPECIALTY
        return None

    def continue_offer_booking(self) -> str | None:
        if self.has(nlu.THANKS) and nlu.is_closing(self.text):
            return None  # "ok gracias": a polite no (small_talk)
        specialty = self.specialty_in_text()
        if specialty or (self.yes_no is True and self.current_specialty()):
            specialty = specialty or self.current_specialty()
            self.state.booking.specialty_id = specialty.pk
            return self.offer_slots(specialty, self.when)
        if self.when and self.current_specialty():
            return self.offer_slots(self.current_specialty(), self.when)
        if self.yes_no is False:
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return responses.OK_ANYTHING_ELSE
        return None

    # --- offering and choosing slots ---------------------------------------------------------

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
        # One spare: a slot inside the lead time is dropped below and three should remain.
        arguments = {"specialty": specialty.name, "doctor": doctor_surname, "limit": OFFERED_SLOTS + 1}
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
        self.state.offer([s for s in self.offered() if s.start >= earliest][:OFFERED_SLOTS])
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
        else:
            intro = responses.slots_for(specialty.name, part or "")
        return responses.slots_offer(intro, self.describe_offered())

    def fits(self, slot: OfferedSlot, *, date: dt.date | None, part: str | None) -> bool:
        start = self.slot_start(slot)
        return (date is None or start.date() == date) and (part is None or in_part_of_day(start.time(), part))

    def move_offer(self, move: str) -> str:
        """ "más tarde", "otro más temprano", "el último que tenga": other free slots of the
        day on offer, after (or before) those offered, or the day's last ones."""
        specialty = self.current_specialty()
        assert specialty is not None
        before = list(self.offered())
        starts = [self.slot_start(s) for s in before]
        day = starts[0].date()
        anchor = {"later": max(starts), "earlier": min(starts)}.get(move)
        probe = dt.datetime.combine(day, dt.time(23, 0), tzinfo=self.tz) if move == "latest" else anchor
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
        found = [s for s in self.offered() if s.start >= earliest and self.slot_start(s).date() == day]
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
        self.state.offer(found)
        return responses.moved_offer(move, self.describe_offered())

    def first_day_with(self, specialty: Specialty, time: dt.time, doctor_surname: str | None) -> dt.date:
        """For a time without a day ("a las 10"): the first of the next days where that time
        is free, so the patient is not offered "the nearest" when the exact one exists."""
        earliest = (self.local_now + MIN_LEAD_TIME).time()
        first = (
            self.today
            if time >= earliest and self.local_now.date() == self.today
            else self.today + dt.timedelta(days=1)
        )
        doctor = (
            next((d for d in self.catalog.doctors if d.last_name == doctor_surname), None) if doctor_surname else None
        )
        for offset in range(14):
            day = first + dt.timedelta(days=offset)
            start = dt.datetime.combine(day, time, tzinfo=self.tz)
            if find_slot(specialty=specialty, start=start, doctor=doctor, now=self.context.now):
                return day
        return first

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
        if (when or doctor) and len(candidates) >= 1 and (when.time or len(candidates) == 1 or doctor):
            return candidates[0]
        if self.yes_no is True and len(slots) == 1:
            return slots[0]
        return None

    def when_on_discussed_day(self) -> nlu.When:
        """ "¿Y a las 11?" right after hearing Wednesday's slots means Wednesday at 11."""
        when = self.when
        day = self.state.booking.requested_date
        if when.time and not when.date and day and day >= self.today:
            return nlu.When(date=day, time=when.time, part_of_day=when.part_of_day)
        return when

    def continue_slot(self) -> str | None:
        if self.has(nlu.THANKS) and nlu.is_closing(self.text):
            return None  # "ok gracias": not choosing (small_talk)
        move = nlu.extract_offer_move(self.text)
        if move and self.offered() and self.current_specialty():
            return self.move_offer(move)
        specialty = self.specialty_in_text()
        if specialty and specialty.pk != self.state.booking.specialty_id:
            return self.start_booking()
        slot = self.match_offered()
        if slot:
            return self.select_slot(slot)
        current = self.current_specialty()
        if self.when and current:
            return self.offer_slots(current, self.when_on_discussed_day())
        doctor = self.doctor_in_text()
        if doctor and current and self.catalog.attends(doctor, current):
            self.state.booking.doctor_id = doctor.pk
            return self.offer_slots(current, self.when)
        if current and (self.none_suits() or self.asks_for_waitlist()):
            return (
                self.start_waitlist() if self.asks_for_waitlist() else self.offer_waitlist(current, nothing_free=False)
            )
        if self.yes_no is False or re.search(r"\botr[oa]s? (?:dia|fecha|horario|hora)", nlu.understand(self.text)):
            return responses.OK_ASK_BETTER_DAY
        if self.yes_no is True and len(self.offered()) > 1:
            return responses.WHICH_SLOT
        name = nlu.extract_name(self.text, expecting=not self.intents)
        document = nlu.extract_document_number(self.text)
        if (name and len(name.split()) >= 2) or document:
            # Data given before choosing (the model may have asked for it first): keep it.
            if name and len(name.split()) >= 2:
                self.state.booking.patient_name = name
            if document:
                self.state.booking.document_number = document
            return responses.which_time_given_data(self.describe_offered())
        return None

    def select_slot(self, slot: OfferedSlot) -> str:
        self.state.select(slot, tz=self.tz)
        if self.pending == Step.NEW_TIME:
            self.state.go(Step.CONFIRM_RESCHEDULE)
            return self.reschedule_question() or responses.CONFIRM_CHANGE
        return f"{responses.slot_chosen(self.describe_slot(slot))} {self.next_booking_question()}"

    # --- the caller's data and the read-back -------------------------------------------------

    def next_booking_question(self) -> str:
        if not self.state.booking.patient_name:
            self.state.go(Step.NAME)
            return responses.name_question(self.state.booking.for_whom)
        if not self.state.booking.document_number:
            self.state.go(Step.DOCUMENT)
            return responses.document_question(self.state.booking.for_whom)
        if not self.confirm_before_booking:
            return self.book()
        self.state.go(Step.CONFIRM_BOOKING)
        return self.booking_summary_question()

    def booking_summary_question(self) -> str:
        slot = self.selected_slot()
        specialty = self.current_specialty()
        if not slot or not specialty:
            self.state.go(Step.SLOT)
            return responses.ASK_DAY_AND_TIME
        return responses.booking_summary(
            specialty=specialty.name,
            slot=self.describe_slot(slot),
            name=self.state.booking.patient_name,
            document=self.state.booking.document_number,
        )

    def changed_slot(self) -> str | None:
        """While asked for name or document, "mejor la segunda" / "a las 11" changes the slot."""
        if nlu.extract_name(self.text, expecting=True) or nlu.extract_document_number(self.text):
            return None
        slot = self.match_offered() if nlu.extract_choice(self.text, len(self.offered())) is not None else None
        if slot:
            return self.select_slot(slot)
        if self.when and self.current_specialty():
            return self.offer_slots(self.current_specialty(), self.when_on_discussed_day())
        return None

    def continue_name(self) -> str | None:
        changed = self.changed_slot()
        if changed:
            return changed
        document = nlu.extract_document_number(self.text)
        name = nlu.extract_name(self.text, expecting=True)
        if name and len(name.split()) == 1:
            partial = self.state.booking.partial_name
            if partial and normalize_text(partial) != normalize_text(name):
                name = f"{partial} {name}"
            else:
                self.state.booking.partial_name = name
                return responses.ask_surname(name)
        if document:
            self.state.booking.document_number = document
        if not name:
            if document:
                return responses.NAME_MISSING
            return None
        self.state.booking.partial_name = ""
        self.state.booking.patient_name = name
        return self.next_booking_question()

    def continue_document(self) -> str | None:
        changed = self.changed_slot()
        if changed:
            return changed
        document = nlu.extract_document_number(self.text)
        if document:
            self.state.booking.document_number = document
            return self.next_booking_question()
        digits = re.sub(r"\D", "", nlu.words_to_digits(normalize_text(self.text)))
        if digits:
            return responses.repeat_after(responses.document_problem(DocumentProblem.FORMAT))
        name = nlu.extract_name(self.text)
        if name:
            self.state.booking.patient_name = name
            return responses.DOCUMENT_MISSING
        return None

    def continue_confirm_booking(self) -> str | None:
        if self.when and (self.when.date or self.when.time) and self.yes_no is not True:
            self.state.go(Step.SLOT)
            return self.continue_slot()
        document = nlu.extract_document_number(self.text)
        if document and document != self.state.booking.document_number:
            self.state.booking.document_number = document
            return self.booking_summary_question()
        name = nlu.extract_name(self.text)
        if name and len(name.split()) >= 2 and name != self.state.booking.patient_name:
            # "no, mi nombre es Juan Pérez": a correction changes only the name.
            self.state.booking.patient_name = name
            return self.booking_summary_question()
        wrong = self.wrong_datum()
        if wrong:
            return wrong
        if self.yes_no is True:
            return self.book()
        if self.yes_no is False:
            if re.search(
                r"\b(?:nombre|hijo|hija|otra persona|mi (?:mama|papa|madre|padre|esposa|esposo))\b",
                normalize_text(self.text),
            ):
                self.state.booking.patient_name = ""
                self.state.booking.document_number = ""
                self.state.go(Step.NAME)
                return responses.WHOSE_TURNO
            self.state.go(Step.SLOT)
            return responses.NOTHING_BOOKED
        return None

    def next_queued_booking(self) -> str:
        """The next turno asked in the same message: "Ahora, para su hija: ..." with its slots."""
        queued = self.state.queued_bookings.pop(0)
        specialty = self.catalog.specialty(queued.specialty_id)
        self.state.start(Flow.BOOK)
        self.set_for_whom(queued.for_whom)
        if specialty is None:
            self.state.go(Step.SPECIALTY)
            return responses.ask_specialty_for(queued.for_whom)
        self.state.booking.specialty_id = specialty.pk
        part = queued.requested_part_of_day.value if queued.requested_part_of_day else None
        when = nlu.When(date=queued.requested_date, part_of_day=part)
        return f"{responses.now_for(queued.for_whom)} {self.offer_slots(specialty, when)}"

    def wrong_datum(self) -> str | None:
        """ "el documento está mal" / "el nombre está mal" without the right one: ask for that
        one only, and keep the rest of the booking."""
        text = nlu.understand(self.text)
        if not re.search(r"\b(?:mal|equivocad[oa]|incorrect[oa]|error|corrig\w*|cambi\w*|no es)\b", text):
            return None
        if re.search(r"\b(?:documento|dni|cedula|rut|numero)\b", text):
            self.state.booking.document_number = ""
            self.state.go(Step.DOCUMENT)
            return responses.ASK_DOCUMENT_AGAIN
        if re.search(r"\b(?:nombre|apellido)\b", text):
            self.state.booking.patient_name = ""
            self.state.go(Step.NAME)
            return responses.ASK_NAME_AGAIN
        return None

    def book(self) -> str:
        slot = self.selected_slot()
        if slot is None:
            self.state.go(Step.SLOT)
            return responses.SLOT_LOST
        result = self.tool(
            "book_appointment",
            slot_id=slot.slot_id,
            full_name=self.state.booking.patient_name,
            document_number=self.state.booking.document_number,
        )
        if result.get("ok"):
            finished_for = self.state.booking.for_whom
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            address = result.get("address") or self.clinic.address
            confirmed = responses.booking_confirmed(result["booked"], address=address, today=self.today)
            if finished_for:
                self.set_for_whom("")  # the relative's data is not the caller's
            if self.state.queued_bookings:
                return f"{confirmed.removesuffix(responses.ANYTHING_ELSE).strip()} {self.next_queued_booking()}"
            return confirmed
        code = result.get("code")
        error = result.get("error", responses.NOT_BOOKED)
        if code in SLOT_UNAVAILABLE_CODES:
            self.state.booking.selected_slot_id = None
            start = self.slot_start(slot)
            specialty = self.current_specialty()
            return f"{error} {self.offer_slots(specialty, nlu.When(date=start.date(), time=start.time()))}"
        if code == "invalid_arguments" and "documento" in error.lower():
            self.state.booking.document_number = ""
            self.state.go(Step.DOCUMENT)
            return responses.repeat_after(error)
        if code == "invalid_arguments" and "nombre" in error.lower():
            self.state.booking.patient_name = ""
            self.state.go(Step.NAME)
            return responses.FULL_NAME_NEEDED
        self.state.go(Step.SLOT)
        return responses.other_slot_after(error)
