"""JAMACHECK_DEBUG=1: the traceback of an internal error, after its one line (never otherwise).

Only the frames (code locations of jamacheck and its libraries) and the exception types are
shown: an exception's message may quote a checked file, and so a secret, so it is left out.
"""

from __future__ import annotations

import os
import traceback

DEBUG_ENV = "JAMACHECK_DEBUG"


def enabled() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip() == "1"


_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def traceback_text(err: BaseException) -> str:
    """Each exception of the chain, the innermost first, as Python prints them (messages left out)."""
    chain: list[tuple[BaseException, str]] = []
    current: BaseException | None = err
    link = ""
    while current is not None and all(current is not seen for seen, _ in chain):
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    text = ""
    for exception, link in chain:  # outermost first: prepend each inner one
        kind = type(exception)
        name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
        frames = "".join(traceback.format_tb(exception.__traceback__))
        block = f"Traceback (most recent call last):\n{frames}{name} (message not shown: it may quote a checked file)\n"
        text = block + (link + text if text else "")
    return text
