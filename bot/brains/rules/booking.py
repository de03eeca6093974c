"""The booking form: specialty, a free slot chosen among real ones, the caller's name and
document, a read-back, then book_appointment.
"""

from __future__ import annotations

import re

from appointments.policy import DocumentProblem, InvalidDocument, parse_document
from bot import nlu, responses
from bot.brains.rules.read_back import BookingWrite
from bot.formatting import join_spanish
from bot.state import Flow, OfferedSlot, Step
from bot.tools import booking_cap_refusal
from clinic.selectors import normalize_text, suggest_names

# One slot asked for by its place at the end of the day ("el último", "la última"), not the
# day's last ones ("los últimos", "¿qué es lo último que tenés?").
THE_LAST_ONE = re.compile(r"\b(?:el|la) ultim[oa]\b")
# "ah no, la hora es para mi hermano" at the document step: the turno is another person's; "el
# de mi mamá lo tengo que buscar" is no such change.
FOR_SOMEONE_ELSE = re.compile(r"\bpara (?:mi|mis|el|la) \w+")


class BookingForm(BookingWrite):
    """Filling the booking's slots step by step (bot.flow's booking steps)."""

    # --- the specialty -----------------------------------------------------------------------

    def start_booking(self) -> str:
        # "Quiero un turno para el jueves" ... "cardiología": the day said before still counts.
        earlier = self.remembered_when()
        # "Quiero turno con el Dr. Romero" ... "clínica médica": the doctor asked for still counts.
        earlier_doctor = self.catalog.doctor(self.state.booking.doctor_id) if self.pending == Step.SPECIALTY else None
        doctor = self.doctor_in_text() or self.doctor_referred_to()
        # "ya, una cita entonces" to "¿Quiere que le busque un turno de Traumatología?": that one.
        offered = self.current_specialty() if self.pending == Step.OFFER_BOOKING else None
        self.state.start(Flow.BOOK)
        said = self.specialties_in_text()
        # "para mi hija con la pediatra y para mí con el clínico": the first turno is the first said.
        specialty = said[0] if len(said) > 1 else self.specialty_in_text()
        if doctor and specialty is None:
            specialty = self.doctor_specialty_on(doctor, self.when.date)
        missing = self.missing_in_text()
        if specialty is None and doctor is None and missing is None:
            specialty = offered
        if specialty is None and missing and missing.suggested_specialty and missing.suggested_specialty.is_active:
            # "turno de kinesiología": we have none; offer what the clinic suggests instead.
            self.remember_when()
            self.state.booking.specialty_id = missing.suggested_specialty.pk
            self.state.go(Step.OFFER_BOOKING)
            return f"{self.missing_answer(missing)} {responses.offer_booking(missing.suggested_specialty.name)}"
        if specialty is None:
            self.remember_when()
            self.state.booking.doctor_id = doctor.pk if doctor else None
            asked = missing.name if missing else nlu.find_common_specialty(self.text)
            names = self.specialty_names()
            self.state.go(Step.SPECIALTY)
            if asked:
                closest = suggest_names(text=asked, names=names)
                ordered = closest + [name for name in names if name not in closest]
                return responses.not_offered(asked, join_spanish(ordered))
            return responses.which_specialty(join_spanish(names))
        self.state.booking.specialty_id = specialty.pk
        doctor = doctor or earlier_doctor
        if doctor and self.catalog.attends(doctor, specialty):
            self.state.booking.doctor_id = doctor.pk
        self.plan_bookings(specialty)
        self.keep_caller_data()
        offer = self.offer_slots(specialty, self.when or earlier)
        if nlu.extract_offer_move(self.text) == "latest" and self.state.step == Step.SLOT and self.offered():
            return self.move_offer("latest")  # "el último que tenga el jueves"
        return offer

    def remember_when(self) -> None:
        when = self.when
        self.state.request(date=when.date, time=when.time, part_of_day=when.part_of_day)
        self.remember_period(when)

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
        if self.declines_and_closes():
            return None  # "ok gracias", "no, gracias": a polite no, and done (small_talk)
        specialty = self.specialty_in_text()
        if specialty or (self.yes_no is True and self.current_specialty()):
            specialty = specialty or self.current_specialty()
            self.state.booking.specialty_id = specialty.pk
            return self.offer_slots(specialty, self.when or self.remembered_when())
        if self.when and self.current_specialty():
            return self.offer_slots(self.current_specialty(), self.when)
        if self.yes_no is False:
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return responses.OK_ANYTHING_ELSE
        return None

    # --- choosing among the offered slots ----------------------------------------------------

    def continue_slot(self) -> str | None:
        if self.declines_and_closes():
            return None  # "ok gracias": not choosing, and done (small_talk)
        move = nlu.extract_offer_move(self.text)
        the_last = bool(THE_LAST_ONE.search(normalize_text(self.text)))
        part = self.when.part_of_day
        if the_last and part:
            move = "latest"  # "la última de la mañana": the morning's last, not the last offered
        # "¿algo más tarde? tipo a las 6": the time said is the one wanted.
        if move and self.offered() and self.current_specialty() and not self.when.time:
            # "dame el último que tengas": that one is picked; "los últimos" are offered.
            return self.move_offer(move, pick_last=move == "latest" and the_last, part=part if the_last else None)
        changed = self.changed_at_offer()
        if changed:
            return changed
        specialty = self.specialty_in_text()
        if specialty and specialty.pk != self.state.booking.specialty_id:
            return self.start_booking()
        slot = self.match_offered()
        if slot:
            # "el primero a nombre de Héctor Domínguez": the name said with the choice is kept.
            self.keep_relatives_name() or self.keep_introduced_name()
            return self.select_slot(slot)
        current = self.current_specialty()
        if self.when and current:
            offer = self.offer_slots(current, self.when_on_discussed_day())
            part = self.when.part_of_day
            if part and nlu.picks_by_part_of_day(self.text):
                # "la de la tarde" when none of the afternoon's was on offer: its first one.
                fitting = [s for s in self.offered() if self.fits(s, date=None, part=part)]
                if fitting:
                    return self.select_slot(fitting[0])
            return offer
        doctor = self.doctor_in_text()
        if doctor and current and self.catalog.attends(doctor, current):
            self.state.booking.doctor_id = doctor.pk
            return self.offer_slots(current, self.discussed_day())
        if current and (self.none_suits() or self.asks_for_waitlist()):
            return (
                self.start_waitlist() if self.asks_for_waitlist() else self.offer_waitlist(current, nothing_free=False)
            )
        if self.yes_no is False or re.search(r"\botr[oa]s? (?:dia|fecha|horario|hora)", nlu.understand(self.text)):
            return responses.OK_ASK_BETTER_DAY
        if self.yes_no is True and len(self.offered()) > 1:
            if self.state.booking.offered_latest:
                return self.select_slot(self.offered()[-1])  # "el último que tenga" ... "ese"
            return responses.WHICH_SLOT
        name = nlu.extract_name(self.text, expecting=not self.intents)
        document = nlu.extract_document_number(self.text)
        relatives = [person for person in nlu.extract_people(self.text) if person]
        if relatives and not (name or document):
            # "es para mi hija": whose name and document will be asked once a slot is chosen.
            self.set_for_whom(relatives[0])
            return responses.for_whom_noted(relatives[0], self.describe_offered())
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
        if refusal := booking_cap_refusal(self.context, document_number=self.state.booking.document_number):
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return responses.identity_error(refusal.code, **refusal.values)
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
        changed = self.changed_at_offer()
        if changed or nlu.extract_name(self.text, expecting=True) or nlu.extract_document_number(self.text):
            return changed
        picked = self.selected_slot()
        if picked is not None and nlu.says_next_one(self.text) and self.current_specialty():
            return self.select_next_after(picked)
        slot = self.match_offered() if nlu.extract_choice(self.text, len(self.offered())) is not None else None
        if slot:
            return self.select_slot(slot)
        if self.when and self.current_specialty():
            self.forget_picked_doctor()
            return self.offer_slots(self.current_specialty(), self.when_on_discussed_day())
        return None

    def forget_picked_doctor(self) -> None:
        """ "No, el jueves no puedo, pasalo al viernes" after picking Thursday's 8:00 with Dr. Sosa:
        Friday's slots of any doctor, unless the patient names one. The doctor of a picked slot
        was the slot's, not a wish."""
        if self.selected_slot() is not None and self.doctor_in_text() is None:
            self.state.booking.doctor_id = None

    def continue_name(self) -> str | None:
        if self.declines_and_closes():
            return None  # "dejalo, después llamo": done (small_talk)
        changed = self.changed_slot()
        if changed:
            return changed
        document = nlu.extract_document_number(self.text)
        if self.state.booking.for_whom and self.keep_relatives_name():
            self.state.booking.document_number = document or self.state.booking.document_number
            return self.next_booking_question()  # "46888999A, es el DNI de mi marido, Jordi Puig"
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
            if self.became_for_relative():
                return self.next_booking_question()  # "es para mi hijo ...": his name
            if document:
                return responses.name_missing(self.state.booking.for_whom)
            return None
        self.state.booking.partial_name = ""
        self.state.booking.patient_name = name
        return self.next_booking_question()

    def continue_document(self) -> str | None:
        # "45678901. Ah, y el apellido es con y griega: Pereyra": the name corrected, and the
        # document said with it is taken too.
        corrected = self.corrected_name() or self.restated_name()
        if corrected:
            self.state.booking.patient_name = corrected
        elif FOR_SOMEONE_ELSE.search(normalize_text(self.text)) and self.became_for_relative():
            return self.next_booking_question()  # "ah no, la hora es para mi hermano, Tomás Fuentes": his document
        elif changed := self.changed_slot():
            return changed
        document = nlu.extract_document_number(self.text, expecting=True)
        if corrected and not document:
            return responses.document_question(self.state.booking.for_whom)
        if document:
            try:
                parse_document(document, accepted=self.clinic.document_kinds)
            except InvalidDocument as error:
                return responses.repeat_after(responses.document_problem(error.problem))
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
        if self.declines_and_closes():
            return None
        if self.asks_other_time():
            self.state.go(Step.SLOT)
            self.forget_picked_doctor()
            return self.continue_slot()
        if self.became_for_relative():
            return self.next_booking_question()  # "ah no, era para mi hijo": his data, not the caller's
        # "el dni es 30666778 y el nombre Ana María Ruiz": every datum corrected in the message
        # changes, and only those; the read-back again.
        document = nlu.extract_document_number(self.text)
        new_document = document if document and document != self.state.booking.document_number else None
        if new_document:
            self.state.booking.document_number = new_document
        # "no, el nombre está mal, es Camila Muñoz": the name after the correction, never
        # the words of the correction itself ("el nombre está mal" introduces no name).
        corrected = self.corrected_name()
        name = None if corrected else nlu.extract_name(self.text)
        if name and len(name.split()) >= 2 and name != self.state.booking.patient_name:
            # "no, mi nombre es Juan Pérez": a correction changes only the name.
            self.state.booking.patient_name = name
            return self.booking_summary_question()
        if new_document and not corrected:
            return self.booking_summary_question()
        if corrected is None and self.yes_no is not True:
            # "no, Gonzalez es con zeta": a word of the name respelled.
            corrected = nlu.respelled_name(self.text, current=self.state.booking.patient_name)
        if corrected:
            self.state.booking.patient_name = corrected
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
