"""A doctor cannot hold two occupying turnos at overlapping times: enforced by PostgreSQL
itself, so concurrent bookings cannot both pass an application-level check.

Created with SQL only on PostgreSQL (ExclusionConstraint in Meta would break SQLite,
which keeps only the service's own overlap check)."""

from django.db import migrations

CONSTRAINT_SQL = """
ALTER TABLE appointments_appointment
ADD CONSTRAINT appointment_no_overlap_per_doctor
EXCLUDE USING gist (doctor_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&)
WHERE (status IN ('booked', 'confirmed', 'attended', 'no_show'))
"""


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(CONSTRAINT_SQL)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE appointments_appointment DROP CONSTRAINT IF EXISTS appointment_no_overlap_per_doctor"
    )


class Migration(migrations.Migration):
    dependencies = [("appointments", "0002_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
