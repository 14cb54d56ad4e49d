"""At most N requests in any sliding window per instance, shared by every connector and thread.

The window is counted where it matters, at the server: a request holds its slot
from the moment it is sent until ``window`` seconds after its answer came back.
Wherever the server places its arrival in between (connection set-up, TLS, thread
scheduling), no ``window`` of the server's can then see more than N requests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Slot:
    sent: float
    done: float | None = None


class SlidingWindowLimiter:
    def __init__(self, max_requests: int, window_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_requests, self.window, self.clock = max_requests, window_seconds, clock
        self.slots: list[Slot] = []
        self.changed = threading.Condition()

    def acquire(self) -> Slot:
        """Block until a request may be sent; the caller must ``release`` the slot when answered."""
        with self.changed:
            while True:
                now = self.clock()
                self.slots = [s for s in self.slots if s.done is None or now - s.done < self.window]
                if len(self.slots) < self.max_requests:
                    slot = Slot(now)
                    self.slots.append(slot)
                    return slot
                finished = [s.done + self.window - now for s in self.slots if s.done is not None]
                self.changed.wait(timeout=max(min(finished), 0.001) if finished else None)

    def release(self, slot: Slot) -> None:
        with self.changed:
            slot.done = self.clock()
            self.changed.notify_all()


class LimiterRegistry:
    """One limiter per origin (scheme, host, port)."""

    def __init__(self, max_requests: int, window_seconds: float) -> None:
        self.max_requests, self.window = max_requests, window_seconds
        self.limiters: dict[tuple[Any, ...], SlidingWindowLimiter] = {}
        self.lock = threading.Lock()

    def for_origin(self, origin: tuple[Any, ...]) -> SlidingWindowLimiter:
        with self.lock:
            if origin not in self.limiters:
                self.limiters[origin] = SlidingWindowLimiter(self.max_requests, self.window)
            return self.limiters[origin]
