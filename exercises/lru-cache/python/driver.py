"""Hidden driver for lru-cache (Python). Operations: new C, put K V, get K, len.

Stage 1 (thread-safe; Python's LRUCache itself becomes safe, Rust adds SharedLruCache):
  shared C, shared_put K V, shared_get K, shared_len   the same cache (Rust: SharedLruCache)
  get_or_put K V                                       the cached value, else put V and return it
Scenarios, explored under kata's scheduler (kata_conc); each returns one summary line per
distinct outcome, and a correct cache gives the same line in every schedule:
  race_puts T N C         T threads each put N keys of their own into a cache of capacity C
  race_get_put R W C      a full cache of C keys; R readers get them while W writers put 2
                          new keys each (so evicting)
  race_hits R W           a cache of 8 holding keys 0-3; R readers get them (always hits)
                          while W writers put 2 new keys each (no eviction)
  race_get_or_put T       T threads call get_or_put(7, 100 + t) on an empty cache
After the threads, the summaries read every key back and audit the structure: the cache is
filled with C fresh keys, which must then be exactly what it holds (`audit=ok`).

Stage 2 (per-entry TTL):
  put_ttl K V TTL NOW     put(K, V, TTL, NOW)
  get_at K NOW            get(K, NOW)
"""

import kata_harness as k

REQUIRED = ("LRUCache",)


class Case:
    def __init__(self, mod):
        self.mod = mod
        self.cache = None

    def op_new(self, capacity):
        self.cache = self.mod.LRUCache(capacity)
        return k.OK

    def op_put(self, key, value):
        k.need(self.cache).put(key, value)
        return k.OK

    def op_get(self, key):
        return k.need(self.cache).get(key)

    def op_len(self):
        return len(k.need(self.cache))

    # Stage 1: thread-safe. In Python the cache itself is shared, so `shared` builds an
    # LRUCache like `new`.

    def op_shared(self, capacity):
        return self.op_new(capacity)

    def op_shared_put(self, key, value):
        return self.op_put(key, value)

    def op_shared_get(self, key):
        return self.op_get(key)

    def op_shared_len(self):
        return self.op_len()

    def op_get_or_put(self, key, value):
        return k.need(self.cache).get_or_put(key, value)

    def op_race_puts(self, threads, keys, capacity):
        return _explore(lambda: _race_puts(self.mod, threads, keys, capacity))

    def op_race_get_put(self, readers, writers, capacity):
        return _explore(lambda: _race_get_put(self.mod, readers, writers, capacity))

    def op_race_hits(self, readers, writers):
        return _explore(lambda: _race_hits(self.mod, readers, writers))

    def op_race_get_or_put(self, threads):
        return _explore(lambda: _race_get_or_put(self.mod, threads))

    # Stage 2: per-entry TTL (positional: put(key, value, ttl, now), get(key, now)).

    def op_put_ttl(self, key, value, ttl, now):
        k.need(self.cache).put(key, value, ttl, now)
        return k.OK

    def op_get_at(self, key, now):
        return k.need(self.cache).get(key, now)


# ---- stage 1 scenarios -----------------------------------------------------------------------
# Each builds its own cache and threads, joins them, and summarises what every schedule must
# agree on. The driver's own lines are not preemption points: only the learner's are.


# Schedules explored per scenario: the races here are shallow (one or two preemptions find
# them), and every schedule of a correct cache costs a few milliseconds under tracing.
SCHEDULES = 100


def _explore(scenario):
    import kata_conc

    return kata_conc.explore(scenario, seed=k.seed(), schedules=SCHEDULES)


def _spawn_all(bodies):
    import kata_conc

    handles = [kata_conc.spawn(body) for body in bodies]
    for handle in handles:
        handle.join()


def _audit(cache, capacity, old_keys):
    """Fill the cache with `capacity` fresh keys: then it must hold exactly those. A linked
    list or map left inconsistent by a race shows here (a key that is never evicted, a wrong
    length, a KeyError)."""
    fresh = [1000000 + i for i in range(capacity)]
    for key in fresh:
        cache.put(key, key + 1)
    size = len(cache)
    missing = sum(1 for key in fresh if cache.get(key) != key + 1)
    stale = sum(1 for key in old_keys if cache.get(key) != -1)
    if size == capacity and missing == 0 and stale == 0:
        return "audit=ok"
    return "audit failed: len=%d after %d fresh puts, %d fresh keys missing, %d old keys left" % (
        size,
        capacity,
        missing,
        stale,
    )


def _race_puts(mod, threads, keys, capacity):
    cache = mod.LRUCache(capacity)
    over = []

    def writer(t):
        def run():
            for i in range(keys):
                key = 100 * (t + 1) + i
                cache.put(key, key * 10)
                size = len(cache)
                if size > capacity:
                    over.append(size)

        return run

    _spawn_all([writer(t) for t in range(threads)])
    every = [100 * (t + 1) + i for t in range(threads) for i in range(keys)]
    size = len(cache)
    values = [cache.get(key) for key in every]
    present = sum(1 for v in values if v != -1)
    wrong = sum(1 for key, v in zip(every, values) if v not in (-1, key * 10))
    return "len=%d present=%d wrong=%d max_len_seen=%s %s" % (
        size,
        present,
        wrong,
        max(over) if over else "ok",
        _audit(cache, capacity, every),
    )


def _race_get_put(mod, readers, writers, capacity):
    cache = mod.LRUCache(capacity)
    for key in range(capacity):
        cache.put(key, 1000 + key)
    wrong = []

    def reader(r):
        def run():
            for j in range(capacity):
                key = (r + j) % capacity
                v = cache.get(key)
                if v not in (-1, 1000 + key):
                    wrong.append((key, v))

        return run

    def writer(w):
        def run():
            for i in range(2):
                key = 200 + 10 * w + i
                cache.put(key, 1000 + key)

        return run

    _spawn_all([reader(r) for r in range(readers)] + [writer(w) for w in range(writers)])
    every = list(range(capacity)) + [200 + 10 * w + i for w in range(writers) for i in range(2)]
    size = len(cache)
    values = [cache.get(key) for key in every]
    present = sum(1 for v in values if v != -1)
    wrong += [(key, v) for key, v in zip(every, values) if v not in (-1, 1000 + key)]
    return "wrong=%d len=%d present=%d %s" % (
        len(wrong),
        size,
        present,
        _audit(cache, capacity, every),
    )


def _race_hits(mod, readers, writers):
    capacity = 8
    cache = mod.LRUCache(capacity)
    for key in range(4):
        cache.put(key, 1000 + key)
    misses = []
    wrong = []

    def reader(r):
        def run():
            for j in range(4):
                key = (r + j) % 4
                v = cache.get(key)
                if v == -1:
                    misses.append(key)
                elif v != 1000 + key:
                    wrong.append((key, v))

        return run

    def writer(w):
        def run():
            for i in range(2):
                key = 200 + 10 * w + i
                cache.put(key, 1000 + key)

        return run

    _spawn_all([reader(r) for r in range(readers)] + [writer(w) for w in range(writers)])
    every = list(range(4)) + [200 + 10 * w + i for w in range(writers) for i in range(2)]
    return "misses=%d wrong=%d len=%d %s" % (
        len(misses),
        len(wrong),
        len(cache),
        _audit(cache, capacity, every),
    )


def _race_get_or_put(mod, threads):
    cache = mod.LRUCache(4)
    got = {}

    def caller(t):
        def run():
            got[t] = cache.get_or_put(7, 100 + t)

        return run

    _spawn_all([caller(t) for t in range(threads)])
    results = set(got.values())
    stored = cache.get(7)
    own = sum(1 for t, v in got.items() if v == 100 + t)
    return "answers=%d distinct=%d own_value_returned=%d stored_matches=%s len=%d" % (
        len(got),
        len(results),
        own,
        str(len(results) == 1 and stored in results).lower(),
        len(cache),
    )


def probe_lru_mix(mod, size, budget):
    """Fill a cache of `size`, then time the worst case: every put evicts, and the gets hit
    both ends of the recency order: the least recently used key (which must move to the
    front) and the key put just before (an order kept in a list has to search for it)."""
    cache = mod.LRUCache(size)
    for i in range(size):
        cache.put(i, i)
        if i % 512 == 0:
            budget.check(i)
    state = {"next": size}

    def batch():
        start = state["next"]
        check = 0
        for key in range(start, start + 200):
            cache.put(key, key)
            check += cache.get(key - size + 1)
            check += cache.get(key - 1)
        state["next"] = start + 200
        return 600, check

    return batch


EVICT_BATCH = 1000  # puts per timed batch of lru_evict


def probe_lru_evict(mod, size, budget):
    """Eviction-heavy: every timed operation puts a new key into the full cache, so every put
    evicts. Before timing, the cache of `size` is filled and its older half is read once (in
    age order, so the recency order stays a simple rotation), as a real cache's reads would.

    This exposes an LRU built on a plain dict's insertion order (refresh with pop + re-insert,
    evict next(iter(d))): CPython leaves a deleted entry's slot empty at its place in the
    dict's entries array until the dict is resized, so after the reads (and every eviction) the
    front of that array is a run of empty slots that next(iter(d)) walks past on every put:
    O(n) per put. collections.OrderedDict (popitem(last=False)) and a linked list are O(1)."""
    cache = mod.LRUCache(size)
    for i in range(size):
        cache.put(i, i)
        if i % 512 == 0:
            budget.check(i)
    for i in range(size // 2):
        cache.get(i)
        if i % 512 == 0:
            budget.check(size + i)
    state = {"next": size}

    def batch():
        start = state["next"]
        check = budget.check
        for key in range(start, start + EVICT_BATCH):
            cache.put(key, key)
            if key % 64 == 0:
                check(None)  # a very slow put is abandoned within the budget
        state["next"] = start + EVICT_BATCH
        # Fold in what the cache holds now: the first and last keys of this batch, its length.
        return EVICT_BATCH + 3, cache.get(start) + cache.get(start + EVICT_BATCH - 1) + len(cache)

    return batch
