"""Hidden driver for ttl-cache (Python).

Operations:
  new C TTL              TTLCache(C, TTL)
  put KEY VALUE NOW      put(KEY, VALUE, NOW)          (the default ttl)
  put KEY VALUE NOW TTL  put(KEY, VALUE, NOW, TTL)     (TTL may be null: an explicit None)
  get KEY NOW            get(KEY, NOW): the value, or null
  size NOW               size(NOW)
  purge_expired NOW      purge_expired(NOW): how many entries expired since the last call
                         (follow-up 1)
"""

import kata_harness as k

REQUIRED = ("TTLCache",)


class Case:
    def __init__(self, mod):
        self.mod = mod
        self.cache = None

    def op_new(self, capacity, default_ttl):
        self.cache = None  # a failed constructor leaves no cache behind
        self.cache = self.mod.TTLCache(capacity, default_ttl)
        return k.OK

    def op_put(self, key, value, now, *ttl):
        # `put K V NOW` relies on the default argument; `put K V NOW TTL` passes it.
        k.need(self.cache).put(key, value, now, *ttl)
        return k.OK

    def op_get(self, key, now):
        return k.need(self.cache).get(key, now)

    def op_size(self, now):
        return k.need(self.cache).size(now)

    # ---- follow-up 1: purge_expired -------------------------------------------------------

    def op_purge_expired(self, now):
        return k.need(self.cache).purge_expired(now)


# ---- complexity probe -------------------------------------------------------------------------

LONG = 1000000.0  # base of the long ttls: nothing long-lived expires during the probe
SHORT = 0.5  # the short ttl: these entries all expire before the next step of time


def probe_ttl_mix(mod, size, budget):
    """A full cache of `size` entries with distinct expiry times, then batches that hit every
    operation's worst case (see batch), timed by the harness.

    The driver only picks keys, it checks nothing: it tracks the recency order as a ring of
    `size` slots with the least recently used at `state["lru"]`. A get hit or an update of that
    key, and a put that evicts it, all make the next slot the least recently used. What the
    gets and sizes return is folded into the batch's check."""
    n = size
    cache = mod.TTLCache(n, 60.0)
    ring = ["k%d" % i for i in range(n)]
    for i, key in enumerate(ring):
        # distinct expiries, inserted in scattered order (7919 is a prime not dividing n)
        cache.put(key, "v", 0.0, LONG + (i * 7919) % n)
        if i % 512 == 0:
            budget.check(i)
    state = {"lru": 0, "now": 0.0, "next": 0}

    def batch():
        p, now, c = state["lru"], state["now"], state["next"]
        # Budget checks after every operation: one O(n) call takes milliseconds at 100,000
        # entries, so a slow cache is abandoned soon after the budget runs out.
        check = budget.check
        # Folded from the results: how many gets found a value, plus every size.
        found = 0
        # 100 puts of new short-lived keys, each evicting the least recently used entry.
        for j in range(100):
            key = "s%d" % c
            c += 1
            cache.put(key, "s", now, SHORT)
            ring[p] = key
            p = (p + 1) % n
            check(None)
        # Time passes: those 100 entries expire together. Read half of them (expired gets).
        now += 1.0
        for j in range(50):
            found += cache.get(ring[(p - 100 + 2 * j) % n], now) is not None
            check(None)
        # 100 puts of new long-lived keys: the first must purge every expired entry at once
        # (amortised), then they refill the freed room without evicting.
        for j in range(100):
            key = "n%d" % c
            c += 1
            cache.put(key, "n", now, LONG + (c * 7919) % n)
            ring[(p - 100 + j) % n] = key
            check(None)
        # 200 get hits on the least recently used key, which must move to the most recent end.
        for j in range(200):
            found += cache.get(ring[p], now) is not None
            p = (p + 1) % n
            check(None)
        # 200 puts of new long-lived keys into the full cache: each evicts the LRU entry.
        for j in range(200):
            key = "e%d" % c
            c += 1
            cache.put(key, "e", now, LONG + (c * 7919) % n)
            ring[p] = key
            p = (p + 1) % n
            check(None)
        # 150 updates of the least recently used key with a new expiry.
        for j in range(150):
            c += 1
            cache.put(ring[p], "u", now, LONG + (c * 7919) % n)
            p = (p + 1) % n
            check(None)
        # 200 sizes: counting the live entries must not scan them.
        for j in range(200):
            found += cache.size(now)
            check(None)
        state["lru"], state["now"], state["next"] = p, now, c
        return 1000, found

    # A batch takes about a millisecond with a good solution: the best of 20 is cheap, and more
    # batches make a clean one (not slowed by other processes) likelier on a busy machine.
    return k.Timed(batch, 20)


# ---- follow-up 1: complexity probe of purge_expired -------------------------------------------


def probe_purge_mix(mod, size, budget):
    """A full cache of `size` long-lived entries with distinct expiry times, then batches in
    which purge_expired always has little to do: it must cost O(log n) per entry it removes,
    and next to nothing when none has expired, never a pass over the whole cache. The check
    folds what the purges returned."""
    n = size
    cache = mod.TTLCache(n, 60.0)
    for i in range(n):
        cache.put("k%d" % i, "v", 0.0, LONG + (i * 7919) % n)
        if i % 512 == 0:
            budget.check(i)
    state = {"now": 0.0, "next": 0}

    def batch():
        now, c = state["now"], state["next"]
        check = budget.check
        removed = 0
        # 100 rounds: a short-lived key evicts the least recently used entry and expires; the
        # purge removes just that one; a long-lived key takes its room; a purge finds nothing.
        for j in range(100):
            cache.put("s%d" % c, "s", now, SHORT)
            now += 1.0
            removed += cache.purge_expired(now)
            cache.put("n%d" % c, "n", now, LONG + (c * 7919) % n)
            removed += cache.purge_expired(now)
            c += 1
            check(None)
        # 50 short-lived keys (each evicting) expire together: one purge removes all 50, and
        # 50 long-lived keys refill the room.
        for j in range(50):
            cache.put("t%d" % (c + j), "t", now, SHORT)
            check(None)
        now += 1.0
        removed += cache.purge_expired(now)
        for j in range(50):
            cache.put("m%d" % (c + j), "m", now, LONG + ((c + j) * 7919) % n)
            check(None)
        c += 50
        state["now"], state["next"] = now, c
        return 501, removed

    # A batch takes about a millisecond with a good solution: the best of 20 is cheap.
    return k.Timed(batch, 20)
