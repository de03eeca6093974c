"""Staff pages on the clinic's wall clock."""

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import sync_and_async_middleware

from appointments.selectors import clinic_timezone


def _is_admin(request) -> bool:
    return request.path.startswith(reverse("admin:index"))


@sync_and_async_middleware
def clinic_timezone_middleware(get_response):
    """Admin requests (turnos, the agenda, the clinic's data and their histories) read,
    write and show times on the clinic's clock: a schedule typed as 08:00 is 08:00 there,
    whatever the server's UTC. The response is rendered inside (Django renders template
    responses before they leave the middleware chain). Webhooks pass straight through."""
    if iscoroutinefunction(get_response):

        async def async_middleware(request):
            if not _is_admin(request):
                return await get_response(request)
            with timezone.override(await sync_to_async(clinic_timezone)()):
                return await get_response(request)

        return async_middleware

    def middleware(request):
        if not _is_admin(request):
            return get_response(request)
        with timezone.override(clinic_timezone()):
            return get_response(request)

    return middleware
