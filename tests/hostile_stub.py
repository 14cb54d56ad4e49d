"""A tiny scripted HTTP server on 127.0.0.1 for the hostile-input tests (issue 9).

``answer(request)`` decides every reply, so a test can play a hostile server: echo what it
was sent, plant control characters, answer with the wrong types. Every request is recorded.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int = 200
    body: object = field(default_factory=dict)  # bytes, or anything json.dumps takes
    headers: dict[str, str] = field(default_factory=dict)


Answer = Callable[[Request, list[Request]], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
        with self.server.lock:
            self.server.requests.append(request)
            seen = list(self.server.requests)
        reply = self.server.answer(request, seen)
        body = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
        self.send_response(reply.status)
        headers = {"Content-Type": "application/json", **reply.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _serve

    def log_message(self, *args: object) -> None:  # quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, answer: Answer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer
        self.requests: list[Request] = []
        self.lock = threading.Lock()

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: a client that hangs up mid-answer is expected here, and socketserver's traceback
        on stderr would land in the output of an in-process (CliRunner) run that a test reads."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def stub_server(answer: Answer) -> Iterator[_Server]:
    server = _Server(answer)
    # shutdown() waits for the loop to poll: 5 ms keeps a stop at ~3 ms (as in fakes/server.py)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.005}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
