"""The offline brain: Spanish intents and slot filling over the same tools the LLM uses.

It answers when there is no OpenAI key, when BOT_BRAIN=rules, and whenever the OpenAI
brain fails, so it must be able to pick up any conversation from `context.state` alone.
Every read and write of clinic data goes through `bot.tools.execute_tool`, exactly as the
model's tool calls do: the same identity checks, the same typed state (bot/state.py:
the flow and step, the booking's slots, the target turno), the same outcomes. Nothing
lives on the instance between turns.
"""

from __future__ import annotations

import datetime as dt
import re

from rapidfuzz import fuzz

from appointments.policy import DocumentProblem, in_part_of_day
from appointments.selectors import find_slot
from bot import nlu, responses
from bot.formatting import at_time, format_time, greeting_for, join_spanish, weekday_name, with_doctor
from bot.state import Flow, OfferedSlot, Step
from bot.tools import execute_tool
from bot.types import BotReply, ToolContext
from clinic.models import Doctor, Specialty
from clinic.selectors import Catalog, catalog_for, find_coverage, find_specialty, normalize_text, suggest_names
from identity.codes import extract_code

APPOINTMENT_STEPS = {
    Step.CHOOSE_APPOINTMENT,
    Step.CONFIRM_CANCEL,
    Step.NEW_TIME,
    Step.CONFIRM_RESCHEDULE,
    Step.IDENTIFY,
    Step.CODE,
}
TASK_FLOWS = {nlu.CANCEL: Flow.CANCEL, nlu.RESCHEDULE: Flow.RESCHEDULE, nlu.MY_APPOINTMENTS: Flow.LIST}
INFO_INTENTS = (nlu.ASK_COVERAGE, nlu.ASK_SPECIALTIES, nlu.ASK_HOURS, nlu.ASK_ADDRESS, nlu.ASK_CONTACT, nlu.ASK_PRICE)
TASKS = (nlu.RESCHEDULE, nlu.CANCEL, nlu.MY_APPOINTMENTS, nlu.BOOK)
# A slot starting within this lead time is not offered: the patient cannot get there, and
# book_appointment refuses a start that is not in the future at booking time.
MIN_LEAD_TIME = dt.timedelta(minutes=30)
# Three options is what a caller can keep in mind.
OFFERED_SLOTS = 3
# Words that make an unknown "¿tienen X?" sound like a medical service rather than, say, parking.
MEDICAL_LOOKING = re.compile(r"(?:logia|logo|loga|iatra|iatria|ista|terapia|pedia|cirug|medic|doctor|especialista)")
GENERIC_COVERAGE_WORDS = {
    "obra",
    "obras",
    "social",
    "sociales",
    "prepaga",
    "prepagas",
    "cobertura",
    "coberturas",
    "seguro",
    "seguros",
    "medico",
    "de",
    "salud",
    "mutual",
    "ellos",
    "ellas",
    "eso",
    "esa",
    "esas",
    "esos",
    "mi",
    "que",
    "cual",
    "cuales",
}


class RulesBrain:
    """Brain protocol implementation (see bot.brains.base.Brain)."""

    name = "rules"
    # The design's transcript goes from the DNI straight to "su turno está confirmado"; a
    # read-back before booking avoids turnos on misheard names and dates over the phone.
    confirm_before_booking = True

    def respond(self, *, text: str, context: ToolContext) -> BotReply:
        return _Turn(text=text, context=context, confirm_before_booking=self.confirm_before_booking).run()


class _Turn:
    """One patient turn: what was understood, the state, and the answer being built."""

    def __init__(self, *, text: str, context: ToolContext, confirm_before_booking: bool):
        self.text = text or ""
        self.context = context
        self.state = context.state
        self.clinic = context.clinic
        self.tz = context.tz
        self.local_now = context.now.astimezone(self.tz)
        self.today = self.local_now.date()
        self.confirm_before_booking = confirm_before_booking
        self.intents = nlu.detect_intents(self.text)
        self.when = nlu.extract_when(self.text, now=self.local_now)
        self.yes_no = nlu.yes_no(self.text)
        self.end = False
        self.transfer = False

    # --- plumbing --------------------------------------------------------------------

    def tool(self, name: str, **arguments) -> dict:
        return execute_tool(
            name=name, arguments={k: v for k, v in arguments.items() if v is not None}, context=self.context
        )

    def reply(self, *parts: str) -> BotReply:
        text = " ".join(part.strip() for part in parts if part and part.strip())
        return BotReply(text=text, end_conversation=self.end, transfer_to_human=self.transfer, brain=RulesBrain.name)

    def clear_flow(self) -> None:
        self.state.clear_flow()

    @property
    def catalog(self) -> Catalog:
        return catalog_for(self.clinic)

    def has(self, intent: str) -> bool:
        return intent in self.intents

    @property
    def task(self) -> str | None:
        return next((intent for intent in self.intents if intent in TASKS), None)

    @property
    def pending(self) -> Step:
        # A brain that stopped right after offering slots (the model's tools leave them) may
        # leave no step: the patient's next words choose among the offered slots.
        return self.state.step or (Step.SLOT if self.offered() else Step.NONE)

    # --- the turn --------------------------------------------------------------------

    def run(self) -> BotReply:
        if not self.text.strip():
            return self.reply(responses.EMPTY)
        if self.has(nlu.EMERGENCY):
            # The engine answers emergencies before any brain; this is the same answer for
            # when the brain is called directly.
            self.state.go(Step.OFFER_TRANSFER)
            return self.reply(
                f"Si se trata de una emergencia, llame ahora mismo al {self.clinic.emergency_number} "
                "o acuda a la guardia más cercana. ¿Quiere que lo comunique con recepción?"
            )
        if self.has(nlu.TRANSFER):
            return self.do_transfer()

        # Read before answering side questions: those may set a new pending question that
        # this same message must not be taken to answer.
        pending = self.pending
        info_intents = [intent for intent in self.intents if intent in INFO_INTENTS]
        if pending in {Step.NAME, Step.IDENTIFY} and nlu.extract_name(self.text, expecting=True):
            info_intents = []  # "Tomás Donde" is a name, not a question about the address.
        info = [answer for intent in info_intents for answer in [self.answer_info(intent)]]
        info = [answer for answer in info if answer]
        flow = None
        if pending and not self.switches_task(pending):
            flow = self.continue_pending(pending)
        if flow is None and self.task:
            flow = self.start_task(self.task)
        if flow is None and not info:
            flow = self.small_talk()
        if flow is None and not info:
            flow = self.guess()
        if flow is None and info and pending and self.pending == pending and pending != Step.ANYTHING_ELSE:
            # Answered a side question in the middle of a flow: ask again what was pending.
            flow = self.ask_pending_again(short=True)
        if flow is None and not info:
            flow = self.fallback()
        return self.reply(*info, flow or "")

    def switches_task(self, pending: Step) -> bool:
        task = self.task
        if task is None:
            return False
        # "Sí, confirmo el turno" answers the question; it is not a new request about turnos.
        if pending.startswith(("confirm", "offer")) and self.yes_no is not None:
            return False
        if task == nlu.BOOK:
            return (
                pending in APPOINTMENT_STEPS - {Step.NEW_TIME, Step.CONFIRM_RESCHEDULE} or pending == Step.ANYTHING_ELSE
            )
        return not (pending in APPOINTMENT_STEPS and self.state.flow == TASK_FLOWS[task])

    def start_task(self, task: str) -> str | None:
        if task == nlu.BOOK:
            return self.start_booking()
        if task in TASK_FLOWS:
            return self.start_appointment_flow(TASK_FLOWS[task])
        return None

    def continue_pending(self, pending: Step) -> str | None:
        handler = getattr(self, f"continue_{pending}", None)
        return handler() if handler else None

    # --- small talk, help, fallback ---------------------------------------------------

    def small_talk(self) -> str | None:
        if self.has(nlu.HELP):
            return self.help_text()
        if self.has(nlu.GOODBYE):
            return self.do_goodbye()
        if self.has(nlu.GREETING):
            greeting = f"{greeting_for(self.local_now)}, {self.clinic.name}, ¿en qué puedo ayudarlo?"
            if self.pending:
                return f"{greeting_for(self.local_now)}. {self.ask_pending_again(short=True)}"
            return greeting
        if self.has(nlu.THANKS) and not (self.has(nlu.AFFIRM) and self.pending):
            if self.pending and self.pending != Step.ANYTHING_ELSE:
                return f"De nada. {self.ask_pending_again(short=True)}"
            self.state.go(Step.ANYTHING_ELSE)
            return "De nada. ¿Necesita algo más?"
        return None

    def help_text(self) -> str:
        return (
            f"Soy el asistente de {self.clinic.name}. Puedo darle un turno, decirle sus próximos turnos, "
            "cambiarlos o cancelarlos, e informarle especialidades, obras sociales, horarios y dirección. "
            "También puedo comunicarlo con recepción. ¿Qué necesita?"
        )

    def do_goodbye(self) -> str:
        self.tool("end_conversation", summary="El paciente se despidió.")
        self.clear_flow()
        self.end = True
        return responses.farewell(self.clinic.name)

    def do_transfer(self) -> BotReply:
        result = self.tool("transfer_to_human", reason=self.text[:200])
        self.clear_flow()
        self.transfer = True
        return self.reply(
            responses.transfer(channel=self.context.channel, reception_phone=result.get("reception_phone") or "")
        )

    def guess(self) -> str | None:
        """No intent, no pending answer: a bare specialty ("cardiología"), coverage ("OSDE?")
        or day ("el jueves a las 10") still says what the patient wants."""
        if self.specialty_in_text() or self.doctor_in_text():
            return self.start_booking()
        if find_coverage(clinic=self.clinic, text=self.text_without_clinic_name()):
            return self.answer_coverage()
        if self.when and self.state.booking.specialty_id:
            return self.offer_slots(self.current_specialty(), self.when_on_discussed_day())
        if self.yes_no is False and not self.pending:
            self.state.go(Step.ANYTHING_ELSE)
            return "De acuerdo. ¿Necesita algo más?"
        return None

    def fallback(self) -> str:
        if self.pending and self.pending != Step.ANYTHING_ELSE:
            return f"Disculpe, no le entendí. {self.ask_pending_again()}"
        return (
            "Disculpe, no le entendí. Puedo darle un turno, decirle sus turnos, cambiarlos o cancelarlos, "
            "e informarle especialidades, obras sociales, horarios y dirección. ¿Qué necesita?"
        )

    def ask_pending_again(self, *, short: bool = False) -> str:
        pending = self.pending
        if pending == Step.SPECIALTY:
            return "¿Para qué especialidad necesita el turno?"
        if pending == Step.SLOT:
            if short or not self.offered():
                return "¿Qué horario prefiere? También puede decirme otro día u horario."
            return f"Tengo {self.describe_offered()}. ¿Cuál prefiere? También puede decirme otro día u horario."
        if pending == Step.NAME:
            return "¿Me puede dar su nombre completo?"
        if pending == Step.DOCUMENT:
            return "¿Me dice su número de documento, por favor?"
        if pending == Step.CONFIRM_BOOKING:
            return self.booking_summary_question()
        if pending == Step.CONFIRM_CANCEL:
            return self.cancel_question() or "¿Confirma la cancelación?"
        if pending == Step.CONFIRM_RESCHEDULE:
            return self.reschedule_question() or "¿Confirma el cambio?"
        if pending == Step.NEW_TIME:
            return "¿Para qué día y horario quiere pasar su turno?"
        if pending == Step.CHOOSE_APPOINTMENT:
            return "¿Cuál de sus turnos? Dígame el día o la especialidad."
        if pending == Step.IDENTIFY:
            return "Dígame su nombre completo y su número de documento, por favor."
        if pending == Step.CODE:
            return "Dígame el código que le envié, por favor."
        if pending == Step.OFFER_BOOKING:
            specialty = self.current_specialty()
            return (
                f"¿Quiere que le busque un turno de {specialty.name}?"
                if specialty
                else "¿Quiere que le busque un turno?"
            )
        if pending == Step.OFFER_TRANSFER:
            return "¿Quiere que lo comunique con recepción?"
        return "¿En qué puedo ayudarlo?"

    # --- questions about the clinic -----------------------------------------------------

    def answer_info(self, intent: str) -> str | None:
        if intent == nlu.ASK_COVERAGE:
            return self.answer_coverage()
        if intent == nlu.ASK_SPECIALTIES:
            return self.answer_specialties()
        if intent == nlu.ASK_HOURS:
            return self.answer_hours()
        if intent == nlu.ASK_ADDRESS:
            address = self.tool("get_clinic_info", topic="contact").get("address")
            return f"Estamos en {address}." if address else None
        if intent == nlu.ASK_CONTACT:
            phone = self.tool("get_clinic_info", topic="contact").get("phone")
            return f"Puede llamarnos al {phone}." if phone else None
        if intent == nlu.ASK_PRICE:
            if not self.pending:
                self.state.go(Step.OFFER_TRANSFER)
                return "Los valores de las consultas se los informa recepción. ¿Quiere que lo comunique?"
            return "Los valores de las consultas se los informa recepción."
        return None

    def answer_coverage(self) -> str:
        result = self.tool("get_clinic_info", topic="coverages", coverage=self.text_without_clinic_name()[:100])
        accepted = result.get("coverages_accepted") or []
        listing = join_spanish(accepted)
        private = " También puede atenderse en forma particular." if result.get("private_pay") else ""
        found = result.get("coverage_found")
        if found and result.get("coverage_accepted"):
            notes = f" {result['coverage_notes'].rstrip('.')}." if result.get("coverage_notes") else ""
            if found not in accepted:  # "Particular"
                return f"Sí, puede atenderse en forma particular.{notes}"
            return f"Sí, trabajamos con {found}.{notes} Las coberturas que aceptamos son {listing}.{private}"
        if found:
            return f"No, no trabajamos con {found}. Aceptamos {listing}.{private}"
        asked = nlu.find_common_coverage(self.text)
        subject = nlu.extract_offer_subject(self.text)
        if not asked and subject and not set(subject.split()) <= GENERIC_COVERAGE_WORDS:
            asked = subject.upper() if len(subject) <= 5 else subject.title()
        if asked:
            return f"No, no trabajamos con {asked}. Aceptamos {listing}.{private}"
        return f"Trabajamos con {listing}.{private}"

    def specialty_names(self) -> list[str]:
        return self.tool("get_clinic_info", topic="specialties").get("specialties") or []

    def answer_specialties(self) -> str:
        specialty = self.specialty_in_text()
        if specialty:
            if self.task:
                return f"Sí, tenemos {specialty.name}."
            self.state.booking.specialty_id = specialty.pk
            if not self.pending or self.pending in {Step.ANYTHING_ELSE, Step.SPECIALTY, Step.OFFER_BOOKING}:
                self.state.go(Step.OFFER_BOOKING)
                return f"Sí, tenemos {specialty.name}. ¿Quiere que le busque un turno?"
            return f"Sí, tenemos {specialty.name}."
        names = self.specialty_names()
        asked = nlu.find_common_specialty(self.text)
        subject = nlu.extract_offer_subject(self.text)
        if not asked and subject and MEDICAL_LOOKING.search(normalize_text(subject)):
            asked = subject
        if asked:
            closest = suggest_names(text=asked, names=names)
            ordered = closest + [name for name in names if name not in closest]
            if not self.pending or self.pending in {Step.ANYTHING_ELSE, Step.OFFER_BOOKING}:
                self.state.go(Step.SPECIALTY)
                return f"No, no tenemos {asked}, pero tenemos {join_spanish(ordered)}. ¿Le busco un turno en alguna?"
            return f"No, no tenemos {asked}, pero tenemos {join_spanish(ordered)}."
        if (
            subject
            and not self.has(nlu.BOOK)
            and not re.search(r"\bespecialid|\bespecialista|\bque ", nlu.understand(self.text))
        ):
            return (
                f"No tengo información sobre «{subject}». Le puedo informar especialidades, obras sociales, "
                "horarios y dirección, o comunicarlo con recepción."
            )
        if self.task or (self.pending and self.pending not in {Step.ANYTHING_ELSE, Step.OFFER_BOOKING}):
            return f"Tenemos {join_spanish(names)}."
        self.state.go(Step.SPECIALTY)
        return f"Tenemos {join_spanish(names)}. ¿Para cuál necesita turno?"

    def answer_hours(self) -> str:
        lines = self.tool("get_clinic_info", topic="hours").get("opening_hours") or []
        schedule = "; ".join(lines)
        day = self.when.date
        if day is None:
            named = next((w for w in nlu.WEEKDAYS if re.search(rf"\b{w}\b", nlu.understand(self.text))), None)
            if named:
                day = self.today + dt.timedelta(days=(nlu.WEEKDAYS[named] - self.today.weekday()) % 7)
        if day is not None:
            rows = [hours for hours in self.catalog.opening_hours if hours.weekday == day.weekday()]
            label = weekday_name(day)
            which = "hoy" if day == self.today else ("mañana" if day == self.today + dt.timedelta(days=1) else None)
            when_text = which or (f"los {label}" if label.endswith("s") else f"los {label}s")
            if not rows:
                return f"No, {when_text} la clínica está cerrada. Nuestro horario es: {schedule}."
            ranges = " y ".join(f"de {format_time(r.opens_at)} a {format_time(r.closes_at)}" for r in rows)
            return f"Sí, {when_text} atendemos {ranges}."
        return (
            f"Nuestro horario de atención es: {schedule}." if schedule else "No tengo cargado el horario de atención."
        )

    # --- entities ------------------------------------------------------------------------

    def text_without_clinic_name(self) -> str:
        # "Clínica San Rafael" must not read as the specialty "Clínica médica".
        text = normalize_text(self.text)
        name = normalize_text(self.clinic.name)
        return text.replace(name, " ").strip() if name else text

    def specialty_in_text(self) -> Specialty | None:
        text = self.text_without_clinic_name()
        if not text:
            return None
        specialty = find_specialty(clinic=self.clinic, text=text)
        if specialty is None:
            corrected = nlu.understand(text)
            if corrected != text:
                specialty = find_specialty(clinic=self.clinic, text=corrected)
        return specialty

    def doctor_in_text(self, doctors=None) -> Doctor | None:
        words = normalize_text(self.text).split()
        if not words:
            return None
        doctors = doctors if doctors is not None else self.catalog.active_doctors
        for doctor in doctors:
            surname = normalize_text(doctor.last_name)
            if not surname:
                continue
            if surname in " ".join(words).split() or (
                len(surname) >= 5 and any(fuzz.ratio(surname, w) >= 85 for w in words)
            ):
                return doctor
        return None

    def current_specialty(self) -> Specialty | None:
        specialty_id = self.state.booking.specialty_id
        if not specialty_id:
            return None
        return self.catalog.specialty(specialty_id)

    # --- booking -------------------------------------------------------------------------

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
        if specialty is None:
            self.remember_when()
            asked = nlu.find_common_specialty(self.text)
            names = self.specialty_names()
            self.state.go(Step.SPECIALTY)
            if asked:
                closest = suggest_names(text=asked, names=names)
                ordered = closest + [name for name in names if name not in closest]
                return f"No tenemos {asked}, pero tenemos {join_spanish(ordered)}. ¿Para cuál quiere el turno?"
            return f"¿Para qué especialidad necesita el turno? Tenemos {join_spanish(names)}."
        self.state.booking.specialty_id = specialty.pk
        if doctor and self.catalog.attends(doctor, specialty):
            self.state.booking.doctor_id = doctor.pk
        return self.offer_slots(specialty, self.when or earlier)

    def remember_when(self) -> None:
        when = self.when
        self.state.request(date=when.date, time=when.time, part_of_day=when.part_of_day)

    def remembered_when(self) -> nlu.When:
        booking = self.state.booking
        date = booking.requested_date
        if date and date < self.today:
            date = None
        part = booking.requested_part_of_day
        return nlu.When(date=date, time=booking.requested_time, part_of_day=part.value if part else None)

    def continue_specialty(self) -> str | None:
        if self.specialty_in_text() or self.doctor_in_text():
            return self.start_booking()
        asked = nlu.find_common_specialty(self.text)
        if asked:
            names = self.specialty_names()
            return f"No tenemos {asked}. Tenemos {join_spanish(names)}. ¿Para cuál quiere el turno?"
        if self.when:
            self.remember_when()
            return "De acuerdo. ¿Para qué especialidad necesita el turno?"
        return None

    def continue_offer_booking(self) -> str | None:
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
            return "De acuerdo. ¿Necesita algo más?"
        return None

    def offered(self) -> list[OfferedSlot]:
        return self.state.booking.offered_slots

    def slot_start(self, slot: OfferedSlot) -> dt.datetime:
        return slot.start.astimezone(self.tz)

    def doctor_name(self, doctor_id) -> str:
        doctor = self.catalog.doctor(doctor_id)
        return doctor.display_name if doctor else ""

    def day_phrase(self, day: dt.date) -> str:
        return responses.day_phrase(day, today=self.today)

    def describe_slot(self, slot: OfferedSlot, *, with_date: bool = True) -> str:
        start = self.slot_start(slot)
        when = f"{self.day_phrase(start.date())} {at_time(start.time())}" if with_date else at_time(start.time())
        return f"{when} {with_doctor(self.doctor_name(slot.doctor_id))}".strip()

    def describe_offered(self) -> str:
        """Grouped for the ear: "el lunes 7 de diciembre a las 9:00, 9:20 o 9:40 con el Dr.
        Gustavo Domínguez, o el martes ..." rather than the doctor's name three times."""
        groups: list[tuple[dt.date, object, list[dt.time]]] = []
        for slot in self.offered():
            start = self.slot_start(slot)
            if groups and groups[-1][0] == start.date() and groups[-1][1] == slot.doctor_id:
                groups[-1][2].append(start.time())
            else:
                groups.append((start.date(), slot.doctor_id, [start.time()]))
        parts = []
        for day, doctor_id, times in groups:
            hours = join_spanish([format_time(t) for t in times], last="o")
            article = "a la" if len(times) == 1 and times[0].hour == 1 else "a las"
            parts.append(f"{self.day_phrase(day)} {article} {hours} {with_doctor(self.doctor_name(doctor_id))}".strip())
        return join_spanish(parts, last="o")

    def offer_slots(self, specialty: Specialty | None, when: nlu.When, *, purpose: str = "book") -> str:
        """Real free slots read from the tool: the exact time when free, else the nearest."""
        if specialty is None:
            self.state.go(Step.SPECIALTY)
            return "¿Para qué especialidad necesita el turno?"
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
        result = self.tool("find_available_slots", **arguments)
        self.state.go(Step.NEW_TIME if purpose == "reschedule" else Step.SLOT)
        if not result.get("ok"):
            return f"{result.get('error', 'No pude buscar turnos.')} ¿Qué otro día le queda bien?"
        earliest = self.context.now + MIN_LEAD_TIME
        self.state.offer([s for s in self.offered() if s.start >= earliest][:OFFERED_SLOTS])
        slots = self.offered()
        if not slots:
            self.state.go(Step.OFFER_TRANSFER)
            return (
                f"No hay turnos libres de {specialty.name} en las próximas dos semanas. "
                "¿Quiere que lo comunique con recepción para anotarlo en lista de espera?"
            )
        if time and result.get("requested_time_available"):
            exact = next(
                (s for s in slots if self.slot_start(s).time() == time and self.slot_start(s).date() == date), None
            )
            if exact:
                return self.select_slot(exact)
        if time:
            asked = at_time(time) if inferred_date else f"{self.day_phrase(date)} {at_time(time)}"
            intro = (
                f"{asked[0].upper()}{asked[1:]} no tengo turno libre de {specialty.name}. Lo más cercano que tengo es"
            )
        elif date and all(self.slot_start(s).date() != date for s in slots):
            asked = self.day_phrase(date)
            intro = f"{asked[0].upper()}{asked[1:]} no hay turnos de {specialty.name}. Los próximos son"
        elif when.part_of_day:
            part = "a la mañana" if when.part_of_day == nlu.MORNING else "a la tarde"
            intro = f"Para {specialty.name} {part} tengo"
        else:
            intro = f"Para {specialty.name} tengo"
        return f"{intro} {self.describe_offered()}. ¿Cuál prefiere? Si ninguno le sirve, dígame otro día u horario."

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
        if self.yes_no is False or re.search(r"\botr[oa]s? (?:dia|fecha|horario|hora)", nlu.understand(self.text)):
            return "De acuerdo. ¿Qué día y horario le quedan mejor?"
        if self.yes_no is True and len(self.offered()) > 1:
            return "¿Cuál de los horarios? Puede decirme «el primero», o el día y la hora."
        name = nlu.extract_name(self.text, expecting=not self.intents)
        document = nlu.extract_document_number(self.text)
        if (name and len(name.split()) >= 2) or document:
            # Data given before choosing (the model may have asked for it first): keep it.
            if name and len(name.split()) >= 2:
                self.state.booking.patient_name = name
            if document:
                self.state.booking.document_number = document
            return f"Gracias. ¿Cuál horario prefiere: {self.describe_offered()}?"
        return None

    def select_slot(self, slot: OfferedSlot) -> str:
        self.state.select(slot, tz=self.tz)
        if self.pending == Step.NEW_TIME:
            self.state.go(Step.CONFIRM_RESCHEDULE)
            return self.reschedule_question() or "¿Confirma el cambio?"
        chosen = f"Perfecto, {self.describe_slot(slot)}."
        return f"{chosen} {self.next_booking_question()}"

    def selected_slot(self) -> OfferedSlot | None:
        return self.state.selected_slot

    def next_booking_question(self) -> str:
        if not self.state.booking.patient_name:
            self.state.go(Step.NAME)
            return "¿Me puede dar su nombre completo?"
        if not self.state.booking.document_number:
            self.state.go(Step.DOCUMENT)
            return "¿Y su número de documento?"
        if not self.confirm_before_booking:
            return self.book()
        self.state.go(Step.CONFIRM_BOOKING)
        return self.booking_summary_question()

    def booking_summary_question(self) -> str:
        slot = self.selected_slot()
        specialty = self.current_specialty()
        if not slot or not specialty:
            self.state.go(Step.SLOT)
            return "¿Qué día y horario prefiere?"
        return (
            f"¿Confirma el turno de {specialty.name} {self.describe_slot(slot)}, a nombre de "
            f"{self.state.booking.patient_name}, documento {self.state.booking.document_number}?"
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
                return f"Gracias, {name}. ¿Me dice también su apellido?"
        if document:
            self.state.booking.document_number = document
        if not name:
            if document:
                return "Gracias. ¿Y su nombre completo?"
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
            return f"{responses.document_problem(DocumentProblem.FORMAT)} ¿Me lo repite, por favor?"
        name = nlu.extract_name(self.text)
        if name:
            self.state.booking.patient_name = name
            return "Gracias. ¿Y su número de documento?"
        return None

    def continue_confirm_booking(self) -> str | None:
        if self.when and (self.when.date or self.when.time) and self.yes_no is not True:
            self.state.go(Step.SLOT)
            return self.continue_slot()
        document = nlu.extract_document_number(self.text)
        if document and document != self.state.booking.document_number:
            self.state.booking.document_number = document
            return self.booking_summary_question()
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
                return "De acuerdo. ¿A nombre de quién es el turno? Dígame el nombre completo."
            self.state.go(Step.SLOT)
            return "De acuerdo, no reservé nada. ¿Prefiere otro día u horario?"
        return None

    def book(self) -> str:
        slot = self.selected_slot()
        if slot is None:
            self.state.go(Step.SLOT)
            return "Perdón, se me perdió el horario elegido. ¿Qué día y horario prefiere?"
        result = self.tool(
            "book_appointment",
            slot_id=slot.slot_id,
            full_name=self.state.booking.patient_name,
            document_number=self.state.booking.document_number,
        )
        if result.get("ok"):
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            address = result.get("address") or self.clinic.address
            return responses.booking_confirmed(result["booked"], address=address, today=self.today)
        code = result.get("code")
        error = result.get("error", "No pude reservar el turno.")
        if code in {"slot_taken", "in_past", "outside_schedule", "closed", "doctor_unavailable"}:
            self.state.booking.selected_slot_id = None
            start = self.slot_start(slot)
            specialty = self.current_specialty()
            return f"{error} {self.offer_slots(specialty, nlu.When(date=start.date(), time=start.time()))}"
        if code == "invalid_arguments" and "documento" in error.lower():
            self.state.booking.document_number = ""
            self.state.go(Step.DOCUMENT)
            return f"{error} ¿Me lo repite, por favor?"
        if code == "invalid_arguments" and "nombre" in error.lower():
            self.state.booking.patient_name = ""
            self.state.go(Step.NAME)
            return "Necesito su nombre y apellido. ¿Me los dice, por favor?"
        self.state.go(Step.SLOT)
        return f"{error} ¿Quiere elegir otro horario?"

    # --- the patient's own turnos ----------------------------------------------------------

    def my_appointments(self) -> list[dict]:
        result = self.tool("list_my_appointments")
        return (result.get("appointments") or []) if result.get("ok") else []

    def describe_appointment(self, appointment: dict) -> str:
        return responses.appointment_phrase(appointment, today=self.today)

    def old_and_new(self) -> tuple[nlu.When, nlu.When]:
        """ "Cambiar el turno del martes para el jueves a las 10": which turno (martes) and
        where to (jueves 10:00). Without "para"/"al", a day is the new one when moving and
        the old one when cancelling."""
        text = normalize_text(self.text)
        split = list(re.finditer(r"\b(?:para|al|pasarlo a|moverlo a|cambiarlo a|a otro)\b", text))
        if split:
            head, tail = text[: split[-1].start()], text[split[-1].start() :]
            return nlu.extract_when(head, now=self.local_now), nlu.extract_when(tail, now=self.local_now)
        if self.state.flow == Flow.RESCHEDULE and not re.search(r"\bdel\b", text):
            return nlu.When(), self.when
        return self.when, nlu.When()

    def match_appointment(self, appointments: list[dict]) -> dict | None:
        if len(appointments) == 1:
            return appointments[0]
        old, _new = self.old_and_new()
        choice = nlu.extract_choice(self.text, len(appointments))
        if choice is not None and not old.date:
            return appointments[choice]
        candidates = appointments
        if old.date:
            candidates = [a for a in candidates if a["date"] == old.date.isoformat()]
        if old.time:
            candidates = [a for a in candidates if a["time"] == old.time.strftime("%H:%M")]
        specialty = self.specialty_in_text()
        if specialty:
            candidates = [a for a in candidates if a["specialty"] == specialty.name]
        doctor = self.doctor_in_text()
        if doctor:
            candidates = [a for a in candidates if a["doctor"] == doctor.display_name]
        if (old or specialty or doctor) and len(candidates) == 1:
            return candidates[0]
        return None

    def start_appointment_flow(self, flow: Flow) -> str:
        target_id = self.state.target.appointment_id
        self.state.start(flow)
        if nlu.extract_document_number(self.text):
            # A DNI in the request ("los turnos del DNI ..."): another patient's turnos, which
            # take the one-time code sent to that patient's registered number.
            self.state.booking.patient_name = ""
            self.state.booking.document_number = ""
            self.state.go(Step.IDENTIFY)
            return self.continue_identify()
        appointments = self.my_appointments()
        if not appointments:
            self.state.go(Step.IDENTIFY)
            return (
                "No encuentro turnos próximos para este número. Si lo reservó desde otro teléfono, dígame "
                "el nombre completo y el número de documento del paciente y le envío un código a su teléfono registrado."
            )
        if flow == Flow.LIST:
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            listing = join_spanish([self.describe_appointment(a) for a in appointments])
            count = "un turno" if len(appointments) == 1 else f"{len(appointments)} turnos"
            return f"Tiene {count}: {listing}. ¿Necesita algo más?"
        target = None
        if (
            target_id
            and any(a["appointment_id"] == target_id for a in appointments)
            and not (self.when or self.specialty_in_text())
        ):
            target = next(a for a in appointments if a["appointment_id"] == target_id)
        target = target or self.match_appointment(appointments)
        if target is None:
            self.state.go(Step.CHOOSE_APPOINTMENT)
            self.state.offer_targets([a["appointment_id"] for a in appointments])
            listing = join_spanish([self.describe_appointment(a) for a in appointments], last="o")
            verb = "cancelar" if flow == Flow.CANCEL else "cambiar"
            return f"Tiene {len(appointments)} turnos: {listing}. ¿Cuál quiere {verb}?"
        return self.with_target(target)

    def with_target(self, appointment: dict) -> str:
        self.state.choose_target(appointment["appointment_id"])
        if self.state.flow == Flow.CANCEL:
            self.state.go(Step.CONFIRM_CANCEL)
            return self.cancel_question(appointment)
        specialty = next((s for s in self.catalog.specialties if s.name == appointment["specialty"]), None)
        self.state.booking.specialty_id = specialty.pk if specialty else None
        _old, when = self.old_and_new()
        if when.date and when.date.isoformat() == appointment["date"] and not when.time:
            when = nlu.When()  # "cambiar el turno del martes": the old day, not the new one.
        if when:
            self.state.go(Step.NEW_TIME)
            return self.offer_slots(specialty, when, purpose="reschedule")
        self.state.go(Step.NEW_TIME)
        return f"Su turno es de {self.describe_appointment(appointment)}. ¿Para qué día y horario lo quiere pasar?"

    def target_appointment(self) -> dict | None:
        target_id = self.state.target.appointment_id
        return next((a for a in self.my_appointments() if a["appointment_id"] == target_id), None)

    def cancel_question(self, appointment: dict | None = None) -> str | None:
        appointment = appointment or self.target_appointment()
        if appointment is None:
            return None
        return f"¿Confirma que cancelo su turno de {self.describe_appointment(appointment)}?"

    def reschedule_question(self) -> str | None:
        appointment = self.target_appointment()
        slot = self.selected_slot()
        if appointment is None or slot is None:
            return None
        return (
            f"¿Confirma que paso su turno de {self.describe_appointment(appointment)} para {self.describe_slot(slot)}?"
        )

    def continue_identify(self) -> str | None:
        name = nlu.extract_name(self.text, expecting=True)
        document = nlu.extract_document_number(self.text)
        if name and len(name.split()) >= 2:
            self.state.booking.patient_name = name
        if document:
            self.state.booking.document_number = document
        if not (name or document):
            return None
        if not self.state.booking.patient_name:
            return "Gracias. ¿Y su nombre completo?"
        if not self.state.booking.document_number:
            return "Gracias. ¿Y su número de documento?"
        result = self.tool(
            "list_my_appointments",
            document_number=self.state.booking.document_number,
            full_name=self.state.booking.patient_name,
        )
        flow = self.state.flow or Flow.LIST
        verification = result.get("verification")
        if verification == "code_sent":
            self.state.go(Step.CODE)
            return result["message"]
        if verification or not result.get("ok"):
            self.state.go(Step.OFFER_TRANSFER)
            message = result.get("message") or result.get("error") or "No pude verificar sus datos."
            return f"{message} ¿Quiere que lo comunique con recepción?"
        if not result.get("appointments"):
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return "No encuentro turnos próximos a su nombre. ¿Quiere sacar uno?"
        return self.start_appointment_flow(flow)

    def continue_code(self) -> str | None:
        """The one-time code sent to the patient's registered number, typed or dictated."""
        code = extract_code(nlu.words_to_digits(normalize_text(self.text)))
        if not code:
            if self.yes_no is False or re.search(r"\bno (?:me )?(?:llego|tengo|recibi)", normalize_text(self.text)):
                self.state.go(Step.OFFER_TRANSFER)
                return "Entiendo. ¿Quiere que lo comunique con recepción?"
            return None
        result = self.tool("list_my_appointments", code=code)
        if result.get("ok"):
            flow = self.state.flow or Flow.LIST
            return f"Gracias, verifiqué sus datos. {self.start_appointment_flow(flow)}"
        if result.get("code") == "code_wrong":
            return f"{result['error']} ¿Me lo repite, por favor?"
        self.state.go(Step.OFFER_TRANSFER)
        return f"{result.get('error', 'No pude verificar el código.')} ¿Quiere que lo comunique con recepción?"

    def continue_choose_appointment(self) -> str | None:
        options = self.state.target.options
        appointments = [a for a in self.my_appointments() if a["appointment_id"] in options]
        target = self.match_appointment(appointments)
        if target:
            return self.with_target(target)
        if self.yes_no is False:
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return "De acuerdo, no cambio nada. ¿Necesita algo más?"
        return None

    def continue_confirm_cancel(self) -> str | None:
        if self.yes_no is True or (self.has(nlu.CANCEL) and self.yes_no is not False):
            result = self.tool("cancel_appointment", appointment_id=self.state.target.appointment_id)
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            if not result.get("ok"):
                return f"{result.get('error', 'No pude cancelar el turno.')} ¿Necesita algo más?"
            return responses.cancel_confirmed(result["cancelled"], today=self.today)
        if self.yes_no is False:
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return "De acuerdo, su turno sigue en pie. ¿Necesita algo más?"
        return None

    def continue_new_time(self) -> str | None:
        slot = self.match_offered()
        if slot:
            return self.select_slot(slot)
        specialty = self.current_specialty()
        if self.when and specialty:
            return self.offer_slots(specialty, self.when, purpose="reschedule")
        if self.yes_no is False and self.offered():
            return "De acuerdo. ¿Qué otro día y horario le quedan bien?"
        return None

    def continue_confirm_reschedule(self) -> str | None:
        if self.when and (self.when.date or self.when.time) and self.yes_no is not True:
            self.state.go(Step.NEW_TIME)
            return self.continue_new_time()
        if self.yes_no is True:
            slot = self.selected_slot()
            result = self.tool(
                "reschedule_appointment",
                appointment_id=self.state.target.appointment_id,
                slot_id=slot.slot_id if slot else None,
            )
            if not result.get("ok"):
                self.state.go(Step.NEW_TIME)
                return f"{result.get('error', 'No pude cambiar el turno.')} ¿Quiere probar con otro horario?"
            self.clear_flow()
            self.state.go(Step.ANYTHING_ELSE)
            return responses.reschedule_confirmed(result["new"], today=self.today)
        if self.yes_no is False:
            self.state.go(Step.NEW_TIME)
            self.state.booking.selected_slot_id = None
            return "De acuerdo, su turno sigue como estaba. ¿Prefiere otro día u horario?"
        return None

    # --- yes/no answers to the brain's own offers ---------------------------------------------

    def continue_offer_transfer(self) -> str | None:
        if self.yes_no is True:
            self.state.go(Step.NONE)
            reply = self.do_transfer()
            return reply.text
        if self.yes_no is False:
            self.state.go(Step.ANYTHING_ELSE)
            return "De acuerdo. ¿Necesita algo más?"
        return None

    def continue_anything_else(self) -> str | None:
        if self.task or any(self.has(intent) for intent in INFO_INTENTS):
            return None
        if self.yes_no is False or self.has(nlu.GOODBYE):
            return self.do_goodbye()
        if self.yes_no is True:
            self.state.go(Step.NONE)
            return "Claro, ¿en qué más puedo ayudarlo?"
        return None
