"""Tests of kata_conc, the controlled scheduler that grades concurrent Python code.

Run from the repository root:
    python3 -m unittest discover -s tests/conc -p 'test_*.py'
Overhead figures (printed, never asserted):
    python3 tests/conc/test_kata_conc.py --measure

Every learner-side snippet is written to a file (line tracing only follows the learner's
file) and imported by path after kata_conc.install(path), as kata's harness does.
Assertions are on behaviour and virtual time only, never on wall-clock time.
"""

import asyncio
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "exercises", "_harness", "python"))

import kata_conc  # noqa: E402


def REAL_PERF():
    # looked up at each call: install() rewrites module globals that hold time functions
    return kata_conc._REAL_TIME["perf_counter"]()


LEARNERS = {
    "counter.py": '''
        import threading


        class Counter:
            def __init__(self):
                self.n = 0

            def incr(self):
                v = self.n
                self.n = v + 1


        class LockedCounter:
            def __init__(self):
                self.n = 0
                self.lock = threading.Lock()

            def incr(self):
                with self.lock:
                    v = self.n
                    self.n = v + 1


        class InplaceCounter:
            def __init__(self):
                self.n = 0

            def incr(self):
                self.n += 1
    ''',
    "singleton_naive.py": '''
        class SingletonMeta(type):
            _instances = {}

            def __call__(cls, *args, **kwargs):
                if cls not in cls._instances:
                    instance = super().__call__(*args, **kwargs)
                    cls._instances[cls] = instance
                return cls._instances[cls]
    ''',
    "singleton_dcl.py": '''
        from threading import Lock


        class SingletonMeta(type):
            _instances = {}
            _lock = Lock()

            def __call__(cls, *args, **kwargs):
                if cls not in cls._instances:
                    with cls._lock:
                        if cls not in cls._instances:
                            cls._instances[cls] = super().__call__(*args, **kwargs)
                return cls._instances[cls]
    ''',
    "bank.py": '''
        import threading


        class Account:
            def __init__(self, balance):
                self.balance = balance
                self.lock = threading.Lock()


        def transfer(src, dst, amount):
            with src.lock:
                with dst.lock:
                    src.balance -= amount
                    dst.balance += amount
    ''',
    "bq_if.py": '''
        import collections
        import threading


        class BoundedQueue:
            def __init__(self, capacity):
                self.items = collections.deque()
                self.capacity = capacity
                self.cond = threading.Condition()

            def put(self, item):
                with self.cond:
                    while len(self.items) >= self.capacity:
                        self.cond.wait()
                    self.items.append(item)
                    self.cond.notify_all()

            def get(self):
                with self.cond:
                    if not self.items:
                        self.cond.wait()
                    item = self.items.popleft()
                    self.cond.notify_all()
                    return item
    ''',
    "lost.py": '''
        import threading


        class Flag:
            def __init__(self):
                self.cond = threading.Condition()

            def signal(self):
                with self.cond:
                    self.cond.notify()

            def wait(self):
                with self.cond:
                    self.cond.wait()
    ''',
    "timing.py": '''
        import threading
        import time
        from time import monotonic, sleep


        def nap(seconds):
            time.sleep(seconds)


        def nap_imported(seconds):
            start = monotonic()
            sleep(seconds)
            return monotonic() - start


        def wait_cond(timeout):
            cond = threading.Condition()
            with cond:
                return cond.wait(timeout=timeout)


        def wait_event(timeout):
            return threading.Event().wait(timeout)
    ''',
    "spin.py": '''
        def forever():
            n = 0
            while True:
                n += 1


        def boom(what):
            raise ValueError("bad " + what)


        def loop(n):
            total = 0
            for i in range(n):
                total += i
            return total


        def lock_loop(lock, n):
            for _ in range(n):
                lock.acquire(); lock.release()
    ''',
    "hold.py": '''
        import threading

        LOCK = threading.Lock()


        def hold_and_wait(event):
            LOCK.acquire()
            event.wait()
    ''',
    "apool.py": '''
        import asyncio
        import collections


        class UnfairPool:
            def __init__(self, size):
                self.free = size
                self.cond = asyncio.Condition()

            async def acquire(self):
                async with self.cond:
                    while self.free == 0:
                        await self.cond.wait()
                    self.free -= 1

            async def release(self):
                async with self.cond:
                    self.free += 1
                    self.cond.notify_all()


        class FairPool:
            def __init__(self, size):
                self.free = size
                self.waiters = collections.deque()

            async def acquire(self):
                if self.free > 0 and not self.waiters:
                    self.free -= 1
                    return
                fut = asyncio.get_running_loop().create_future()
                self.waiters.append(fut)
                await fut

            async def release(self):
                if self.waiters:
                    self.waiters.popleft().set_result(None)
                else:
                    self.free += 1


        class Guard:
            def __init__(self):
                self.lock = asyncio.Lock()

            async def __aenter__(self):
                await self.lock.acquire()
                return self

            async def __aexit__(self, exc_type, exc, tb):
                if exc_type is None:
                    self.lock.release()
                return False
    ''',
}

_dir = [None]
_mods = {}


def learner(name):
    """The learner module `name` (file LEARNERS[name + '.py']), installed then imported."""
    if name in _mods:
        return _mods[name]
    if _dir[0] is None:
        _dir[0] = tempfile.mkdtemp(prefix="kata_conc_test_")
    path = os.path.join(_dir[0], name + ".py")
    with open(path, "w") as f:
        f.write(textwrap.dedent(LEARNERS[name + ".py"]).lstrip())
    kata_conc.install(path)
    spec = importlib.util.spec_from_file_location("kc_" + name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    _mods[name] = mod
    return mod


def line_of(name, text):
    """1-based line number of the first line containing `text` in learner file `name`."""
    lines = textwrap.dedent(LEARNERS[name + ".py"]).lstrip().splitlines()
    for i, line in enumerate(lines, 1):
        if text in line:
            return i
    raise AssertionError("no %r in %s" % (text, name))


# ---------------------------------------------------------------------------------------
# Scenarios (driver side). Each returns a result string summarising an invariant.


def counter_scenario(cls_name, threads=3, rounds=2):
    def scenario():
        counter = getattr(learner("counter"), cls_name)()

        def work():
            for _ in range(rounds):
                counter.incr()

        ts = [threading.Thread(target=work) for _ in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return "n=%d" % counter.n

    return scenario


def singleton_scenario(module):
    def scenario():
        meta = learner(module).SingletonMeta
        calls = []

        class Thing(metaclass=meta):
            def __init__(self):
                calls.append(1)
                if len(calls) > 1:
                    kata_conc.violation("__init__ ran %d times" % len(calls))

        got = [None, None, None]

        def user(i):
            def run():
                got[i] = Thing()
            return run

        handles = [kata_conc.spawn(user(i)) for i in range(3)]
        for h in handles:
            h.join()
        distinct = []
        for g in got:
            if not any(g is d for d in distinct):
                distinct.append(g)
        return "instances=%d init_calls=%d" % (len(distinct), len(calls))

    return scenario


def abba_scenario():
    bank = learner("bank")
    a, b = bank.Account(100), bank.Account(100)
    t1 = kata_conc.spawn(lambda: bank.transfer(a, b, 10))
    t2 = kata_conc.spawn(lambda: bank.transfer(b, a, 20))
    t1.join()
    t2.join()
    return "balances=%d,%d" % (a.balance, b.balance)


def bq_scenario(module):
    def scenario():
        q = learner(module).BoundedQueue(1)
        got = []
        consumers = [kata_conc.spawn(lambda: got.append(q.get())) for _ in range(2)]
        producer = kata_conc.spawn(lambda: [q.put(1), q.put(2)])
        for h in consumers + [producer]:
            h.join()
        return "got=%s" % sorted(got)

    return scenario


def lost_scenario():
    flag = learner("lost").Flag()
    signaller = kata_conc.spawn(flag.signal)
    waiter = kata_conc.spawn(flag.wait)
    signaller.join()
    waiter.join()
    return "ok"


def time_scenario():
    timing = learner("timing")
    out = []
    t0 = kata_conc.now()
    kata_conc.spawn(lambda: timing.nap(1000)).join()
    out.append("sleep+%s" % (kata_conc.now() - t0))
    t1 = kata_conc.now()
    h = kata_conc.spawn(lambda: timing.wait_cond(5))
    h.join()
    out.append("cond=%s+%s" % (h.result, kata_conc.now() - t1))
    t2 = kata_conc.now()
    h = kata_conc.spawn(lambda: timing.wait_event(2))
    h.join()
    out.append("event=%s+%s" % (h.result, kata_conc.now() - t2))
    h = kata_conc.spawn(lambda: timing.nap_imported(7.5))
    h.join()
    out.append("imported=%s" % h.result)
    out.append("clock=%s" % time.monotonic())
    return " ".join(out)


def race_time_scenario():
    """Two sleepers and an event: virtual time orders them by deadline."""
    timing = learner("timing")
    order = []
    ev = threading.Event()

    def slow():
        timing.nap(3)
        order.append(("slow", time.monotonic()))
        ev.set()

    def fast():
        timing.nap(1)
        order.append(("fast", time.monotonic()))
        order.append(("waited", ev.wait(10), time.monotonic()))

    hs = [kata_conc.spawn(slow), kata_conc.spawn(fast)]
    for h in hs:
        h.join()
    return repr(order)


def spin_scenario():
    kata_conc.spawn(learner("spin").forever).join()
    return "finished"


def errors_scenario():
    spin = learner("spin")
    unseen = kata_conc.spawn(lambda: spin.boom("thread"))
    seen = kata_conc.spawn(lambda: spin.boom("seen"))
    unseen.join()
    seen.join()
    assert isinstance(seen.exception, ValueError)  # looked at: not appended to the outcome
    return "returned"


def scenario_raises():
    learner("spin").boom("scenario")


def alive_scenario():
    ev = threading.Event()
    kata_conc.spawn(lambda: ev.wait())
    time.sleep(1)  # main blocks, so T1 runs until it waits on the event
    return "returned"


def queue_scenario():
    import queue

    q = queue.Queue(maxsize=2)
    got = []

    def produce():
        for i in range(4):
            q.put(i)
        q.put(None)

    def consume():
        while True:
            x = q.get()
            if x is None:
                return
            got.append(x)

    hs = [kata_conc.spawn(produce), kata_conc.spawn(consume)]
    for h in hs:
        h.join()
    return "got=%s" % got


def long_scenario():
    kata_conc.spawn(lambda: learner("spin").loop(400)).join()
    return "done"


# asyncio scenarios


def pool_scenario(cls_name, late=True):
    """One slot, held by the scenario until it gives it back at 1 s. A and B ask for it at
    once; C (unless not `late`) asks at 1 s: its sleep and the holder's end at the same
    instant, so on a real machine C may arrive just before or just after the slot comes
    back. Without C, A and B are woken in FIFO order and asyncio resumes them in that order:
    even the unfair pool serves them in order."""

    async def scenario():
        pool = getattr(learner("apool"), cls_name)(1)
        await pool.acquire()
        arrived, served = [], []

        async def user(name, at):
            if at:
                await asyncio.sleep(at)
            arrived.append(name)
            await pool.acquire()
            served.append(name)
            await asyncio.sleep(0)
            await pool.release()

        users = [("A", 0), ("B", 0)] + ([("C", 1)] if late else [])
        tasks = [asyncio.ensure_future(user(n, at)) for n, at in users]
        await asyncio.sleep(1)
        await pool.release()
        await asyncio.gather(*tasks)
        if arrived == served:
            return "fifo"
        return "arrived %s served %s" % ("".join(arrived), "".join(served))

    return scenario


async def order_scenario():
    """Three tasks created together queue for a semaphore; two more sleep until the same
    instant. Only the two sleepers' wake-ups may come in either order."""
    log = []
    sem = asyncio.Semaphore(1)

    async def starter(n):
        log.append("start" + n)
        async with sem:
            log.append("got" + n)
            await asyncio.sleep(1)

    async def sleeper(n):
        await asyncio.sleep(5)
        log.append("woke" + n)

    tasks = [asyncio.ensure_future(starter(n)) for n in "123"]
    tasks += [asyncio.ensure_future(sleeper(n)) for n in "xy"]
    await asyncio.gather(*tasks)
    return " ".join(log)


async def wait_for_scenario():
    loop = asyncio.get_event_loop()
    t0 = loop.time()
    try:
        await asyncio.wait_for(asyncio.sleep(100), 5)
        r = "no timeout"
    except asyncio.TimeoutError:
        r = "timeout"
    return "%s after %s (monotonic %s)" % (r, loop.time() - t0, time.monotonic() - t0)


async def guard_scenario():
    guard = learner("apool").Guard()

    async def failing():
        async with guard:
            raise ValueError("boom")

    async def later():
        async with guard:
            return "got it"

    try:
        await asyncio.ensure_future(failing())
    except ValueError:
        pass
    return await asyncio.ensure_future(later())


async def features_scenario():
    loop = asyncio.get_event_loop()
    t0 = loop.time()
    log = []
    q = asyncio.Queue(maxsize=1)
    sem = asyncio.BoundedSemaphore(2)
    lock = asyncio.Lock()
    cond = asyncio.Condition()
    ev = asyncio.Event()

    async def producer():
        for i in range(3):
            await q.put(i)
        await q.put(None)

    async def consumer():
        while True:
            x = await q.get()
            if x is None:
                return
            async with sem:
                async with lock:
                    log.append("q%d" % x)

    async def agen():
        try:
            for i in range(10):
                yield i
                await asyncio.sleep(1)
        finally:
            log.append("agen-closed")

    async def first_two():
        out = []
        async for v in agen():
            out.append(v)
            if len(out) == 2:
                break
        return out

    async def cond_waiter():
        async with cond:
            await cond.wait_for(ev.is_set)
            log.append("cond-woke@%s" % (loop.time() - t0))

    await asyncio.gather(producer(), consumer())
    log.append("agen=%s" % await first_two())
    waiter = asyncio.ensure_future(cond_waiter())
    await asyncio.sleep(2)
    ev.set()
    async with cond:
        cond.notify_all()
    await waiter
    shielded = asyncio.ensure_future(asyncio.sleep(3, "shielded"))
    try:
        await asyncio.wait_for(asyncio.shield(shielded), 1)
    except asyncio.TimeoutError:
        log.append("shield-timeout")
    log.append(await shielded)
    victim = asyncio.ensure_future(asyncio.sleep(50))
    await asyncio.sleep(0)
    victim.cancel()
    try:
        await victim
    except asyncio.CancelledError:
        log.append("cancelled")
    log.append("executor=%s" % await loop.run_in_executor(None, sum, [1, 2, 3]))
    if sys.version_info >= (3, 9):
        log.append("to_thread=%s" % await asyncio.to_thread(max, 4, 5))
    else:
        log.append("to_thread=5")
    if sys.version_info >= (3, 11):
        async with asyncio.TaskGroup() as tg:
            a = tg.create_task(asyncio.sleep(1, "a"))
            b = tg.create_task(asyncio.sleep(2, "b"))
        log.append("tg=%s%s" % (a.result(), b.result()))
        try:
            async with asyncio.timeout(4):
                await asyncio.sleep(10)
        except TimeoutError:
            log.append("timeout-cm")
    else:
        await asyncio.sleep(6)
    await asyncio.sleep(0)
    log.append("t=%s" % (loop.time() - t0))
    return ",".join(log)


THREAD_SCENARIOS = {
    "counter": lambda: kata_conc.explore(counter_scenario("Counter")),
    "counter_locked": lambda: kata_conc.explore(counter_scenario("LockedCounter")),
    "counter_inplace": lambda: kata_conc.explore(counter_scenario("InplaceCounter", 2, 3)),
    "singleton_naive": lambda: kata_conc.explore(singleton_scenario("singleton_naive")),
    "singleton_dcl": lambda: kata_conc.explore(singleton_scenario("singleton_dcl")),
    "abba": lambda: kata_conc.explore(abba_scenario),
    "bq_if": lambda: kata_conc.explore(bq_scenario("bq_if")),
    "bq_while": lambda: kata_conc.explore(bq_scenario("bq_while")),
    "lost": lambda: kata_conc.explore(lost_scenario),
    "spin": lambda: kata_conc.explore(spin_scenario, max_steps=2000),
}
ASYNC_SCENARIOS = {
    "pool_unfair": lambda: kata_conc.explore_async(pool_scenario("UnfairPool")),
    "pool_fair": lambda: kata_conc.explore_async(pool_scenario("FairPool")),
    "pool_unfair_no_late": lambda: kata_conc.explore_async(pool_scenario("UnfairPool", late=False)),
    "order": lambda: kata_conc.explore_async(order_scenario, stop_after_distinct=None),
    "guard": lambda: kata_conc.explore_async(guard_scenario),
}

LEARNERS["bq_while.py"] = LEARNERS["bq_if.py"].replace("if not self.items:", "while not self.items:")


_seen_json = {}  # scenario name -> to_json() text of its first exploration in this process


def collect_json():
    """Every exploring scenario's to_json(), as one canonical string (compared across runs
    and processes)."""
    out = {}
    for name, run in sorted(THREAD_SCENARIOS.items()) + sorted(ASYNC_SCENARIOS.items()):
        out[name] = run().to_json()
        _seen_json.setdefault(name, json.dumps(out[name]))
    return json.dumps(out, sort_keys=True)


def twice(test, name):
    """Explore scenario `name`; it must give byte-identical JSON each time it is explored in
    this process (run twice here unless collect_json already ran it once)."""
    scenarios = dict(THREAD_SCENARIOS, **ASYNC_SCENARIOS)
    first = scenarios[name]()
    text = json.dumps(first.to_json())
    if name not in _seen_json:
        _seen_json[name] = json.dumps(scenarios[name]().to_json())
    test.assertEqual(text, _seen_json[name])
    return first


def setUpModule():
    for name in ("counter", "singleton_naive", "singleton_dcl", "bank", "bq_if", "bq_while",
                 "lost", "timing", "spin", "hold", "apool"):
        learner(name)


def tearDownModule():
    kata_conc.uninstall()


# ---------------------------------------------------------------------------------------


class ThreadRaces(unittest.TestCase):
    def test_lost_update_is_found_and_locked_counter_is_clean(self):
        o = twice(self, "counter")
        self.assertEqual(len(o), 2, o)
        self.assertEqual(o[0].v, "n=6")
        self.assertEqual(o[0].schedule, 0)
        self.assertRegex(o[1].v, r"^n=[2-5]$")
        lines = [e for e in o[1].trace if e["ev"] == "line"]
        self.assertTrue(all(e["at"].startswith("counter.py:") for e in lines))
        locked = twice(self, "counter_locked")
        self.assertEqual(locked.texts(), ["n=6"])
        self.assertEqual(locked.schedules_run, 200)
        evs = {e["ev"] for e in locked[0].trace}
        self.assertTrue({"acquire", "acquired", "release", "spawn", "join", "exit"} <= evs, evs)

    def test_opcode_preemption_splits_inplace_add(self):
        o = twice(self, "counter_inplace")
        self.assertEqual(o[0].v, "n=6")
        self.assertEqual(len(o), 2, o)
        resumed = [e for e in o[1].trace if e.get("detail") == "resumes: stores .n"]
        self.assertTrue(resumed, o[1].render())
        lines_only = kata_conc.explore(counter_scenario("InplaceCounter", 2, 3), opcodes=False)
        self.assertEqual(lines_only.texts(), ["n=6"])

    def test_naive_singleton_is_caught_and_double_checked_locking_is_clean(self):
        naive = twice(self, "singleton_naive")
        self.assertEqual(naive[0].v, "instances=1 init_calls=1")
        self.assertEqual(len(naive), 2, naive)
        self.assertNotEqual(naive[1].v, naive[0].v)
        violations = [e for e in naive[1].trace if e["ev"] == "violation"]
        self.assertTrue(violations and violations[0]["detail"] == "__init__ ran 2 times", violations)
        dcl = twice(self, "singleton_dcl")
        self.assertEqual(dcl.texts(), ["instances=1 init_calls=1"])
        self.assertEqual(dcl.schedules_run, 200)

    def test_abba_deadlock_names_threads_and_locks(self):
        o = twice(self, "abba")
        self.assertEqual(o[0].v, "balances=110,90")
        dead = [x for x in o if x.v.startswith("deadlock")]
        self.assertTrue(dead, o)
        at = "bank.py:%d" % line_of("bank", "with dst.lock")
        self.assertEqual(
            dead[0].v,
            "deadlock: T1 waits for Lock#2 (held by T2) at %s; T2 waits for Lock#1 (held by T1) at %s"
            % (at, at))
        self.assertEqual(dead[0].trace[-1]["ev"], "blocked")

    def test_if_around_wait_is_caught_and_while_is_clean(self):
        bad = twice(self, "bq_if")
        self.assertEqual(len(bad), 2, bad)
        wrong = [x.v for x in bad if x.v != "got=[1, 2]"]
        self.assertEqual(len(wrong), 1, bad)
        self.assertTrue("IndexError" in wrong[0] or wrong[0].startswith("deadlock"), wrong)
        good = twice(self, "bq_while")
        self.assertEqual(good.texts(), ["got=[1, 2]"])
        self.assertEqual(good.schedules_run, 200)

    def test_lost_wakeup_is_named(self):
        o = twice(self, "lost")
        lost = [x for x in o if x.v.startswith("deadlock (lost wakeup)")]
        self.assertTrue(lost, o)
        self.assertEqual(
            lost[0].v,
            "deadlock (lost wakeup): T2 waits on Condition#1 at lost.py:%d forever; its notify at "
            "lost.py:%d came before the wait" % (line_of("lost", "self.cond.wait()"),
                                                  line_of("lost", "self.cond.notify()")))
        self.assertIn("ok", o.texts())

    def test_infinite_loop_is_no_progress(self):
        o = twice(self, "spin")
        self.assertEqual(o.schedules_run, 1)  # exploring stops at the first `no progress`
        for x in o:  # the step limit may fall on either line of the loop
            self.assertRegex(
                x.v,
                r"^no progress: a thread was still running after 2000 steps \(an infinite loop or a "
                r"livelock\?\) at (spin\.py:3, )?spin\.py:4$")
        self.assertLessEqual(len(o[0].trace), 400)
        self.assertGreater(o[0].trace_cut, 0)


class VirtualTime(unittest.TestCase):
    def test_sleep_and_timeouts_cost_virtual_time(self):
        o = kata_conc.explore(time_scenario, schedules=20)
        self.assertEqual(
            o.texts(),
            ["sleep+1000.0 cond=False+5.0 event=False+2.0 imported=7.5 clock=2014.5"])
        clocks = [e["detail"] for e in o[0].trace if e["ev"] == "clock"]
        self.assertEqual(clocks, ["2000.0", "2005.0", "2007.0", "2014.5"])

    def test_sleepers_wake_in_deadline_order(self):
        o = kata_conc.explore(race_time_scenario)
        self.assertEqual(
            o.texts(),
            ["[('fast', 1001.0), ('slow', 1003.0), ('waited', True, 1003.0)]"])

    def test_ambient_queue_timeout_is_instant_in_virtual_time(self):
        import queue

        q = queue.Queue()
        t0 = time.monotonic()
        with self.assertRaises(queue.Empty):
            q.get(timeout=0.5)
        # the ambient clock keeps running over the tests: compare differences with a tolerance
        self.assertAlmostEqual(time.monotonic() - t0, 0.5, delta=1e-9)
        t1 = time.time()
        time.sleep(3600)
        self.assertAlmostEqual(time.time() - t1, 3600.0, delta=1e-9)
        lock = threading.Lock()
        lock.acquire()
        self.assertFalse(lock.acquire(timeout=2))
        lock.release()

    def test_ambient_asyncio_run_uses_virtual_time(self):
        t0 = time.monotonic()
        self.assertEqual(asyncio.run(asyncio.sleep(3600, "slept")), "slept")
        self.assertAlmostEqual(time.monotonic() - t0, 3600.0, delta=1e-9)

    def test_single_thread_blocking_get_reports_deadlock(self):
        code = textwrap.dedent('''
            # a driver running sequential cases on the main thread, outside explore
            import sys
            sys.path.insert(0, %r)
            import kata_conc
            kata_conc.install(%r)
            import queue
            q = queue.Queue()
            try:
                q.get()
            except kata_conc.DeadlockError as e:
                print("DEADLOCK", e)
            import asyncio
            async def stuck():
                await asyncio.Event().wait()
            try:
                asyncio.run(stuck())
            except kata_conc.DeadlockError as e:
                print("ASYNC", e)
        ''' % (os.path.join(REPO, "exercises", "_harness", "python"),
               os.path.join(_dir[0], "timing.py")))
        script = os.path.join(_dir[0], "ambient_driver.py")
        with open(script, "w") as f:
            f.write(code)
        r = subprocess.run([sys.executable, script], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = code.splitlines()
        get_line = lines.index("    q.get()") + 1
        wait_line = lines.index("    await asyncio.Event().wait()") + 1
        self.assertEqual(
            r.stdout,
            "DEADLOCK deadlock: main waits on Condition#1 at ambient_driver.py:%d (no other thread "
            "exists)\nASYNC deadlock: every task is waiting: Task-1 waits at ambient_driver.py:%d "
            "(in Event.wait)\n" % (get_line, wait_line))


class Failures(unittest.TestCase):
    def test_thread_exceptions_and_scenario_errors_are_outcomes(self):
        o = kata_conc.explore(errors_scenario)
        self.assertEqual(o[0].v, "returned; T1 raised ValueError: bad thread")
        exc = [e for e in o[0].trace if e["ev"] == "exception"]
        self.assertEqual([e["detail"] for e in exc], ["ValueError: bad thread", "ValueError: bad seen"])
        self.assertEqual(exc[0]["at"], "spin.py:%d" % line_of("spin", "raise ValueError"))
        o = kata_conc.explore(scenario_raises)
        self.assertEqual(o.texts(), ["error ValueError: bad scenario"])

    def test_threads_alive_at_return_are_mentioned(self):
        o = kata_conc.explore(alive_scenario)
        self.assertRegex(o[0].v, r"^returned; T1 still running: waits for Event#1 at "
                                 r"test_kata_conc\.py:\d+$")

    def test_primitive_state_is_restored_between_schedules(self):
        hold = learner("hold")
        starts = []

        def scenario():
            starts.append(hold.LOCK.locked())
            event = threading.Event()
            kata_conc.spawn(lambda: hold.hold_and_wait(event)).join()
            return "unreachable"

        o = kata_conc.explore(scenario, schedules=3, stop_after_distinct=None)
        self.assertEqual(o.schedules_run, 3)
        # each schedule ends with T1 holding LOCK, stuck: the next one must find LOCK free
        self.assertEqual(o.texts(), ["deadlock: T1 waits for Event#1 at hold.py:%d"
                                     % line_of("hold", "event.wait()")])
        self.assertEqual(starts, [False, False, False])
        self.assertFalse(hold.LOCK.locked())

    def test_stdlib_queue_runs_controlled(self):
        o = kata_conc.explore(queue_scenario)
        self.assertEqual(o.texts(), ["got=[0, 1, 2, 3]"])
        self.assertEqual(o.schedules_run, 200)

    def test_trace_is_capped(self):
        o = kata_conc.explore(long_scenario, schedules=1)
        self.assertEqual(len(o[0].trace), 400)
        self.assertEqual(o[0].trace[0]["ev"], "spawn")
        self.assertEqual(o[0].trace[-1], {"th": "T1", "ev": "exit"})
        self.assertGreater(o[0].trace_cut, 400)
        self.assertEqual(set(o[0].to_json()), {"v", "schedule", "seed", "steps", "trace", "trace_cut"})

    def test_learner_imports_get_controlled_primitives(self):
        dcl = learner("singleton_dcl")
        self.assertIsInstance(dcl.SingletonMeta._lock, kata_conc.Lock)
        self.assertIs(threading.Lock, kata_conc.Lock)
        self.assertIsInstance(threading.current_thread(), kata_conc.Thread)
        local = threading.local()
        local.x = "main"
        seen = []
        h = kata_conc.spawn(lambda: seen.append(getattr(local, "x", None)))
        h.join()
        self.assertEqual(seen, [None])


class AsyncIO(unittest.TestCase):
    def test_unfair_pool_is_caught_when_an_arrival_coincides_with_the_release(self):
        unfair = twice(self, "pool_unfair")
        self.assertEqual(len(unfair), 2, unfair)
        # plain asyncio (schedule 0): the holder's timer fires first, C barges in
        self.assertEqual(unfair[0].v, "arrived ABC served CAB")
        self.assertEqual(unfair[0].schedule, 0)
        self.assertEqual(unfair[1].v, "fifo")  # C's timer first: C queues behind A and B
        self.assertEqual(unfair[1].schedule, 1)
        fair = twice(self, "pool_fair")
        self.assertEqual(fair.texts(), ["fifo"])
        self.assertEqual(fair.schedules_run, 200)
        evs = {e["ev"] for e in fair[0].trace}
        self.assertTrue({"step", "suspend", "exit", "clock"} <= evs, evs)

    def test_waiters_woken_together_resume_in_fifo_order(self):
        # notify_all wakes A then B: asyncio resumes them in that order (call_soon is FIFO),
        # so no schedule may serve B first; with no timers due together there is no choice
        o = twice(self, "pool_unfair_no_late")
        self.assertEqual(o.texts(), ["fifo"])
        self.assertEqual(o.schedules_run, 1)

    def test_only_timers_due_together_are_reordered(self):
        o = twice(self, "order")
        head = "start1 got1 start2 start3 got2 got3 "
        self.assertEqual(sorted(o.texts()), [head + "wokex wokey", head + "wokey wokex"])
        self.assertEqual(o[0].v, head + "wokex wokey")  # schedule 0: creation order
        self.assertEqual(o.schedules_run, 200)

    def test_wait_for_times_out_at_virtual_five_seconds(self):
        o = kata_conc.explore_async(wait_for_scenario)
        self.assertEqual(o.texts(), ["timeout after 5.0 (monotonic 5.0)"])
        self.assertIn("timeout", {e["ev"] for e in o[0].trace})

    def test_async_with_that_leaks_the_lock_deadlocks_later(self):
        o = twice(self, "guard")
        self.assertEqual(len(o), 1)
        self.assertRegex(
            o[0].v,
            r"^deadlock: every task is waiting: Task-1 waits at test_kata_conc\.py:\d+ \(in await "
            r"Task-3\); Task-3 waits at apool\.py:%d \(in Lock\.acquire\)$"
            % line_of("apool", "await self.lock.acquire()"))

    def test_asyncio_features_run_on_the_virtual_loop(self):
        o = kata_conc.explore_async(features_scenario, schedules=40)
        tail = "tg=ab,timeout-cm,t=12.0" if sys.version_info >= (3, 11) else "t=12.0"
        self.assertEqual(
            o.texts(),
            ["q0,q1,q2,agen=[0, 1],agen-closed,cond-woke@3.0,shield-timeout,shielded,cancelled,"
             "executor=6,to_thread=5," + tail])


class Determinism(unittest.TestCase):
    def test_outcomes_are_identical_in_another_process_with_another_hash_seed(self):
        # (each exploring test above also runs its exploration twice in this process)
        code = "import sys; sys.path.insert(0, %r); import test_kata_conc as t; " \
               "t.setUpModule(); print(t.collect_json())" % HERE
        env = dict(os.environ, PYTHONHASHSEED="4242")
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env=env)
        try:
            here = collect_json()
            out, err = child.communicate(timeout=120)
        finally:
            if child.poll() is None:
                child.kill()
        self.assertEqual(child.returncode, 0, err[-3000:])
        self.assertEqual(out.strip(), here)
        parsed = json.loads(here)
        self.assertEqual(len(parsed), len(THREAD_SCENARIOS) + len(ASYNC_SCENARIOS))


class Measure(unittest.TestCase):
    def test_zz_print_overhead(self):
        """Prints the overhead figures of docs/concurrency-python.md (quick version); asserts
        nothing about time."""
        for line in measure(quick=True):
            sys.stderr.write("\n" + line)
        sys.stderr.write("\n")


def _best(fn, repeats):
    """(best wall seconds, best CPU seconds, last result) over `repeats` calls."""
    wall = cpu = None
    r = None
    for _ in range(repeats):
        w0, c0 = REAL_PERF(), time.process_time()
        r = fn()
        w, c = REAL_PERF() - w0, time.process_time() - c0
        wall = w if wall is None else min(wall, w)
        cpu = c if cpu is None else min(cpu, c)
    return wall, cpu, r


def _handoff_floor(n):
    """Two raw OS threads passing a baton (two _thread locks) n times: the floor of a switch."""
    import _thread

    a, b, done = _thread.allocate_lock(), _thread.allocate_lock(), _thread.allocate_lock()
    a.acquire()
    b.acquire()
    done.acquire()

    def other():
        for _ in range(n):
            b.acquire()
            a.release()
        done.release()

    _thread.start_new_thread(other, ())
    w0 = REAL_PERF()
    for _ in range(n):
        b.release()
        a.acquire()
    w = REAL_PERF() - w0
    done.acquire()
    return w / (2 * n)


def measure(quick=False):
    """Overhead figures. Wall and CPU time are both given: on a loaded machine wall time
    includes waiting for a core; CPU time is the engine's own cost."""
    spin = learner("spin")
    n = 2000 if quick else 20000
    repeats = 3 if quick else 7
    load = open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"
    out = ["kata_conc overhead (Python %s, %d CPUs, load %s, best of %d)"
           % (sys.version.split()[0], os.cpu_count() or 0, load, repeats)]

    def explore1(fn, **kw):
        return kata_conc.explore(lambda: kata_conc.spawn(fn).join() or "x", schedules=1, **kw)

    base_w, base_c, _ = _best(lambda: explore1(lambda: None), repeats)
    plain_w, plain_c, _ = _best(lambda: spin.loop(n), repeats)
    for opcodes in (False, True):
        w, c, o = _best(lambda: explore1(lambda: spin.loop(n), opcodes=opcodes), repeats)
        points = o[0].steps - 2  # minus the spawn and the join
        out.append("  learner line (preemption point), opcode tracing %-3s: %5.2f us wall, %5.2f us CPU"
                   " per line (%d lines; uncontrolled: %.3f us per line)"
                   % ("on" if opcodes else "off", (w - base_w - plain_w) / points * 1e6,
                      (c - base_c - plain_c) / points * 1e6, points, plain_w / points * 1e6))
    m = n // 2
    plain_w, plain_c, _ = _best(lambda: spin.lock_loop(_RealLock(), m), repeats)
    w, c, o = _best(lambda: explore1(lambda: spin.lock_loop(threading.Lock(), m)), repeats)
    out.append("  lock acquire or release (incl. its learner line share):   %5.2f us wall, %5.2f us CPU"
               " per operation (%d operations)"
               % ((w - base_w - plain_w) / (2 * m) * 1e6, (c - base_c - plain_c) / (2 * m) * 1e6,
                  2 * m))

    def pingpong():
        cond = threading.Condition()
        state = {"turn": 0}

        def player(me):
            for _ in range(200):
                with cond:
                    while state["turn"] != me:
                        cond.wait()
                    state["turn"] = 1 - me
                    cond.notify()

        hs = [kata_conc.spawn(lambda: player(0)), kata_conc.spawn(lambda: player(1))]
        for h in hs:
            h.join()
        return "done"

    w, c, o = _best(lambda: kata_conc.explore(pingpong, schedules=1), repeats)
    out.append("  Condition ping-pong: %.1f us wall, %.1f us CPU per thread switch, with its 4 "
               "operations (%d switches); raw baton hand-off floor: %.1f us"
               % (w / o.switches * 1e6, c / o.switches * 1e6, o.switches,
                  _handoff_floor(2000) * 1e6))
    w, c, o = _best(lambda: explore1(lambda: None), repeats)
    out.append("  one schedule with one spawned thread (spawn, run, join, abort check): %.2f ms wall,"
               " %.2f ms CPU" % (w * 1e3, c * 1e3))
    if quick:
        return out
    for name in sorted(THREAD_SCENARIOS) + sorted(ASYNC_SCENARIOS):
        run = THREAD_SCENARIOS.get(name) or ASYNC_SCENARIOS[name]
        w, c, o = _best(run, 3)
        out.append("  %-13s %-16s %4d schedules %7.1f ms wall %7.1f ms CPU (%.2f ms/schedule) -> "
                   "%d outcome(s)" % ("explore_async" if name in ASYNC_SCENARIOS else "explore", name,
                                      o.schedules_run, w * 1e3, c * 1e3, w * 1e3 / o.schedules_run,
                                      len(o)))
    return out


class _RealLock:
    """An uncontrolled lock, for the baseline."""

    def __init__(self):
        import _thread

        self._lock = _thread.allocate_lock()
        self.acquire = self._lock.acquire
        self.release = self._lock.release


if __name__ == "__main__":
    if "--measure" in sys.argv:
        setUpModule()
        for line in measure():
            print(line)
        tearDownModule()
    else:
        unittest.main()
