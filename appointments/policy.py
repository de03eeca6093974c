"""Rules the assistant (both brains) and the desk share, defined once.

- The booking caps (values only: `identity` enforces them).

Values come from settings (environment) with the defaults below, so a clinic tunes them
without a code change. Pure functions: no models, no queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class BookingCaps:
    """Limits that stop one number or one model answer from flooding the agenda."""

    per_turn: int  # bookings one patient turn may make, whatever the model asks
    per_number_per_day: int  # new turnos booked from one number in a day
    active_per_patient: int  # active future turnos one patient may hold
    messages_per_minute: int  # messages from one number answered per minute


def booking_caps() -> BookingCaps:
    """The caps from settings (BOOKING_CAP_* / MESSAGE_RATE_PER_MINUTE environment variables)."""
    return BookingCaps(
        per_turn=settings.BOOKING_CAP_PER_TURN,
        per_number_per_day=settings.BOOKING_CAP_PER_NUMBER_PER_DAY,
        active_per_patient=settings.BOOKING_CAP_ACTIVE_PER_PATIENT,
        messages_per_minute=settings.MESSAGE_RATE_PER_MINUTE,
    )
