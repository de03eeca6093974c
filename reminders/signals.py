"""Reminder rows follow every write of a turno, whichever entry point made it (assistant,
desk, agenda, a closure): a receiver is the one place all of them pass through. Offering a
freed slot to the waitlist waits for the commit, so nobody is offered a slot that a rolled
back transaction never freed."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from appointments.models import Appointment, AppointmentStatus
from reminders import services


@receiver(post_save, sender=Appointment, dispatch_uid="reminders_follow_appointment")
def follow_appointment(sender, instance: Appointment, created: bool, update_fields=None, raw=False, **kwargs):
    if raw:  # loaddata: fixtures are history, not new bookings
        return
    services.sync_reminders(appointment=instance)
    status_changed = update_fields is None or "status" in update_fields
    if not created and status_changed and instance.status == AppointmentStatus.CANCELLED:
        arguments = {
            "appointment_id": instance.pk,
            "doctor_id": instance.doctor_id,
            "specialty_id": instance.specialty_id,
            "start": instance.start_at,
        }
        transaction.on_commit(lambda: services.after_cancellation(**arguments))
