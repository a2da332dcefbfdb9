"""Hidden driver for connection-pool (Python, asyncio).

Sequential operations act on one pool per case, on one event loop per case (kata's virtual
loop: a timeout costs no real time, and `elapsed` reads the virtual clock). Every borrower is a
task of that loop: `acquire` / `try_acquire T` start a task that enters
`async with pool.acquire(...) as conn` and stays inside the block until `release ID`, so a
borrowed connection really is held by an open `async with`. `borrow_and_fail`,
`borrow_and_cancel` and `cancel_waiter` run one borrower to its end. An operation that would
wait for ever raises DeadlockError (kata's loop sees that no task can ever run again).

Concurrent operations build their own pool in every schedule and are explored with
kata_conc.explore_async: kata runs the tasks in many orders (whenever several are ready at
once) and every schedule of a correct pool gives the same line. Times are virtual
milliseconds since the scenario began. Connections are `Conn` objects, compared by identity.
"""

import asyncio

import kata_conc
import kata_harness as k

REQUIRED = ("Pool", "PoolClosed")
ERROR_KINDS = ("PoolClosed", "DeadlockError", "InvalidStateError", "CancelledError")


class Conn:
    """A connection: an id and nothing else (compared and hashed by identity)."""

    __slots__ = ("id",)

    def __init__(self, id):
        self.id = id

    def __repr__(self):
        return "Conn(%d)" % self.id


class DictConn(dict):
    """A connection that is a dict: unhashable, and equal to every other one (same settings)."""

    def __init__(self, id):
        dict.__init__(self, dsn="postgres://db/main")
        self.id = id


class Boom(Exception):
    """What a failing borrower raises inside its `async with`."""


def _kind(error):
    """PoolClosed / TimeoutError / ..., the name a result line uses."""
    return k.error_kind(error)


def _ms(loop, t0):
    return "%dms" % int(round((loop.time() - t0) * 1000))


def _sleep_ms(n):
    return asyncio.sleep(n / 1000)


def _never():
    return asyncio.get_running_loop().create_future()


def _spawn(coro, name):
    """A task with a name, so a schedule's trace reads `holder`, `W1`... rather than Task-3."""
    return asyncio.get_running_loop().create_task(coro, name=name)


# ---------------------------------------------------------------------------------------------
# Concurrent operations: scenarios explored under kata's scheduler.


def _explore(make, schedules):
    return kata_conc.explore_async(make, seed=k.seed(), schedules=schedules)


def _pool_of(mod, n):
    return mod.Pool([Conn(i) for i in range(1, n + 1)])


def _acquire_cm(pool, timeout=None):
    """pool.acquire() / pool.acquire(timeout=T), as a learner writes it."""
    return pool.acquire() if timeout is None else pool.acquire(timeout=timeout)


async def _attempt(loop, t0, pool, timeout=None, hold_ms=0, note=None):
    """`got 1 at 20ms` / `PoolClosed at 30ms` / `TimeoutError at 40ms` for one borrower."""
    try:
        async with _acquire_cm(pool, timeout) as conn:
            seen = "got %s at %s" % (getattr(conn, "id", conn), _ms(loop, t0))
            if note is not None:
                note(conn)
            if hold_ms:
                await _sleep_ms(hold_ms)
            return seen
    except Exception as error:
        return "%s at %s" % (_kind(error), _ms(loop, t0))


def _borrowers(mod, conns, tasks, rounds):
    async def scenario():
        pool = _pool_of(mod, conns)
        lent = {}
        state = {"in_use": 0, "peak": 0, "served": 0, "shared": False}
        errors = []

        async def borrower():
            for _ in range(rounds):
                try:
                    async with pool.acquire() as conn:
                        state["served"] += 1
                        if lent.get(id(conn)):
                            state["shared"] = True
                            kata_conc.violation("a connection is lent to two borrowers at once")
                        lent[id(conn)] = True
                        state["in_use"] += 1
                        state["peak"] = max(state["peak"], state["in_use"])
                        if state["in_use"] > conns:
                            kata_conc.violation("more connections in use than the pool has")
                        await asyncio.sleep(0)
                        state["in_use"] -= 1
                        lent[id(conn)] = False
                except Exception as error:
                    errors.append(_kind(error))

        await asyncio.gather(*[_spawn(borrower(), "B%d" % (i + 1)) for i in range(tasks)])
        peak = state["peak"]
        line = "served %d" % state["served"]
        if peak <= conns:
            line += ", at most %d in use at once" % conns
        else:
            line += ", %d in use at once" % peak
        line += ", a connection lent twice at once" if state["shared"] else ", none lent twice"
        if errors:
            line += ", acquire failed: " + " ".join(errors)
        return line + "; then %d available, %d in use" % (pool.available, pool.in_use)

    return scenario


def _fifo(mod, waiters):
    """One connection, held by the scenario until 10 * (waiters + 1) ms; waiter i asks at
    10 * i ms, and one more borrower arrives just as the connection comes back."""

    async def scenario():
        pool = _pool_of(mod, 1)
        order = []
        turn = [1]
        broken = [False]

        async def waiter(i):
            await _sleep_ms(10 * i)
            try:
                async with pool.acquire():
                    if turn[0] != i and not broken[0]:
                        broken[0] = True
                        kata_conc.violation(
                            "waiter %d is served before waiter %d, who waits longer" % (i, turn[0])
                        )
                    turn[0] += 1
                    order.append(str(i))
                    await asyncio.sleep(0)
            except Exception as error:
                order.append(_kind(error))

        async with pool.acquire():
            tasks = [_spawn(waiter(i), "W%d" % i) for i in range(1, waiters + 2)]
            await _sleep_ms(10 * (waiters + 1))
        await asyncio.gather(*tasks)
        return "served in order [%s]" % ", ".join(order)

    return scenario


def _holder_panics(mod):
    """A borrower raises while holding the only connection; another one waits for it."""

    async def scenario():
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        pool = _pool_of(mod, 1)

        async def failing():
            async with pool.acquire() as conn:
                await _sleep_ms(10)
                raise Boom("the borrower of %r failed" % (conn,))

        failing_task = _spawn(failing(), "failing")

        async def waiting():
            await _sleep_ms(5)
            return await _attempt(loop, t0, pool)

        waited = await _spawn(waiting(), "waiting")
        await asyncio.wait([failing_task])
        error = None if failing_task.cancelled() else failing_task.exception()
        if isinstance(error, Boom):
            failed = "the failing borrower panicked"
        elif error is None:
            failed = "the failing borrower's exception was swallowed"
        else:
            failed = "the failing borrower failed with " + k.describe(error)
        return "%s; the waiter %s; then %d available, %d in use" % (
            failed, waited, pool.available, pool.in_use)

    return scenario


def _close_waits(mod):
    """Close at 10ms while a borrower holds a connection until 50ms; another borrower asks at
    20ms, while the pool is closing (a connection is idle then)."""

    async def scenario():
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        pool = _pool_of(mod, 2)
        lent = [True]

        async def holder():
            async with pool.acquire():
                await _sleep_ms(50)
                lent[0] = False

        async def late():
            await _sleep_ms(20)

            def lent_while_closing(conn):
                kata_conc.violation("a closing pool lent a connection")

            return await _attempt(loop, t0, pool, 1.0, note=lent_while_closing)

        h = _spawn(holder(), "holder")
        l = _spawn(late(), "late")
        await _sleep_ms(10)
        await pool.close()
        if lent[0]:
            kata_conc.violation("close returned while a connection is still lent")
        closed = "close returned at %s with %d in use" % (_ms(loop, t0), pool.in_use)
        try:
            async with pool.acquire() as conn:
                after = "got %s" % getattr(conn, "id", conn)
        except Exception as error:
            after = _kind(error)
        await h
        return "%s; during close: %s; after close: %s" % (closed, await l, after)

    return scenario


def _close_wakes_waiters(mod):
    """One connection held until 100ms; two borrowers wait for it (A without, B with a
    timeout) when the pool closes at 30ms."""

    async def scenario():
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        pool = _pool_of(mod, 1)
        answered = [0]

        async def holder():
            async with pool.acquire():
                await _sleep_ms(100)
                if answered[0] < 2:
                    kata_conc.violation("a waiter still waits 70ms after the pool closed")

        async def waiter(at, *timeout):
            await _sleep_ms(at)
            seen = await _attempt(loop, t0, pool, *timeout)
            answered[0] += 1
            return seen

        h = _spawn(holder(), "holder")
        a = _spawn(waiter(10), "A")
        b = _spawn(waiter(20, 1.0), "B")
        await _sleep_ms(30)
        await pool.close()
        closed = _ms(loop, t0)
        await h
        return "waiter A: %s; waiter B: %s; close returned at %s" % (await a, await b, closed)

    return scenario


def _timeout_while_busy(mod):
    """One connection held until 100ms; A tries for 30ms from 10ms, B for 200ms from 20ms."""

    async def scenario():
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        pool = _pool_of(mod, 1)

        async def holder():
            async with pool.acquire():
                await _sleep_ms(100)

        async def borrower(at, timeout):
            await _sleep_ms(at)
            return await _attempt(loop, t0, pool, timeout)

        h = _spawn(holder(), "holder")
        got = await asyncio.gather(_spawn(borrower(10, 0.030), "A"), _spawn(borrower(20, 0.200), "B"))
        await h
        return "A: %s; B: %s" % tuple(got)

    return scenario


def _timeout_from_the_call(mod):
    """One connection: H holds it until 20ms, W waits from 5ms and then holds it until 100ms.
    S tries for 30ms from 10ms (it must give up at 40ms); L waits from 15ms behind S and must
    be served when W is done."""

    async def scenario():
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        pool = _pool_of(mod, 1)

        async def h():
            async with pool.acquire():
                await _sleep_ms(20)

        async def borrower(at, timeout=None, hold_ms=0):
            await _sleep_ms(at)
            return await _attempt(loop, t0, pool, timeout, hold_ms=hold_ms)

        holder = _spawn(h(), "H")
        got = await asyncio.gather(
            _spawn(borrower(5, hold_ms=80), "W"),
            _spawn(borrower(10, 0.030), "S"),
            _spawn(borrower(15), "L"),
        )
        await holder
        return "W: %s; S: %s; L: %s" % tuple(got)

    return scenario


def _release_burst(mod):
    """Two connections, both given back at 50ms; three borrowers waiting since 10, 20, 30ms,
    each holding what it gets for 10ms."""

    async def scenario():
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        pool = _pool_of(mod, 2)
        served = [0]

        async def holder():
            async with pool.acquire():
                await _sleep_ms(50)

        async def waiter(i):
            await _sleep_ms(10 * i)
            try:
                async with pool.acquire():
                    served[0] += 1
                    at = "served at %s" % _ms(loop, t0)
                    await _sleep_ms(10)
                    if served[0] < 2:
                        kata_conc.violation("a waiter still waits 10ms after two connections came back")
            except Exception as error:
                at = _kind(error)
            return at

        holders = [_spawn(holder(), "holder%d" % i) for i in (1, 2)]
        got = await asyncio.gather(*[_spawn(waiter(i), "W%d" % i) for i in (1, 2, 3)])
        await asyncio.gather(*holders)
        return "W1 %s; W2 %s; W3 %s" % tuple(got)

    return scenario


def _concurrent_closes(mod):
    """One connection held until 50ms; two tasks close the pool, at 10ms and at 20ms."""

    async def scenario():
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        pool = _pool_of(mod, 1)
        lent = [True]

        async def holder():
            async with pool.acquire():
                await _sleep_ms(50)
                lent[0] = False

        async def closer(at):
            await _sleep_ms(at)
            await pool.close()
            if lent[0]:
                kata_conc.violation("close returned while a connection is still lent")
            return _ms(loop, t0)

        h = _spawn(holder(), "holder")
        got = await asyncio.gather(_spawn(closer(10), "closer1"), _spawn(closer(20), "closer2"))
        await h
        return "first close returned at %s; second close returned at %s" % tuple(got)

    return scenario


def _cancel_handed_waiter(mod):
    """One connection, given back at 10ms. W1 waits for it from 1ms and is cancelled at 10ms,
    just as the connection comes back (before or after it is handed to W1, depending on the
    schedule); W2 waits from 2ms, for at most 100ms."""

    async def scenario():
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        pool = _pool_of(mod, 1)

        async def holder():
            async with pool.acquire():
                await _sleep_ms(10)

        async def borrower(at, timeout=None):
            await _sleep_ms(at)
            async with _acquire_cm(pool, timeout) as conn:
                return "got %s at %s" % (getattr(conn, "id", conn), _ms(loop, t0))

        async def canceller(victim):
            await _sleep_ms(10)
            victim.cancel()

        h = _spawn(holder(), "holder")
        w1 = _spawn(borrower(1), "W1")
        w2 = _spawn(borrower(2, 0.100), "W2")
        c = _spawn(canceller(w1), "canceller")
        await asyncio.wait([h, w1, w2, c])
        seen = []
        for task in (w1, w2):
            if task.cancelled():
                seen.append("cancelled")
            elif task.exception() is not None:
                seen.append("%s at %s" % (_kind(task.exception()), _ms(loop, t0)))
            else:
                seen.append(task.result())
        if h.exception() is not None:
            seen.append("the holder's give-back raised " + k.describe(h.exception()))
        return "W1: %s; W2: %s; then %d available, %d in use" % (
            seen[0], "; ".join(seen[1:]), pool.available, pool.in_use)

    return scenario


# ---------------------------------------------------------------------------------------------
# Sequential operations.

_previous = []  # the last case's loop, closed when the next case begins


def _finish(loop, tasks):
    """Cancels the borrowers still holding connections, in the order they started, and closes
    the loop (quietly)."""
    try:
        pending = [t for t in tasks if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    except BaseException:
        pass
    try:
        loop.close()
    except BaseException:
        pass


class Case:
    def __init__(self, mod):
        while _previous:
            _finish(*_previous.pop())
        self.mod = mod
        self.loop = asyncio.new_event_loop()
        self.tasks = []
        _previous.append((self.loop, self.tasks))
        self.pool = None
        self.conns = []
        self.held = {}  # connection id -> (borrower task, its release event)
        self.t0 = self.loop.time()

    def run(self, aw):
        return self.loop.run_until_complete(aw)

    def task(self, coro):
        task = self.loop.create_task(coro)
        task._log_destroy_pending = False
        self.tasks.append(task)
        return task

    def id_of(self, conn):
        """The id of a connection of this pool, or NotRun with what was bound instead."""
        for c in self.conns:
            if c is conn:
                return c.id
        raise k.NotRun("`async with pool.acquire() as conn` bound %r, not one of the pool's connections" % (conn,))

    def new_pool(self, conns):
        self.conns = conns
        self.t0 = self.loop.time()

        async def make():
            return self.mod.Pool(list(conns))

        self.pool = self.run(make())
        return k.OK

    def op_new(self, ids):
        return self.new_pool([Conn(i) for i in ids])

    def op_new_dicts(self, ids):
        return self.new_pool([DictConn(i) for i in ids])

    def _acquire(self, timeout=None):
        pool = k.need(self.pool)
        got = self.loop.create_future()
        release = self.loop.create_future()

        async def borrower():
            async with _acquire_cm(pool, timeout) as conn:
                got.set_result(conn)
                await release

        task = self.task(borrower())
        try:
            self.run(asyncio.wait([got, task], return_when=asyncio.FIRST_COMPLETED))
        except BaseException:
            self.run(self._stop(task))
            raise
        if not got.done():
            return task.result()  # raises what acquire raised (or None: it never bound anything)
        conn = got.result()
        cid = self.id_of(conn)
        self.held[cid] = (task, release)
        return cid

    async def _stop(self, task):
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    def op_acquire(self):
        return self._acquire()

    def op_try_acquire(self, timeout):
        return self._acquire(timeout)

    def op_release(self, cid):
        k.need(self.pool)
        if cid not in self.held:
            raise k.NotRun("kata driver: no borrower holds connection %d" % cid)
        task, release = self.held.pop(cid)
        release.set_result(None)
        self.run(asyncio.wait([task]))
        task.result()  # what leaving the `async with` raised, if anything
        return k.OK

    def op_available(self):
        return k.need(self.pool).available

    def op_in_use(self):
        return k.need(self.pool).in_use

    def op_closed(self):
        return k.need(self.pool).closed

    def op_close(self):
        self.run(k.need(self.pool).close())
        return k.OK

    def op_elapsed(self):
        return float(self.loop.time() - self.t0)

    def op_borrow_and_fail(self):
        """A borrower raises Boom inside its `async with`: did that very exception come out?"""
        pool = k.need(self.pool)
        holding = []
        raised = []

        async def borrower():
            async with pool.acquire() as conn:
                holding.append(conn)
                raised.append(Boom("the borrower failed while holding %r" % (conn,)))
                raise raised[-1]

        task = self.task(borrower())
        self.run(asyncio.wait([task]))
        if task.cancelled():
            return k.Text("the borrower was cancelled")
        error = task.exception()
        if not holding:
            if error is None:
                return k.Text("the body never ran")
            raise error
        cid = self.id_of(holding[0])
        if error is None:
            return k.Text("the pool swallowed the borrower's exception (holding %d)" % cid)
        if error is not raised[0]:
            return k.Text("holding %d, the borrower's Boom came out as %s" % (cid, k.describe(error)))
        return k.Text("failed holding %d" % cid)

    def op_borrow_and_cancel(self):
        """A borrower is cancelled while inside its `async with`."""
        pool = k.need(self.pool)
        got = self.loop.create_future()

        async def borrower():
            async with pool.acquire() as conn:
                got.set_result(conn)
                await _never()

        task = self.task(borrower())
        self.run(asyncio.wait([got, task], return_when=asyncio.FIRST_COMPLETED))
        if not got.done():
            return task.result()
        cid = self.id_of(got.result())
        task.cancel()
        self.run(asyncio.wait([task]))
        if task.cancelled():
            return k.Text("cancelled holding %d" % cid)
        if task.exception() is not None:
            return k.Text("holding %d, the cancellation came out as %s" % (cid, k.describe(task.exception())))
        return k.Text("the pool swallowed the cancellation (holding %d)" % cid)

    def op_cancel_waiter(self):
        """A borrower waits in acquire (nothing is idle) and is cancelled while it waits."""
        pool = k.need(self.pool)
        got = []

        async def waiter():
            async with pool.acquire() as conn:
                got.append(conn)

        async def scenario():
            task = asyncio.ensure_future(waiter())
            await _sleep_ms(10)
            if task.done():
                return task
            task.cancel()
            await asyncio.wait([task])
            return task

        task = self.run(scenario())
        if task.cancelled():
            return k.Text("cancelled while waiting")
        if task.exception() is not None:
            raise task.exception()
        return k.Text("got %d without waiting" % self.id_of(got[0]) if got else "returned")

    # ---- concurrent: explored scenarios ----

    def op_borrowers(self, conns, tasks, rounds):
        return _explore(_borrowers(self.mod, conns, tasks, rounds), 30)

    def op_fifo(self, waiters):
        return _explore(_fifo(self.mod, waiters), 30)

    def op_holder_panics(self):
        return _explore(_holder_panics(self.mod), 15)

    def op_close_waits(self):
        return _explore(_close_waits(self.mod), 20)

    def op_close_wakes_waiters(self):
        return _explore(_close_wakes_waiters(self.mod), 20)

    def op_timeout_while_busy(self):
        return _explore(_timeout_while_busy(self.mod), 15)

    def op_timeout_from_the_call(self):
        return _explore(_timeout_from_the_call(self.mod), 20)

    def op_release_burst(self):
        return _explore(_release_burst(self.mod), 25)

    def op_concurrent_closes(self):
        return _explore(_concurrent_closes(self.mod), 15)

    def op_cancel_handed_waiter(self):
        return _explore(_cancel_handed_waiter(self.mod), 20)
