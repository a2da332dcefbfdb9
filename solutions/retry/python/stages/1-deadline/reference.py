"""Retry with exponential backoff, jitter and an overall deadline: a decorator factory.

retry(...) validates its arguments and returns a decorator; the decorator wraps the function in
a loop that makes up to max_attempts calls. After failure k (not the last) the delay is
min(initial_delay * exponential_base ** (k - 1), max_delay), times (0.5 + rand()) with jitter.
With a deadline, the time spent since the call began (read from `clock`, once before the first
attempt and once after each failure) plus that delay must not pass the deadline: otherwise the
helper gives up before sleeping and re-raises that failure's own exception.
Time and randomness are injected (sleep, rand, clock), so the policy is testable without waiting.
"""

import functools
import random
import time


def retry(
    max_attempts=3,
    initial_delay=1.0,
    max_delay=60.0,
    exponential_base=2.0,
    jitter=True,
    exceptions=(Exception,),
    sleep=time.sleep,
    rand=random.random,
    deadline=None,
    clock=time.monotonic,
):
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1, got %r" % (max_attempts,))
    if deadline is not None and deadline < 0:
        raise ValueError("deadline must be at least 0 seconds, got %r" % (deadline,))

    def backoff(failure):
        """The capped delay after failure number `failure` (1-based), before jitter."""
        if initial_delay == 0:
            # 0 * base ** (k - 1) is 0 for every k, even once the power leaves the float
            # range: an overflow only means "past the cap" for a positive initial delay.
            return 0.0
        try:
            raw = initial_delay * exponential_base ** (failure - 1)
        except OverflowError:
            # The power left the float range (2.0 ** 1024): it is far past any cap.
            raw = float("inf")
        return min(raw, max_delay)

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            started = clock() if deadline is not None else None  # this call's own start
            for attempt in range(1, max_attempts + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == max_attempts:
                        raise  # the very exception object of the last attempt
                    delay = backoff(attempt)
                    if jitter:
                        delay *= 0.5 + rand()
                    if deadline is not None and clock() - started + delay > deadline:
                        raise  # sleeping would end past the deadline: give up now
                sleep(delay)

        return wrapper

    return decorator
