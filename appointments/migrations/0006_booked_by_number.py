from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill_booked_by_number(apps, schema_editor):
    """Turnos the assistant booked before this field existed were booked from their
    conversation's number. The typed name was not kept, so booked_as_name stays empty and
    nothing but the turno itself is read back to that number."""
    Appointment = apps.get_model("appointments", "Appointment")
    Conversation = apps.get_model("bot", "Conversation")
    participant = Conversation.objects.filter(pk=OuterRef("conversation_id")).values("participant")[:1]
    Appointment.objects.filter(conversation__participant__startswith="+").update(
        booked_by_number=Subquery(participant)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0005_cancellation_and_move_history"),
        ("bot", "0002_participant_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="booked_as_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="nombre indicado al reservar"),
        ),
        migrations.AddField(
            model_name="appointment",
            name="booked_by_number",
            field=models.CharField(blank=True, db_index=True, max_length=20, verbose_name="reservado desde"),
        ),
        migrations.RunPython(backfill_booked_by_number, migrations.RunPython.noop),
    ]
