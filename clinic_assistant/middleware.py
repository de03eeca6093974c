"""Middleware for an async request chain.

- **Twilio's webhooks skip the browser middleware.** Sessions, CSRF, authentication,
  messages, locale, clickjacking headers and login throttling are for people in the admin;
  a webhook uses none of them (its view checks Twilio's signature), and under ASGI each of
  Django's middleware runs its request and response hooks in a thread (MiddlewareMixin):
  about fifteen thread hops per webhook, which under Monday's load queued every turn
  behind the others' hops (README, Deployment). `webhooks_first` goes straight to the
  async view for paths under /webhook/; everything else takes the whole chain.
- **WhiteNoise**: its middleware is sync-only, and one sync-only middleware makes Django
  run the whole chain of every request through thread hops and sync/async adapters. The
  subclass says it can do both: under ASGI it looks the path up in the same table and
  serves a static file from a thread; everything else goes straight on."""

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.urls import Resolver404, resolve
from django.utils.decorators import sync_and_async_middleware
from whitenoise.middleware import WhiteNoiseMiddleware

WEBHOOK_PREFIX = "/webhook/"


@sync_and_async_middleware
def webhooks_first(get_response):
    """First in MIDDLEWARE. Served synchronously (runserver, the test client) nothing is
    skipped: there a middleware costs no thread hop."""
    if not iscoroutinefunction(get_response):
        return get_response

    async def middleware(request):
        if request.path_info.startswith(WEBHOOK_PREFIX):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and iscoroutinefunction(match.func):
                request.resolver_match = match
                return await match.func(request, *match.args, **match.kwargs)
        return await get_response(request)

    return markcoroutinefunction(middleware)


class AsyncWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    sync_capable = True
    async_capable = True

    def __init__(self, get_response=None, *args, **kwargs):
        super().__init__(get_response, *args, **kwargs)
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        return super().__call__(request)

    async def _acall(self, request):
        static_file = self.find_file(request.path_info) if self.autorefresh else self.files.get(request.path_info)
        if static_file is not None:
            return await sync_to_async(self.serve, thread_sensitive=False)(static_file, request)
        return await self.get_response(request)
