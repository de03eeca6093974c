"""The clinic admin's dashboard: server-rendered SVG charts (pygal), so it works from a
browser without internet access — pygal's optional tooltip script, served from a CDN, is
switched off."""

import datetime as dt

import pygal
from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from pygal.style import CleanStyle

from appointments.models import Channel
from bot.models import ConversationOutcome
from clinic.selectors import get_default_clinic
from reminders import stats

DAYS = 30
CHART_OPTIONS = {
    "js": [],  # no CDN: the tooltips script is the only part of pygal that is not inline SVG
    "style": CleanStyle,
    "height": 300,
    "width": 820,
    "legend_at_bottom": True,
    "x_label_rotation": 0,
    "show_minor_x_labels": False,
    "truncate_legend": -1,
    "truncate_label": -1,
    "no_data_text": "Sin datos",
}


def _svg(chart) -> str:
    return mark_safe(chart.render(is_unicode=True, disable_xml_declaration=True))  # noqa: S308 (pygal's own SVG)


def _day_labels(window: stats.Window) -> list[str]:
    return [f"{day.day}/{day.month}" for day in window.days]


def _week_labels(window: stats.Window) -> list[str]:
    return [f"sem. {week.day}/{week.month}" for week in window.weeks]


def _percent(values):
    return [None if value is None else round(100 * value, 1) for value in values]


def build_charts(*, clinic, today: dt.date) -> list[tuple[str, str]]:
    window = stats.Window.last_days(today=today, days=DAYS, tz=clinic.tzinfo)
    days, weeks = _day_labels(window), _week_labels(window)
    every_fifth = days[::5]
    charts = []

    bookings = pygal.StackedBar(title="Turnos reservados por día y canal", **CHART_OPTIONS)
    bookings.x_labels, bookings.x_labels_major = days, every_fifth
    for channel, counts in sorted(stats.bookings_by_day_and_channel(clinic=clinic, window=window).items()):
        bookings.add(Channel(channel).label if channel in Channel.values else channel, counts)
    charts.append(("bookings", _svg(bookings)))

    rates = pygal.Line(title="Confirmación y ausentismo por semana (%)", range=(0, 100), **CHART_OPTIONS)
    rates.x_labels = weeks
    by_week = stats.confirmation_and_no_show_by_week(clinic=clinic, window=window)
    rates.add("Confirmaron el recordatorio", _percent(by_week["confirmation"]))
    rates.add("Ausentes", _percent(by_week["no_show"]))
    charts.append(("rates", _svg(rates)))

    reminders = pygal.Bar(title="Recordatorios por semana", **CHART_OPTIONS)
    reminders.x_labels = weeks
    sent = stats.reminders_by_week(clinic=clinic, window=window)
    reminders.add("Enviados", sent["sent"])
    reminders.add("Fallidos", sent["failed"])
    reminders.add("Respondidos", sent["answered"])
    charts.append(("reminders", _svg(reminders)))

    waitlist = pygal.Bar(title="Lista de espera: turnos ofrecidos y cubiertos", **CHART_OPTIONS)
    waitlist.x_labels = weeks
    fills = stats.waitlist_by_week(clinic=clinic, window=window)
    waitlist.add("Ofertas", fills["offered"])
    waitlist.add("Cubiertos", fills["filled"])
    charts.append(("waitlist", _svg(waitlist)))

    outcomes = pygal.HorizontalBar(title=f"Conversaciones por resultado (últimos {DAYS} días)", **CHART_OPTIONS)
    for outcome, count in sorted(stats.conversations_by_outcome(clinic=clinic, window=window).items()):
        outcomes.add(ConversationOutcome(outcome).label if outcome in ConversationOutcome.values else outcome, count)
    charts.append(("outcomes", _svg(outcomes)))

    cost = pygal.Line(title="Costo estimado del modelo por día (USD)", fill=False, **CHART_OPTIONS)
    cost.x_labels, cost.x_labels_major = days, every_fifth
    usage = stats.model_cost_by_day(clinic=clinic, window=window)
    cost.add("Costo", [round(value, 4) for value in usage["cost"]])
    if settings.OPENAI_DAILY_BUDGET_USD is not None:
        cost.add("Presupuesto diario", [float(settings.OPENAI_DAILY_BUDGET_USD)] * len(days), show_dots=False)
    charts.append(("cost", _svg(cost)))

    latency = pygal.Line(title="Demora de respuesta en llamadas (ms)", **CHART_OPTIONS)
    latency.x_labels, latency.x_labels_major = days, every_fifth
    voice = stats.voice_latency_by_day(clinic=clinic, window=window)
    latency.add("p50", voice["p50"])
    latency.add("p95", voice["p95"])
    charts.append(("latency", _svg(latency)))
    return charts


def dashboard_view(request):
    """Mounted through admin.site.admin_view (clinic_assistant/urls.py): staff only."""
    clinic = get_default_clinic()
    today = timezone.now().astimezone(clinic.tzinfo).date()
    context = {
        **admin.site.each_context(request),
        "title": "Tablero",
        "clinic": clinic,
        "charts": build_charts(clinic=clinic, today=today),
        "days": DAYS,
    }
    return TemplateResponse(request, "admin/reminders/dashboard.html", context)
