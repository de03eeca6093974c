"""Local stand-ins for the network boundary of voice notes: Twilio's media endpoint (basic
auth, then a redirect to the file on another host) and an OpenAI-compatible transcription
server, each an http.server in a thread on loopback."""

import base64
import json
import threading
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# An Ogg page holding an Opus identification header (RFC 7845): enough for the code that
# reads the sample rate, and opaque bytes for everything else.
FAKE_OGG_OPUS = (
    b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x13" + b"OpusHead\x01\x01\x38\x01" + (16000).to_bytes(4, "little") + b"\x00"
) + b"\x00" * 64


@dataclass
class Recorded:
    requests: list[dict] = field(default_factory=list)


class _Server:
    def __init__(self, handler_factory):
        self.recorded = Recorded()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_factory(self))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def _quiet(handler_class):
    handler_class.log_message = lambda self, *args: None
    return handler_class


def file_server(content: bytes = FAKE_OGG_OPUS, content_type: str = "audio/ogg") -> _Server:
    """Where Twilio's redirect points (S3 in real life): serves the bytes to anyone."""

    def factory(server):
        @_quiet
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.recorded.requests.append({"path": self.path, "headers": dict(self.headers)})
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

        return Handler

    return _Server(factory)


def media_server(*, account_sid: str, auth_token: str, redirect_to: str) -> _Server:
    """Twilio's MediaUrl: 401 without the account's basic auth, else 302 to the file."""
    expected = "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()

    def factory(server):
        @_quiet
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                authorization = self.headers.get("Authorization", "")
                server.recorded.requests.append({"path": self.path, "authorization": authorization})
                if authorization != expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="Twilio API"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(302)
                self.send_header("Location", redirect_to)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler

    return _Server(factory)


def transcription_server(text: str) -> _Server:
    """OpenAI-compatible POST /v1/audio/transcriptions answering {"text": ...}."""

    def factory(server):
        @_quiet
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                message = BytesParser(policy=default_policy).parsebytes(
                    f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body
                )
                fields, files = {}, {}
                for part in message.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    if part.get_filename():
                        files[name] = {
                            "filename": part.get_filename(),
                            "content_type": part.get_content_type(),
                            "content": part.get_payload(decode=True),
                        }
                    else:
                        fields[name] = part.get_content().strip()
                server.recorded.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization", ""),
                        "fields": fields,
                        "files": files,
                    }
                )
                if self.path.rstrip("/") != "/v1/audio/transcriptions":
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                payload = json.dumps({"text": text}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler

    return _Server(factory)
