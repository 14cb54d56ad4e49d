"""What a secret is, and the run-wide masker: every secret of the run masks every output (SPEC §6).

The run-wide masker is one object, ``RUN`` (a ``Redactor``). Whatever learns a secret adds it:

    from jamacheck import masking
    masking.add(value)            # a secret of this run (values under 4 characters are ignored here:
                                  # they are masked only where they stand, by the file's spans)
    masking.redact(text)          # text with every known secret, URL user info and secret-like
                                  # query value replaced by ****  (mask first, then cut)
    masking.shown(text)           # redact, then escape control characters: for stderr and terminals

The engine calls ``RUN.clear()`` when a run starts (tests run many runs in one process); the
offline stage adds every secret of every file (``jamacheck/yaml/file_secrets.py``), the live stage
every resolved secret reference, Authorization value (and its base64 part) and token received.
The report stage redacts every text it shows, so a secret learned late (a live token, a later
file's password) still masks what an earlier file's message quoted. Every pattern here runs in
time linear in the length of the text.
"""

from __future__ import annotations

import _thread  # a lock without importing threading: this module is on every run's start-up path
import functools
import re
from collections.abc import Iterable

MASK = "****"
MIN_RUN_WIDE = 4  # shorter secrets are masked only where they stand (SPEC §6)
ELLIPSIS = "…"

# SPEC §2.2: a key whose name, without case and `_`/`-`, contains one of these is secret-named.
SECRET_NAME_PARTS = ("password", "passwd", "pwd", "secret", "token", "apikey", "credential", "privatekey")
# SPEC §6: a query parameter is secret-like when one of its words is one of these ...
SECRET_PARAM_WORDS = frozenset({"password", "passwd", "pwd", "pass", "secret", "token", "signature", "sig",
                                "credential", "credentials"})
# ... or its whole name is one of these, or it ends in one of the suffixes (words joined by `_`).
SECRET_PARAM_NAMES = frozenset({"key", "auth", "apikey", "api_key"})
SECRET_PARAM_SUFFIXES = ("api_key", "access_key", "private_key", "session_key")

# `#access_token=…`: a fragment carries tokens too (OAuth implicit flow)
_QUERY_PARAM = r"""[?&;#]([^=&;#?\s]+)=("[^"]*"?|'[^']*'?|[^&;#\s"']*)"""
_SECRET_PARAM_HINTS = ("pass", "pwd", "secret", "token", "sig", "credential", "key", "auth")
_PARAM_WORD_BREAK = r"[_\-.]+|(?<=[a-z0-9])(?=[A-Z])"
_URL_END = r"[\s<>`\"']"
_AUTHORITY = r"[/\\]{2}"  # `//` after a scheme or none, and `\\` (read as `//` by browsers)


@functools.cache
def _pattern(text: str) -> re.Pattern[str]:
    """Compiled when first used: most runs never mask a URL, and start-up time counts."""
    return re.compile(text)


def is_secret_name(name: object) -> bool:
    """Is ``name`` a secret-named key (SPEC §2.2)? ``password``, ``db_password``, ``apiKey`` …"""
    if not isinstance(name, str) or len(name) < 3:  # the shortest part, `pwd`, has 3 letters
        return False
    return _secret_name(name)


@functools.lru_cache(maxsize=4096)
def _secret_name(name: str) -> bool:
    folded = name.casefold().replace("_", "").replace("-", "")
    return any(part in folded for part in SECRET_NAME_PARTS)


@functools.lru_cache(maxsize=1024)
def is_secret_param(name: str) -> bool:
    """Is a URL query parameter secret-like (SPEC §6)? ``os_password``, ``t%6Fken``, ``sessionKey``."""
    from urllib.parse import unquote

    decoded = unquote(name)
    if not any(hint in decoded.lower() for hint in _SECRET_PARAM_HINTS):
        return False  # most names, and quickly: a hostile name may be a mebibyte long
    words = [word.lower() for word in _pattern(_PARAM_WORD_BREAK).split(decoded) if word]
    if any(word in SECRET_PARAM_WORDS for word in words):
        return True
    joined = "_".join(words)
    return joined in SECRET_PARAM_NAMES or joined.endswith(SECRET_PARAM_SUFFIXES)


def url_userinfo(url: str) -> str | None:
    """The user-info part of a URL, also when it holds ``@``, ``/`` or a blank: the text between
    the first ``//`` (or ``\\\\``) and the last ``@`` before any ``?`` or ``#``; None when there is none."""
    found = _pattern(_AUTHORITY).search(url)
    if found is None:
        return None
    start = found.end()
    at = _userinfo_end(url, start, len(url))
    return url[start:at] if at >= 0 else None


def _userinfo_end(text: str, start: int, end: int) -> int:
    """The ``@`` that ends the user info of the URL whose authority is ``text[start:end]``, or -1.

    The last ``@`` before any ``?`` or ``#``; when there is none but what comes before them
    reads as ``user:password`` (not ``host:port``) and holds no ``/``, a ``?`` or ``#`` is part of
    the password (``https://svc:ab#cd@host``): the last ``@`` before the next ``/``.
    """
    limit = min((i for i in (text.find("?", start, end), text.find("#", start, end)) if i >= 0), default=end)
    at = text.rfind("@", start, limit)
    if at >= 0 or limit == end:
        return at
    colon = text.find(":", start, limit)
    if colon < 0 or text[colon + 1:limit].isdigit() or text.find("/", start, limit) >= 0:
        return -1
    slash = text.find("/", limit, end)
    return text.rfind("@", limit, end if slash < 0 else slash)


def secret_query_values(text: str) -> list[tuple[str, int, int]]:
    """``(name, start, end)`` of each secret-like query parameter's value in ``text`` (linear)."""
    return [(match.group(1), match.start(2), match.end(2)) for match in _pattern(_QUERY_PARAM).finditer(text)
            if match.group(2) and is_secret_param(match.group(1))]


def mask_url(text: str) -> str:
    """Hide the user info and the secret-like query values of every URL in ``text`` (linear)."""
    text = _mask_userinfo(text)
    out: list[str] = []
    done = 0
    for _, start, end in secret_query_values(text):
        out.append(text[done:start] + MASK)
        done = end
    out.append(text[done:])
    return "".join(out)


def _opening_quote(text: str, authority: int, done: int) -> str:
    """The quote right before the URL whose ``//`` is at ``authority`` (before its scheme, if any)."""
    at = authority
    if at > done and text[at - 1] == ":":
        at -= 1
        while at > done and (text[at - 1].isalnum() or text[at - 1] in "+.-"):
            at -= 1
    return text[at - 1] if at > done and text[at - 1] in "'\"" else ""


def _mask_userinfo(text: str) -> str:
    out: list[str] = []
    done = 0
    while (found := _pattern(_AUTHORITY).search(text, done)) is not None:
        start = found.end()
        quote = _opening_quote(text, found.start(), done)
        if quote:  # a quoted URL ends at its closing quote (its user info may hold a blank) or the line's end
            end = min((i for i in (text.find(quote, start), text.find("\n", start)) if i >= 0), default=len(text))
        else:
            match = _pattern(_URL_END).search(text, start)
            end = match.start() if match else len(text)
        at = _userinfo_end(text, start, end)
        out.append(text[done:start])
        out.append(MASK + text[at:end] if at >= 0 else text[start:end])
        done = end
    out.append(text[done:])
    return "".join(out)


class Redactor:
    """A set of secrets and the one way to mask them in a text. Thread-safe."""

    def __init__(self) -> None:
        self._lock = _thread.allocate_lock()
        self._secrets: set[str] = set()
        self._matcher: _Matcher | None = None

    def add(self, value: object) -> None:
        """Remember a secret for the rest of the run (shorter than 4 characters: ignored here)."""
        if not isinstance(value, str):
            return
        with self._lock:
            for item in {value, value.strip()}:
                if len(item) >= MIN_RUN_WIDE and item not in self._secrets:
                    self._secrets.add(item)
                    self._matcher = None

    def add_all(self, values: Iterable[object]) -> None:
        for value in values:
            self.add(value)

    def clear(self) -> None:
        with self._lock:
            self._secrets.clear()
            self._matcher = None

    def values(self) -> frozenset[str]:
        """The secrets known now (--fix keeps those of the files before it changed them)."""
        with self._lock:
            return frozenset(self._secrets)

    def redact(self, text: str) -> str:
        """``text`` with every secret, URL user info and secret-like query value as ****."""
        with self._lock:
            if self._matcher is None and self._secrets:
                self._matcher = _Matcher(self._secrets)
            matcher = self._matcher
        if matcher is not None:
            text = matcher.replace(text)
        return mask_url(text)


class _Matcher:
    """Replaces every occurrence of any of many strings, longest first, in linear time.

    A few secrets: one ``str.replace`` each (C speed, whatever their length). Many (a hostile
    file may hold thousands, sharing prefixes): an index by the first four characters, then by
    length, so each position of the text costs a dictionary look-up and one set look-up per
    distinct length in its bucket.
    """

    FEW = 64
    PIECE = 3  # a cut piece of a secret is hidden from 3 characters on

    def __init__(self, secrets: set[str]) -> None:
        self.secrets = sorted(secrets, key=len, reverse=True)
        self.index: dict[str, list[tuple[int, set[str]]]] = {}
        if len(self.secrets) > self.FEW:
            by_prefix: dict[str, dict[int, set[str]]] = {}
            for secret in self.secrets:
                by_prefix.setdefault(secret[:MIN_RUN_WIDE], {}).setdefault(len(secret), set()).add(secret)
            self.index = {prefix: sorted(lengths.items(), reverse=True) for prefix, lengths in by_prefix.items()}
        self.starts: dict[str, list[str]] = {}  # first 3 characters -> secrets, for cut pieces
        for secret in self.secrets:
            self.starts.setdefault(secret[:self.PIECE], []).append(secret)

    def replace(self, text: str) -> str:
        if self.index:
            text = self._scan(text)
        else:
            for secret in self.secrets:
                if secret in text:
                    text = text.replace(secret, MASK)
        return self._mask_cut_pieces(text) if ELLIPSIS in text else text

    def _hit(self, text: str, position: int) -> int:
        for length, candidates in self.index.get(text[position:position + MIN_RUN_WIDE], ()):
            if text[position:position + length] in candidates:
                return length
        return 0

    def _scan(self, text: str) -> str:
        out: list[str] = []
        done = position = 0
        while position <= len(text) - MIN_RUN_WIDE:
            length = self._hit(text, position)
            if not length:
                position += 1
                continue
            out.append(text[done:position] + MASK)
            position = done = position + length
        out.append(text[done:])
        return "".join(out)

    def _mask_cut_pieces(self, text: str) -> str:
        """A text cut before it was masked may end in a piece of a secret right before "…": hide it."""
        out: list[str] = []
        done = 0
        while (cut := text.find(ELLIPSIS, done)) >= 0:
            piece = self._piece_before(text, max(done, cut - 256), cut)
            out.append(text[done:cut - piece] + (MASK if piece else "") + ELLIPSIS)
            done = cut + len(ELLIPSIS)
        out.append(text[done:])
        return "".join(out)

    def _piece_before(self, text: str, start: int, cut: int) -> int:
        """Length of the longest beginning of a secret (3 characters or more) that ends at ``cut``."""
        for position in range(start, cut - self.PIECE + 1):
            tail = text[position:cut]
            if any(secret.startswith(tail) for secret in self.starts.get(tail[:self.PIECE], ())):
                return cut - position
        return 0


RUN = Redactor()


def add(value: object) -> None:
    """Add a secret to the run-wide masker."""
    RUN.add(value)


def redact(text: str) -> str:
    """Mask every secret of the run in ``text``."""
    return RUN.redact(text)


def shown(text: str) -> str:
    """Masked and with control characters escaped: what may be written to a terminal or a log."""
    from jamacheck.escaping import escape_text

    return escape_text(redact(text))
