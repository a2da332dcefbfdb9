"""Hidden driver for bounded-queue (Python). Timeouts are seconds of kata_conc's virtual
clock, which only moves when every thread waits.

Sequential operations (the learner's API on the driver's thread, still under kata_conc: a call
that would wait for ever raises DeadlockError):
  new C              BoundedBlockingQueue(C)
  put X / get        put(X) (`ok` when it returned True) / get()
  try_put X T        put(X, timeout=T): true or false
  try_get T          get(timeout=T): the item, or `error TimeoutError`
  len                len(queue)
  clock              virtual seconds since `new`

Scenarios (explored under kata_conc; the line summarises what every schedule must agree on, so
a correct queue gives one line). Where the main thread must let the others reach their
blocking call first, it sleeps LET_OTHERS_RUN: the other threads run until they all wait (even
in the schedule without preemption), then the clock moves on; only scenarios that do not read
the clock do this.
  spsc CAP N                    one producer puts 1..N, the main thread gets N items
  mpmc P C N CAP                P producers put N items each (p*100+i), C consumers share them
  put_blocks_when_full CAP      a put on a full queue waits until a get makes room
  two_consumers_one_item        one item, two consumers; a second item put later
  get_blocks_when_empty         a get on an empty queue waits until a put
  try_get_while_producing T D   get(timeout=T) while a producer puts after sleeping D
  try_put_while_consuming T D   put(9, timeout=T) on a full queue while a consumer gets after D
  try_get_frees_room CAP        a put blocked on a full queue, released by get(timeout=0)
  try_put_wakes_getter          a get blocked on an empty queue, released by put(5, timeout=0)
  timed_consumers T D           get(timeout=T), while another thread puts one item after D and
                                at once tries get(timeout=0): timeouts end on time
  timed_producers T D           put(9, timeout=T) on a full queue, while another thread gets an
                                item after D and at once tries put(8, timeout=0) (Python only)
  consumer_barges_in            a get waits; the main thread puts 1 and at once get(timeout=0)s,
                                then puts 2 (Python only)
  producer_barges_in            a put(2) waits on a full queue; the main thread gets and at once
                                put(3, timeout=0)s, then gets the rest (Python only)
"""

import time

import kata_conc
import kata_harness as k

REQUIRED = ("BoundedBlockingQueue",)
ERROR_KINDS = ("DeadlockError",)

# How long the main thread sleeps to let the other threads run until they all wait.
LET_OTHERS_RUN = 0.5


def _explore(threads, scenario):
    """Explores a scenario with the check's seed: its result is every distinct outcome. Budgets
    are counts of schedules, by the number of threads besides the main one: 30 for up to two,
    40 for three, 50 for more. A correct solution runs them all (about 1-4 ms each); every
    known mistake shows within the first 12, most in the schedule without preemption."""
    return kata_conc.explore(scenario, seed=k.seed(), schedules=_BUDGETS.get(threads, 50))


_BUDGETS = {1: 30, 2: 30, 3: 40}


def _list(items):
    return k.render(list(items))


def _secs(x):
    return k.render(float(x))


def _drain(queue, capacity):
    """What is left, taken without waiting (a few more gets than the queue can hold)."""
    rest = []
    for _ in range(capacity + 2):
        try:
            rest.append(queue.get(timeout=0))
        except TimeoutError:
            break
    return rest


def _got(handle):
    """What a scenario thread returned, or `nothing` when it raised (the exception is then
    named in the outcome by kata_conc: `; T2 raised IndexError: ...`)."""
    return "nothing" if handle.result is None else k.render(handle.result)


class Case:
    def __init__(self, mod):
        self.mod = mod
        self.queue = None
        self.start = None

    def op_new(self, capacity):
        self.queue = None
        self.queue = self.mod.BoundedBlockingQueue(capacity)
        self.start = time.monotonic()
        return k.OK

    def op_put(self, item):
        stored = k.need(self.queue).put(item)
        if stored is True:
            return k.OK
        return k.Text("put returned %s instead of True" % k.render(stored))

    def op_get(self):
        return k.need(self.queue).get()

    def op_try_put(self, item, timeout):
        return k.need(self.queue).put(item, timeout=timeout)

    def op_try_get(self, timeout):
        return k.need(self.queue).get(timeout=timeout)

    def op_len(self):
        return len(k.need(self.queue))

    def op_clock(self):
        k.need(self.queue)
        return float(time.monotonic() - self.start)

    # ---- scenarios -------------------------------------------------------------------------

    def _new(self, capacity):
        return self.mod.BoundedBlockingQueue(capacity)

    def op_spsc(self, cap, n):
        def scenario():
            queue = self._new(cap)
            over = []
            producer = kata_conc.spawn(lambda: [_checked_put(queue, i, cap, over) for i in range(1, n + 1)])
            got = [queue.get() for _ in range(n)]
            producer.join()
            return "got=%s over_capacity=%s len=%d" % (_list(got), _bool(over), len(queue))

        return _explore(1, scenario)

    def op_mpmc(self, producers, consumers, n, cap):
        total = producers * n
        assert total % consumers == 0, "kata driver: mpmc needs P*N divisible by C"

        def scenario():
            queue = self._new(cap)
            over = []

            def produce(p):
                for i in range(1, n + 1):
                    _checked_put(queue, p * 100 + i, cap, over)

            def consume():
                return [queue.get() for _ in range(total // consumers)]

            making = [kata_conc.spawn(lambda p=p: produce(p)) for p in range(1, producers + 1)]
            taking = [kata_conc.spawn(consume) for _ in range(consumers)]
            for handle in making:
                handle.join()
            received = []
            order_kept = True
            for handle in taking:
                handle.join()
                got = handle.result or []
                # FIFO: each consumer sees each producer's items in the order they were put.
                for p in range(1, producers + 1):
                    mine = [v for v in got if v // 100 == p]
                    order_kept = order_kept and mine == sorted(mine)
                received.extend(got)
            distinct = set(received)
            expected = {p * 100 + i for p in range(1, producers + 1) for i in range(1, n + 1)}
            return "received=%d duplicates=%d missing=%d order_kept=%s over_capacity=%s len=%d" % (
                len(received), len(received) - len(distinct), len(expected - distinct),
                _bool(order_kept), _bool(over), len(queue))

        return _explore(producers + consumers, scenario)

    def op_put_blocks_when_full(self, cap):
        def scenario():
            queue = self._new(cap)
            for i in range(1, cap + 1):
                queue.put(i)
            returned = []

            def produce():
                queue.put(99)
                returned.append(True)

            producer = kata_conc.spawn(produce)
            time.sleep(LET_OTHERS_RUN)
            blocked = not returned
            if not blocked:
                kata_conc.violation("put returned on a full queue")
            first = queue.get()
            producer.join()
            return "blocked=%s first=%s rest=%s" % (_bool(blocked), k.render(first), _list(_drain(queue, cap)))

        return _explore(2, scenario)

    def op_two_consumers_one_item(self):
        def scenario():
            queue = self._new(2)
            queue.put(1)
            consumers = [kata_conc.spawn(queue.get) for _ in range(2)]
            time.sleep(LET_OTHERS_RUN)
            queue.put(2)
            for handle in consumers:
                handle.join()
            got = sorted(h.result for h in consumers if h.result is not None)
            return "got=%s len=%d" % (_list(got), len(queue))

        return _explore(2, scenario)

    def op_get_blocks_when_empty(self):
        def scenario():
            queue = self._new(2)
            returned = []

            def consume():
                item = queue.get()
                returned.append(True)
                return item

            consumer = kata_conc.spawn(consume)
            time.sleep(LET_OTHERS_RUN)
            blocked = not returned
            if not blocked:
                kata_conc.violation("get returned on an empty queue")
            queue.put(5)
            consumer.join()
            return "blocked=%s got=%s len=%d" % (_bool(blocked), _got(consumer), len(queue))

        return _explore(2, scenario)

    def op_try_get_while_producing(self, timeout, delay):
        def scenario():
            start = time.monotonic()
            queue = self._new(1)

            def produce():
                time.sleep(delay)
                queue.put(7)

            producer = kata_conc.spawn(produce)
            try:
                item = queue.get(timeout=timeout)
                result = "got %s at %s" % (k.render(item), _secs(time.monotonic() - start))
            except TimeoutError:
                result = "timed out at %s" % _secs(time.monotonic() - start)
            producer.join()
            return "%s len=%d" % (result, len(queue))

        return _explore(2, scenario)

    def op_try_put_while_consuming(self, timeout, delay):
        def scenario():
            start = time.monotonic()
            queue = self._new(1)
            queue.put(1)

            def consume():
                time.sleep(delay)
                return queue.get()

            consumer = kata_conc.spawn(consume)
            if queue.put(9, timeout=timeout):
                result = "stored at %s" % _secs(time.monotonic() - start)
            else:
                result = "timed out at %s" % _secs(time.monotonic() - start)
            consumer.join()
            return "%s consumer_got=%s rest=%s" % (result, _got(consumer), _list(_drain(queue, 1)))

        return _explore(2, scenario)

    def op_try_get_frees_room(self, cap):
        def scenario():
            queue = self._new(cap)
            for i in range(1, cap + 1):
                queue.put(i)
            producer = kata_conc.spawn(lambda: queue.put(99))
            time.sleep(LET_OTHERS_RUN)
            try:
                got = k.render(queue.get(timeout=0))
            except TimeoutError:
                got = "TimeoutError"
            producer.join()
            return "try_get=%s rest=%s" % (got, _list(_drain(queue, cap)))

        return _explore(2, scenario)

    def op_try_put_wakes_getter(self):
        def scenario():
            queue = self._new(1)
            consumer = kata_conc.spawn(queue.get)
            time.sleep(LET_OTHERS_RUN)
            stored = queue.put(5, timeout=0)
            consumer.join()
            return "stored=%s got=%s len=%d" % (k.render(stored), _got(consumer), len(queue))

        return _explore(2, scenario)

    def op_timed_consumers(self, timeout, delay):
        def scenario():
            queue = self._new(1)
            tally = {"received": 0, "late": False}

            def timed(wait):
                """A get(timeout=wait) that must return an item, or raise TimeoutError exactly
                when its timeout ends."""
                start = time.monotonic()
                try:
                    queue.get(timeout=wait)
                except TimeoutError:
                    waited = time.monotonic() - start
                    if waited != wait:
                        kata_conc.violation("gave up after %ss, not %ss" % (_secs(waited), _secs(wait)))
                        tally["late"] = True
                    return
                tally["received"] += 1
                if time.monotonic() - start > wait:
                    kata_conc.violation("got it after its timeout")
                    tally["late"] = True

            def produce():
                # Puts the item and at once tries to take it back itself: the main thread, woken
                # by the put, may find it gone and must wait on, for what is left of its timeout.
                time.sleep(delay)
                queue.put(1)
                timed(0.0)

            handles = [kata_conc.spawn(produce)]
            timed(timeout)
            for handle in handles:
                handle.join()
            return "received=%d timeouts_on_time=%s len=%d" % (
                tally["received"], _bool(not tally["late"]), len(queue))

        return _explore(2, scenario)

    def op_consumer_barges_in(self):
        def scenario():
            queue = self._new(1)
            consumer = kata_conc.spawn(queue.get)
            time.sleep(LET_OTHERS_RUN)
            # The consumer waits; the main thread puts an item and at once tries to take it
            # itself, before the woken consumer has the lock again (CPython's Condition lets
            # it: a notify does not hand the lock over).
            queue.put(1)
            try:
                mine = [queue.get(timeout=0)]
            except TimeoutError:
                mine = []
            time.sleep(LET_OTHERS_RUN)
            queue.put(2)
            if not mine:
                mine.append(queue.get())
            consumer.join()
            received = sorted(mine + ([consumer.result] if consumer.result is not None else []))
            return "received=%s len=%d" % (_list(received), len(queue))

        return _explore(2, scenario)

    def op_producer_barges_in(self):
        def scenario():
            queue = self._new(1)
            queue.put(1)
            over = []
            producer = kata_conc.spawn(lambda: _checked_put(queue, 2, 1, over))
            time.sleep(LET_OTHERS_RUN)
            # The producer waits; the main thread takes an item and at once tries to fill the
            # room itself, before the woken producer has the lock again.
            received = [queue.get()]
            stored = queue.put(3, timeout=0)
            time.sleep(LET_OTHERS_RUN)
            received.append(queue.get())
            if not stored:
                _checked_put(queue, 3, 1, over)
            received.append(queue.get())
            producer.join()
            return "received=%s over_capacity=%s len=%d" % (_list(sorted(received)), _bool(over), len(queue))

        return _explore(2, scenario)

    def op_timed_producers(self, timeout, delay):
        def scenario():
            queue = self._new(1)
            queue.put(1)
            tally = {"stored": 0, "late": False}

            def timed(item, wait):
                """A put(item, timeout=wait) that must store the item, or return False exactly
                when its timeout ends."""
                start = time.monotonic()
                stored = queue.put(item, timeout=wait)
                waited = time.monotonic() - start
                if stored:
                    tally["stored"] += 1
                    if waited > wait:
                        kata_conc.violation("stored after its timeout")
                        tally["late"] = True
                elif waited != wait:
                    kata_conc.violation("gave up after %ss, not %ss" % (_secs(waited), _secs(wait)))
                    tally["late"] = True

            def consume():
                # Takes an item and at once tries to fill the room itself: the main thread, woken
                # by the get, may find the room gone and must wait on, for what is left of its
                # timeout.
                time.sleep(delay)
                queue.get()
                timed(8, 0.0)

            handles = [kata_conc.spawn(consume)]
            timed(9, timeout)
            for handle in handles:
                handle.join()
            return "stored=%d timeouts_on_time=%s len=%d" % (
                tally["stored"], _bool(not tally["late"]), len(queue))

        return _explore(2, scenario)


def _checked_put(queue, item, capacity, over):
    """A put that also checks, right after it returns, that the queue holds at most
    `capacity` items."""
    queue.put(item)
    if len(queue) > capacity:
        kata_conc.violation("over capacity")
        over.append(True)


def _bool(value):
    return "true" if value else "false"
