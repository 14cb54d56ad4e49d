"""Control characters never reach a terminal or a log raw (SPEC §6).

``escape_text`` is for every text written to a terminal or a log (text, github, the live table,
stderr): C0 other than tab, DEL and C1 become ``\\xNN``; bidirectional controls and the Unicode
line separators become ``\\u{NNNN}``; the bytes of a file name that is not UTF-8 (surrogate
escapes, as Python decodes them) become ``\\xNN``. ``json_safe`` does the same for JSON
documents: it turns what ``json.dumps(ensure_ascii=False)`` leaves raw into ``\\uNNNN`` escapes.
"""

from __future__ import annotations

import functools
import re

_TERMINAL = "[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
_TERMINAL_KEEP_NEWLINE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
# json.dumps escapes C0 itself; these it would leave raw (a lone surrogate would not even encode)
_JSON = "[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"


@functools.cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)  # when first used: start-up time counts


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{{{code:04X}}}"


def escape_text(text: str, keep_newlines: bool = False) -> str:
    """``text`` with control, bidi and undecodable characters escaped (tab kept)."""
    pattern = _pattern(_TERMINAL_KEEP_NEWLINE if keep_newlines else _TERMINAL)
    return pattern.sub(_escape, text)


def json_safe(document: str) -> str:
    """A JSON text with DEL, C1, bidi controls, line separators and lone surrogates as ``\\uNNNN``.

    Those characters can only stand inside JSON strings, so replacing them is always valid.
    """
    return _pattern(_JSON).sub(lambda match: f"\\u{ord(match.group()):04x}", document)


