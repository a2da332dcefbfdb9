# bug: starts the fixed windows at the first request's time instead of at multiples of `window`
# caught-by: counter_windows_aligned_to_zero

import math
from collections import deque


def _validate(limit, window):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if window <= 0:
        raise ValueError("window must be positive")


class SlidingWindowLog:
    def __init__(self, limit, window):
        _validate(limit, window)
        self.limit = limit
        self.window = window
        self.times = deque()

    def allow(self, now):
        while self.times and self.times[0] <= now - self.window:
            self.times.popleft()
        if len(self.times) < self.limit:
            self.times.append(now)
            return True
        return False


class SlidingWindowCounter:
    def __init__(self, limit, window):
        _validate(limit, window)
        self.limit = limit
        self.window = window
        self.start = None
        self.current = 0
        self.previous = 0

    def allow(self, now):
        if self.start is None:
            self.start = now
        elif now >= self.start + 2 * self.window:
            self.start += math.floor((now - self.start) / self.window) * self.window
            self.previous = 0
            self.current = 0
        elif now >= self.start + self.window:
            self.start += self.window
            self.previous = self.current
            self.current = 0
        estimate = self.previous * (self.start + self.window - now) / self.window + self.current
        if estimate + 1 <= self.limit:
            self.current += 1
            return True
        return False
