"""What every fake server here shares: a threaded HTTP(S) server on 127.0.0.1 that records
each request (arrival time, method, path, status, headers) and can inject faults.

Faults model what a broken or hostile server does: any status with headers and body, a
non-JSON page, a truncated body, a redirect, a hang, headers trickled one byte at a time, a
gzip bomb, an endless body. Each fault is bounded in time and size (it stops by itself).
``stop()`` returns at once: the accept loop polls every 5 ms and handler threads are daemons.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

POLL = 0.005  # stop() waits for the loop to see the request: ~3 ms on average
FAULT_SECONDS_MAX = 60.0  # no fault keeps a connection busy longer than this
ENDLESS_BYTES_MAX = 2 * 1024 ** 3


class Seen(NamedTuple):
    """One request as it arrived (index 0-3 kept for older tests: time, method, path, status)."""

    time: float
    method: str
    path: str
    status: int
    headers: dict[str, str]
    query: dict[str, list[str]]
    body: bytes


@dataclass
class Fault:
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    # status | nonjson | truncated | redirect | hang | trickle | gzip_bomb | endless | delay (then answer as usual)
    kind: str = "status"
    seconds: float = 0.0  # hang, delay: how long; trickle: the pause between two bytes
    size: int = 0  # gzip_bomb: decompressed bytes
    layers: int = 1  # gzip_bomb: how many times gzip was applied (Content-Encoding: gzip, gzip)


class Answer(NamedTuple):
    status: int
    payload: Any  # JSON-able, or bytes sent as they are
    headers: dict[str, str] = {}  # noqa: RUF012 - a NamedTuple default, never mutated


class FakeServer:
    """Subclasses define ``route(method, path, query, headers, body) -> Answer``."""

    def __init__(self, *, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1", port: int = 0,
                 context_path: str = "", latency: float = 0.0) -> None:
        self.log: list[Seen] = []
        self.lock = threading.Lock()
        self.faults: dict[tuple[str, str], list[Fault]] = {}
        self.context_path = context_path
        self.latency = latency
        handler = type("Handler", (_Handler,), {"server_state": self})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True, do_handshake_on_connect=False)
        self.scheme = "https" if tls else "http"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": POLL}, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    @property
    def url(self) -> str:
        return self.origin + self.context_path

    def start(self) -> str:
        self.thread.start()
        return self.url

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def serve_until_interrupted(self, label: str) -> None:
        """The demo: announce the URL, serve until Ctrl-C."""
        print(f"{label} at {self.start()} (Ctrl-C to stop)", flush=True)
        try:
            self.thread.join()
        except KeyboardInterrupt:
            self.stop()

    def __enter__(self) -> FakeServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add_fault(self, method: str, path: str, *faults: Fault) -> None:
        with self.lock:
            self.faults.setdefault((method, path), []).extend(faults)

    def requests(self, path_prefix: str = "") -> list[Seen]:
        with self.lock:
            return [entry for entry in self.log if entry.path.startswith(path_prefix)]

    def max_in_window(self, window: float = 1.0) -> int:
        """The most requests that arrived within any ``window`` seconds."""
        times = sorted(entry.time for entry in self.requests())
        best, start = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best

    def route(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes) -> Answer:
        raise NotImplementedError


class _Handler(BaseHTTPRequestHandler):
    server_state: FakeServer
    protocol_version = "HTTP/1.1"
    timeout = FAULT_SECONDS_MAX
    disable_nagle_algorithm = True  # headers and body go out at once (no 40 ms delayed-ACK stall)

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def handle(self) -> None:
        with contextlib.suppress(OSError, ssl.SSLError):  # the client hung up or failed the handshake
            super().handle()

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        state = self.server_state
        arrived = time.monotonic()
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = dict(self.headers.items())
        query = parse_qs(parts.query)
        path = parts.path
        context = state.context_path
        if context and not path.startswith(context + "/"):
            return self._answer(arrived, method, path, headers, query, body,
                                Answer(404, {"meta": {"status": "Not Found", "message": "no such path"}}))
        path = path[len(context):]
        if state.latency:
            time.sleep(state.latency)
        fault = self._fault(method, path)
        if fault is not None and fault.kind == "delay":
            if fault.seconds:  # its arrival, marked status 0, before the wait
                self._record(Seen(arrived, method, path, 0, headers, query, body))
            time.sleep(min(fault.seconds, FAULT_SECONDS_MAX))
            fault = None
        if fault is not None:
            self._record(Seen(arrived, method, path, fault.status, headers, query, body))
            return self._fault_answer(fault)
        answer = state.route(method, path, query, self.headers, body)
        self._answer(arrived, method, path, headers, query, body, answer)

    def _fault(self, method: str, path: str) -> Fault | None:
        with self.server_state.lock:
            queue = self.server_state.faults.get((method, path))
            return queue.pop(0) if queue else None

    def _record(self, seen: Seen) -> None:
        with self.server_state.lock:
            self.server_state.log.append(seen)

    def _answer(self, arrived: float, method: str, path: str, headers: dict[str, str],
                query: dict[str, list[str]], body: bytes, answer: Answer) -> None:
        self._record(Seen(arrived, method, path, answer.status, headers, query, body))
        payload = answer.payload
        data = payload if isinstance(payload, bytes) else b"" if payload is None else json.dumps(payload).encode()
        self._send(answer.status, data, {"Content-Type": "application/json", **answer.headers})

    def _send(self, status: int, data: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _fault_answer(self, fault: Fault) -> None:
        handler = getattr(self, f"_fault_{fault.kind}", None)
        if handler is None:
            self._send(fault.status, fault.body if fault.body is not None else b"", fault.headers)
        else:
            handler(fault)

    def _fault_hang(self, fault: Fault) -> None:
        time.sleep(min(fault.seconds, FAULT_SECONDS_MAX))
        self.close_connection = True

    def _fault_redirect(self, fault: Fault) -> None:
        self._send(fault.status or 302, b"", {"Location": fault.headers.get("Location", "https://sso.example/login")})

    def _fault_truncated(self, fault: Fault) -> None:
        payload = b'{"meta": {"status": "OK"}, "data": {"id": 1, "user'
        self.send_response(fault.status or 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload) + 500))
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()
        self.close_connection = True

    def _fault_nonjson(self, fault: Fault) -> None:
        self._send(fault.status or 200, b"<html><body>Maintenance</body></html>", {"Content-Type": "text/html"})

    def _fault_trickle(self, fault: Fault) -> None:
        """A status line, then header bytes one at a time, never ending the header block."""
        self.close_connection = True
        text = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: a\r\n" * 100_000
        until = time.monotonic() + FAULT_SECONDS_MAX
        for index in range(len(text)):
            if time.monotonic() > until:
                return
            try:
                self.wfile.write(text[index:index + 1])
                self.wfile.flush()
            except OSError:
                return
            time.sleep(fault.seconds)

    def _fault_gzip_bomb(self, fault: Fault) -> None:
        data = gzip_bomb(fault.size, fault.layers)
        self._send(200, data, {"Content-Type": "application/json",
                               "Content-Encoding": ", ".join(["gzip"] * fault.layers)})

    def _fault_endless(self, fault: Fault) -> None:
        """A JSON-looking body that never ends (no Content-Length, bounded by time and size)."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b'{"data": "' + b"x" * 65536
        sent, until = 0, time.monotonic() + FAULT_SECONDS_MAX
        while sent < ENDLESS_BYTES_MAX and time.monotonic() < until:
            try:
                self.wfile.write(chunk)
            except OSError:
                return
            sent += len(chunk)


@lru_cache(maxsize=8)
def gzip_bomb(size: int, layers: int = 1) -> bytes:
    """``size`` zero bytes, gzip-compressed ``layers`` times (about 1000:1 per layer)."""
    data = _gzip_zeros(size)
    for _ in range(layers - 1):
        data = _gzip(data)
    return data


def _gzip_zeros(size: int) -> bytes:
    # A full flush every MiB byte-aligns the stream and resets history, so every MiB after
    # the first compresses to the same bytes: compress two, then repeat the second.
    mib = 1024 * 1024
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(b"\0" * mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(b"\0" * mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush()
    count = max(size // mib, 1)
    crc = 0
    block = b"\0" * mib
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = crc.to_bytes(4, "little") + ((count * mib) & 0xFFFFFFFF).to_bytes(4, "little")
    return header + first + repeat * (count - 1) + tail + trailer


def _gzip(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


def client_tls_context_for(ca_pem: str) -> ssl.SSLContext:
    """A client context trusting ``ca_pem`` (for tests that talk to the fakes directly)."""
    context = ssl.create_default_context()
    context.load_verify_locations(cafile=ca_pem)
    return context


def free_port() -> int:
    """A port nothing listens on (for connection-refused tests)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
