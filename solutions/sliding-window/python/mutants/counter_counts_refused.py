# bug: counts refused requests in `current` too
# caught-by: counter_refused_not_counted

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
        self.index = None
        self.current = 0
        self.previous = 0

    def allow(self, now):
        k = math.floor(now / self.window)
        if k != self.index:
            if self.index is not None and k == self.index + 1:
                self.previous = self.current
            else:
                self.previous = 0
            self.current = 0
            self.index = k
        estimate = self.previous * ((k + 1) * self.window - now) / self.window + self.current
        self.current += 1
        return estimate + 1 <= self.limit
