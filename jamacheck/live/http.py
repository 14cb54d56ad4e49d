"""The one place that talks HTTP: politeness, retries, TLS, and transport errors to findings.

Every request goes through ``Http.request``: it waits for the instance's rate
limit, never follows a redirect, retries 429/503 a bounded number of times, and
turns every transport failure into a LiveError with a finding code. Nothing here
ever puts a credential into a message.
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import threading
import time
from dataclasses import dataclass

import httpx

from jamacheck.live.options import LiveOptions
from jamacheck.live.ratelimit import LimiterRegistry
from jamacheck.rules._rule import Rule
from jamacheck.rules.jc5_live import CONNECTION_FAILED, UNEXPECTED_RESPONSE
from jamacheck.urlparts import origin
from jamacheck.yaml.source import mask_url

MAX_TRIES = 3
MAX_RETRY_AFTER = 10.0
RETRIED_STATUSES = (429, 503)


class LiveError(Exception):
    """A check cannot go on: ``rule`` is the finding it reports, ``detail`` says why."""

    def __init__(self, rule: Rule, detail: str) -> None:
        super().__init__(detail)
        self.rule, self.detail = rule, detail


@dataclass
class Answer:
    status: int
    headers: httpx.Headers
    content: bytes
    url: str

    def json(self):
        try:
            return json.loads(self.content)
        except ValueError:
            kind = self.headers.get("content-type", "no content type").split(";")[0]
            raise LiveError(UNEXPECTED_RESPONSE, f"{self.status} answer is not JSON ({kind}) from {self.url}") from None


class Http:
    def __init__(self, options: LiveOptions) -> None:
        self.options = options
        self.limiters = LimiterRegistry(options.max_requests, options.window_seconds)
        self._clients: dict[bool, httpx.Client] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    def _client(self, verify_ssl: bool) -> httpx.Client:
        with self._lock:
            if verify_ssl not in self._clients:
                verify = self._ssl_context() if verify_ssl else False
                self._clients[verify_ssl] = httpx.Client(
                    verify=verify, follow_redirects=False, trust_env=False,
                    timeout=httpx.Timeout(self.options.timeout),
                    headers={"User-Agent": "jamacheck", "Accept": "application/json"})
            return self._clients[verify_ssl]

    def _ssl_context(self) -> ssl.SSLContext:
        # System store (SSL_CERT_FILE, when set, replaces it as usual), certifi beside it,
        # and --ca-bundle in addition.
        context = ssl.create_default_context()
        if not os.environ.get("SSL_CERT_FILE"):
            import certifi

            context.load_verify_locations(certifi.where())
        if self.options.ca_bundle:
            try:
                context.load_verify_locations(self.options.ca_bundle)
            except (ssl.SSLError, OSError) as err:
                raise LiveError(CONNECTION_FAILED, f"--ca-bundle {self.options.ca_bundle} is not a PEM CA file: {err}") from None
        return context

    def request(self, method: str, url: str, *, verify_ssl: bool, retry: bool = True, **kwargs) -> Answer:
        limiter = self.limiters.for_origin(origin(url))
        client = self._client(verify_ssl)
        for attempt in range(MAX_TRIES):
            slot = limiter.acquire()
            try:
                response = self._send(client, method, url, **kwargs)
            finally:
                limiter.release(slot)
            if response.status_code in RETRIED_STATUSES and retry:
                wait = self._retry_wait(response, attempt)
                if attempt + 1 < MAX_TRIES:
                    time.sleep(wait)
                    continue
                raise LiveError(UNEXPECTED_RESPONSE, f"{response.status_code} from {_where(url)} after {MAX_TRIES} tries: "
                                         "the instance is throttling or in maintenance; try again later")
            if 300 <= response.status_code < 400:
                target = mask_url(response.headers.get("location", "nowhere"))
                raise LiveError(UNEXPECTED_RESPONSE, f"{response.status_code} redirect from {_where(url)} to {target} "
                                         "(not followed): is `url` the instance's base URL, with https?")
            return Answer(response.status_code, response.headers, response.content, _where(url))
        raise AssertionError("unreachable")

    def _retry_wait(self, response: httpx.Response, attempt: int) -> float:
        header = response.headers.get("retry-after")
        if header is None:
            return self.options.retry_backoff[min(attempt, len(self.options.retry_backoff) - 1)]
        wait = retry_after_seconds(header)
        if wait > MAX_RETRY_AFTER:
            raise LiveError(UNEXPECTED_RESPONSE, f"{response.status_code} from {_where(str(response.url))} asks to wait "
                                     f"{header.strip()[:40]} s (Retry-After over {MAX_RETRY_AFTER:.0f} s): try again later")
        return max(wait, 0.0)

    def _send(self, client: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
        try:
            return client.request(method, url, **kwargs)
        except httpx.TimeoutException:
            raise LiveError(CONNECTION_FAILED,
                            f"timeout: {_where(url)} did not answer within {self.options.timeout:g} s") from None
        except httpx.ConnectError as err:
            raise LiveError(CONNECTION_FAILED, describe_connect_error(err, url)) from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as err:
            raise LiveError(UNEXPECTED_RESPONSE, f"the answer from {_where(url)} was cut short or malformed "
                                     f"({type(err).__name__})") from None
        except httpx.HTTPError as err:
            raise LiveError(CONNECTION_FAILED, f"cannot talk to {_where(url)}: {type(err).__name__}") from None


def retry_after_seconds(header: str) -> float:
    """Seconds from a Retry-After of delta-seconds or an HTTP date; junk means "too long"."""
    try:
        return float(header)
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return float("inf")
    if moment.tzinfo is None:
        return float("inf")
    import datetime

    return (moment - datetime.datetime.now(datetime.UTC)).total_seconds()


def _where(url: str) -> str:
    """The URL without query (Jama puts nothing secret there, but users might)."""
    return mask_url(url.split("?", 1)[0])


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


def _causes(err: BaseException):
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        yield err
        err = err.__cause__ or err.__context__
