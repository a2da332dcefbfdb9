"""Retry with exponential backoff and jitter: see README.md for the full statement."""

import functools
import random
import time


def retry(
    max_attempts: int = 3,
    initial_delay: float = 1.0,
    max_delay: float = 60.0,
    exponential_base: float = 2.0,
    jitter: bool = True,
    exceptions: tuple = (Exception,),
    sleep=time.sleep,
    rand=random.random,
):
    """Return a decorator that calls the decorated function up to `max_attempts` times.

    After failure number k (k < max_attempts) with an instance of one of `exceptions`, call
    sleep(d) once with d = min(initial_delay * exponential_base ** (k - 1), max_delay),
    multiplied by (0.5 + rand()) when `jitter` is true. After the last failure re-raise that
    very exception; any other exception propagates at once. Use functools.wraps.
    max_attempts < 1 -> ValueError, raised here (when the decorator is created).
    """
    raise NotImplementedError("retry")
