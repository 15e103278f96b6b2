"""A stand-in for the LINE Messaging API on 127.0.0.1 (a random port), recording what it
receives; LINE_API_BASE_URL points the SDK at it, so no test reaches the internet."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SECRET = "test-channel-secret"
TOKEN = "test-access-token"


@dataclass
class Received:
    path: str
    headers: dict
    body: dict
    status: int


@dataclass
class LineStandIn:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)  # statuses to answer, one per call
    accepted_keys: set = field(default_factory=set)

    @property
    def pushes(self) -> list[Received]:
        """The pushes LINE accepted (each would reach the person's phone once)."""
        return [r for r in self.received if r.path == "/v2/bot/message/push" and r.status == 200]


def _handler(standin: LineStandIn):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            key = self.headers.get("X-Line-Retry-Key")
            if standin.fail_next:
                status = standin.fail_next.pop(0)
            elif key and key in standin.accepted_keys:
                status = 409  # LINE: accepted before under this retry key
            else:
                status = 200
                if key:
                    standin.accepted_keys.add(key)
            standin.received.append(Received(self.path, dict(self.headers), body, status))
            answer = (
                {"sentMessages": [{"id": str(len(standin.received)), "quoteToken": "q"}]}
                if status == 200
                else {"message": "stand-in error"}
            )
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def line_api(settings):
    """The stand-in, running for one test, with the settings pointing at it."""
    standin = LineStandIn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(standin))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    standin.url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.LINE_API_BASE_URL = standin.url
    settings.LINE_CHANNEL_ACCESS_TOKEN = TOKEN
    settings.LINE_CHANNEL_SECRET = SECRET
    settings.SITE_URL = "https://sammachip.example"
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()


def signature(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
