"""Run daily by a Render cron job. Without --older-than each clinic's own retention setting
(Mensajes a pacientes → conservar conversaciones) applies."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from bot.retention import purge_conversations
from clinic.models import Clinic
from reminders.services import messaging_settings


class Command(BaseCommand):
    help = "Borra el texto de las conversaciones viejas; conserva los turnos y las estadísticas."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, metavar="DAYS", help="días (por defecto, los de cada clínica)")

    def handle(self, *args, older_than: int | None, **options):
        if older_than is not None and older_than < 1:
            raise CommandError("--older-than debe ser al menos 1 día.")
        total = 0
        for clinic in Clinic.objects.all():
            days = older_than if older_than is not None else messaging_settings(clinic=clinic).retention_days
            total += purge_conversations(older_than=dt.timedelta(days=days), clinic=clinic)
        self.stdout.write(f"purged={total}")
