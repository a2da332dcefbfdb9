# bug: uses failure_threshold=3 and recovery_timeout=30.0 as defaults instead of 5 and 60.0
# caught-by: default_settings

import time


class CircuitOpenError(Exception):
    """Raised by CircuitBreaker.call when the breaker is open: the call was refused and the
    function was not called."""


CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half-open"


class CircuitBreaker:
    def __init__(self, failure_threshold=3, recovery_timeout=30.0, clock=time.monotonic):
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1, got %r" % (failure_threshold,))
        if not recovery_timeout >= 0:  # also rejects NaN
            raise ValueError("recovery_timeout must not be negative, got %r" % (recovery_timeout,))
        self.failure_threshold = failure_threshold
        self.recovery_timeout = recovery_timeout
        self._clock = clock
        self._failures = 0  # consecutive failures while closed
        self._opened_at = None  # clock() when the breaker last opened; None while closed

    @property
    def state(self):
        if self._opened_at is None:
            return CLOSED
        if self._clock() - self._opened_at < self.recovery_timeout:
            return OPEN
        return HALF_OPEN

    def call(self, func, *args, **kwargs):
        state = self.state
        if state == OPEN:
            # Refused before func runs; neither the count nor the timer changes.
            raise CircuitOpenError("circuit open: call refused")
        try:
            result = func(*args, **kwargs)
        except Exception:
            if state == HALF_OPEN:
                self._opened_at = self._clock()  # the trial failed: open again, from now
            else:
                self._failures += 1
                if self._failures >= self.failure_threshold:
                    self._opened_at = self._clock()
            raise  # the very exception object func raised
        # A success while closed resets the count; a successful trial closes the breaker.
        self._failures = 0
        self._opened_at = None
        return result
