"""Hidden driver for rate-limiter (Python).

Operations: bucket C R, allow NOW [N], limiter C R, client_allow NAME NOW.

Stage 1 (idle clients forgotten):
  limiter_idle C R IDLE    limiter = RateLimiter(C, R, IDLE)
  idle_memory C R IDLE N   a fresh RateLimiter(C, R, IDLE) gets, at t = 0, 1, ..., N-1, a
                           request from "hot" and one from a new client "client-t": "M allowed,
                           memory bounded" when the memory it holds afterwards grew by less
                           than MEMORY_BOUND bytes (tracemalloc), else "..., memory grows: B bytes"
  probe idle_churn         the time per request while clients keep arriving and going idle

Stage 2 (thread-safe; Python's RateLimiter itself, Rust's SharedRateLimiter):
  shared C R, shared_idle C R IDLE   build the shared limiter (Python: RateLimiter)
  shared_allow NAME NOW              its allow
Scenarios, explored under kata's scheduler (kata_conc); each returns one summary line per
distinct outcome, and a correct limiter gives the same line in every schedule:
  race_one_client T N C   limiter (C, rate 0); T threads each ask N times for "alice" at 0:
                          `granted=G then=B`, B being one more request after the threads
  race_refill T           limiter (2, rate 1); "alice" spends both tokens at 0, then T threads
                          ask for her at 1.0 (one token came back)
  race_clients T          limiter (2, rate 0); thread t asks twice for "own-t", then once for
                          "shared": `own=[...] shared=G`
  race_idle T             limiter (2, rate 0, idle 10); "alice" spends both tokens at 0; at 10
                          one thread asks 3 times for "bob" while T others ask twice each for
                          "alice" (forgotten at 10: a new bucket of 2)
"""

import tracemalloc

import kata_harness as k

# A limiter that forgets idle clients holds a dozen buckets here (a few KB); one that keeps
# every client holds a name, a bucket and a dict slot per client: about 350 bytes each in
# Python, over 3 MB for 10,000 clients.
MEMORY_BOUND = 256 * 1024

REQUIRED = ("TokenBucket", "RateLimiter")


class Case:
    def __init__(self, mod):
        self.mod = mod
        self.bucket = None
        self.limiter = None

    def op_bucket(self, capacity, refill_rate):
        self.bucket = None  # a failed constructor leaves no bucket behind
        self.bucket = self.mod.TokenBucket(capacity, refill_rate)
        return k.OK

    def op_allow(self, now, *tokens):
        # `allow NOW` relies on the default of one token; `allow NOW N` passes it.
        return k.need(self.bucket).allow(now, *tokens)

    def op_limiter(self, capacity, refill_rate):
        self.limiter = None
        self.limiter = self.mod.RateLimiter(capacity, refill_rate)
        return k.OK

    def op_client_allow(self, client, now):
        return k.need(self.limiter).allow(client, now)

    # Stage 1: idle clients forgotten.

    def op_limiter_idle(self, capacity, refill_rate, idle_timeout):
        self.limiter = None
        self.limiter = self.mod.RateLimiter(capacity, refill_rate, idle_timeout)
        return k.OK

    def op_idle_memory(self, capacity, refill_rate, idle_timeout, count):
        started = not tracemalloc.is_tracing()
        if started:
            tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            limiter = self.mod.RateLimiter(capacity, refill_rate, idle_timeout)
            allowed = 0
            for t in range(count):
                now = float(t)
                allowed += limiter.allow("hot", now) is True
                # a fresh string: what the limiter keeps of it is traced
                allowed += limiter.allow("client-%d" % t, now) is True
            grown = tracemalloc.get_traced_memory()[0] - before
            del limiter
        finally:
            if started:
                tracemalloc.stop()
        if grown < MEMORY_BOUND:
            return k.Text("%d allowed, memory bounded" % allowed)
        return k.Text("%d allowed, memory grows: %d bytes" % (allowed, grown))

    # Stage 2: thread-safe. In Python the limiter itself is shared.

    def op_shared(self, capacity, refill_rate):
        return self.op_limiter(capacity, refill_rate)

    def op_shared_idle(self, capacity, refill_rate, idle_timeout):
        return self.op_limiter_idle(capacity, refill_rate, idle_timeout)

    def op_shared_allow(self, client, now):
        return self.op_client_allow(client, now)

    def op_race_one_client(self, threads, requests, capacity):
        return _explore(lambda: _race_one_client(self.mod, threads, requests, capacity))

    def op_race_refill(self, threads):
        return _explore(lambda: _race_refill(self.mod, threads))

    def op_race_clients(self, threads):
        return _explore(lambda: _race_clients(self.mod, threads))

    def op_race_idle(self, threads):
        return _explore(lambda: _race_idle(self.mod, threads))


# ---- stage 2 scenarios -----------------------------------------------------------------------
# Each builds its own limiter and threads, joins them, and summarises what every schedule must
# agree on. The driver's own lines are not preemption points: only the learner's are.

# Schedules explored per scenario: these races are shallow (one or two preemptions find them).
SCHEDULES = 100


def _explore(scenario):
    import kata_conc

    return kata_conc.explore(scenario, seed=k.seed(), schedules=SCHEDULES)


def _run_threads(bodies):
    import kata_conc

    handles = [kata_conc.spawn(body) for body in bodies]
    for handle in handles:
        handle.join()


def _asker(limiter, client, now, times, granted):
    def run():
        for _ in range(times):
            if limiter.allow(client, now) is True:
                granted.append(client)

    return run


def _race_one_client(mod, threads, requests, capacity):
    limiter = mod.RateLimiter(capacity, 0.0)
    granted = []
    _run_threads([_asker(limiter, "alice", 0.0, requests, granted) for _ in range(threads)])
    return "granted=%d then=%s" % (len(granted), k.render(limiter.allow("alice", 0.0)))


def _race_refill(mod, threads):
    limiter = mod.RateLimiter(2, 1.0)
    limiter.allow("alice", 0.0)
    limiter.allow("alice", 0.0)
    granted = []
    _run_threads([_asker(limiter, "alice", 1.0, 1, granted) for _ in range(threads)])
    return "granted=%d then=%s" % (len(granted), k.render(limiter.allow("alice", 1.0)))


def _race_clients(mod, threads):
    limiter = mod.RateLimiter(2, 0.0)
    own = [[] for _ in range(threads)]
    shared = []

    def body(t):
        def run():
            _asker(limiter, "own-%d" % t, 0.0, 2, own[t])()
            _asker(limiter, "shared", 0.0, 1, shared)()

        return run

    _run_threads([body(t) for t in range(threads)])
    return "own=[%s] shared=%d" % (", ".join(str(len(g)) for g in own), len(shared))


def _race_idle(mod, threads):
    limiter = mod.RateLimiter(2, 0.0, 10.0)
    limiter.allow("alice", 0.0)
    limiter.allow("alice", 0.0)
    alice = []
    bob = []
    bodies = [_asker(limiter, "bob", 10.0, 3, bob)]
    bodies += [_asker(limiter, "alice", 10.0, 2, alice) for _ in range(threads)]
    _run_threads(bodies)
    return "alice=%d bob=%d then=%s" % (
        len(alice),
        len(bob),
        k.render(limiter.allow("alice", 10.0)),
    )


def probe_idle_churn(mod, size, budget):
    """A limiter forgetting clients after `size` seconds, with one new client a second: about
    `size` clients are active at once. Every timed second brings a new client (so one from
    `size` seconds ago goes idle) and a second request from a client of half that age. With
    capacity 1 and no refill, the first is allowed and the second refused (that client is not
    idle yet), which the digest records."""
    limiter = mod.RateLimiter(1, 0.0, float(size))
    for t in range(size):
        limiter.allow("c%d" % t, float(t))
        if t % 512 == 0:
            budget.check(t)
    state = {"t": size}

    def batch():
        start = state["t"]
        allowed = 0
        for t in range(start, start + 200):
            now = float(t)
            allowed += limiter.allow("c%d" % t, now) is True
            allowed += limiter.allow("c%d" % (t - size // 2), now) is True
        state["t"] = start + 200
        return 400, allowed

    return batch
