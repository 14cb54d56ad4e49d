"""The one place that talks HTTP: politeness, bounds, retries, TLS, proxies, transport errors.

Every request goes through ``Http.request``: it waits for the instance's rate limit, never
follows a redirect, retries 429/503 a bounded number of times, bounds the whole request by
one deadline and the answer body by a size (after decompression), and turns every transport
failure into a LiveError with its rule. Nothing here ever puts a credential into a message.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import ssl
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from jamacheck.live import deadline, secrets
from jamacheck.live.options import LiveOptions
from jamacheck.live.proxies import describe_proxy, proxy_for
from jamacheck.live.ratelimit import LimiterRegistry
from jamacheck.rules._rule import Rule
from jamacheck.rules.jc5_live import CONNECTION_FAILED, UNEXPECTED_RESPONSE
from jamacheck.urlparts import origin
from jamacheck.yaml.source import mask_url

MAX_TRIES = 3
RETRY_WAITS = (3.0, 5.0)  # Jama's guidance after a 429 without Retry-After (tests shorten it)
MAX_RETRY_AFTER = 10.0
RETRIED_STATUSES = (429, 503)
MAX_BODY = 5 * 1024 * 1024  # after decompression
MAX_REQUESTS = 500  # per connector
CLEANUP_SECONDS = 0.5  # after Ctrl-C: the unlock of a probed item, then exit
_DECODERS = {"gzip": 31, "x-gzip": 31, "deflate": 47}


class LiveError(Exception):
    """A check cannot go on: ``rule`` is the finding it reports, ``detail`` says why."""

    def __init__(self, rule: Rule, detail: str) -> None:
        super().__init__(detail)
        self.rule, self.detail = rule, detail


class CapReached(LiveError):
    """The connector made as many requests as it may."""


class Cancelled(Exception):
    """Ctrl-C: stop at the next request."""


@dataclass
class Answer:
    status: int
    headers: httpx.Headers
    content: bytes
    url: str

    def json(self) -> Any:
        try:
            return json.loads(self.content)
        except (ValueError, RecursionError):
            kind = self.headers.get("content-type", "no content type").split(";")[0][:60]
            raise LiveError(UNEXPECTED_RESPONSE, f"{self.status} answer is not JSON ({kind}) from {self.url}") from None


class Budget:
    """At most ``limit`` requests for one connector (retries and paging included)."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit, self.used = MAX_REQUESTS if limit is None else limit, 0

    def spend(self) -> None:
        if self.used >= self.limit:
            raise CapReached(UNEXPECTED_RESPONSE, f"stopped after {self.limit} requests (the cap for one connector)")
        self.used += 1


class Http:
    """Shared by every connector: the rate limiters, the TLS context and the cancel switch.

    Each connector gets its own client (``client()``): no cookie of one connector is ever
    sent with another's requests. ``transport`` replaces the network (unit tests).
    """

    def __init__(self, options: LiveOptions, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] | None = None) -> None:
        self.options = options
        self.limiters = LimiterRegistry(options.max_requests, options.window_seconds)
        self.transport = transport
        self.cancelled = threading.Event()
        self._sleep = sleep
        self._contexts: dict[bool, ssl.SSLContext | bool] = {}
        self._lock = threading.Lock()

    def cancel(self) -> None:
        self.cancelled.set()

    def sleep(self, seconds: float) -> None:
        if self._sleep is not None:
            self._sleep(seconds)
        elif self.cancelled.wait(seconds):
            raise Cancelled()

    def client(self, base_url: str, verify_ssl: bool) -> Client:
        proxy = None if self.transport else proxy_for(base_url, self.options.proxy_environment)
        if proxy is not None:
            _check_proxy(proxy)
        verify = self._verify(verify_ssl)
        if self.transport is not None:
            transport: httpx.BaseTransport = self.transport
        else:
            transport = deadline.transport(verify, proxy)
        client = httpx.Client(transport=transport, follow_redirects=False, trust_env=False,
                              timeout=httpx.Timeout(self.options.timeout),
                              headers={"User-Agent": "jamacheck", "Accept": "application/json",
                                       "Accept-Encoding": "gzip, deflate"})
        return Client(self, client, proxy)

    def _verify(self, verify_ssl: bool) -> ssl.SSLContext | bool:
        with self._lock:
            if verify_ssl not in self._contexts:
                self._contexts[verify_ssl] = self._ssl_context() if verify_ssl else _insecure_context()
            return self._contexts[verify_ssl]

    def _ssl_context(self) -> ssl.SSLContext:
        bundle = self.options.ca_bundle
        try:
            stamp = os.stat(bundle) if bundle else None
            return _verifying_context(os.environ.get("SSL_CERT_FILE", ""), os.environ.get("SSL_CERT_DIR", ""),
                                      bundle, (stamp.st_mtime_ns, stamp.st_size) if stamp else None)
        except (ssl.SSLError, OSError):
            raise LiveError(CONNECTION_FAILED, f"--ca-bundle {bundle} is not a PEM CA file") from None


@functools.lru_cache(maxsize=8)
def _verifying_context(cert_file: str, cert_dir: str, bundle: str | None, stamp: tuple[int, int] | None,
                       ) -> ssl.SSLContext:
    """System store (SSL_CERT_FILE, when set, replaces it as usual), certifi beside it, and
    --ca-bundle in addition. Built once per process for the same inputs (it costs ~50 ms): the
    arguments are the cache key, so ``cert_dir`` (SSL_CERT_DIR, which OpenSSL reads itself) is
    here only to build a new context when it changes."""
    context = ssl.create_default_context()
    if not cert_file:
        import certifi

        context.load_verify_locations(certifi.where())
    if bundle:
        context.load_verify_locations(bundle)
    return context


def _check_proxy(proxy: str) -> None:
    """Learn the proxy's password (it is a secret too); refuse a scheme httpx cannot speak."""
    parsed = httpx.URL(proxy) if "://" in proxy else None
    if parsed is not None and parsed.password:
        secrets.learn(parsed.password)
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise LiveError(CONNECTION_FAILED, f"the proxy {describe_proxy(proxy)} is not an http:// or https:// proxy "
                                           "URL (other schemes are not supported)")


def _insecure_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class Client:
    """One connector's HTTP client: its own connections and cookies, the shared limits."""

    def __init__(self, http: Http, client: httpx.Client, proxy: str | None) -> None:
        self.http, self.client, self.proxy = http, client, proxy

    def close(self) -> None:
        self.client.close()

    def request(self, method: str, url: str, budget: Budget, *, retry: bool = True,
                headers: dict[str, str] | None = None, cleanup: bool = False, **kwargs: Any) -> Answer:
        """One request (and its retries). ``cleanup`` requests (an unlock) still go out after
        Ctrl-C, bounded by a short deadline."""
        http = self.http
        limiter = http.limiters.for_origin(origin(url) or (url,))
        request = self.client.build_request(method, url, headers=headers, **kwargs)
        for attempt in range(MAX_TRIES):
            if http.cancelled.is_set() and not cleanup:
                raise Cancelled()
            budget.spend()
            slot = limiter.acquire()
            try:
                answer = self._send(request, url, CLEANUP_SECONDS if http.cancelled.is_set() else None)
            finally:
                limiter.release(slot)
            if answer.status in RETRIED_STATUSES and retry:
                if attempt + 1 < MAX_TRIES:
                    http.sleep(_retry_wait(answer, attempt))
                    continue
                raise LiveError(UNEXPECTED_RESPONSE, f"{answer.status} from {answer.url} after {MAX_TRIES} tries: "
                                                     "the instance is throttling or in maintenance; try again later")
            if 300 <= answer.status < 400:
                target = _where(answer.headers.get("location", "nowhere"))[:200]
                raise LiveError(UNEXPECTED_RESPONSE, f"{answer.status} redirect from {answer.url} to {target} "
                                                     "(not followed): is `url` the instance's base URL, with https?")
            return answer
        raise AssertionError("unreachable")

    def _send(self, request: httpx.Request, url: str, seconds: float | None = None) -> Answer:
        timeout = seconds or self.http.options.timeout
        with deadline.bounded(timeout):
            try:
                response = self.client.send(request, stream=True)
                try:
                    content = read_body(response, url)
                finally:
                    response.close()
            except httpx.TimeoutException:
                raise LiveError(CONNECTION_FAILED, f"timeout: {_where(url)} did not answer within {timeout:g} s"
                                + self._via()) from None
            except httpx.ProxyError as err:
                raise LiveError(CONNECTION_FAILED, f"the proxy {describe_proxy(self.proxy)} refused the "
                                                   f"connection to {_where(url)} ({_short(err)})") from None
            except httpx.ConnectError as err:
                raise LiveError(CONNECTION_FAILED, self._connect_failure(err, url)) from None
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.DecodingError) as err:
                raise LiveError(UNEXPECTED_RESPONSE, f"the answer from {_where(url)} was cut short or malformed "
                                                     f"({type(err).__name__})") from None
            except httpx.HTTPError as err:
                raise LiveError(CONNECTION_FAILED, f"cannot talk to {_where(url)}: {type(err).__name__}"
                                + self._via()) from None
        return Answer(response.status_code, response.headers, content, _where(url))

    def _connect_failure(self, err: httpx.ConnectError, url: str) -> str:
        """Through a proxy, only a TLS failure is the instance's: the rest is reaching the proxy."""
        tls = any(isinstance(cause, ssl.SSLError) for cause in _causes(err))
        if self.proxy and not tls:
            text = describe_connect_error(err, self.proxy)
            problem = ("its host does not resolve" if text.startswith("DNS") else
                       "connection refused" if text.startswith("connection refused") else "no connection")
            return (f"cannot reach the proxy {describe_proxy(self.proxy)}: {problem}; check HTTPS_PROXY, "
                    "HTTP_PROXY, ALL_PROXY and NO_PROXY")
        return describe_connect_error(err, url) + self._via()

    def _via(self) -> str:
        return f" (through the proxy {describe_proxy(self.proxy)})" if self.proxy else ""


def read_body(response: httpx.Response, url: str) -> bytes:
    """The body, decompressed by us (bounded at every layer), at most MAX_BODY bytes."""
    if response.is_stream_consumed:  # a response built in memory (a test transport): already whole
        if len(response.content) > MAX_BODY:
            raise _too_big(url)
        return response.content
    raw = bytearray()
    for chunk in response.iter_raw():
        raw += chunk
        if len(raw) > MAX_BODY:
            raise _too_big(url)
    data = bytes(raw)
    encodings = [e.strip().lower() for e in response.headers.get("content-encoding", "").split(",") if e.strip()]
    for encoding in reversed(encodings):
        if encoding == "identity":
            continue
        if encoding not in _DECODERS:
            raise LiveError(UNEXPECTED_RESPONSE, f"the answer from {_where(url)} uses an unsupported "
                                                 f"content encoding ({encoding[:20]})")
        data = _inflate(data, _DECODERS[encoding], url)
    return data


def _inflate(data: bytes, wbits: int, url: str) -> bytes:
    decoder = zlib.decompressobj(wbits)
    try:
        out = decoder.decompress(data, MAX_BODY + 1)
    except zlib.error:
        raise LiveError(UNEXPECTED_RESPONSE, f"the answer from {_where(url)} is not valid compressed data") from None
    if len(out) > MAX_BODY:
        raise _too_big(url)
    return out


def _too_big(url: str) -> LiveError:
    return LiveError(UNEXPECTED_RESPONSE, f"the answer from {_where(url)} is larger than "
                                          f"{MAX_BODY // (1024 * 1024)} MiB (after decompression): not read further")


def _retry_wait(answer: Answer, attempt: int) -> float:
    header = answer.headers.get("retry-after")
    if header is None:
        return RETRY_WAITS[min(attempt, len(RETRY_WAITS) - 1)]
    wait = retry_after_seconds(header)
    if wait == float("inf"):
        raise LiveError(UNEXPECTED_RESPONSE, f"{answer.status} from {answer.url} with an unreadable Retry-After "
                                             f"({secrets.mask(header.strip())[:40]!r}): try again later")
    if wait > MAX_RETRY_AFTER:
        raise LiveError(UNEXPECTED_RESPONSE, f"{answer.status} from {answer.url} asks to wait "
                                             f"{header.strip()[:40]} s (Retry-After over {MAX_RETRY_AFTER:.0f} s): "
                                             "try again later")
    return max(wait, 0.0)


def retry_after_seconds(header: str) -> float:
    """Seconds from a Retry-After of delta-seconds or an HTTP date; junk means "too long"."""
    try:
        value = float(header)
    except ValueError:
        pass
    else:
        return value if value == value else float("inf")  # NaN is junk
    import datetime
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return float("inf")
    if moment.tzinfo is None:
        return float("inf")
    return (moment - datetime.datetime.now(datetime.UTC)).total_seconds()


def _where(url: str) -> str:
    """The URL without query (Jama puts nothing secret there, but users might)."""
    return mask_url(url.split("?", 1)[0])


def _short(err: Exception) -> str:
    return mask_url(str(err))[:80] or type(err).__name__


def describe_connect_error(err: Exception, url: str) -> str:
    where = _where(url)
    for cause in _causes(err):
        if isinstance(cause, ssl.SSLCertVerificationError):
            problem = cause.verify_message or cause.reason or "certificate rejected"
            return (f"TLS: the certificate of {where} is not accepted ({problem}); for an internal CA "
                    "pass --ca-bundle CA.pem")
        if isinstance(cause, ssl.SSLError):
            return f"TLS: handshake with {where} failed ({cause.reason or type(cause).__name__})"
        if isinstance(cause, socket.gaierror):
            return f"DNS: the host of {where} does not resolve"
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused by {where}: is the URL's host and port right?"
    text = str(err)
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return f"DNS: the host of {where} does not resolve"
    if "Connection refused" in text:
        return f"connection refused by {where}: is the URL's host and port right?"
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        reason = text.split("certificate verify failed:", 1)[-1].split("(_ssl")[0].strip(" )")
        return f"TLS: the certificate of {where} is not accepted ({reason}); for an internal CA pass --ca-bundle CA.pem"
    if "SSL" in text or "TLS" in text:
        return f"TLS: handshake with {where} failed"
    return f"cannot connect to {where} ({type(err).__name__})"


def _causes(err: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        yield err
        err = err.__cause__ or err.__context__
