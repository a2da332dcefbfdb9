"""Retry with exponential backoff, jitter and an overall deadline, for plain and async functions.

retry(...) validates its arguments and returns a decorator. Both wrappers share one policy: up to
max_attempts calls; after failure k (not the last) the delay is
min(initial_delay * exponential_base ** (k - 1), max_delay), times (0.5 + rand()) with jitter;
with a deadline, the time since the call began (read from `clock`) plus that delay must not
pass the deadline, otherwise the failure's own exception is re-raised at once.

A coroutine function gets a coroutine function: it awaits each attempt and awaits
async_sleep(delay) between them, so the event loop keeps running other tasks while it waits
(the blocking `sleep` would freeze it). Cancellation is not a failure: CancelledError is a
BaseException, so `except exceptions` lets it through, whether it arrives during an attempt or
during the sleep, and nothing is retried after it. All state lives in the call's own frame, so
concurrent calls of one decorated function do not interfere.
"""

import asyncio
import functools
import inspect
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
    async_sleep=asyncio.sleep,
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

    def start():
        """The call's start on the clock (read only when there is a deadline)."""
        return clock() if deadline is not None else None

    def next_delay(failure, started):
        """The delay to sleep after retryable failure number `failure`, or None to give up
        (the last attempt, or a sleep that would end past the deadline)."""
        if failure == max_attempts:
            return None
        delay = backoff(failure)
        if jitter:
            delay *= 0.5 + rand()
        if deadline is not None and clock() - started + delay > deadline:
            return None
        return delay

    def decorator(func):
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args, **kwargs):
                started = start()
                for attempt in range(1, max_attempts + 1):
                    try:
                        return await func(*args, **kwargs)
                    except exceptions:
                        delay = next_delay(attempt, started)
                        if delay is None:
                            raise  # the very exception object of this attempt
                    await async_sleep(delay)

            return async_wrapper

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            started = start()
            for attempt in range(1, max_attempts + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    delay = next_delay(attempt, started)
                    if delay is None:
                        raise  # the very exception object of this attempt
                sleep(delay)

        return wrapper

    return decorator
