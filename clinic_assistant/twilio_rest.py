"""The one way the project talks to Twilio's REST APIs (Verify codes now, outbound
messages later): the official `twilio` client, with a short timeout and, when
TWILIO_API_BASE_URL is set, every request sent there instead of *.twilio.com.

The override exists for tests and staging: a local fake (bot/tests/fake_twilio.py) then
answers exactly as Twilio's servers would, so the code under test runs the real SDK end to
end (URL building, form encoding, error parsing) instead of a mock. The original host is
kept in a header so one fake can serve several products (verify, api, ...)."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

# Twilio calls happen inside a webhook that must answer within Twilio's 15 s.
REQUEST_TIMEOUT_SECONDS = 5.0
ORIGINAL_HOST_HEADER = "X-Twilio-Original-Host"


class TwilioNotConfigured(Exception):
    """No account SID / auth token: nothing can be sent."""


class RedirectingHttpClient(TwilioHttpClient):
    """TwilioHttpClient that swaps the scheme and host of every *.twilio.com URL for
    `base_url`'s, keeping path and query (and the original host in a header)."""

    def __init__(self, base_url: str, **kwargs):
        super().__init__(**kwargs)
        parts = urlsplit(base_url.rstrip("/"))
        if not parts.scheme or not parts.netloc:
            raise ValueError(f"TWILIO_API_BASE_URL must be an absolute URL, got {base_url!r}")
        self.scheme, self.netloc, self.prefix = parts.scheme, parts.netloc, parts.path

    def rewrite(self, url: str) -> tuple[str, str]:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if host != "twilio.com" and not host.endswith(".twilio.com"):
            return url, ""
        return urlunsplit((self.scheme, self.netloc, self.prefix + parts.path, parts.query, "")), host

    def request(self, method, url, params=None, data=None, headers=None, auth=None, timeout=None, **kwargs):
        url, original_host = self.rewrite(url)
        if original_host:
            headers = {**(headers or {}), ORIGINAL_HOST_HEADER: original_host}
        return super().request(
            method, url, params=params, data=data, headers=headers, auth=auth, timeout=timeout, **kwargs
        )


def twilio_client() -> Client:
    """A Twilio REST client for the configured account. Raises TwilioNotConfigured
    without credentials, so callers can fall back (hand over to reception) instead of
    letting the SDK fail deep inside a request."""
    if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
        raise TwilioNotConfigured("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are needed")
    base_url = settings.TWILIO_API_BASE_URL
    http_client = (
        RedirectingHttpClient(base_url, timeout=REQUEST_TIMEOUT_SECONDS, max_retries=0)
        if base_url
        else TwilioHttpClient(timeout=REQUEST_TIMEOUT_SECONDS)
    )
    return Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client)
