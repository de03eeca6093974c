"""A local fake of Twilio's REST APIs, for tests and benchmarks that run the real `twilio`
SDK end to end (clinic_assistant/twilio_rest.py points it here via TWILIO_API_BASE_URL).

One HTTP server on loopback serves several products; each is a small class that registers
its routes (method + path regex) on the server, keeps its own records and answers with
Twilio's JSON bodies and error codes. Verify is here; a Messages API for outbound messages
can be added the same way (a class with `routes()` passed to FakeTwilio(products=...)).

Time comes from time.time(), so a test that freezes or shifts the clock with time-machine
expires codes without sleeping.

    with FakeTwilio() as twilio:
        settings.TWILIO_API_BASE_URL = twilio.base_url
        ...
        code = twilio.verify.last_code("+5491155551234")
"""

import base64
import itertools
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from bot.tests.twilio_helpers import ACCOUNT_SID, AUTH_TOKEN

VERIFY_SERVICE_SID = "VA" + "1" * 32


@dataclass
class Request:
    method: str
    path: str
    host: str  # the *.twilio.com host the SDK meant (X-Twilio-Original-Host)
    form: dict[str, str]
    match: re.Match | None = None


@dataclass
class Answer:
    status: int
    body: dict


def twilio_error(status: int, code: int, message: str) -> Answer:
    """Twilio's error body (the SDK turns it into TwilioRestException with .code/.status)."""
    return Answer(
        status,
        {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status},
    )


Route = tuple[str, str, Callable[[Request], Answer]]


# --- Verify (https://verify.twilio.com/v2) ----------------------------------------------


@dataclass
class Verification:
    sid: str
    service_sid: str
    to: str
    channel: str
    code: str
    created_at: float
    status: str = "pending"
    send_attempts: int = 1
    check_attempts: int = 0
    sends: list[dict] = field(default_factory=list)


class FakeVerify:
    """Verify v2 as documented: a verification lives `ttl_seconds` (10 min), takes
    `max_checks` (5) code checks (the next is 429 / 60202) and `max_sends` (5) sends (the
    next is 429 / 60203); a wrong code answers 200 "pending"; an expired, approved or
    unknown verification answers 404 / 20404."""

    ttl_seconds = 600
    max_checks = 5
    max_sends = 5
    _ids = itertools.count(1)

    def __init__(self, service_sids: tuple[str, ...] = (VERIFY_SERVICE_SID,)):
        self.service_sids = set(service_sids)
        self.verifications: dict[tuple[str, str], Verification] = {}
        self.sent: list[dict] = []  # every code delivered: {"to", "channel", "code"}
        self.checks: list[dict] = []  # every check received: {"to", "code", "status"}

    def routes(self) -> list[Route]:
        service = r"/v2/Services/(?P<service>[^/]+)"
        return [
            ("POST", service + r"/Verifications$", self.create),
            ("POST", service + r"/VerificationCheck$", self.check),
        ]

    # helpers for tests
    def last_code(self, to: str) -> str:
        return next(item["code"] for item in reversed(self.sent) if item["to"] == to)

    def sent_to(self, to: str) -> list[dict]:
        return [item for item in self.sent if item["to"] == to]

    def _live(self, service: str, to: str) -> Verification | None:
        verification = self.verifications.get((service, to))
        if verification and time.time() - verification.created_at >= self.ttl_seconds:
            verification.status = "expired"
            del self.verifications[(service, to)]
            return None
        return verification

    def _body(self, verification: Verification) -> dict:
        return {
            "sid": verification.sid,
            "service_sid": verification.service_sid,
            "account_sid": ACCOUNT_SID,
            "to": verification.to,
            "channel": verification.channel,
            "status": verification.status,
            "valid": verification.status == "approved",
            "send_code_attempts": verification.sends,
            "url": f"https://verify.twilio.com/v2/Services/{verification.service_sid}/Verifications/{verification.sid}",
        }

    def create(self, request: Request) -> Answer:
        service = request.match["service"]
        if service not in self.service_sids:
            return twilio_error(404, 20404, f"The requested resource /Services/{service} was not found")
        to, channel = request.form.get("To", ""), request.form.get("Channel", "")
        if not re.fullmatch(r"\+[1-9]\d{6,14}", to):
            return twilio_error(400, 60200, "Invalid parameter `To`")
        if channel not in {"sms", "whatsapp", "call", "email"}:
            return twilio_error(400, 60200, "Invalid parameter: Channel")
        verification = self._live(service, to)
        if verification is None:
            verification = Verification(
                sid=f"VE{next(self._ids):032x}",
                service_sid=service,
                to=to,
                channel=channel,
                code=f"{secrets.randbelow(10**6):06d}",
                created_at=time.time(),
            )
            self.verifications[(service, to)] = verification
        else:
            if verification.send_attempts >= self.max_sends:
                return twilio_error(429, 60203, "Max send attempts reached")
            verification.send_attempts += 1
            verification.channel = channel
        verification.sends.append({"channel": channel, "time": time.time()})
        self.sent.append({"to": to, "channel": channel, "code": verification.code})
        return Answer(201, self._body(verification))

    def check(self, request: Request) -> Answer:
        service = request.match["service"]
        to, code = request.form.get("To", ""), request.form.get("Code", "")
        verification = self._live(service, to)
        if verification is None:
            self.checks.append({"to": to, "code": code, "status": 404})
            return twilio_error(
                404, 20404, f"The requested resource /Services/{service}/VerificationCheck was not found"
            )
        if verification.check_attempts >= self.max_checks:
            self.checks.append({"to": to, "code": code, "status": 429})
            return twilio_error(429, 60202, "Max check attempts reached")
        verification.check_attempts += 1
        if secrets.compare_digest(code, verification.code):
            verification.status = "approved"
            del self.verifications[(service, to)]
        self.checks.append({"to": to, "code": code, "status": verification.status})
        return Answer(200, self._body(verification))


# --- the server -------------------------------------------------------------------------


class FakeTwilio:
    """The HTTP server. `products` default to Verify; reach them as attributes
    (`fake.verify`) or through `fake.products`. Requests without the account's basic auth
    get Twilio's 401 / 20003. Every request is recorded in `requests`."""

    def __init__(self, *, products: dict | None = None, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN):
        self.products = products if products is not None else {"verify": FakeVerify()}
        self.routes: list[tuple[str, re.Pattern, Callable[[Request], Answer]]] = [
            (method, re.compile(pattern), handler)
            for product in self.products.values()
            for method, pattern, handler in product.routes()
        ]
        self.requests: list[Request] = []
        self.expected_auth = "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __getattr__(self, name: str):
        products = self.__dict__.get("products") or {}
        if name in products:
            return products[name]
        raise AttributeError(name)

    def start(self) -> "FakeTwilio":
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-twilio", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "FakeTwilio":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def handle(self, request: Request, authorization: str) -> Answer:
        with self._lock:
            self.requests.append(request)
            if authorization != self.expected_auth:
                return twilio_error(401, 20003, "Authenticate")
            for method, pattern, handler in self.routes:
                match = pattern.search(request.path)
                if method == request.method and match:
                    request.match = match
                    return handler(request)
            return twilio_error(404, 20404, f"The requested resource {request.path} was not found")


class _Handler(BaseHTTPRequestHandler):
    fake: FakeTwilio
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        parts = urlsplit(self.path)
        form = {key: values[-1] for key, values in parse_qs(raw, keep_blank_values=True).items()}
        request = Request(
            method=method, path=parts.path, host=self.headers.get("X-Twilio-Original-Host", ""), form=form
        )
        answer = self.fake.handle(request, self.headers.get("Authorization", ""))
        data = json.dumps(answer.body).encode()
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # noqa: N802 - http.server's naming
        self._serve("POST")

    def do_GET(self):  # noqa: N802
        self._serve("GET")


# --- Messages (https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json) -----------


class FakeMessages:
    """The Messages API's create call: records each message (To, From, Body or ContentSid +
    ContentVariables, StatusCallback) and answers 201 with a fresh SM sid. `fail_next(n,
    status, code)` makes the next n creates fail with Twilio's error body, as an outage or a
    refused number would; a To of the WhatsApp form needs a WhatsApp From."""

    _ids = itertools.count(1)

    def __init__(self):
        self.sent: list[dict] = []
        self._failures: list[tuple[int, int, str]] = []

    def routes(self) -> list[Route]:
        return [("POST", r"^/2010-04-01/Accounts/(?P<account>AC[0-9a-f]{32})/Messages\.json$", self.create)]

    def fail_next(self, count: int = 1, *, status: int = 500, code: int = 20500, message: str = "Internal error"):
        self._failures.extend([(status, code, message)] * count)

    def to(self, number: str) -> list[dict]:
        return [item for item in self.sent if item["To"].removeprefix("whatsapp:") == number]

    def create(self, request: Request) -> Answer:
        if self._failures:
            status, code, message = self._failures.pop(0)
            return twilio_error(status, code, message)
        form = request.form
        to, sender = form.get("To", ""), form.get("From", "")
        if not to or not sender:
            return twilio_error(400, 21604, "A 'To' and a 'From' phone number are required")
        if to.startswith("whatsapp:") != sender.startswith("whatsapp:"):
            return twilio_error(400, 63007, "Twilio could not find a Channel with the specified From address")
        if not form.get("Body") and not form.get("ContentSid"):
            return twilio_error(400, 21602, "Message body is required")
        sid = f"SM{next(self._ids):032x}"
        record = {**form, "sid": sid}
        if "ContentVariables" in form:
            record["variables"] = json.loads(form["ContentVariables"])
        self.sent.append(record)
        return Answer(201, {"sid": sid, "status": "queued", "to": to, "from": sender, "body": form.get("Body", "")})
