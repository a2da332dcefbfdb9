# bug: treats every OverflowError of base ** (k - 1) as "far past the cap" and returns max_delay, even when initial_delay is 0 (where every delay is 0)
# caught-by: zero_initial_delay_huge_base

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
):
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1, got %r" % (max_attempts,))

    def backoff(failure):
        """The capped delay after failure number `failure` (1-based), before jitter."""
        try:
            return min(initial_delay * exponential_base ** (failure - 1), max_delay)
        except OverflowError:
            # The power left the float range: surely far past any cap.
            return max_delay

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, max_attempts + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == max_attempts:
                        raise  # the very exception object of the last attempt
                delay = backoff(attempt)
                if jitter:
                    delay *= 0.5 + rand()
                sleep(delay)

        return wrapper

    return decorator
