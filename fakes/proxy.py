"""A recording forward proxy on 127.0.0.1: ``CONNECT host:port`` tunnels (TLS stays end to
end: the proxy sees only the tunnel's target), and plain ``GET http://…`` forwarding.

``seen`` lists (method, target, headers) for every request the proxy received, so a test
can tell whether a client went through it, which target it asked for, and what it sent.
"""

from __future__ import annotations

import contextlib
import select
import socket
import socketserver
import threading
import time
from typing import NamedTuple
from urllib.parse import urlsplit

MAX_SECONDS = 30.0


class ProxySeen(NamedTuple):
    method: str
    target: str
    headers: dict[str, str]


class RecordingProxy:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, refuse: bool = False) -> None:
        self.seen: list[ProxySeen] = []
        self.lock = threading.Lock()
        self.refuse = refuse  # answer 403 to every CONNECT (a proxy that blocks the target)
        handler = type("Handler", (_ProxyHandler,), {"proxy": self})
        self.server = socketserver.ThreadingTCPServer((host, port), handler, bind_and_activate=False)
        self.server.allow_reuse_address = True
        self.server.daemon_threads = True
        self.server.server_bind()
        self.server.server_activate()
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.005}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> str:
        self.thread.start()
        return self.url

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> RecordingProxy:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _ProxyHandler(socketserver.StreamRequestHandler):
    proxy: RecordingProxy
    timeout = MAX_SECONDS

    def handle(self) -> None:
        with contextlib.suppress(OSError):
            self._handle()

    def _read_head(self) -> tuple[str, str, dict[str, str]] | None:
        line = self.rfile.readline(65537).decode("latin-1").strip()
        if not line:
            return None
        method, target, _ = [*line.split(" "), "", ""][:3]
        headers: dict[str, str] = {}
        while True:
            header = self.rfile.readline(65537).decode("latin-1")
            if header in ("\r\n", "\n", ""):
                break
            name, _, value = header.partition(":")
            headers[name.strip()] = value.strip()
        return method, target, headers

    def _handle(self) -> None:
        head = self._read_head()
        if head is None:
            return
        method, target, headers = head
        with self.proxy.lock:
            self.proxy.seen.append(ProxySeen(method, target, headers))
        if method == "CONNECT":
            self._tunnel(target)
        else:
            self._forward(method, target, headers)

    def _tunnel(self, target: str) -> None:
        if self.proxy.refuse:
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        host, _, port = target.rpartition(":")
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=5)
        except (OSError, ValueError):
            self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        _pipe(self.connection, upstream)

    def _forward(self, method: str, target: str, headers: dict[str, str]) -> None:
        parts = urlsplit(target)
        if parts.scheme != "http" or not parts.hostname:
            self.wfile.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        upstream = socket.create_connection((parts.hostname, parts.port or 80), timeout=5)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        kept = {k: v for k, v in headers.items() if not k.lower().startswith("proxy-") and k.lower() != "connection"}
        head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in kept.items())
        upstream.sendall((head + "Connection: close\r\n\r\n").encode("latin-1"))
        length = int(headers.get("Content-Length") or headers.get("content-length") or 0)
        if length:
            upstream.sendall(self.rfile.read(length))
        # one request per client connection: say so, or the client would send its next one here
        head, rest = _read_head(upstream)
        lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
        self.connection.sendall(b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + rest)
        _pipe(self.connection, upstream, until_upstream_closes=True)


def _read_head(upstream: socket.socket) -> tuple[bytes, bytes]:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = upstream.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _pipe(client: socket.socket, upstream: socket.socket, until_upstream_closes: bool = False) -> None:
    until = time.monotonic() + MAX_SECONDS
    sockets = [client, upstream]
    try:
        while time.monotonic() < until:
            readable, _, _ = select.select(sockets, [], [], 0.5)
            for source in readable:
                data = source.recv(65536)
                if not data:
                    return
                (upstream if source is client else client).sendall(data)
    finally:
        upstream.close()
        if until_upstream_closes:
            client.close()
