"""Talk to the assistant in the terminal as a patient. With piped input, one patient line
per input line; the command exits 0 at the end of input so conversations can be scripted."""

import sys
import uuid

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from appointments.phones import normalize_phone
from bot import engine
from bot.conversations import get_or_start_conversation
from bot.models import ConversationChannel
from clinic.selectors import get_default_clinic


class Command(BaseCommand):
    help = "Chat with the assistant as a patient (interactive, or one line per patient turn from stdin)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--phone", default="+5491155550000", help="the patient's number (identity for their turnos)"
        )
        parser.add_argument(
            "--channel",
            default=ConversationChannel.CHAT,
            choices=[choice.value for choice in ConversationChannel],
            help="which channel to pretend to be",
        )

    def handle(self, *args, phone, channel, **options):
        if get_default_clinic() is None:
            raise CommandError("No clinic in the database: run `python manage.py seed_demo` first.")
        participant = normalize_phone(phone)
        if not participant:
            raise CommandError(f"Invalid phone number: {phone!r} (use E.164, e.g. +5491155550000).")
        interactive = sys.stdin.isatty()
        brain = "openai → rules" if settings.BOT_BRAIN != "rules" and settings.OPENAI_API_KEY else "rules (offline)"
        self.stdout.write(self.style.NOTICE(f"Brain: {brain}. Channel: {channel}. Phone: {participant}."))
        if interactive:
            self.stdout.write(self.style.NOTICE("Type your messages; Ctrl-D to quit."))

        conversation = self._start(channel=channel, participant=participant)
        while True:
            if interactive:
                self.stdout.write("Paciente> ", ending="")
                self.stdout.flush()
            line = sys.stdin.readline()
            if not line:
                break
            text = line.strip()
            if not text:
                continue
            if not interactive:
                self.stdout.write(f"Paciente> {text}")
            if conversation is None:
                conversation = self._start(channel=channel, participant=participant)
            else:
                # Reloaded like a webhook's turn does, so clinic data edited meanwhile (admin in
                # another process) is in the catalog for this answer.
                conversation.refresh_from_db()
            reply = engine.reply(conversation, text)
            self._say(reply.text, reply.brain)
            if reply.transfer_to_human:
                self.stdout.write(self.style.WARNING("[transferencia a recepción]"))
            if reply.end_conversation:
                self.stdout.write(self.style.WARNING(f"[conversación finalizada: {conversation.pk}]"))
                conversation = None
        if interactive:
            self.stdout.write("")

    def _start(self, *, channel: str, participant: str):
        # A phone call is keyed by its CallSid; the terminal invents one per conversation.
        call_sid = f"CHAT{uuid.uuid4().hex}" if channel == ConversationChannel.PHONE else None
        conversation = get_or_start_conversation(channel=channel, participant=participant, call_sid=call_sid)
        if not conversation.messages.exists():
            greeting = engine.greet(conversation)
            self._say(greeting.text, greeting.brain)
        return conversation

    def _say(self, text: str, brain: str) -> None:
        self.stdout.write(f"Asistente [{brain}]> {text}")
