"""Sliding-window rate limiters: an exact log of request times and a weighted window counter.

SlidingWindowLog keeps the times of the allowed requests still inside the window in a deque,
oldest first: each call drops the times that left the window from the front and appends `now`
at the back when it allows. Every time is appended once and dropped at most once, so allow is
amortised O(1), and the deque never holds more than `limit` times.

SlidingWindowCounter keeps two counts (the current fixed window and the one before it) and
estimates the sliding window by weighting the previous count with the part of the previous
window that the sliding window still covers: O(1) time and O(1) memory, but approximate.

PerClientLimiter (follow-up 1) is a sliding-window log per client whose memory is bounded by
recent activity: one deque holds (time, client) for every allowed request still inside the
window, oldest first, whoever sent it, and a dict counts them per client. Each call first drops
the requests that left the window from the front, and forgets a client when its count reaches
0. An idle client therefore costs nothing once its last allowed request is a window old, no
call ever looks at every client, and allow and active are amortised O(1).
"""

import math
from collections import deque


def _validate(limit, window):
    if limit < 1:
        raise ValueError("limit must be at least 1, got %r" % (limit,))
    if not window > 0:  # also rejects NaN
        raise ValueError("window must be positive, got %r" % (window,))


class SlidingWindowLog:
    def __init__(self, limit: int, window: float) -> None:
        _validate(limit, window)
        self.limit = limit
        self.window = window
        self.times = deque()  # times of the allowed requests still in the window, oldest first

    def allow(self, now: float) -> bool:
        # A request at time t counts while now - window < t; exactly `window` ago it is gone.
        horizon = now - self.window
        times = self.times
        while times and times[0] <= horizon:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            return True
        return False


class SlidingWindowCounter:
    def __init__(self, limit: int, window: float) -> None:
        _validate(limit, window)
        self.limit = limit
        self.window = window
        self.index = None  # k of the fixed window [k*window, (k+1)*window) being counted
        self.current = 0  # allowed requests in window `index`
        self.previous = 0  # allowed requests in window `index - 1`

    def allow(self, now: float) -> bool:
        k = math.floor(now / self.window)
        if self.index is None or k != self.index:
            # Moving to a later window: the old current becomes previous only when it is the
            # window just before k; after a gap (or at the first call) previous is 0.
            adjacent = self.index is not None and k == self.index + 1
            self.previous = self.current if adjacent else 0
            self.current = 0
            self.index = k
        end = (k + 1) * self.window
        estimate = self.previous * (end - now) / self.window + self.current
        if estimate + 1 <= self.limit:
            self.current += 1
            return True
        return False


class PerClientLimiter:
    def __init__(self, limit: int, window: float) -> None:
        _validate(limit, window)
        self.limit = limit
        self.window = window
        self._log = deque()  # (time, client) of every allowed request still in the window, oldest first
        self._counts = {}  # client -> its requests in _log; only clients with at least one

    def _expire(self, now):
        """Drops the requests that left the window, and the clients left with none."""
        horizon = now - self.window
        log, counts = self._log, self._counts
        while log and log[0][0] <= horizon:
            _, client = log.popleft()
            left = counts[client] - 1
            if left:
                counts[client] = left
            else:
                del counts[client]  # idle for a whole window: forget it

    def allow(self, client: str, now: float) -> bool:
        self._expire(now)
        count = self._counts.get(client, 0)
        if count < self.limit:
            self._counts[client] = count + 1
            self._log.append((now, client))
            return True
        return False

    def active(self, now: float) -> int:
        self._expire(now)
        return len(self._counts)
