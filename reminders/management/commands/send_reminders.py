"""Run by a Render cron job every 5 minutes: queue nothing, only send what is due and apply
the confirmation deadline. Safe to run twice at once (rows are claimed with SKIP LOCKED)."""

from django.core.management.base import BaseCommand

from reminders.sending import send_due_messages
from reminders.services import apply_confirmation_deadlines


class Command(BaseCommand):
    help = "Envía los recordatorios, ofertas y avisos vencidos y aplica el plazo de confirmación."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument("--workers", type=int, default=8, help="Twilio calls in flight at once")

    def handle(self, *args, batch_size: int, workers: int, **options):
        deadlines = apply_confirmation_deadlines()
        report = send_due_messages(batch_size=batch_size, workers=workers)
        self.stdout.write(
            f"sent={report.sent} retried={report.retried} failed={report.failed} skipped={report.skipped} "
            f"released={deadlines['released']} flagged={deadlines['flagged']}"
        )
