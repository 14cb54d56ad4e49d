"""Ctrl-C: exit 130 with one line, wherever the run is.

click turns a KeyboardInterrupt into "Aborted!" and exit 1, so the console entry point
installs a SIGINT handler that raises ``Interrupted`` (not a KeyboardInterrupt: click lets
it through); the live checks catch it to stop their requests and unlock a probed item.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType


class Interrupted(BaseException):
    """Ctrl-C, on its way to the entry point (exit 130)."""


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Interrupted()


def install() -> None:
    """Make SIGINT raise ``Interrupted`` (main thread only, as Python requires)."""
    signal.signal(signal.SIGINT, _raise)


def exit_interrupted() -> None:
    print("jamacheck: interrupted", file=sys.stderr, flush=True)
    raise SystemExit(130)
