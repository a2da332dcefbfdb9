"""Hidden driver for sliding-window (Python).

Operations:
  log L W              log = SlidingWindowLog(L, W)
  log_allow NOW        log.allow(NOW)
  log_burst NOW N      N calls of log.allow(NOW): how many returned True
  counter L W          counter = SlidingWindowCounter(L, W)
  counter_allow NOW    counter.allow(NOW)
  counter_burst NOW N  N calls of counter.allow(NOW): how many returned True
  log_memory L W N     a fresh SlidingWindowLog(L, W) gets allow(t) for t = 0, 1, ..., N-1:
                       "N allowed, memory bounded" when the memory it holds afterwards grew by
                       less than MEMORY_BOUND bytes (tracemalloc), else "..., memory grows: B bytes"
"""

import tracemalloc

import kata_harness as k

# A log with a small limit holds a few hundred bytes; one that keeps every time holds a float
# and a pointer per allowed request (about 32 bytes each, over 6 MB for 200,000).
MEMORY_BOUND = 1 << 20

REQUIRED = ("SlidingWindowLog", "SlidingWindowCounter")


def _burst(limiter, now, n):
    allowed = 0
    for _ in range(n):
        if limiter.allow(now):
            allowed += 1
    return allowed


class Case:
    def __init__(self, mod):
        self.mod = mod
        self.log = None
        self.counter = None

    def op_log(self, limit, window):
        self.log = None  # a failed constructor leaves no limiter behind
        self.log = self.mod.SlidingWindowLog(limit, window)
        return k.OK

    def op_log_allow(self, now):
        return k.need(self.log).allow(now)

    def op_log_burst(self, now, n):
        return _burst(k.need(self.log), now, n)

    def op_log_memory(self, limit, window, count):
        started = not tracemalloc.is_tracing()
        if started:
            tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            log = self.mod.SlidingWindowLog(limit, window)
            allowed = 0
            for t in range(count):
                if log.allow(float(t)):  # a fresh float: what the log keeps is traced
                    allowed += 1
            grown = tracemalloc.get_traced_memory()[0] - before
            del log
        finally:
            if started:
                tracemalloc.stop()
        if grown < MEMORY_BOUND:
            return k.Text("%d allowed, memory bounded" % allowed)
        return k.Text("%d allowed, memory grows: %d bytes" % (allowed, grown))

    def op_counter(self, limit, window):
        self.counter = None
        self.counter = self.mod.SlidingWindowCounter(limit, window)
        return k.OK

    def op_counter_allow(self, now):
        return k.need(self.counter).allow(now)

    def op_counter_burst(self, now, n):
        return _burst(k.need(self.counter), now, n)


def probe_log_steady(mod, size, budget):
    """A log with limit = `size` and window = `size` seconds, filled with one allowed request
    per second; then the steady state, timed: every request arrives exactly when the oldest
    time leaves the window, so each call drops one time from the front and appends one at the
    back (the worst case of an allowed request; a refused one drops nothing). The check counts
    the allowed requests."""
    log = mod.SlidingWindowLog(size, float(size))
    for i in range(size):
        log.allow(float(i))
        if i % 512 == 0:
            budget.check(i)
    state = {"next": size}

    def batch():
        start = state["next"]
        allowed = 0
        for now in range(start, start + 1000):
            if log.allow(float(now)):
                allowed += 1
            if now % 64 == 0:
                budget.check(None)  # a very slow allow is abandoned within the budget
        # One more request at the same time: the log is full, so it is refused (and costs
        # nothing to drop).
        if log.allow(float(start + 999)):
            allowed += 1
        state["next"] = start + 1000
        return 1001, allowed

    return batch
