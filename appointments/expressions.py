"""SQL for the booking policy's reads (appointments.booking_policy): turnos as epoch seconds
and the overlap of a range, both answered in a way the database does fastest."""

import datetime as dt

from django.contrib.postgres.fields import DateTimeRangeField
from django.db import connections
from django.db.models import FloatField, Func, QuerySet, Value

from appointments.models import OCCUPYING_STATUSES, Appointment


class EpochSeconds(Func):
    """An instant as epoch seconds, computed by the database: the policy compares floats, and
    psycopg reads a float in C where Django converts each datetime in Python (with the
    .timestamp() after it, that was most of a search's own time). No converter either: both
    databases already answer a float."""

    output_field = FloatField()
    template = "EXTRACT(EPOCH FROM %(expressions)s)::double precision"

    def get_db_converters(self, connection):
        return []

    def as_sqlite(self, compiler, connection, **extra_context):
        # julianday() counts milliseconds; rounded to them, an exact minute is an exact float.
        return self.as_sql(
            compiler, connection, template="ROUND((julianday(%(expressions)s) - 2440587.5) * 86400.0, 3)"
        )


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def occupying_between(queryset: QuerySet[Appointment], start: dt.datetime, end: dt.datetime) -> QuerySet[Appointment]:
    """The occupying turnos of `queryset` overlapping [start, end). On PostgreSQL written as the
    range overlap the no-overlap exclusion constraint indexes (migration 0003): its GiST index
    finds the doctors' turnos of those days, where the (doctor, start) index bounds them only
    from above and reads every earlier turno of theirs."""
    queryset = queryset.filter(status__in=OCCUPYING_STATUSES)
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(start_at__lt=end, end_at__gt=start)
    return queryset.alias(span=TsTzRange("start_at", "end_at", Value("[)"))).filter(span__overlap=(start, end))
