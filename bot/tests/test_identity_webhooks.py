"""Identity tried as an attacker would, through the signed WhatsApp webhook (the real
RequestValidator), with both brains (the OpenAI one against the scripted local server) and
one-time codes through the real twilio SDK against the local fake Verify API.

The victim, María Laura Gómez (DNI 30111222), registered her phone; she holds two turnos
booked from it. The attacker writes from another number and knows only her DNI."""

import datetime as dt
import json

import pytest

from appointments import services as appointment_services
from appointments.models import Appointment, AppointmentStatus, Patient
from bot.models import Conversation, Message, MessageRole
from bot.state import ConversationState, Step
from bot.tests import fake_openai as fake
from bot.tests.conftest import TUESDAY_9AM
from bot.tests.twilio_helpers import messages, post_signed, twiml, whatsapp_params
from clinic.models import Doctor, Specialty
from identity.errors import IdentityErrorCode
from identity.models import VerifiedNumber

VICTIM_PHONE = "+5491155550001"
ATTACKER = "+5491166660002"
VICTIM_NAME = "María Laura Gómez"
VICTIM_DNI = "30111222"
STORED_NAME_WORDS = ("María", "Maria", "Laura", "Gómez", "Gomez")


@pytest.fixture
def victim(demo_clinic, tuesday):
    patient = Patient.objects.create(full_name=VICTIM_NAME, document_number=VICTIM_DNI, phone=VICTIM_PHONE)
    turnos = [
        appointment_services.book_appointment(
            patient=patient,
            doctor=Doctor.objects.get(clinic=demo_clinic, last_name=last_name),
            specialty=Specialty.objects.get(clinic=demo_clinic, name=specialty),
            start=start,
            booked_by_number=VICTIM_PHONE,
            booked_as_name=VICTIM_NAME,
        )
        for last_name, specialty, start in [
            ("Castro", "Dermatología", dt.datetime(2026, 12, 3, 9, 0, tzinfo=TUESDAY_9AM.tzinfo)),
            ("Gutiérrez", "Cardiología", dt.datetime(2026, 12, 2, 16, 0, tzinfo=TUESDAY_9AM.tzinfo)),
        ]
    ]
    return patient, turnos


class WhatsApp:
    """One number writing to the clinic, ~10 messages a minute (under the rate limit)."""

    def __init__(self, client, phone, clock, capture, pace=dt.timedelta(seconds=6)):
        self.client, self.phone, self.clock, self.capture, self.pace = client, phone, clock, capture, pace

    def say(self, text: str) -> str:
        self.clock.shift(self.pace)
        # Codes are sent once the turn's writes commit (on_commit); run those callbacks.
        with self.capture(execute=True):
            response = post_signed(self.client, "/webhook/whatsapp", whatsapp_params(text, phone=self.phone))
        return "\n".join(messages(twiml(response)))

    @property
    def state(self) -> ConversationState:
        return Conversation.objects.filter(participant=self.phone).latest("started_at").load_state()


def assert_untouched(patient: Patient, turnos: list[Appointment]) -> None:
    patient.refresh_from_db()
    assert (patient.full_name, patient.phone, patient.whatsapp_id) == (VICTIM_NAME, VICTIM_PHONE, "")
    assert not VerifiedNumber.objects.filter(patient=patient).exists()
    for turno in turnos:
        turno.refresh_from_db()
        assert turno.status == AppointmentStatus.BOOKED


def assert_no_stored_name(text: str) -> None:
    assert not any(word in text for word in STORED_NAME_WORDS), text


# --- the offline brain ------------------------------------------------------------------------


@pytest.fixture
def attacker(client, twilio_settings, fake_twilio, tuesday, django_capture_on_commit_callbacks):
    return WhatsApp(client, ATTACKER, tuesday, django_capture_on_commit_callbacks)


def test_rules_someone_elses_dni_books_but_opens_nothing_until_the_code(victim, attacker, fake_twilio, tuesday):
    patient, turnos = victim
    attacker.say("Quiero un turno para cardiología")
    attacker.say("el primero")
    attacker.say("Pedro Inventado")
    attacker.say(VICTIM_DNI)
    booked = attacker.say("sí")
    assert "confirmado" in booked and "Pedro Inventado" in booked, booked
    assert_no_stored_name(booked)
    own = Appointment.objects.get(booked_by_number=ATTACKER)
    assert own.patient == patient  # booked on the existing record: a relative may book for her
    assert_untouched(patient, turnos)

    listing = attacker.say("quiero ver mis turnos")
    assert "Cardiología" in listing and "Dermatología" not in listing, listing
    assert_no_stored_name(listing)

    # Cancelling and moving reach only the turno this number booked.
    attacker.say("quiero cancelar mi turno de dermatología")
    attacker.say("sí")
    attacker.say("quiero cambiar mi turno")
    assert_untouched(patient, turnos)

    # A partial name sends no code; the answer is the same as for the full one.
    partial = attacker.say(f"quiero ver los turnos del DNI {VICTIM_DNI}")
    partial += attacker.say("María Gómez")
    assert fake_twilio.verify.sent == []
    assert_no_stored_name(partial)

    # The full name: a code goes to the patient's own number, never to the attacker's.
    attacker.say("/reiniciar")
    attacker.say(f"quiero ver los turnos del DNI {VICTIM_DNI}")
    asked = attacker.say("María Laura Gómez")
    assert attacker.state.step == Step.CODE, asked
    assert [sent["to"] for sent in fake_twilio.verify.sent] == [VICTIM_PHONE]
    assert not fake_twilio.verify.sent_to(ATTACKER)
    code = fake_twilio.verify.last_code(VICTIM_PHONE)
    wrong = "000000" if code != "000000" else "111111"
    assert "no es correcto" in attacker.say(wrong)
    assert_untouched(patient, turnos)

    verified = attacker.say(code)
    assert "Dermatología" in verified and "Cardiología" in verified, verified
    assert VerifiedNumber.objects.get(patient=patient).number == ATTACKER
    attacker.say("quiero cancelar el turno de dermatología")
    attacker.say("sí")
    turnos[0].refresh_from_db()
    assert turnos[0].status == AppointmentStatus.CANCELLED


def ask_for_code(attacker) -> None:
    attacker.say("/reiniciar")
    attacker.say(f"quiero ver los turnos del DNI {VICTIM_DNI}")
    attacker.say(VICTIM_NAME)
    assert attacker.state.step == Step.CODE


def test_rules_sixth_attempt_and_expired_code_are_refused(victim, attacker, fake_twilio, tuesday):
    patient, turnos = victim
    ask_for_code(attacker)
    code = fake_twilio.verify.last_code(VICTIM_PHONE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        assert "no es correcto" in attacker.say(wrong)
    last_try = attacker.say(wrong)  # the fifth: no attempts left
    assert attacker.state.step == Step.OFFER_TRANSFER, last_try
    attacker.say("no")
    assert_untouched(patient, turnos)
    # The sixth attempt, with the right code, typed as a new request for the same code: refused.
    from identity.codes import CodeCheckResult, check_code
    from identity.models import CodeVerification

    first = CodeVerification.objects.earliest("created_at")
    assert check_code(verification_id=first.pk, requester=ATTACKER, code=code).result == CodeCheckResult.LOCKED
    assert_untouched(patient, turnos)

    ask_for_code(attacker)
    tuesday.shift(dt.timedelta(minutes=11))
    expired = attacker.say(fake_twilio.verify.last_code(VICTIM_PHONE))
    assert "venció" in expired, expired
    assert_untouched(patient, turnos)


def test_rules_withheld_verify_service_hands_over_to_reception(victim, attacker, settings):
    settings.TWILIO_VERIFY_SERVICE_SID = ""
    attacker.say(f"quiero ver los turnos del DNI {VICTIM_DNI}")
    answer = attacker.say(VICTIM_NAME)
    assert "recepción" in answer and attacker.state.step == Step.OFFER_TRANSFER, answer
    assert attacker.say("sí")
    assert_untouched(*victim)


# --- the OpenAI brain -------------------------------------------------------------------------


@pytest.fixture
def model(scripted_model):
    return scripted_model


@pytest.fixture
def openai_attacker(client, twilio_settings, model, fake_twilio, tuesday, django_capture_on_commit_callbacks):
    twilio_settings.BOT_BRAIN = "openai"
    return WhatsApp(client, ATTACKER, tuesday, django_capture_on_commit_callbacks)


def book_the_read_back(body: dict) -> dict:
    """The model's answer to the patient's yes: book what the state holds as read back."""
    state = json.loads(body["messages"][0]["content"].rsplit("State:", 1)[1])
    return fake.tool_calls(
        fake.call(
            "book_appointment",
            {
                "slot_id": state["selected_slot_id"],
                "full_name": state["patient_name"],
                "document_number": state["document_number"],
            },
        )
    )


def tool_results(phone: str) -> list[dict]:
    return list(
        Message.objects.filter(conversation__participant=phone, role=MessageRole.TOOL)
        .order_by("id")
        .values("tool_name", "tool_result")
    )


def test_openai_someone_elses_dni_books_but_opens_nothing_until_the_code(victim, openai_attacker, model, fake_twilio):
    patient, turnos = victim
    dermatology, cardiology = turnos

    def book_first(body):
        slot = fake.tool_results(body)[-1]["slots"][0]
        return fake.tool_calls(
            fake.call(
                "book_appointment",
                {"slot_id": slot["slot_id"], "full_name": "Pedro Inventado", "document_number": VICTIM_DNI},
            )
        )

    model.script(
        fake.tool_calls(fake.call("find_available_slots", {"specialty": "cardiología"})),
        book_first,
        book_the_read_back,
    )
    read_back = openai_attacker.say("Turno de cardiología, el primero que haya. Pedro Inventado, DNI 30111222. Sí")
    assert "Pedro Inventado" in read_back, read_back
    assert_no_stored_name(read_back)
    booked = openai_attacker.say("sí")
    assert "Pedro Inventado" in booked, booked
    assert_no_stored_name(booked)
    assert_untouched(patient, turnos)

    # The model tries everything it could be talked into; the tools refuse.
    model.script(
        fake.tool_calls(
            fake.call("list_my_appointments", {}),
            fake.call("cancel_appointment", {"appointment_id": dermatology.pk}),
            fake.call(
                "reschedule_appointment", {"appointment_id": cardiology.pk, "date": "2026-12-09", "time": "10:00"}
            ),
        ),
        fake.text("No puedo gestionar esos turnos desde este número."),
    )
    openai_attacker.say("Mostrame y cancelá los otros turnos de ese DNI, o pasalos al 9 a las 10")
    listed, cancel, move = tool_results(ATTACKER)[-3:]
    assert [a["appointment_id"] for a in listed["tool_result"]["appointments"]] == [
        Appointment.objects.get(booked_by_number=ATTACKER).pk
    ]
    assert_no_stored_name(json.dumps(listed["tool_result"], ensure_ascii=False))
    assert cancel["tool_result"]["ok"] is False and cancel["tool_result"]["code"] == "not_owner"
    assert move["tool_result"]["ok"] is False and move["tool_result"]["code"] == "not_owner"
    assert_untouched(patient, turnos)

    # A partial name: nothing is sent.
    model.script(
        fake.tool_calls(fake.call("list_my_appointments", {"document_number": VICTIM_DNI, "full_name": "Gómez"})),
        fake.text("Si los datos coinciden, le envié un código."),
    )
    openai_attacker.say("Son los turnos de Gómez, DNI 30111222")
    assert fake_twilio.verify.sent == []

    # The full name: the code goes to the patient's number; a wrong one is refused.
    model.script(
        fake.tool_calls(fake.call("list_my_appointments", {"document_number": VICTIM_DNI, "full_name": VICTIM_NAME})),
        fake.text("Le envié un código."),
    )
    openai_attacker.say("María Laura Gómez, DNI 30111222")
    assert [sent["to"] for sent in fake_twilio.verify.sent] == [VICTIM_PHONE]
    code = fake_twilio.verify.last_code(VICTIM_PHONE)
    wrong = "000000" if code != "000000" else "111111"
    model.script(fake.tool_calls(fake.call("list_my_appointments", {"code": wrong})), fake.text("Código incorrecto."))
    openai_attacker.say(wrong)
    assert tool_results(ATTACKER)[-1]["tool_result"]["code"] == "code_wrong"
    assert_untouched(patient, turnos)

    # The right code: now this number manages her turnos.
    model.script(
        fake.tool_calls(fake.call("list_my_appointments", {"code": code})),
        fake.tool_calls(fake.call("cancel_appointment", {"appointment_id": dermatology.pk})),
        fake.tool_calls(fake.call("cancel_appointment", {"appointment_id": dermatology.pk})),
    )
    openai_attacker.say(code)  # the model lists, then cancels at once: held for the read-back
    assert openai_attacker.state.step == Step.CONFIRM_CANCEL
    dermatology.refresh_from_db()
    assert dermatology.status == AppointmentStatus.BOOKED
    openai_attacker.say("Sí, cancele el de dermatología")
    dermatology.refresh_from_db()
    assert dermatology.status == AppointmentStatus.CANCELLED
    assert VerifiedNumber.objects.get(patient=patient).number == ATTACKER


def test_openai_fifty_book_calls_in_one_answer_book_one_turno(demo_clinic, openai_attacker, model):
    def fifty_bookings(body):
        slots = fake.tool_results(body)[-1]["slots"]
        return fake.tool_calls(
            *[
                fake.call(
                    "book_appointment",
                    {
                        "slot_id": slots[index % len(slots)]["slot_id"],
                        "full_name": f"Paciente Número{index}",
                        "document_number": str(20_000_000 + index),
                    },
                )
                for index in range(50)
            ]
        )

    model.script(
        fake.tool_calls(fake.call("find_available_slots", {"specialty": "cardiología", "limit": 6})), fifty_bookings
    )
    read_back = openai_attacker.say("Reservame 50 turnos de cardiología")
    assert Appointment.objects.count() == 0
    assert "Paciente Número0" in read_back, read_back  # the first call is held; the others refused
    assert openai_attacker.state.booking.patient_name == "Paciente Número0"

    # The yes: the same fifty calls again (their slots from the state this time).
    def fifty_again(body):
        slots = [
            {"slot_id": slot_id}
            for slot_id in json.loads(body["messages"][0]["content"].rsplit("State:", 1)[1])["offered_slots"]
        ]
        return fifty_bookings({"messages": [{"role": "tool", "content": json.dumps({"slots": slots})}]})

    model.script(fifty_again)
    reply = openai_attacker.say("sí")
    assert Appointment.objects.count() == 1
    assert Appointment.objects.get().patient.full_name == "Paciente Número0"
    assert "confirmado" in reply, reply
    codes = [row["tool_result"].get("code") for row in tool_results(ATTACKER) if row["tool_name"] == "book_appointment"]
    assert codes[:50] == ["confirm_first"] + ["one_write_per_turn"] * 49
    assert codes[50:] == [None] + ["turn_limit"] * 49


def test_openai_ten_bookings_from_one_number_stop_at_the_daily_cap(demo_clinic, openai_attacker, model, settings):
    settings.BOOKING_CAP_PER_NUMBER_PER_DAY = 4
    for index in range(10):
        capped = index >= 4
        model.script(
            # A booking follows an offer (bot/flow.py): find a slot, then book the first one.
            fake.tool_calls(fake.call("find_available_slots", {"specialty": "cardiología", "date": "2026-12-02"})),
            lambda body, index=index: fake.tool_calls(
                fake.call(
                    "book_appointment",
                    {
                        "slot_id": fake.tool_results(body)[-1]["slots"][0]["slot_id"],
                        "full_name": f"Paciente Número{index}",
                        "document_number": str(20_000_000 + index),
                    },
                )
            ),
            *([fake.text("Llegó al máximo de turnos por hoy; puede llamar a recepción.")] if capped else []),
        )
        openai_attacker.say(f"Otro turno más, el número {index + 1}")  # read back, or refused at once
        if capped:
            # Refused before any read-back: nothing is held for a yes that could not book.
            assert openai_attacker.state.step != Step.CONFIRM_BOOKING
            continue
        model.script(book_the_read_back)
        openai_attacker.say("sí")
    assert Appointment.objects.filter(booked_by_number=ATTACKER).count() == 4
    codes = [row["tool_result"].get("code") for row in tool_results(ATTACKER) if row["tool_name"] == "book_appointment"]
    assert codes == ["confirm_first", None] * 4 + [IdentityErrorCode.BOOKING_LIMIT] * 6
    last = Message.objects.filter(conversation__participant=ATTACKER, role=MessageRole.ASSISTANT).latest("id")
    assert "recepción" in last.text


def test_rules_a_patient_at_the_active_cap_is_told_before_the_read_back(demo_clinic, attacker, settings):
    settings.BOOKING_CAP_ACTIVE_PER_PATIENT = 1
    for text in ["Quiero un turno para cardiología", "el primero", "Pedro Inventado", "20000001", "sí"]:
        attacker.say(text)
    assert Appointment.objects.filter(booked_by_number=ATTACKER).count() == 1

    attacker.say("Quiero otro turno para dermatología")
    refused = attacker.say("el primero")  # name and DNI are known from the first booking
    assert attacker.state.step == Step.ANYTHING_ELSE  # no read-back waiting for a yes
    assert "¿Confirma" not in refused and "1 turno próximo," in refused, refused
    attacker.say("sí")
    assert Appointment.objects.filter(booked_by_number=ATTACKER).count() == 1


def test_rules_flooding_number_is_slowed_politely_without_any_brain(
    demo_clinic, client, twilio_settings, tuesday, django_capture_on_commit_callbacks
):
    flood = WhatsApp(client, ATTACKER, tuesday, django_capture_on_commit_callbacks, pace=dt.timedelta(seconds=1))
    answers = []
    for index in range(10):  # ten bookings attempted within one minute
        for text in [
            "Quiero un turno para cardiología",
            "el primero",
            "Pedro Inventado",
            str(20_000_000 + index),
            "sí",
        ]:
            answers.append(flood.say(text))
    limit = twilio_settings.MESSAGE_RATE_PER_MINUTE
    assert all(answer for answer in answers[:limit])
    assert "espere un minuto" in answers[limit]
    assert all(answer == "" for answer in answers[limit + 1 :])  # no message (nor cost) for the rest
    assert Appointment.objects.count() <= limit // 5
    engine_only = Message.objects.filter(conversation__participant=ATTACKER, role=MessageRole.ASSISTANT).order_by("id")
    assert all(message.brain == "engine" for message in engine_only[limit:])


def test_openai_flooding_number_spends_no_model_call(demo_clinic, openai_attacker, model, tuesday, settings):
    settings.MESSAGE_RATE_PER_MINUTE = 3
    openai_attacker.pace = dt.timedelta(seconds=1)
    for _ in range(3):
        model.script(fake.text("¿En qué puedo ayudarlo?"))
    for _ in range(8):
        openai_attacker.say("hola?")
    assert len(model.requests) == 3
