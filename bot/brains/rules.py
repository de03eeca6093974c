"""The offline brain: Spanish intents and slot filling over the same tools the LLM uses.

It answers when there is no OpenAI key, when BOT_BRAIN=rules, and whenever the OpenAI
brain fails, so it must be able to pick up any conversation from `context.state` alone.
Every read and write of clinic data goes through `bot.tools.execute_tool`, exactly as the
model's tool calls do: the same identity checks, the same state keys ("offered_slots",
"specialty_id", ...), the same outcomes. Nothing lives on the instance between turns.

State keys this brain writes besides the tools' own: "pending" (what it is waiting for),
"requested_date" / "requested_time" / "requested_part_of_day", "doctor_id",
"selected_slot_id", "target_appointment_id", "appointment_flow" ("cancel" / "reschedule" /
"list"), "appointment_options" (ids), "partial_name"; "code" is the step waiting for a one-time code.
"""

from __future__ import annotations

import datetime as dt
import re

from rapidfuzz import fuzz

from appointments.selectors import find_slot
from bot import nlu
from bot.engine import FAREWELL_TEXT
from bot.formatting import at_time, format_date, format_time, greeting_for, join_spanish, weekday_name, with_doctor
from bot.tools import execute_tool
from bot.types import BotReply, ToolContext
from clinic.models import Doctor, Specialty
from clinic.selectors import Catalog, catalog_for, find_coverage, find_specialty, normalize_text, suggest_names
from identity.codes import extract_code

BOOKING_PENDINGS = {"specialty", "slot", "name", "document", "confirm_booking", "offer_booking"}
APPOINTMENT_PENDINGS = {"choose_appointment", "confirm_cancel", "new_time", "confirm_reschedule", "identify", "code"}
FLOW_KEYS = (
    "pending",
    "selected_slot_id",
    "requested_date",
    "requested_time",
    "requested_part_of_day",
    "doctor_id",
    "target_appointment_id",
    "appointment_flow",
    "appointment_options",
    "partial_name",
)
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
        for key in FLOW_KEYS:
            self.state.pop(key, None)

    @property
    def catalog(self) -> Catalog:
        return catalog_for(self.clinic)

    def has(self, intent: str) -> bool:
        return intent in self.intents

    @property
    def task(self) -> str | None:
        return next((intent for intent in self.intents if intent in TASKS), None)

    @property
    def pending(self) -> str | None:
        # The OpenAI brain leaves no "pending" but its tools leave the offered slots: if it
        # failed right after offering them, the patient's next words choose among them.
        return self.state.get("pending") or ("slot" if self.offered() else None)

    # --- the turn --------------------------------------------------------------------

    def run(self) -> BotReply:
        if not self.text.strip():
            return self.reply("No llegué a entenderlo. ¿Me lo repite, por favor?")
        if self.has(nlu.EMERGENCY):
            # The engine answers emergencies before any brain; this is the same answer for
            # when the brain is called directly.
            self.state["pending"] = "offer_transfer"
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
        if pending in {"name", "identify"} and nlu.extract_name(self.text, expecting=True):
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
        if flow is None and info and pending and self.pending == pending and pending != "anything_else":
            # Answered a side question in the middle of a flow: ask again what was pending.
            flow = self.ask_pending_again(short=True)
        if flow is None and not info:
            flow = self.fallback()
        return self.reply(*info, flow or "")

    def switches_task(self, pending: str) -> bool:
        task = self.task
        if task is None:
            return False
        # "Sí, confirmo el turno" answers the question; it is not a new request about turnos.
        if pending.startswith(("confirm", "offer")) and self.yes_no is not None:
            return False
        if task == nlu.BOOK:
            return pending in APPOINTMENT_PENDINGS - {"new_time", "confirm_reschedule"} or pending in {"anything_else"}
        flow = self.state.get("appointment_flow")
        same = {nlu.CANCEL: "cancel", nlu.RESCHEDULE: "reschedule", nlu.MY_APPOINTMENTS: "list"}[task]
        return not (pending in APPOINTMENT_PENDINGS and flow == same)

    def start_task(self, task: str) -> str | None:
        if task == nlu.BOOK:
            return self.start_booking()
        if task == nlu.MY_APPOINTMENTS:
            return self.start_appointment_flow("list")
        if task == nlu.CANCEL:
            return self.start_appointment_flow("cancel")
        if task == nlu.RESCHEDULE:
            return self.start_appointment_flow("reschedule")
        return None

    def continue_pending(self, pending: str) -> str | None:
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
            if self.pending and self.pending != "anything_else":
                return f"De nada. {self.ask_pending_again(short=True)}"
            self.state["pending"] = "anything_else"
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
        return FAREWELL_TEXT.format(clinic=self.clinic.name)

    def do_transfer(self) -> BotReply:
        result = self.tool("transfer_to_human", reason=self.text[:200])
        self.clear_flow()
        self.transfer = True
        phone = result.get("reception_phone") or ""
        extra = f" Si se corta, puede llamar al {phone}." if phone else ""
        return self.reply(f"Lo comunico con recepción, aguarde un momento, por favor.{extra}")

    def guess(self) -> str | None:
        """No intent, no pending answer: a bare specialty ("cardiología"), coverage ("OSDE?")
        or day ("el jueves a las 10") still says what the patient wants."""
        if self.specialty_in_text() or self.doctor_in_text():
            return self.start_booking()
        if find_coverage(clinic=self.clinic, text=self.text_without_clinic_name()):
            return self.answer_coverage()
        if self.when and self.state.get("specialty_id"):
            return self.offer_slots(self.current_specialty(), self.when_on_discussed_day())
        if self.yes_no is False and not self.pending:
            self.state["pending"] = "anything_else"
            return "De acuerdo. ¿Necesita algo más?"
        return None

    def fallback(self) -> str:
        if self.pending and self.pending != "anything_else":
            return f"Disculpe, no le entendí. {self.ask_pending_again()}"
        return (
            "Disculpe, no le entendí. Puedo darle un turno, decirle sus turnos, cambiarlos o cancelarlos, "
            "e informarle especialidades, obras sociales, horarios y dirección. ¿Qué necesita?"
        )

    def ask_pending_again(self, *, short: bool = False) -> str:
        pending = self.pending
        if pending == "specialty":
            return "¿Para qué especialidad necesita el turno?"
        if pending == "slot":
            if short or not self.offered():
                return "¿Qué horario prefiere? También puede decirme otro día u horario."
            return f"Tengo {self.describe_offered()}. ¿Cuál prefiere? También puede decirme otro día u horario."
        if pending == "name":
            return "¿Me puede dar su nombre completo?"
        if pending == "document":
            return "¿Me dice su número de documento, por favor?"
        if pending == "confirm_booking":
            return self.booking_summary_question()
        if pending == "confirm_cancel":
            return self.cancel_question() or "¿Confirma la cancelación?"
        if pending == "confirm_reschedule":
            return self.reschedule_question() or "¿Confirma el cambio?"
        if pending == "new_time":
            return "¿Para qué día y horario quiere pasar su turno?"
        if pending == "choose_appointment":
            return "¿Cuál de sus turnos? Dígame el día o la especialidad."
        if pending == "identify":
            return "Dígame su nombre completo y su número de documento, por favor."
        if pending == "code":
            return "Dígame el código que le envié, por favor."
        if pending == "offer_booking":
            specialty = self.current_specialty()
            return (
                f"¿Quiere que le busque un turno de {specialty.name}?"
                if specialty
                else "¿Quiere que le busque un turno?"
            )
        if pending == "offer_transfer":
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
                self.state["pending"] = "offer_transfer"
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
            self.state["specialty_id"] = specialty.pk
            if not self.pending or self.pending in {"anything_else", "specialty", "offer_booking"}:
                self.state["pending"] = "offer_booking"
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
            if not self.pending or self.pending in {"anything_else", "offer_booking"}:
                self.state["pending"] = "specialty"
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
        if self.task or (self.pending and self.pending not in {"anything_else", "offer_booking"}):
            return f"Tenemos {join_spanish(names)}."
        self.state["pending"] = "specialty"
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
        specialty_id = self.state.get("specialty_id")
        if not specialty_id:
            return None
        return self.catalog.specialty(specialty_id)

    # --- booking -------------------------------------------------------------------------

    def start_booking(self) -> str:
        # "Quiero un turno para el jueves" ... "cardiología": the day said before still counts.
        earlier = self.remembered_when()
        keep = {key: self.state.get(key) for key in ("patient_name", "document_number")}
        self.clear_flow()
        self.state.update({k: v for k, v in keep.items() if v})
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
            self.state["pending"] = "specialty"
            if asked:
                closest = suggest_names(text=asked, names=names)
                ordered = closest + [name for name in names if name not in closest]
                return f"No tenemos {asked}, pero tenemos {join_spanish(ordered)}. ¿Para cuál quiere el turno?"
            return f"¿Para qué especialidad necesita el turno? Tenemos {join_spanish(names)}."
        self.state["specialty_id"] = specialty.pk
        if doctor and self.catalog.attends(doctor, specialty):
            self.state["doctor_id"] = doctor.pk
        return self.offer_slots(specialty, self.when or earlier)

    def remember_when(self) -> None:
        when = self.when
        if when.date:
            self.state["requested_date"] = when.date.isoformat()
        if when.time:
            self.state["requested_time"] = when.time.strftime("%H:%M")
        if when.part_of_day:
            self.state["requested_part_of_day"] = when.part_of_day

    def remembered_when(self) -> nlu.When:
        try:
            date = dt.date.fromisoformat(self.state["requested_date"]) if self.state.get("requested_date") else None
            time = dt.time.fromisoformat(self.state["requested_time"]) if self.state.get("requested_time") else None
        except ValueError:
            date = time = None
        if date and date < self.today:
            date = None
        return nlu.When(date=date, time=time, part_of_day=self.state.get("requested_part_of_day"))

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
            self.state["specialty_id"] = specialty.pk
            return self.offer_slots(specialty, self.when)
        if self.when and self.current_specialty():
            return self.offer_slots(self.current_specialty(), self.when)
        if self.yes_no is False:
            self.clear_flow()
            self.state["pending"] = "anything_else"
            return "De acuerdo. ¿Necesita algo más?"
        return None

    def offered(self) -> list[dict]:
        return [slot for slot in self.state.get("offered_slots") or [] if isinstance(slot, dict) and "start" in slot]

    def slot_start(self, slot: dict) -> dt.datetime:
        return dt.datetime.fromisoformat(slot["start"]).astimezone(self.tz)

    def doctor_name(self, doctor_id) -> str:
        doctor = self.catalog.doctor(doctor_id)
        return doctor.display_name if doctor else ""

    def day_phrase(self, day: dt.date) -> str:
        """ "el jueves 3 de diciembre", but "hoy martes 1 de diciembre" / "mañana miércoles 2 de diciembre"."""
        text = format_date(day, today=self.today)
        return text if text.startswith(("hoy", "mañana")) else f"el {text}"

    def describe_slot(self, slot: dict, *, with_date: bool = True) -> str:
        start = self.slot_start(slot)
        when = f"{self.day_phrase(start.date())} {at_time(start.time())}" if with_date else at_time(start.time())
        return f"{when} {with_doctor(self.doctor_name(slot.get('doctor_id')))}".strip()

    def describe_offered(self) -> str:
        """Grouped for the ear: "el lunes 7 de diciembre a las 9:00, 9:20 o 9:40 con el Dr.
        Gustavo Domínguez, o el martes ..." rather than the doctor's name three times."""
        groups: list[tuple[dt.date, object, list[dt.time]]] = []
        for slot in self.offered():
            start = self.slot_start(slot)
            if groups and groups[-1][0] == start.date() and groups[-1][1] == slot.get("doctor_id"):
                groups[-1][2].append(start.time())
            else:
                groups.append((start.date(), slot.get("doctor_id"), [start.time()]))
        parts = []
        for day, doctor_id, times in groups:
            hours = join_spanish([format_time(t) for t in times], last="o")
            article = "a la" if len(times) == 1 and times[0].hour == 1 else "a las"
            parts.append(f"{self.day_phrase(day)} {article} {hours} {with_doctor(self.doctor_name(doctor_id))}".strip())
        return join_spanish(parts, last="o")

    def offer_slots(self, specialty: Specialty | None, when: nlu.When, *, purpose: str = "book") -> str:
        """Real free slots read from the tool: the exact time when free, else the nearest."""
        if specialty is None:
            self.state["pending"] = "specialty"
            return "¿Para qué especialidad necesita el turno?"
        doctor_surname = None
        if self.state.get("doctor_id") and purpose == "book":
            doctor = self.catalog.doctor(self.state["doctor_id"])
            doctor_surname = doctor.last_name if doctor else None
        date, time = when.date, when.time
        self.state.pop("requested_date", None)
        self.state.pop("requested_time", None)
        self.state.pop("requested_part_of_day", None)
        inferred_date = False
        if time and not date:
            date, inferred_date = self.first_day_with(specialty, time, doctor_surname), True
        # One spare: a slot inside the lead time is dropped below and three should remain.
        arguments = {"specialty": specialty.name, "doctor": doctor_surname, "limit": OFFERED_SLOTS + 1}
        if date:
            arguments["date"] = date.isoformat()
            self.state["requested_date"] = date.isoformat()
        if time:
            arguments["time"] = time.strftime("%H:%M")
            self.state["requested_time"] = arguments["time"]
        if when.part_of_day and not time:
            arguments["part_of_day"] = when.part_of_day
            self.state["requested_part_of_day"] = when.part_of_day
        result = self.tool("find_available_slots", **arguments)
        self.state["pending"] = "new_time" if purpose == "reschedule" else "slot"
        if not result.get("ok"):
            return f"{result.get('error', 'No pude buscar turnos.')} ¿Qué otro día le queda bien?"
        earliest = self.context.now + MIN_LEAD_TIME
        self.state["offered_slots"] = [s for s in self.offered() if dt.datetime.fromisoformat(s["start"]) >= earliest][
            :OFFERED_SLOTS
        ]
        slots = self.offered()
        if not slots:
            self.state["pending"] = "offer_transfer"
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

    def match_offered(self) -> dict | None:
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
            candidates = [s for s in candidates if (self.slot_start(s).hour < 13) == (when.part_of_day == nlu.MORNING)]
        offering = {s.get("doctor_id") for s in slots}
        doctor = self.doctor_in_text([d for d in self.catalog.doctors if d.pk in offering])
        if doctor:
            candidates = [s for s in candidates if s.get("doctor_id") == doctor.pk]
        if (when or doctor) and len(candidates) >= 1 and (when.time or len(candidates) == 1 or doctor):
            return candidates[0]
        if self.yes_no is True and len(slots) == 1:
            return slots[0]
        return None

    def when_on_discussed_day(self) -> nlu.When:
        """ "¿Y a las 11?" right after hearing Wednesday's slots means Wednesday at 11."""
        when = self.when
        if when.time and not when.date and self.state.get("requested_date"):
            try:
                day = dt.date.fromisoformat(self.state["requested_date"])
            except ValueError:
                return when
            if day >= self.today:
                return nlu.When(date=day, time=when.time, part_of_day=when.part_of_day)
        return when

    def continue_slot(self) -> str | None:
        specialty = self.specialty_in_text()
        if specialty and specialty.pk != self.state.get("specialty_id"):
            return self.start_booking()
        slot = self.match_offered()
        if slot:
            return self.select_slot(slot)
        current = self.current_specialty()
        if self.when and current:
            return self.offer_slots(current, self.when_on_discussed_day())
        doctor = self.doctor_in_text()
        if doctor and current and self.catalog.attends(doctor, current):
            self.state["doctor_id"] = doctor.pk
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
                self.state["patient_name"] = name
            if document:
                self.state["document_number"] = document
            return f"Gracias. ¿Cuál horario prefiere: {self.describe_offered()}?"
        return None

    def select_slot(self, slot: dict) -> str:
        start = self.slot_start(slot)
        self.state["selected_slot_id"] = slot["slot_id"]
        self.state["doctor_id"] = slot.get("doctor_id")
        self.state["specialty_id"] = slot.get("specialty_id") or self.state.get("specialty_id")
        self.state["requested_date"] = start.date().isoformat()
        self.state["requested_time"] = start.strftime("%H:%M")
        self.state.pop("requested_part_of_day", None)
        if self.pending == "new_time":
            self.state["pending"] = "confirm_reschedule"
            return self.reschedule_question() or "¿Confirma el cambio?"
        chosen = f"Perfecto, {self.describe_slot(slot)}."
        return f"{chosen} {self.next_booking_question()}"

    def selected_slot(self) -> dict | None:
        slot_id = self.state.get("selected_slot_id")
        return next((s for s in self.offered() if s.get("slot_id") == slot_id), None)

    def next_booking_question(self) -> str:
        if not self.state.get("patient_name"):
            self.state["pending"] = "name"
            return "¿Me puede dar su nombre completo?"
        if not self.state.get("document_number"):
            self.state["pending"] = "document"
            return "¿Y su número de documento?"
        if not self.confirm_before_booking:
            return self.book()
        self.state["pending"] = "confirm_booking"
        return self.booking_summary_question()

    def booking_summary_question(self) -> str:
        slot = self.selected_slot()
        specialty = self.current_specialty()
        if not slot or not specialty:
            self.state["pending"] = "slot"
            return "¿Qué día y horario prefiere?"
        return (
            f"¿Confirma el turno de {specialty.name} {self.describe_slot(slot)}, a nombre de "
            f"{self.state.get('patient_name')}, documento {self.state.get('document_number')}?"
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
            partial = self.state.get("partial_name")
            if partial and normalize_text(partial) != normalize_text(name):
                name = f"{partial} {name}"
            else:
                self.state["partial_name"] = name
                return f"Gracias, {name}. ¿Me dice también su apellido?"
        if document:
            self.state["document_number"] = document
        if not name:
            if document:
                return "Gracias. ¿Y su nombre completo?"
            return None
        self.state.pop("partial_name", None)
        self.state["patient_name"] = name
        return self.next_booking_question()

    def continue_document(self) -> str | None:
        changed = self.changed_slot()
        if changed:
            return changed
        document = nlu.extract_document_number(self.text)
        if document:
            self.state["document_number"] = document
            return self.next_booking_question()
        digits = re.sub(r"\D", "", nlu.words_to_digits(normalize_text(self.text)))
        if digits:
            return "El número de documento debería tener 7 u 8 dígitos. ¿Me lo repite, por favor?"
        name = nlu.extract_name(self.text)
        if name:
            self.state["patient_name"] = name
            return "Gracias. ¿Y su número de documento?"
        return None

    def continue_confirm_booking(self) -> str | None:
        if self.when and (self.when.date or self.when.time) and self.yes_no is not True:
            self.state["pending"] = "slot"
            return self.continue_slot()
        document = nlu.extract_document_number(self.text)
        if document and document != self.state.get("document_number"):
            self.state["document_number"] = document
            return self.booking_summary_question()
        if self.yes_no is True:
            return self.book()
        if self.yes_no is False:
            if re.search(
                r"\b(?:nombre|hijo|hija|otra persona|mi (?:mama|papa|madre|padre|esposa|esposo))\b",
                normalize_text(self.text),
            ):
                self.state.pop("patient_name", None)
                self.state.pop("document_number", None)
                self.state["pending"] = "name"
                return "De acuerdo. ¿A nombre de quién es el turno? Dígame el nombre completo."
            self.state["pending"] = "slot"
            return "De acuerdo, no reservé nada. ¿Prefiere otro día u horario?"
        return None

    def book(self) -> str:
        slot = self.selected_slot()
        if slot is None:
            self.state["pending"] = "slot"
            return "Perdón, se me perdió el horario elegido. ¿Qué día y horario prefiere?"
        result = self.tool(
            "book_appointment",
            slot_id=slot["slot_id"],
            full_name=self.state.get("patient_name"),
            document_number=self.state.get("document_number"),
        )
        if result.get("ok"):
            booked = result["booked"]
            day = dt.date.fromisoformat(booked["date"])
            time = dt.time.fromisoformat(booked["time"])
            address = result.get("address") or self.clinic.address
            self.clear_flow()
            self.state["pending"] = "anything_else"
            where = f" Lo esperamos en {address}." if address else ""
            return (
                f"Excelente, su turno está confirmado: {booked['specialty']} {with_doctor(booked['doctor'])}, "
                f"{self.day_phrase(day)} {at_time(time)}, a nombre de {booked['patient']}.{where} ¿Necesita algo más?"
            )
        code = result.get("code")
        error = result.get("error", "No pude reservar el turno.")
        if code in {"slot_taken", "in_past", "outside_schedule", "closed", "doctor_unavailable"}:
            self.state.pop("selected_slot_id", None)
            start = self.slot_start(slot)
            specialty = self.current_specialty()
            return f"{error} {self.offer_slots(specialty, nlu.When(date=start.date(), time=start.time()))}"
        if code == "invalid_arguments" and "documento" in error.lower():
            self.state.pop("document_number", None)
            self.state["pending"] = "document"
            return f"{error} ¿Me lo repite, por favor?"
        if code == "invalid_arguments" and "nombre" in error.lower():
            self.state.pop("patient_name", None)
            self.state["pending"] = "name"
            return "Necesito su nombre y apellido. ¿Me los dice, por favor?"
        self.state["pending"] = "slot"
        return f"{error} ¿Quiere elegir otro horario?"

    # --- the patient's own turnos ----------------------------------------------------------

    def my_appointments(self) -> list[dict]:
        result = self.tool("list_my_appointments")
        return (result.get("appointments") or []) if result.get("ok") else []

    def describe_appointment(self, appointment: dict) -> str:
        day = dt.date.fromisoformat(appointment["date"])
        time = dt.time.fromisoformat(appointment["time"])
        return f"{appointment['specialty']} {with_doctor(appointment['doctor'])} {self.day_phrase(day)} {at_time(time)}"

    def old_and_new(self) -> tuple[nlu.When, nlu.When]:
        """ "Cambiar el turno del martes para el jueves a las 10": which turno (martes) and
        where to (jueves 10:00). Without "para"/"al", a day is the new one when moving and
        the old one when cancelling."""
        text = normalize_text(self.text)
        split = list(re.finditer(r"\b(?:para|al|pasarlo a|moverlo a|cambiarlo a|a otro)\b", text))
        if split:
            head, tail = text[: split[-1].start()], text[split[-1].start() :]
            return nlu.extract_when(head, now=self.local_now), nlu.extract_when(tail, now=self.local_now)
        if self.state.get("appointment_flow") == "reschedule" and not re.search(r"\bdel\b", text):
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

    def start_appointment_flow(self, flow: str) -> str:
        target_id = self.state.get("target_appointment_id")
        keep = {key: self.state.get(key) for key in ("patient_name", "document_number")}
        self.clear_flow()
        self.state.update({k: v for k, v in keep.items() if v})
        self.state["appointment_flow"] = flow
        if nlu.extract_document_number(self.text):
            # A DNI in the request ("los turnos del DNI ..."): another patient's turnos, which
            # take the one-time code sent to that patient's registered number.
            self.state.pop("patient_name", None)
            self.state.pop("document_number", None)
            self.state["pending"] = "identify"
            return self.continue_identify()
        appointments = self.my_appointments()
        if not appointments:
            self.state["pending"] = "identify"
            return (
                "No encuentro turnos próximos para este número. Si lo reservó desde otro teléfono, dígame "
                "el nombre completo y el número de documento del paciente y le envío un código a su teléfono registrado."
            )
        if flow == "list":
            self.clear_flow()
            self.state["pending"] = "anything_else"
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
            self.state["pending"] = "choose_appointment"
            self.state["appointment_options"] = [a["appointment_id"] for a in appointments]
            listing = join_spanish([self.describe_appointment(a) for a in appointments], last="o")
            verb = "cancelar" if flow == "cancel" else "cambiar"
            return f"Tiene {len(appointments)} turnos: {listing}. ¿Cuál quiere {verb}?"
        return self.with_target(target)

    def with_target(self, appointment: dict) -> str:
        self.state["target_appointment_id"] = appointment["appointment_id"]
        self.state.pop("appointment_options", None)
        if self.state.get("appointment_flow") == "cancel":
            self.state["pending"] = "confirm_cancel"
            return self.cancel_question(appointment)
        specialty = next((s for s in self.catalog.specialties if s.name == appointment["specialty"]), None)
        self.state["specialty_id"] = specialty.pk if specialty else None
        _old, when = self.old_and_new()
        if when.date and when.date.isoformat() == appointment["date"] and not when.time:
            when = nlu.When()  # "cambiar el turno del martes": the old day, not the new one.
        if when:
            self.state["pending"] = "new_time"
            return self.offer_slots(specialty, when, purpose="reschedule")
        self.state["pending"] = "new_time"
        return f"Su turno es de {self.describe_appointment(appointment)}. ¿Para qué día y horario lo quiere pasar?"

    def target_appointment(self) -> dict | None:
        target_id = self.state.get("target_appointment_id")
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
            self.state["patient_name"] = name
        if document:
            self.state["document_number"] = document
        if not (name or document):
            return None
        if not self.state.get("patient_name"):
            return "Gracias. ¿Y su nombre completo?"
        if not self.state.get("document_number"):
            return "Gracias. ¿Y su número de documento?"
        result = self.tool(
            "list_my_appointments",
            document_number=self.state["document_number"],
            full_name=self.state["patient_name"],
        )
        flow = self.state.get("appointment_flow") or "list"
        verification = result.get("verification")
        if verification == "code_sent":
            self.state["pending"] = "code"
            return result["message"]
        if verification or not result.get("ok"):
            self.state["pending"] = "offer_transfer"
            message = result.get("message") or result.get("error") or "No pude verificar sus datos."
            return f"{message} ¿Quiere que lo comunique con recepción?"
        if not result.get("appointments"):
            self.clear_flow()
            self.state["pending"] = "anything_else"
            return "No encuentro turnos próximos a su nombre. ¿Quiere sacar uno?"
        return self.start_appointment_flow(flow)

    def continue_code(self) -> str | None:
        """The one-time code sent to the patient's registered number, typed or dictated."""
        code = extract_code(nlu.words_to_digits(normalize_text(self.text)))
        if not code:
            if self.yes_no is False or re.search(r"\bno (?:me )?(?:llego|tengo|recibi)", normalize_text(self.text)):
                self.state["pending"] = "offer_transfer"
                return "Entiendo. ¿Quiere que lo comunique con recepción?"
            return None
        result = self.tool("list_my_appointments", code=code)
        if result.get("ok"):
            flow = self.state.get("appointment_flow") or "list"
            return f"Gracias, verifiqué sus datos. {self.start_appointment_flow(flow)}"
        if result.get("code") == "code_wrong":
            return f"{result['error']} ¿Me lo repite, por favor?"
        self.state["pending"] = "offer_transfer"
        return f"{result.get('error', 'No pude verificar el código.')} ¿Quiere que lo comunique con recepción?"

    def continue_choose_appointment(self) -> str | None:
        options = self.state.get("appointment_options") or []
        appointments = [a for a in self.my_appointments() if a["appointment_id"] in options]
        target = self.match_appointment(appointments)
        if target:
            return self.with_target(target)
        if self.yes_no is False:
            self.clear_flow()
            self.state["pending"] = "anything_else"
            return "De acuerdo, no cambio nada. ¿Necesita algo más?"
        return None

    def continue_confirm_cancel(self) -> str | None:
        if self.yes_no is True or (self.has(nlu.CANCEL) and self.yes_no is not False):
            result = self.tool("cancel_appointment", appointment_id=self.state.get("target_appointment_id"))
            self.clear_flow()
            self.state["pending"] = "anything_else"
            if not result.get("ok"):
                return f"{result.get('error', 'No pude cancelar el turno.')} ¿Necesita algo más?"
            return f"Listo, cancelé su turno de {self.describe_appointment(result['cancelled'])}. ¿Necesita algo más?"
        if self.yes_no is False:
            self.clear_flow()
            self.state["pending"] = "anything_else"
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
            self.state["pending"] = "new_time"
            return self.continue_new_time()
        if self.yes_no is True:
            slot = self.selected_slot()
            result = self.tool(
                "reschedule_appointment",
                appointment_id=self.state.get("target_appointment_id"),
                slot_id=slot["slot_id"] if slot else None,
            )
            if not result.get("ok"):
                self.state["pending"] = "new_time"
                return f"{result.get('error', 'No pude cambiar el turno.')} ¿Quiere probar con otro horario?"
            self.clear_flow()
            self.state["pending"] = "anything_else"
            return f"Listo, su turno quedó para {self.describe_appointment(result['new'])}. ¿Necesita algo más?"
        if self.yes_no is False:
            self.state["pending"] = "new_time"
            self.state.pop("selected_slot_id", None)
            return "De acuerdo, su turno sigue como estaba. ¿Prefiere otro día u horario?"
        return None

    # --- yes/no answers to the brain's own offers ---------------------------------------------

    def continue_offer_transfer(self) -> str | None:
        if self.yes_no is True:
            self.state.pop("pending", None)
            reply = self.do_transfer()
            return reply.text
        if self.yes_no is False:
            self.state["pending"] = "anything_else"
            return "De acuerdo. ¿Necesita algo más?"
        return None

    def continue_anything_else(self) -> str | None:
        if self.task or any(self.has(intent) for intent in INFO_INTENTS):
            return None
        if self.yes_no is False or self.has(nlu.GOODBYE):
            return self.do_goodbye()
        if self.yes_no is True:
            self.state.pop("pending", None)
            return "Claro, ¿en qué más puedo ayudarlo?"
        return None
