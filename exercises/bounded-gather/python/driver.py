"""Hidden driver for bounded-gather (Python, asyncio).

`map ITEMS LIMIT` awaits gather_bounded once, on a fresh event loop (kata's virtual loop), with
one coroutine object per item: the job for X records that it started, doubles X, and raises
ValueError("bad item X") for a negative X; it never awaits anything, so it finishes in its
first step. `map_callables`, `map_awaitables`, `map_lazy` and `map_mixed` pass the same jobs
as zero-argument callables, as awaitable objects that are not coroutines, as a generator, and
as a mix of coroutine objects, lambdas and `async def` functions. `started` lists the items
whose job started during the last map, `log` its calls and starts, `never_awaited` how many of
its coroutine objects were left neither started nor closed. The result is the list, or
`failed: <message>` when the very exception a job raised came out of gather_bounded.

`run ITEMS LIMIT` is explored under kata's scheduler (kata_conc.explore_async): the job for X
sleeps |X| ms of virtual time, then answers or fails. The line gives the results (or the
failure, the items whose job was called and those cancelled), the most jobs running at the
same moment, when the call ended, and any job still running then; every schedule of a correct
solution agrees on it. `run_slow_cancel` jobs take CLEANUP ms to clean up when cancelled,
`run_noisy_cancel` jobs raise RuntimeError when cancelled, and `cancel_run` cancels the
gather_bounded call itself at AT ms.
"""

import asyncio
import inspect

import kata_conc
import kata_harness as k

REQUIRED = ("gather_bounded",)
ERROR_KINDS = ("DeadlockError", "InvalidStateError", "CancelledError")


def _tasks_of(loop):
    """The loop's tasks in creation order (kata's loop keeps them so)."""
    tasks = getattr(loop, "_k_tasks", None)
    return list(tasks) if tasks is not None else list(asyncio.all_tasks(loop))


def _run_on_fresh_loop(aw):
    """Runs `aw` on a new event loop, then cancels whatever it left behind and closes it."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(aw)
    finally:
        try:
            pending = [t for t in _tasks_of(loop) if not t.done()]
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        except BaseException:
            pass
        loop.close()


class _Awaitable:
    """An awaitable that is not a coroutine (like a Future or a library's request object)."""

    def __init__(self, coro):
        self.coro = coro

    def __await__(self):
        return self.coro.__await__()


def _is_one_of(error, raised):
    return any(error is e for e in raised)


class Case:
    def __init__(self, mod):
        self.mod = mod
        self.started = []
        self.log = []
        self.never_awaited = 0

    def _map(self, items, limit, kind):
        started, log, raised, coros = [], [], [], []

        async def body(x):
            started.append(x)
            log.append("start %d" % x)
            if x < 0:
                raised.append(ValueError("bad item %d" % x))
                raise raised[-1]
            return 2 * x

        def coroutine(x):
            coro = body(x)
            coros.append(coro)
            return coro

        def called(x):
            def job():
                log.append("call %d" % x)
                return coroutine(x)

            return job

        def async_function(x):
            async def job():
                log.append("call %d" % x)
                return await coroutine(x)

            return job

        if kind == "coroutines":
            jobs = [coroutine(x) for x in items]
        elif kind == "callables":
            jobs = [called(x) for x in items]
        elif kind == "awaitables":
            jobs = [_Awaitable(coroutine(x)) for x in items]
        elif kind == "lazy":
            jobs = (coroutine(x) for x in items)
        else:  # mixed: a coroutine object, a lambda, an async def function, in turn
            makers = (coroutine, called, async_function)
            jobs = [makers[i % 3](x) for i, x in enumerate(items)]
        try:
            result = _run_on_fresh_loop(self.mod.gather_bounded(jobs, limit))
        except Exception as error:
            if _is_one_of(error, raised):
                return k.Text("failed: %s" % error)
            raise
        finally:
            self.started, self.log = list(started), list(log)
            self.never_awaited = 0
            for coro in coros:
                if inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
                    self.never_awaited += 1
                    coro.close()
        return result

    def op_map(self, items, limit):
        return self._map(items, limit, "coroutines")

    def op_map_callables(self, items, limit):
        return self._map(items, limit, "callables")

    def op_map_awaitables(self, items, limit):
        return self._map(items, limit, "awaitables")

    def op_map_lazy(self, items, limit):
        return self._map(items, limit, "lazy")

    def op_map_mixed(self, items, limit):
        return self._map(items, limit, "mixed")

    def op_started(self):
        return self.started

    def op_log(self):
        return self.log

    def op_never_awaited(self):
        return self.never_awaited

    # ---- explored ----

    def op_run(self, items, limit):
        return _explore(_scenario(self.mod, items, limit), items)

    def op_run_slow_cancel(self, items, limit, cleanup_ms):
        return _explore(_scenario(self.mod, items, limit, cleanup=("slow", cleanup_ms)), items)

    def op_run_noisy_cancel(self, items, limit):
        return _explore(_scenario(self.mod, items, limit, cleanup=("noisy", 0)), items)

    def op_cancel_run(self, items, limit, at_ms):
        return _explore(_scenario(self.mod, items, limit, cancel_at=at_ms), items)


def _explore(make, items):
    schedules = 20
    return kata_conc.explore_async(make, seed=k.seed(), schedules=schedules)


def _scenario(mod, items, limit, cleanup=None, cancel_at=None):
    """One schedule: the job for X sleeps |X| ms, then doubles X or raises."""

    async def scenario():
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        n = len(items)
        calls = [0] * n
        inside = [0] * n
        cancelled = [False] * n
        raised = []
        count = {"running": 0, "peak": 0, "over": False}

        async def job(i, x):
            calls[i] += 1
            if calls[i] == 2:
                kata_conc.violation("item %d is mapped a second time" % x)
            count["running"] += 1
            inside[i] += 1
            count["peak"] = max(count["peak"], count["running"])
            if count["running"] > limit and not count["over"]:
                count["over"] = True
                kata_conc.violation("%d jobs run at once with limit %d" % (count["running"], limit))
            try:
                try:
                    await asyncio.sleep(abs(x) / 1000)
                except asyncio.CancelledError:
                    cancelled[i] = True
                    if cleanup is not None and cleanup[0] == "slow":
                        await asyncio.sleep(cleanup[1] / 1000)
                    if cleanup is not None and cleanup[0] == "noisy":
                        raise RuntimeError("cleaning up after item %d failed" % x)
                    raise
            finally:
                count["running"] -= 1
                inside[i] -= 1
            if x < 0:
                raised.append(ValueError("bad item %d" % x))
                raise raised[-1]
            return 2 * x

        jobs = [job(i, x) for i, x in enumerate(items)]
        results = failure = None
        was_cancelled = False
        if cancel_at is None:
            try:
                results = await mod.gather_bounded(jobs, limit)
            except Exception as error:
                failure = error
        else:
            call = loop.create_task(mod.gather_bounded(jobs, limit), name="gather_bounded")
            await asyncio.sleep(cancel_at / 1000)
            call.cancel()
            await asyncio.wait([call])
            if call.cancelled():
                was_cancelled = True
            elif call.exception() is not None:
                failure = call.exception()
            else:
                results = call.result()
        done = "done at %dms" % int(round((loop.time() - t0) * 1000))
        still = [x for i, x in enumerate(items) if inside[i]]
        for coro in jobs:
            if inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
                coro.close()
        called = [x for i, x in enumerate(items) for _ in range(calls[i])]
        gone = [x for i, x in enumerate(items) if cancelled[i]]
        if was_cancelled or failure is not None:
            if was_cancelled:
                head = "the call was cancelled"
            elif _is_one_of(failure, raised):
                head = "failed: %s" % failure
            else:
                head = k.describe(failure)
            line = "%s; called %s; cancelled %s; at most %d at once; %s" % (
                head, k.render(called), k.render(gone), count["peak"], done)
        else:
            if all(c == 1 for c in calls):
                mapped = "each item mapped once"
            else:
                mapped = "calls per item %s" % k.render(calls)
            if cancel_at is not None:
                head = "the call was not cancelled: results %s" % k.render(results)
            else:
                head = "results %s" % k.render(results)
            line = "%s; %s; at most %d at once; %s" % (head, mapped, count["peak"], done)
        if still:
            line += "; still running when the call ended: %s" % k.render(still)
        return line

    return scenario
