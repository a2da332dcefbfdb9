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
Follow-up 1 (per-client limits):
  per_client L W       limiter = PerClientLimiter(L, W)
  client_allow C NOW   limiter.allow(C, NOW)
  client_burst C NOW N N calls of limiter.allow(C, NOW): how many returned True
  active NOW           limiter.active(NOW)
  clients_memory L W N K
                       a fresh PerClientLimiter(L, W) gets allow("client-<t % K>", t) for
                       t = 0, 1, ..., N-1: "A allowed, memory bounded" as for log_memory, but
                       with CLIENTS_MEMORY_BOUND
"""

import tracemalloc

import kata_harness as k

# A log with a small limit holds a few hundred bytes; one that keeps every time holds a float
# and a pointer per allowed request (about 32 bytes each, over 6 MB for 200,000).
MEMORY_BOUND = 1 << 20

# Follow-up 1: a PerClientLimiter with a window of 10 s holds a few kilobytes; one that keeps
# every client, or every allowed time, holds tens of bytes per request (over 1 MB in the cases).
CLIENTS_MEMORY_BOUND = 1 << 18

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
        self.limiter = None

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

    # ---- follow-up 1: per-client limits ---------------------------------------------------

    def op_per_client(self, limit, window):
        self.limiter = None  # a failed constructor leaves no limiter behind
        self.limiter = self.mod.PerClientLimiter(limit, window)
        return k.OK

    def op_client_allow(self, client, now):
        return k.need(self.limiter).allow(client, now)

    def op_client_burst(self, client, now, n):
        limiter = k.need(self.limiter)
        allowed = 0
        for _ in range(n):
            if limiter.allow(client, now):
                allowed += 1
        return allowed

    def op_active(self, now):
        return k.need(self.limiter).active(now)

    def op_clients_memory(self, limit, window, count, clients):
        started = not tracemalloc.is_tracing()
        if started:
            tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            limiter = self.mod.PerClientLimiter(limit, window)
            allowed = 0
            for t in range(count):
                # a fresh name and a fresh float: what the limiter keeps of them is traced
                if limiter.allow("client-%d" % (t % clients), float(t)):
                    allowed += 1
            grown = tracemalloc.get_traced_memory()[0] - before
            del limiter
        finally:
            if started:
                tracemalloc.stop()
        if grown < CLIENTS_MEMORY_BOUND:
            return k.Text("%d allowed, memory bounded" % allowed)
        return k.Text("%d allowed, memory grows: %d bytes" % (allowed, grown))


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


def probe_clients_steady(mod, size, budget):
    """Follow-up 1. A PerClientLimiter (limit 2, window `size` seconds) with `size` active
    clients, one allowed request each, one a second; then the steady state, timed: each second
    a new client arrives (allowed: and the client whose only request is now exactly a window old
    must be forgotten), sends a second request (allowed) and a third (refused), and active() is
    read. The check folds the allowed requests and every active count."""
    limiter = mod.PerClientLimiter(2, float(size))
    for i in range(size):
        limiter.allow("c%d" % i, float(i))
        if i % 512 == 0:
            budget.check(i)
    state = {"next": size}

    def batch():
        start = state["next"]
        check = 0
        for t in range(start, start + 250):
            client, now = "c%d" % t, float(t)
            check += limiter.allow(client, now)
            check += limiter.allow(client, now)
            check += limiter.allow(client, now)
            check += limiter.active(now)
            if t % 16 == 0:
                budget.check(None)  # a very slow limiter is abandoned within the budget
        state["next"] = start + 250
        return 1000, check

    return batch
