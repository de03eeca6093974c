"""Twilio webhooks. Thin on purpose: check the signature, hand the form to a channel
adapter, answer its TwiML. Whatever fails inside becomes an apology in TwiML (logged with
its traceback): Twilio never gets a 500, which it would read to the caller as an error.

The views are async (served over ASGI, see clinic_assistant/asgi.py): a turn waiting on the
model holds no worker thread. Each turn gets a deadline from the moment its view starts,
so queue time counts against Twilio's 15 s as well as model time."""

import functools
import logging
import time

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bot.asyncdb import db_phase
from bot.channels import message_status, relay, voice, whatsapp
from bot.channels.common import BadWebhook, clean_form
from bot.channels.idempotency import StillProcessing
from bot.channels.security import twilio_signature_required
from bot.turns import TurnBusy

logger = logging.getLogger(__name__)

TWIML_CONTENT_TYPE = "text/xml; charset=utf-8"


def _twiml(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type=TWIML_CONTENT_TYPE)


async def _serve(request, handler, *, on_error, on_busy) -> HttpResponse:
    try:
        return _twiml(await handler(clean_form(request.POST), clean_form(request.GET)))
    except BadWebhook as error:
        logger.warning("Webhook %s rechazado (400): %s", request.path, error)
        return HttpResponse(f"Bad request: {error}", status=400, content_type="text/plain")
    except (StillProcessing, TurnBusy):
        logger.warning("Webhook %s: otra copia sigue procesándose", request.path)
        return _twiml(on_busy())
    except Exception:
        logger.exception("Webhook %s falló; se responde con una disculpa", request.path)
        return _twiml(on_error())


def _with_deadline(handler, *, timed: bool = False):
    """The handler with this turn's deadline, TURN_DEADLINE_SECONDS from now; `timed` also
    passes the start (the caller's words have just arrived), for the call's response time."""
    started = time.monotonic()
    extra = {"started": started} if timed else {}
    return lambda params, query: handler(params, query, deadline=started + settings.TURN_DEADLINE_SECONDS, **extra)


def _turn(request) -> int | None:
    try:
        return voice.parse_turn(clean_form(request.GET))
    except BadWebhook:
        return None


@csrf_exempt
@require_POST
@twilio_signature_required
async def voice_incoming(request):
    return await _serve(
        request,
        db_phase(functools.partial(voice.handle_incoming, request_host=request.get_host())),
        on_error=lambda: voice.render_apology(turn=None),
        on_busy=lambda: voice.render_wait(turn=None),
    )


@csrf_exempt
@require_POST
@twilio_signature_required
async def voice_gather(request):
    return await _serve(
        request,
        _with_deadline(voice.handle_gather, timed=True),
        on_error=lambda: voice.render_apology(turn=_turn(request)),
        on_busy=lambda: voice.render_wait(turn=_turn(request)),
    )


@csrf_exempt
@require_POST
@twilio_signature_required
async def voice_status(request):
    # Twilio ignores what a status callback answers; an empty <Response/> keeps it quiet.
    return await _serve(request, db_phase(voice.handle_status), on_error=voice.render_empty, on_busy=voice.render_empty)


@csrf_exempt
@require_POST
@twilio_signature_required
async def voice_relay_ended(request):
    """The <Connect action> of a realtime call: its relay session ended (bot/channels/relay.py)."""
    return await _serve(
        request,
        db_phase(functools.partial(relay.handle_session_end, request_host=request.get_host())),
        on_error=lambda: voice.render_apology(turn=None),
        on_busy=lambda: voice.render_wait(turn=None),
    )


@csrf_exempt
@require_POST
@twilio_signature_required
async def whatsapp_message(request):
    # A copy still running elsewhere will answer the patient; this one stays silent.
    return await _serve(
        request,
        _with_deadline(whatsapp.handle_message),
        on_error=whatsapp.render_apology,
        on_busy=whatsapp.render_empty,
    )


@csrf_exempt
@require_POST
@twilio_signature_required
async def message_status_callback(request):
    return await _serve(
        request, db_phase(message_status.handle_status), on_error=voice.render_empty, on_busy=voice.render_empty
    )


BARE_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>ok</Message></Response>'


@csrf_exempt
@require_POST
def bench_bare(request):
    """Benchmark baseline (routed only with BENCH_BARE_ENDPOINT=1): same process and
    middleware, fixed TwiML, no signature check, no database."""
    request.POST  # noqa: B018 - parse the form like the real webhooks do
    return _twiml(BARE_TWIML)
