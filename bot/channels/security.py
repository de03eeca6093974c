"""Only Twilio gets in: every webhook must carry a valid X-Twilio-Signature.

Twilio signs the exact URL it called plus every POST parameter (sorted), with the account's
auth token. Behind Render's proxy Django sees plain http on an internal host, so the URL is
rebuilt from PUBLIC_BASE_URL when it is set, else from the request, which honours
X-Forwarded-Proto through SECURE_PROXY_SSL_HEADER. All POST parameters are validated, never
a known subset: Twilio adds parameters without notice and a hand-picked list would break
(error 11200) or, worse, let unsigned parameters through."""

import inspect
import logging
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from twilio.request_validator import RequestValidator

logger = logging.getLogger(__name__)

SIGNATURE_META_KEY = "HTTP_X_TWILIO_SIGNATURE"


def public_url(request: HttpRequest) -> str:
    """The URL Twilio used to reach this view, path and query string included."""
    base = settings.PUBLIC_BASE_URL
    if base:
        return f"{base.rstrip('/')}{request.get_full_path()}"
    return request.build_absolute_uri()


def is_valid_twilio_request(request: HttpRequest, *, token: str) -> bool:
    signature = request.META.get(SIGNATURE_META_KEY, "")
    if not signature:
        return False
    return RequestValidator(token).validate(public_url(request), request.POST, signature)


def _refusal(request: HttpRequest) -> HttpResponse | None:
    """The answer for a request that may not run the view, or None to run it."""
    try:
        # Parse the body here so an oversized or malformed one is a 400, not a 500 later.
        request.POST  # noqa: B018
    except (RequestDataTooBig, TooManyFieldsSent, SuspiciousOperation):
        logger.warning("Webhook %s rejected: malformed or oversized body", request.path)
        return HttpResponse("Bad request", status=400, content_type="text/plain")
    token = settings.TWILIO_AUTH_TOKEN
    if not token:
        if settings.DEBUG:
            logger.warning(
                "TWILIO_AUTH_TOKEN is not set: serving %s WITHOUT signature check (DEBUG only)", request.path
            )
            return None
        logger.error("TWILIO_AUTH_TOKEN is not set and DEBUG is off: refusing webhook %s", request.path)
        return HttpResponse("Webhooks are not configured", status=503, content_type="text/plain")
    if not is_valid_twilio_request(request, token=token):
        logger.warning(
            "Firma de Twilio inválida o ausente en %s (URL verificada: %s)", request.path, public_url(request)
        )
        return HttpResponse("Forbidden", status=403, content_type="text/plain")
    return None


def twilio_signature_required(view):
    """Decorator for Twilio webhook views (async): 403 (touching nothing) unless the
    signature is valid. With no auth token configured it serves only in DEBUG, with a
    warning, so a production deploy that forgot the token refuses webhooks (503) instead of
    running open. The body is already in memory (see clinic_assistant/asgi.py), so checking
    it from async code blocks nothing."""
    if not inspect.iscoroutinefunction(view):
        raise TypeError(f"{view.__name__} must be an async view")

    @wraps(view)
    async def wrapper(request: HttpRequest, *args, **kwargs):
        return _refusal(request) or await view(request, *args, **kwargs)

    return wrapper
