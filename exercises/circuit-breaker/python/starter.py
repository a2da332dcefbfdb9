"""Circuit breaker: see README.md for the full statement."""

import time


class CircuitOpenError(Exception):
    """Raised by CircuitBreaker.call when the breaker is open: the call was refused and the
    function was not called. Given: keep this class as it is."""


class CircuitBreaker:
    def __init__(self, failure_threshold: int = 5, recovery_timeout: float = 60.0,
                 clock=time.monotonic) -> None:
        """A closed breaker that opens after `failure_threshold` consecutive failures and lets
        one trial call through once `recovery_timeout` seconds of `clock()` have passed.
        failure_threshold < 1 or recovery_timeout < 0 -> ValueError."""
        raise NotImplementedError("CircuitBreaker.__init__")

    @property
    def state(self) -> str:
        """The state as of clock() now: "closed", "open" or "half-open"."""
        raise NotImplementedError("CircuitBreaker.state")

    def call(self, func, *args, **kwargs):
        """Return func(*args, **kwargs), or raise what it raised, counting the outcome; while
        the breaker is open, raise CircuitOpenError without calling func."""
        raise NotImplementedError("CircuitBreaker.call")
