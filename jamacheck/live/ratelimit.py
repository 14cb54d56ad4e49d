"""At most N requests in any sliding window, per instance, shared by every connector and thread."""

from __future__ import annotations

import collections
import threading
import time


class SlidingWindowLimiter:
    def __init__(self, max_requests: int, window_seconds: float, clock=time.monotonic, sleep=time.sleep):
        self.max_requests, self.window = max_requests, window_seconds
        self.clock, self.sleep = clock, sleep
        self.sent: collections.deque[float] = collections.deque()
        self.lock = threading.Lock()

    def acquire(self) -> None:
        """Block until one more request fits in the window, then record it."""
        while True:
            with self.lock:
                now = self.clock()
                while self.sent and now - self.sent[0] >= self.window:
                    self.sent.popleft()
                if len(self.sent) < self.max_requests:
                    self.sent.append(now)
                    return
                wait = self.window - (now - self.sent[0])
            self.sleep(max(wait, 0.001))


class LimiterRegistry:
    """One limiter per origin (scheme, host, port)."""

    def __init__(self, max_requests: int, window_seconds: float):
        self.max_requests, self.window = max_requests, window_seconds
        self.limiters: dict[tuple, SlidingWindowLimiter] = {}
        self.lock = threading.Lock()

    def for_origin(self, origin: tuple) -> SlidingWindowLimiter:
        with self.lock:
            if origin not in self.limiters:
                self.limiters[origin] = SlidingWindowLimiter(self.max_requests, self.window)
            return self.limiters[origin]
