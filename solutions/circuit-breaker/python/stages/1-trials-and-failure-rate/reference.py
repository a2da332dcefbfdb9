"""Circuit breaker with several trial calls and an optional failure-rate window.

The breaker stores the time it opened (None while it is closed); open and half-open are
derived from the clock when asked, with no timer or background thread. While half-open it
counts the trials that succeeded: `trial_calls` successes in a row close it, one failure
reopens it (and the count starts over next time).

While closed it opens on one of two rules. By default, the count of consecutive failures
reaching `failure_threshold`. With `failure_rate`, the share of failures among the calls of
the last `window` seconds: those calls are kept in a deque, oldest first, with running counts
of calls and failures, so every call adds one entry and drops the ones that have left the
window: O(1) amortised per call, and memory bounded by the calls of one window. The window
is emptied whenever the breaker opens, so a closed breaker starts over with no history.
"""

import time
from collections import deque


class CircuitOpenError(Exception):
    """Raised by CircuitBreaker.call when the breaker is open: the call was refused and the
    function was not called."""


CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half-open"


class CircuitBreaker:
    def __init__(
        self,
        failure_threshold=5,
        recovery_timeout=60.0,
        clock=time.monotonic,
        *,
        trial_calls=1,
        failure_rate=None,
        window=60.0,
        min_calls=10,
    ):
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1, got %r" % (failure_threshold,))
        if not recovery_timeout >= 0:  # also rejects NaN
            raise ValueError("recovery_timeout must not be negative, got %r" % (recovery_timeout,))
        if trial_calls < 1:
            raise ValueError("trial_calls must be at least 1, got %r" % (trial_calls,))
        if failure_rate is not None and not 0 < failure_rate <= 1:
            raise ValueError("failure_rate must be in (0, 1], got %r" % (failure_rate,))
        if not window > 0:
            raise ValueError("window must be positive, got %r" % (window,))
        if min_calls < 1:
            raise ValueError("min_calls must be at least 1, got %r" % (min_calls,))
        self.failure_threshold = failure_threshold
        self.recovery_timeout = recovery_timeout
        self.trial_calls = trial_calls
        self.failure_rate = failure_rate
        self.window = window
        self.min_calls = min_calls
        self._clock = clock
        self._failures = 0  # consecutive failures while closed (count rule)
        self._opened_at = None  # clock() when the breaker last opened; None while closed
        self._trials_ok = 0  # successful trials since the breaker became half-open
        self._calls = deque()  # (time, failed) of the calls in the window (rate rule)
        self._window_failures = 0  # how many of those failed

    @property
    def state(self):
        if self._opened_at is None:
            return CLOSED
        if self._clock() - self._opened_at < self.recovery_timeout:
            return OPEN
        return HALF_OPEN

    def _open(self, now):
        self._opened_at = now
        self._trials_ok = 0
        self._failures = 0
        self._calls.clear()
        self._window_failures = 0

    def _record(self, now, failed):
        """Adds a closed call to the window; True when the failure rate says: open."""
        calls = self._calls
        calls.append((now, failed))
        self._window_failures += failed
        while calls[0][0] <= now - self.window:  # left the window (now - window < t)
            _, old_failed = calls.popleft()
            self._window_failures -= old_failed
        return (
            failed
            and len(calls) >= self.min_calls
            and self._window_failures >= self.failure_rate * len(calls)
        )

    def call(self, func, *args, **kwargs):
        state = self.state
        if state == OPEN:
            # Refused before func runs; nothing changes.
            raise CircuitOpenError("circuit open: call refused")
        try:
            result = func(*args, **kwargs)
        except Exception:
            now = self._clock()
            if state == HALF_OPEN:
                self._open(now)  # a failed trial: open again, from now
            elif self.failure_rate is not None:
                if self._record(now, True):
                    self._open(now)
            else:
                self._failures += 1
                if self._failures >= self.failure_threshold:
                    self._open(now)
            raise  # the very exception object func raised
        if state == HALF_OPEN:
            self._trials_ok += 1
            if self._trials_ok >= self.trial_calls:
                self._opened_at = None  # enough trials succeeded: closed, with no history
                self._trials_ok = 0
        elif self.failure_rate is not None:
            self._record(self._clock(), False)
        else:
            self._failures = 0
        return result
