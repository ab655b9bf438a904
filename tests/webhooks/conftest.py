"""A real HTTP receiver for webhook tests: ``http.server`` on a free loopback port in a thread,
recording every request (headers and the exact body) and answering with the status it is told."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answers in turn; the last one repeats

    def answer(self) -> int:
        if len(self.statuses) > 1:
            return self.statuses.pop(0)
        return self.statuses[0] if self.statuses else 204


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            status = receiver.answer()
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def receiver():
    server_receiver = Receiver(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server_receiver))
    server.daemon_threads = True
    server_receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/tugi"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server_receiver
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _private_receivers_allowed(settings):
    """The tests' receiver listens on 127.0.0.1, a private address that a desk refuses by default
    (TUGI_WEBHOOK_ALLOW_PRIVATE); the tests of that refusal switch it off again."""
    settings.TUGI_WEBHOOK_ALLOW_PRIVATE = True
