"""Makes sure a superuser exists, so a fresh deploy (or `make run`) can be logged into.

Safe to run on every start: an existing user is never touched, so a password changed
in the admin survives restarts. A generated password is shown exactly once, when the
user is created; deployments can pass their own with --password or ADMIN_PASSWORD."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction


class Command(BaseCommand):
    help = "Creates a superuser if it does not exist yet (password generated and printed once, or given)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="Username of the superuser (default: admin).")
        parser.add_argument("--email", default="", help="E-mail of the superuser (optional).")
        parser.add_argument(
            "--password",
            default=None,
            help="Password for a new superuser. Defaults to $ADMIN_PASSWORD, else a random one printed once.",
        )

    def handle(self, *args, username, email, password, verbosity, **options):
        user_model = get_user_model()
        lookup = {user_model.USERNAME_FIELD: username}
        if user_model._default_manager.filter(**lookup).exists():
            self._report_existing(username, verbosity)
            return

        password = password or os.environ.get("ADMIN_PASSWORD") or None
        generated = password is None
        if generated:
            password = secrets.token_urlsafe(16)

        try:
            # Two instances starting together may both get here; the loser must not crash the deploy.
            with transaction.atomic():
                user_model._default_manager.create_superuser(username=username, email=email, password=password)
        except IntegrityError:
            self._report_existing(username, verbosity)
            return

        if generated:
            # Printed whatever the verbosity: it is the only time anyone can see it.
            self.stdout.write(self.style.SUCCESS(f"Admin user '{username}' created. Password: {password}"))
            self.stdout.write("Store it now: it is not shown again (change it in the admin or with `changepassword`).")
        elif verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Admin user '{username}' created with the given password."))

    def _report_existing(self, username, verbosity):
        if verbosity >= 1:
            self.stdout.write(f"Admin user '{username}' already exists; password left unchanged.")
