"""The dashboard's numbers, each one aggregate query over a bounded window (30 days, or the
weeks in it), grouped by the clinic's local day so a turno at 22:00 counts on its own date."""

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate, TruncWeek

from appointments.models import Appointment, AppointmentStatus
from bot.models import Conversation, ConversationChannel, Message, MessageRole
from bot.usage import estimated_cost_usd
from reminders.models import MessageKind, MessageStatus, OfferStatus, OutboundMessage, WaitlistOffer


@dataclass(frozen=True)
class Window:
    first_day: dt.date
    last_day: dt.date
    tz: dt.tzinfo

    @classmethod
    def last_days(cls, *, today: dt.date, days: int, tz) -> "Window":
        return cls(first_day=today - dt.timedelta(days=days - 1), last_day=today, tz=tz)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first_day, dt.time(), tzinfo=self.tz)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time(), tzinfo=self.tz)

    @property
    def days(self) -> list[dt.date]:
        return [self.first_day + dt.timedelta(days=n) for n in range((self.last_day - self.first_day).days + 1)]

    @property
    def weeks(self) -> list[dt.date]:
        monday = self.first_day - dt.timedelta(days=self.first_day.weekday())
        return [monday + dt.timedelta(weeks=n) for n in range((self.last_day - monday).days // 7 + 1)]


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def bookings_by_day_and_channel(*, clinic, window: Window) -> dict[str, list[int]]:
    """Turnos booked per local day, by the channel that booked them."""
    rows = (
        Appointment.objects.filter(specialty__clinic=clinic, created_at__gte=window.start, created_at__lt=window.end)
        .annotate(day=TruncDate("created_at", tzinfo=window.tz))
        .values("day", "channel")
        .annotate(n=Count("id"))
    )
    series: dict[str, dict[dt.date, int]] = defaultdict(dict)
    for row in rows:
        series[row["channel"]][_as_date(row["day"])] = row["n"]
    return {channel: [per_day.get(day, 0) for day in window.days] for channel, per_day in series.items()}


def confirmation_and_no_show_by_week(*, clinic, window: Window) -> dict[str, list[float | None]]:
    """Per week of the turno: the share of reminded turnos the patient confirmed, and the share
    of past turnos (attended or missed) that were missed."""
    reminded = (
        OutboundMessage.objects.filter(
            clinic=clinic,
            kind=MessageKind.REMINDER,
            appointment__start_at__gte=window.start,
            appointment__start_at__lt=window.end,
            sent_at__isnull=False,
        )
        .annotate(week=TruncWeek("appointment__start_at", tzinfo=window.tz))
        .values("week")
        .annotate(
            reminded=Count("appointment", distinct=True),
            confirmed=Count("appointment", distinct=True, filter=Q(answer="confirm")),
        )
    )
    finished = (
        Appointment.objects.filter(
            specialty__clinic=clinic,
            start_at__gte=window.start,
            start_at__lt=window.end,
            status__in=[AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW],
        )
        .annotate(week=TruncWeek("start_at", tzinfo=window.tz))
        .values("week")
        .annotate(total=Count("id"), missed=Count("id", filter=Q(status=AppointmentStatus.NO_SHOW)))
    )
    confirmation = {_as_date(r["week"]): r["confirmed"] / r["reminded"] for r in reminded if r["reminded"]}
    no_show = {_as_date(r["week"]): r["missed"] / r["total"] for r in finished if r["total"]}
    return {
        "confirmation": [confirmation.get(week) for week in window.weeks],
        "no_show": [no_show.get(week) for week in window.weeks],
    }


def reminders_by_week(*, clinic, window: Window) -> dict[str, list[int]]:
    rows = (
        OutboundMessage.objects.filter(
            clinic=clinic, kind=MessageKind.REMINDER, due_at__gte=window.start, due_at__lt=window.end
        )
        .annotate(week=TruncWeek("due_at", tzinfo=window.tz))
        .values("week")
        .annotate(
            sent=Count("id", filter=Q(sent_at__isnull=False)),
            failed=Count("id", filter=Q(status=MessageStatus.FAILED)),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
        )
    )
    by_week: dict[dt.date, dict] = {_as_date(row["week"]): dict(row) for row in rows}
    return {key: [by_week.get(week, {}).get(key, 0) for week in window.weeks] for key in ("sent", "failed", "answered")}


def waitlist_by_week(*, clinic, window: Window) -> dict[str, list[int]]:
    rows = (
        WaitlistOffer.objects.filter(entry__clinic=clinic, created_at__gte=window.start, created_at__lt=window.end)
        .annotate(week=TruncWeek("created_at", tzinfo=window.tz))
        .values("week")
        .annotate(offered=Count("id"), filled=Count("id", filter=Q(status=OfferStatus.ACCEPTED)))
    )
    by_week: dict[dt.date, dict] = {_as_date(row["week"]): dict(row) for row in rows}
    return {key: [by_week.get(week, {}).get(key, 0) for week in window.weeks] for key in ("offered", "filled")}


def conversations_by_outcome(*, clinic, window: Window) -> dict[str, int]:
    rows = (
        Conversation.objects.filter(clinic=clinic, started_at__gte=window.start, started_at__lt=window.end)
        .values("outcome")
        .annotate(n=Count("id"))
    )
    return {row["outcome"]: row["n"] for row in rows}


def model_cost_by_day(*, clinic, window: Window) -> dict[str, list]:
    rows = (
        Message.objects.filter(
            conversation__clinic=clinic,
            created_at__gte=window.start,
            created_at__lt=window.end,
            tokens_in__isnull=False,
        )
        .annotate(day=TruncDate("created_at", tzinfo=window.tz))
        .values("day")
        .annotate(tokens_in=Sum("tokens_in"), tokens_out=Sum("tokens_out"))
    )
    by_day: dict[dt.date, dict] = {_as_date(row["day"]): dict(row) for row in rows}
    tokens: list[int] = []
    cost: list[float] = []
    for day in window.days:
        row = by_day.get(day, {})
        tokens.append((row.get("tokens_in") or 0) + (row.get("tokens_out") or 0))
        cost.append(float(estimated_cost_usd(tokens_in=row.get("tokens_in"), tokens_out=row.get("tokens_out"))))
    return {"tokens": tokens, "cost": cost}


def voice_latency_by_day(*, clinic, window: Window) -> dict[str, list[int | None]]:
    """p50/p95 of the assistant's answer time on phone calls, per local day. Percentiles are
    computed here: SQLite has none, and a month of voice turns is a few thousand integers."""
    rows = (
        Message.objects.filter(
            conversation__clinic=clinic,
            conversation__channel=ConversationChannel.PHONE,
            role=MessageRole.ASSISTANT,
            latency_ms__isnull=False,
            created_at__gte=window.start,
            created_at__lt=window.end,
        )
        .annotate(day=TruncDate("created_at", tzinfo=window.tz))
        .values_list("day", "latency_ms")
    )
    per_day: dict[dt.date, list[int]] = defaultdict(list)
    for day, latency in rows:
        per_day[_as_date(day)].append(latency or 0)
    p50: list[int | None] = []
    p95: list[int | None] = []
    for day in window.days:
        values = sorted(per_day.get(day, []))
        if not values:
            p50.append(None)
            p95.append(None)
            continue
        p50.append(int(statistics.median(values)))
        p95.append(values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))])
    return {"p50": p50, "p95": p95}
