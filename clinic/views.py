"""Public pages about the clinic (no login): what a patient may read before writing to it."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinic.selectors import get_default_clinic
from reminders.services import messaging_settings


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice the assistant links in its first message when the clinic has not
    published its own: who holds the data, what for, for how long, and the patient's rights
    under Ley 25.326 (with the control agency's legend its regulation requires)."""
    clinic = get_default_clinic()
    if clinic is None:
        raise Http404("No hay clínica configurada.")
    retention_days = messaging_settings(clinic=clinic).retention_days
    return render(request, "clinic/privacy_notice.html", {"clinic": clinic, "retention_days": retention_days})
