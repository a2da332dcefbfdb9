# bug: keeps every allowed time and counts the recent ones with bisect: right answers in O(log n), but the log grows without bound
# caught-by: log_memory_stays_bounded

import math
from bisect import bisect_right
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
        self.times = []  # every allowed time, oldest first (times never decrease)

    def allow(self, now: float) -> bool:
        # The list is sorted, so the times still in the window are those after the last
        # t <= now - window: count them with a binary search instead of dropping the old ones.
        recent = len(self.times) - bisect_right(self.times, now - self.window)
        if recent < self.limit:
            self.times.append(now)
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
