# bug: keeps the growing delay in the decorator (nonlocal), so a second call starts where the first stopped
# caught-by: policy_reused_across_calls

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

    def decorator(func):
        delay = initial_delay

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            nonlocal delay
            for attempt in range(1, max_attempts + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == max_attempts:
                        raise
                current = min(delay, max_delay)
                if delay < max_delay:
                    delay *= exponential_base  # stops growing at the cap: no overflow
                if jitter:
                    current *= 0.5 + rand()
                sleep(current)

        return wrapper

    return decorator
