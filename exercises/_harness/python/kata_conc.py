"""kata_conc: deterministic grading of a learner's concurrent Python code.

kata must catch a missing lock every time and show the failing interleaving as a readable
trace, on a loaded machine, with no wall-clock budget. This module does it by *controlling*
the learner's threads and event loops instead of letting the OS schedule them.

Control
    `install(learner_path)` (called by the harness after compiling the learner's file and
    before importing it) replaces, on the real modules, threading.Thread, Lock, RLock,
    Condition, Semaphore, BoundedSemaphore, Event, Barrier, Timer, current_thread,
    get_ident, main_thread, active_count, enumerate, the time.sleep / monotonic / time /
    perf_counter family (and copies of them captured by `from time import ...`),
    queue.SimpleQueue, and asyncio's event loop policy. The primitives are *models*: plain
    Python objects whose state (owner, value, waiters) is changed only by the one thread
    that is allowed to run. Learner threads are real OS threads, but each waits on its own
    real lock (its baton) until the Scheduler hands the baton to it: exactly one controlled
    thread runs at any time.

Preemption points (where the Scheduler may switch threads) are
    * every `line` event in a frame of the learner's file (sys.settrace on each controlled
      thread; other frames are not traced, so their cost is one call event),
    * just before each STORE_ATTR / STORE_SUBSCR / STORE_GLOBAL / STORE_DEREF (and the
      DELETE_ forms) in learner frames (opcode tracing), so `self.n += 1` on one line can
      lose an update as CPython allows,
    * every operation on a controlled primitive, thread start/join, sleep,
    * `yield_point()`.

Time is virtual
    A Scheduler owns a clock (starting at 1000.0). Nothing advances it but waiting: when
    every live thread is blocked and some wait has a deadline, the clock jumps to the
    earliest deadline. sleep(1000) and a 5 s timeout therefore cost no real time.

Exploration
    `explore(scenario)` runs the scenario once per schedule from a fresh Scheduler. A
    Strategy decides, at each preemption point, which enabled thread runs: schedule 0 runs
    without preemption (lowest spawn index first), then preemption-bounded schedules (one
    preemption at each recorded point, then pairs), then PCT (random priorities plus d-1
    priority change points, d in 2..3). All choices come from counts and a seeded RNG,
    never from real time, ids or hash order, so the same code and seed give byte-identical
    outcomes and traces. Deadlocks, endless loops and exceptions become outcome texts.

asyncio
    VirtualLoop is a BaseEventLoop that never selects: `time()` is the same virtual clock,
    when nothing is ready it jumps to the next timer, and ready callbacks run in FIFO order
    as in asyncio. `explore_async` explores what may legally vary: the order in which timers
    due at the same instant fire.

Not modelled: raw `_thread`, multiprocessing, os.fork, sockets/selectors, real blocking
calls (input(), a real lock). If learner code blocks in one of those, the run hangs and
kata's wall-clock limit ends it. See docs/concurrency-python.md.
"""

import _thread
import collections
import gc
import heapq
import os
import random
import sys
import threading
import time

__all__ = [
    "install", "uninstall", "explore", "explore_async", "spawn", "yield_point", "violation",
    "now", "errors", "DeadlockError", "Outcome", "Outcomes", "Handle",
]

# ----------------------------------------------------------------------------------------
# Real originals, captured before anything is patched: the engine's own machinery.

_allocate_lock = _thread.allocate_lock
_start_new_thread = _thread.start_new_thread
_get_ident = _thread.get_ident
_real_sleep = time.sleep

_THREADING_NAMES = (
    "Thread", "Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore", "Event",
    "Barrier", "Timer", "current_thread", "currentThread", "get_ident", "get_native_id",
    "main_thread", "active_count", "activeCount", "enumerate", "_MainThread",
)
_TIME_NAMES = (
    "sleep", "monotonic", "monotonic_ns", "time", "time_ns", "perf_counter", "perf_counter_ns",
)
_REAL_THREADING = {n: getattr(threading, n) for n in _THREADING_NAMES if hasattr(threading, n)}
_REAL_TIME = {n: getattr(time, n) for n in _TIME_NAMES}

_never = _allocate_lock()  # held forever: a thread that must never run again waits on it
_never.acquire()

START_CLOCK = 1000.0
_ABORT_GRACE_SECONDS = 2.0  # the only real-time wait: a thread that swallows the abort signal
_ABORT_LINE_LIMIT = 100000  # lines a thread may run after the schedule was abandoned


class DeadlockError(RuntimeError):
    """Raised outside `explore` when every controlled thread waits forever (for example a
    single-threaded `queue.get()` on an empty queue): the deadlock is reported instead of
    hanging the process."""


class _Abort(BaseException):
    """Unwinds a controlled thread whose schedule is over (deadlock, step limit, end)."""


# ----------------------------------------------------------------------------------------
# Locations: the learner's file(s) and how a frame is printed.

_files = set()  # co_filename values of the learner's file(s)
_THIS_FILE = (lambda: None).__code__.co_filename
_STDLIB = os.path.dirname(os.__file__)
_lib_cache = {}
_base_cache = {}


def _is_lib(fn):
    r = _lib_cache.get(fn)
    if r is None:
        r = (
            fn == _THIS_FILE
            or fn.startswith("<")
            or (fn.startswith(_STDLIB) and "site-packages" not in fn)
            or os.path.basename(fn) == "kata_harness.py"
        )
        _lib_cache[fn] = r
    return r


def _where():
    """(file, line) of the innermost learner frame on the stack, else of the innermost frame
    that is neither this engine nor the standard library (a driver), else None."""
    f = sys._getframe(1)
    fallback = None
    files = _files
    cache = _lib_cache
    while f is not None:
        fn = f.f_code.co_filename
        if fn in files:
            return (fn, f.f_lineno)
        if fallback is None:
            lib = cache.get(fn)
            if lib is None:
                lib = _is_lib(fn)
            if not lib:
                fallback = (fn, f.f_lineno)
        f = f.f_back
    return fallback


def _fmt_at(at):
    if at is None:
        return None
    fn, line = at
    b = _base_cache.get(fn)
    if b is None:
        b = _base_cache[fn] = os.path.basename(fn)
    return "%s:%d" % (b, line)


def _fmt_num(x):
    if isinstance(x, float) and x == int(x) and abs(x) < 1e15:
        return "%d" % int(x)
    return repr(x)


def _fmt_clock(t):
    return repr(round(t, 9))


def _error_kind(exc):
    harness = sys.modules.get("kata_harness")
    if harness is not None and hasattr(harness, "error_kind"):
        try:
            return harness.error_kind(exc)
        except Exception:
            pass
    import builtins

    for cls in type(exc).__mro__:
        if getattr(builtins, cls.__name__, None) is cls:
            return cls.__name__
    return type(exc).__name__


def _describe(exc):
    """`Kind: message`, as the harness renders an error (without its `error ` prefix)."""
    message = " ".join(str(exc).split())
    if len(message) > 200:
        message = message[:197] + "..."
    kind = _error_kind(exc)
    return kind + (": " + message if message else "")


def _tb_at(exc):
    """Innermost learner (else driver) frame of an exception's traceback."""
    found = fallback = None
    tb = exc.__traceback__
    while tb is not None:
        fn = tb.tb_frame.f_code.co_filename
        if fn in _files:
            found = (fn, tb.tb_lineno)
        elif not _is_lib(fn):
            fallback = (fn, tb.tb_lineno)
        tb = tb.tb_next
    return found or fallback


# ----------------------------------------------------------------------------------------
# Trace: what ran, in order, capped at 400 events.

_KEEP = frozenset(("violation", "exception", "timeout"))


class Trace:
    """Events as tuples (thread, ev, at, detail). Keeps the first HEAD events and the last
    TAIL; from the middle it keeps up to MID violation/exception/timeout events."""

    HEAD, MID, TAIL = 100, 20, 300  # at most HEAD + TAIL events are exported

    def __init__(self):
        self.head = []
        self.mid = []
        self.tail = collections.deque(maxlen=self.TAIL)
        self.total = 0
        self.on = True

    def add(self, th, ev, at=None, detail=None):
        if not self.on:
            return
        self.total += 1
        rec = (th, ev, at, detail)
        if len(self.head) < self.HEAD:
            self.head.append(rec)
        else:
            self.push(rec)

    def push(self, rec):
        tail = self.tail
        if len(tail) == self.TAIL:
            old = tail[0]
            if old[1] in _KEEP and len(self.mid) < self.MID:
                self.mid.append(old)
        tail.append(rec)

    def export(self):
        mid = self.mid
        recs = self.head[:self.HEAD - len(mid)] + mid + list(self.tail)
        out = []
        for th, ev, at, detail in recs:
            d = {"th": th, "ev": ev}
            if at is not None:
                d["at"] = _fmt_at(at)
            if detail is not None:
                d["detail"] = detail
            out.append(d)
        return out, self.total - len(recs)


# ----------------------------------------------------------------------------------------
# Threads as the Scheduler sees them.


class _Wait:
    """Why a thread is blocked: it may run again when pred() holds or the clock reaches
    deadline. `fail` carries an exception to raise in it (a DeadlockError outside explore)."""

    __slots__ = ("pred", "deadline", "kind", "obj", "at", "since", "fail", "text")

    def __init__(self, pred, deadline, kind, obj, text=None):
        self.pred = pred
        self.deadline = deadline
        self.kind = kind
        self.obj = obj
        self.at = None
        self.since = 0
        self.fail = None
        self.text = text

    def describe(self, S):
        k, o = self.kind, self.obj
        if k == "lock":
            owner = o._owner
            if owner is None:
                return "waits for %s" % S.name_of(o)
            return "waits for %s (held by %s)" % (S.name_of(o), owner.name)
        if k == "cond":
            return "waits on %s" % S.name_of(o)
        if k == "sem":
            return "waits for %s (value %d)" % (S.name_of(o), o._value)
        if k == "event":
            return "waits for %s" % S.name_of(o)
        if k == "join":
            return "waits for %s to finish (join)" % o.name
        if k == "barrier":
            return "waits at %s (%d of %d arrived)" % (S.name_of(o), o._count, o._parties)
        if k == "sleep":
            return "sleeps"
        if callable(self.text):
            return self.text()
        return self.text or "waits"


class _TState:
    __slots__ = (
        "name", "index", "baton", "thread", "os_ident", "ident", "alive", "wait", "daemon",
        "exc", "exc_seen", "last_at", "prio", "abort_lines", "result",
    )

    def __init__(self, name, index, thread, daemon):
        self.name = name
        self.index = index
        self.thread = thread
        self.daemon = daemon
        self.baton = _allocate_lock()
        self.baton.acquire()
        self.os_ident = None
        self.ident = index + 1
        self.alive = True
        self.wait = None
        self.exc = None
        self.exc_seen = False
        self.last_at = None
        self.prio = 0.0
        self.abort_lines = 0
        self.result = None


def _never_true():
    return False


# ----------------------------------------------------------------------------------------
# Strategies: who runs next.

_INF = float("inf")


class _Plan:
    """One schedule: kind 'base' (no preemption), 'pb' (preempt at listed points, choosing
    the listed alternative), or 'pct'; its seed; whether to record its choice points."""

    __slots__ = ("kind", "seed", "preempts", "record", "length")

    def __init__(self, kind, seed, preempts=(), record=False, length=1):
        self.kind = kind
        self.seed = seed
        self.preempts = tuple(preempts)
        self.record = record
        self.length = length


class _Strategy:
    """Thread strategy for one schedule. `choose` is asked at preemption points (the running
    thread is enabled; `alts` are the other enabled threads in spawn order) and
    `choose_blocked` when the running thread blocked or ended."""

    def __init__(self, plan):
        self.kind = plan.kind
        self.points = []
        self.preempts = {}
        self.changes = {}
        if plan.kind == "pb":
            self.preempts = dict(plan.preempts)
            self.points = sorted(self.preempts)
        elif plan.kind == "pct":
            rng = self.rng = random.Random(plan.seed)
            self.d = d = rng.choice((2, 3))
            k = max(plan.length, d)
            picks = sorted(rng.sample(range(1, k + 1), d - 1))
            self.changes = {step: d - 1 - j for j, step in enumerate(picks)}
            self.points = picks
        self.pi = 0

    def on_spawn(self, ts):
        if self.kind == "pct":
            ts.prio = self.d + self.rng.random()

    def choose(self, S, cur, alts):
        if self.kind == "pct":
            low = self.changes.get(S.step)
            if low is not None:
                cur.prio = float(low)
            best = cur
            for t in alts:
                if t.prio > best.prio:
                    best = t
            return best
        if self.kind == "pb":
            a = self.preempts.get(S.step)
            if a is not None and a < len(alts):
                return alts[a]
        return cur

    def choose_blocked(self, S, cur, enabled):
        if self.kind == "pct":
            best = enabled[0]
            for t in enabled:
                if t.prio > best.prio:
                    best = t
            return best
        return enabled[0]


def _derive_seed(seed, index):
    """Schedule `index`'s own seed: splitmix64 of (seed, index), 32 bits. Pure integer
    arithmetic, so the same in every process and Python version."""
    z = (seed * 0x9E3779B97F4A7C15 + (index + 1) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return (z ^ (z >> 31)) >> 32


class _Planner:
    """Which plan schedule i runs: 0 = base; then preemption-bounded (single preemptions at
    every recorded choice point, evenly sampled when there are too many, then pairs) for
    about half the budget; then PCT. Choice points are (point, number of alternatives)."""

    def __init__(self, seed, schedules):
        self.seed = seed
        self.pb_budget = max(0, (schedules - 1) // 2)
        self.pb_used = 0
        self.singles = None
        self.si = 0
        self.single_runs = []
        self.pairs = None
        self.length = 1

    def plan(self, index):
        s = _derive_seed(self.seed, index)
        if index == 0:
            return _Plan("base", s, record=True)
        if self.pb_used < self.pb_budget and self.singles is not None:
            if self.si < len(self.singles):
                p = self.singles[self.si]
                self.si += 1
                self.pb_used += 1
                return _Plan("pb", s, (p,), record=True)
            if self.pairs is None:
                self.pairs = self._pairs()
            pair = next(self.pairs, None)
            if pair is not None:
                self.pb_used += 1
                return _Plan("pb", s, pair)
            self.pb_used = self.pb_budget
        return _Plan("pct", s, length=self.length)

    def feedback(self, plan, choices, length):
        self.length = max(self.length, length)
        if plan.kind == "base":
            full = [(p, a) for (p, n) in choices for a in range(n)]
            b = self.pb_budget
            if len(full) > b:
                full = [full[(i * len(full)) // b] for i in range(b)]
            self.singles = full
        elif plan.kind == "pb" and plan.record:
            self.single_runs.append((plan.preempts[0], choices))

    def _pairs(self):
        cands = []
        for first, choices in self.single_runs:
            cands.append((first, [(p, a) for (p, n) in choices if p > first[0] for a in range(n)]))
        r = 0
        while True:
            found = False
            for first, c in cands:
                if r < len(c):
                    found = True
                    yield (first, c[r])
            if not found:
                return
            r += 1


# ----------------------------------------------------------------------------------------
# The Scheduler: one per schedule (plus the ambient one used outside explore).

_gen_counter = [0]


class Scheduler:
    def __init__(self, strategy, exploring, traced, opcodes=False, max_steps=None, async_mode=False):
        _gen_counter[0] += 1
        self.gen = _gen_counter[0]
        self.strategy = strategy
        self.exploring = exploring
        self.traced = traced
        self.opcodes = opcodes
        self.async_mode = async_mode
        self.max_steps = max_steps if max_steps is not None else _INF
        self.threads = []
        self.live = []
        self.current = None
        self.clock = START_CLOCK
        self.step = 0
        self.switches = 0
        self.next_decision = _INF
        self.recording = False
        self.choices = []
        self.trace = Trace()
        self.trace.on = exploring
        self.failure = None
        self.aborting = False
        self.abort_target = None
        self.leaked = []
        self.counts = {}
        self.thread_serial = 0
        self.touched = []
        self.loop = None
        self.async_lines = 0
        self._k_steps = 0
        self._alts = None
        self.always_decide = strategy.kind == "pct"

    # -- setup -----------------------------------------------------------------------------

    def add_main(self, name="main"):
        ts = _TState(name, 0, None, False)
        ts.os_ident = _get_ident()
        # main keeps its real ident: threading's own shutdown code compares it with
        # threading.get_ident() (spawned threads get small stable numbers)
        ts.ident = ts.os_ident
        ts.thread = _MainThread(ts)
        self.threads.append(ts)
        self.live.append(ts)
        self.current = ts
        self.strategy.on_spawn(ts)
        self._set_next()
        return ts

    def name_of(self, p):
        if p._nm_gen != self.gen:
            n = self.counts[p._kind] = self.counts.get(p._kind, 0) + 1
            p._nm = "%s#%d" % (p._kind, n)
            p._nm_gen = self.gen
        return p._nm

    def touch(self, p):
        """First use of a primitive in this schedule: remember its state to restore it."""
        if p._gen != self.gen:
            if self.exploring:
                self.touched.append((p, p._snapshot()))
            p._gen = self.gen

    def born(self, p):
        p._gen = self.gen
        if self.exploring:
            self.name_of(p)

    def restore_touched(self):
        for p, snap in reversed(self.touched):
            p._restore(snap)
            p._gen = -1
        self.touched = []

    def label(self, cur):
        loop = self.loop
        if loop is not None and loop._k_current is not None:
            return loop._k_current.get_name()
        return cur.name

    # -- points ----------------------------------------------------------------------------

    # The step counter and `next_decision` keep the common case cheap: the Strategy is
    # consulted only at steps where it may switch (its preemption or change points, every
    # operation under PCT, every step while recording choice points) and at the step limit.
    # Every Python call made here is also a `call` trace event, so hot paths are inlined.

    def _set_next(self):
        st = self.strategy
        pts = st.points
        i = st.pi
        step = self.step
        while i < len(pts) and pts[i] <= step:
            i += 1
        st.pi = i
        nd = pts[i] if i < len(pts) else _INF
        if self.recording:
            nd = step + 1
        if nd > self.max_steps + 1:
            nd = self.max_steps + 1
        self.next_decision = nd

    def _decide(self, cur, at):
        """At a preemption point of `cur` (running, so enabled): maybe switch."""
        step = self.step
        if step > self.max_steps:
            self._fail(self._no_progress(at))
        alts = self._alts
        if alts is None:
            enabled = self._enabled
            alts = self._alts = [t for t in self.live if t is not cur and enabled(t)]
        if self.recording and alts:
            self.choices.append((step, len(alts)))
        st = self.strategy
        if st.kind == "base" or not alts:
            nxt = cur if st.kind != "pct" else st.choose(self, cur, alts)
        else:
            nxt = st.choose(self, cur, alts)
        # _set_next, inlined
        pts = st.points
        i = st.pi
        while i < len(pts) and pts[i] <= step:
            i += 1
        st.pi = i
        nd = pts[i] if i < len(pts) else _INF
        if self.recording:
            nd = step + 1
        if nd > self.max_steps + 1:
            nd = self.max_steps + 1
        self.next_decision = nd
        if nxt is not cur:
            cur.last_at = at
            self._switch(cur, nxt)

    def point_store(self, ts, frame, desc):
        if self.aborting:
            return
        self.step += 1
        if self.step >= self.next_decision:
            at = (frame.f_code.co_filename, frame.f_lineno)
            sw = self.switches
            self._decide(ts, at)
            if self.switches != sw:
                self.trace.add(ts.name, "line", at, "resumes: " + desc)

    def op(self, cur, ev, detail=None):
        """A preemption point at an operation on a controlled primitive; returns its
        location (for the operation's later trace events)."""
        if self.aborting:
            return None
        self.step += 1
        tr = self.trace
        at = None
        if tr.on:
            # _where(), inlined
            f = sys._getframe(1)
            files = _files
            cache = _lib_cache
            while f is not None:
                fn = f.f_code.co_filename
                if fn in files:
                    at = (fn, f.f_lineno)
                    break
                if at is None:
                    lib = cache.get(fn)
                    if lib is None:
                        lib = _is_lib(fn)
                    if not lib:
                        at = (fn, f.f_lineno)  # a driver frame, unless a learner frame is outer
                        f = f.f_back
                        while f is not None:
                            if f.f_code.co_filename in files:
                                at = (f.f_code.co_filename, f.f_lineno)
                                break
                            f = f.f_back
                        break
                f = f.f_back
        self._alts = None
        if self.step >= self.next_decision or self.always_decide:
            self._decide(cur, at)
            self._alts = None
        if ev is not None and tr.on:
            tr.total += 1
            rec = (cur.name if self.loop is None else self.label(cur), ev, at, detail)
            if len(tr.head) < tr.HEAD:
                tr.head.append(rec)
            else:
                tr.push(rec)
        return at

    def note(self, cur, ev, detail=None, at=None):
        """A trace event that is not a preemption point (at: the operation's location)."""
        tr = self.trace
        if tr.on and not self.aborting:
            tr.total += 1
            rec = (cur.name if self.loop is None else self.label(cur), ev,
                   at if at is not None else _where(), detail)
            if len(tr.head) < tr.HEAD:
                tr.head.append(rec)
            else:
                tr.push(rec)

    def _no_progress(self, at):
        """The step-limit outcome. It names the distinct locations of the running thread's
        last 256 traced points, sorted, so the text does not depend on where in its loop the
        budget ran out."""
        what = "a task" if self.async_mode else "a thread"
        text = "no progress: %s was still running after %d steps (an infinite loop or a livelock?)" % (
            what, self.step - 1)
        locs = set()
        if at is not None:
            locs.add(at)
        cur = self.current
        if cur is not None and not self.async_mode:
            seen = 0
            tr = self.trace
            for rec in list(reversed(tr.tail)) + list(reversed(tr.head)):
                if rec[0] == cur.name and rec[2] is not None:
                    locs.add(rec[2])
                    seen += 1
                    if seen >= 256:
                        break
        if locs:
            ordered = sorted(locs, key=lambda a: (_fmt_at(a).rsplit(":", 1)[0], a[1]))
            text += " at " + ", ".join(_fmt_at(a) for a in ordered)
        return text

    # -- switching, blocking -----------------------------------------------------------------

    def _enabled(self, t):
        w = t.wait
        if w is None:
            return True
        if w.fail is not None or w.pred():
            return True
        d = w.deadline
        return d is not None and d <= self.clock

    def _switch(self, cur, nxt):
        self.switches += 1
        self.current = nxt
        nxt.baton.release()
        cur.baton.acquire()
        self._alts = None
        if self.aborting:
            raise _Abort()

    def _next_after(self, cur):
        """The thread to run now that `cur` blocked or ended; jumps the clock if every live
        thread waits and some wait has a deadline; handles a deadlock."""
        enabled = [t for t in self.live if self._enabled(t)]
        if not enabled:
            best = None
            for t in self.live:
                d = t.wait.deadline
                if d is not None and (best is None or d < best):
                    best = d
            if best is None:
                return self._deadlock(cur)
            if best > self.clock:
                self.clock = best
                woken = [t for t in self.live if t.wait.deadline is not None and t.wait.deadline <= best]
                if self.trace.on:
                    self.trace.add(woken[0].name, "clock", None, _fmt_clock(best))
            enabled = [t for t in self.live if self._enabled(t)]
        return self.strategy.choose_blocked(self, cur, enabled)

    def block(self, cur, wait, quiet=False):
        """Block `cur` until wait.pred() or its deadline; True if pred() held."""
        if self.aborting:
            cur.abort_lines += 1000  # a thread that keeps swallowing the abort gets parked
            if cur.abort_lines > _ABORT_LINE_LIMIT:
                self._park(cur)
            raise _Abort()
        wait.since = self.step
        wait.at = _where()
        cur.wait = wait
        if not quiet and self.trace.on:
            self.trace.add(self.label(cur), "blocked", wait.at, wait.describe(self))
        try:
            nxt = self._next_after(cur)
            if nxt is not cur:
                self._switch(cur, nxt)
        finally:
            cur.wait = None
            self._alts = None
        if wait.fail is not None:
            raise wait.fail
        return bool(wait.pred())

    def _deadlock(self, cur):
        text = self.deadlock_text()
        if self.exploring:
            cur.wait = None
            self._fail(text)
        main = self.threads[0]
        err = DeadlockError(text)
        if cur is main or not main.alive or main.wait is None:
            cur.wait = None
            raise err
        main.wait.fail = err
        return main

    def deadlock_text(self):
        blocked = [t for t in self.live if t.wait is not None]
        # a thread joining a stuck thread is a consequence: left out unless joins are all
        shown = [t for t in blocked if t.wait.kind != "join"] or blocked
        lost, parts, conds = [], [], []
        for t in shown:
            w = t.wait
            at = _fmt_at(w.at)
            where = " at " + at if at else ""
            if w.kind == "cond":
                if not any(c is w.obj for c in conds):
                    conds.append(w.obj)
                gone = w.obj._lost
                # a notify that found nobody waiting before this wait began, by another thread
                if gone is not None and gone[2] == self.gen and gone[1] < w.since and gone[3] != t.name:
                    nat = _fmt_at(gone[0])
                    lost.append("%s waits on %s%s forever; its notify%s came before the wait" % (
                        t.name, self.name_of(w.obj), where, " at " + nat if nat else ""))
                    continue
            parts.append("%s %s%s" % (t.name, w.describe(self), where))
        for c in conds:
            clause = self._wasted_notify(c, shown)
            if clause:
                parts.append(clause)
        text = ("deadlock (lost wakeup): " if lost else "deadlock: ") + "; ".join(lost + parts)
        if len(self.live) == 1:
            text += " (no other thread exists)"
        return text

    def _wasted_notify(self, cond, shown):
        """`the last notify of Condition#1 (at x.py:9) woke T3, which waits on it again` when
        every thread that notify woke is back waiting on the condition (the wakeup went to a
        thread that could not use it); else None."""
        if cond._lost is not None and cond._lost[2] == self.gen:
            return None  # the last notify found nobody waiting
        woke = cond._woke
        if woke is None or woke[2] != self.gen:
            return None
        again = {t.name for t in shown
                 if t.wait.kind == "cond" and t.wait.obj is cond and t.wait.since > woke[1]}
        if not all(name in again for name in woke[3]):
            return None
        nat = _fmt_at(woke[0])
        return "the last notify of %s%s woke %s, which %s on it again" % (
            self.name_of(cond), " (at %s)" % nat if nat else "", ", ".join(woke[3]),
            "waits" if len(woke[3]) == 1 else "wait")

    def _fail(self, text):
        """Record the outcome (deadlock, step limit) and abandon the schedule. The running
        thread gives the turn to main and waits: main unwinds the scenario, then abort_all
        unwinds every other thread, this one included, one at a time."""
        if self.failure is None and not self.aborting:
            self.failure = text
        self.aborting = True
        cur = self.current
        main = self.threads[0]
        if cur is not main and cur is not None and cur.alive and cur.os_ident == _get_ident():
            self.current = main
            main.baton.release()
            cur.baton.acquire()
        raise _Abort()

    # -- threads -----------------------------------------------------------------------------

    def spawn(self, cur, thread):
        if self.aborting:
            raise _Abort()
        ts = _TState(thread._name, len(self.threads), thread, thread._daemonic)
        thread._ts = ts
        thread._started = True
        self.threads.append(ts)
        self.live.append(ts)
        self.strategy.on_spawn(ts)
        try:
            _start_new_thread(_bootstrap, (self, ts))
        except BaseException:
            self.live.remove(ts)
            ts.alive = False
            raise
        self.op(cur, "spawn", ts.name)

    def join(self, cur, target, timeout):
        at = self.op(cur, "join", target.name)
        if not target.alive:
            return
        if timeout is not None and timeout <= 0:
            return
        deadline = None if timeout is None else self.clock + timeout
        if not self.block(cur, _Wait(lambda: not target.alive, deadline, "join", target)):
            self.note(cur, "timeout", "join " + target.name, at)

    def thread_exit(self, ts):
        ts.alive = False
        if ts in self.live:
            self.live.remove(ts)
        self._alts = None
        if not self.aborting:
            self.trace.add(ts.name, "exit")
            try:
                nxt = self._next_after(ts)
            except _Abort:
                nxt = None
            except DeadlockError:  # cannot happen: main is alive and waiting in ambient mode
                return
            if nxt is not None:
                self.current = nxt
                nxt.baton.release()
                return
        # The schedule is being abandoned: the turn goes back to main, which unwinds the
        # rest. A thread that is not the current one (an orphan) has no turn to give.
        if self.current is ts:
            main = self.threads[0]
            self.current = main
            main.baton.release()

    def thread_raised(self, ts, exc):
        if self.aborting:
            return
        ts.exc = exc
        self.trace.add(ts.name, "exception", _tb_at(exc), _describe(exc))
        if not self.exploring:
            import traceback

            try:
                sys.stderr.write("Exception in thread %s:\n" % ts.name)
                traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
            except Exception:
                pass

    # -- abort ---------------------------------------------------------------------------------

    def _abort_lines(self, ts):
        ts.abort_lines += 1
        if ts.abort_lines > _ABORT_LINE_LIMIT:
            self._park(ts)

    def _park(self, ts):
        """A thread that keeps running after its schedule was abandoned: stop it for good."""
        if ts is self.threads[0]:
            raise _Abort()
        if ts.name not in self.leaked:
            self.leaked.append(ts.name)
        ts.alive = False
        if ts in self.live:
            self.live.remove(ts)
        if self.current is ts:
            main = self.threads[0]
            self.current = main
            main.baton.release()
        _never.acquire()

    def abort_all(self):
        """Called on the main thread when the scenario is over: unwind every other live
        thread, one at a time (each raises _Abort where it waits)."""
        main = self.threads[0]
        self.aborting = True
        for ts in list(self.live):
            if ts is main or not ts.alive:
                continue
            self.abort_target = ts
            self.current = ts
            ts.baton.release()
            if not main.baton.acquire(True, _ABORT_GRACE_SECONDS):
                if ts.name not in self.leaked:
                    self.leaked.append(ts.name)
            self.abort_target = None
        self.current = main

    # -- tracing ---------------------------------------------------------------------------------

    def make_tracer(self, ts):
        S = self
        files = _files
        opcodes = self.opcodes
        offsets = _store_offsets

        if self.async_mode:
            def local_async(frame, event, arg):
                if event == "line":
                    if S.aborting:
                        S._abort_lines(ts)
                    else:
                        S.async_lines += 1
                        if S.async_lines > S.max_steps:
                            S.step = S.async_lines + 1
                            S._fail(S._no_progress((frame.f_code.co_filename, frame.f_lineno)))
                return local_async

            def glob_async(frame, event, arg):
                if frame.f_code.co_filename in files:
                    return local_async
                return None

            return glob_async

        trace = self.trace
        head = trace.head
        HEAD = trace.HEAD
        cache_get = _offsets_cache.get

        def local(frame, event, arg):
            if event == "line":
                # point_line, inlined: a preemption point at each learner line
                if S.aborting:
                    S._abort_lines(ts)
                    return local
                S.step += 1
                at = (frame.f_code.co_filename, frame.f_lineno)
                if S.step >= S.next_decision:
                    try:
                        S._decide(ts, at)
                    except _Abort:
                        # CPython 3.8 loses an exception raised at a line event when an
                        # opcode event follows it: turn opcode events off first
                        frame.f_trace_opcodes = False
                        raise
                # recorded once the line really runs (after any switch decided before it)
                trace.total += 1
                if len(head) < HEAD:
                    head.append((ts.name, "line", at, None))
                else:
                    trace.push((ts.name, "line", at, None))
            elif event == "opcode":
                code = frame.f_code
                offs = cache_get(code)
                if offs is None:
                    offs = offsets(code)
                if offs:
                    desc = offs.get(frame.f_lasti)
                    if desc is not None:
                        S.point_store(ts, frame, desc)
            return local

        def glob(frame, event, arg):
            if frame.f_code.co_filename in files:
                if opcodes:
                    frame.f_trace = local
                    frame.f_trace_opcodes = True
                return local
            return None

        return glob


_STORE_OPS = {
    "STORE_ATTR": "stores .%s", "DELETE_ATTR": "deletes .%s", "STORE_SUBSCR": "stores an item",
    "DELETE_SUBSCR": "deletes an item", "STORE_GLOBAL": "stores global %s",
    "DELETE_GLOBAL": "deletes global %s", "STORE_DEREF": "stores %s", "DELETE_DEREF": "deletes %s",
}
_offsets_cache = {}


def _store_offsets(code):
    r = _offsets_cache.get(code)
    if r is None:
        import dis

        r = {}
        for ins in dis.get_instructions(code):
            fmt = _STORE_OPS.get(ins.opname)
            if fmt is not None:
                r[ins.offset] = fmt % ins.argval if "%s" in fmt else fmt
        _offsets_cache[code] = r
    return r


def _prime_opcode_tracing():
    """CPython 3.12 enables opcode events for settrace only if some frame asked for them
    before sys.settrace was called (an interpreter-wide flag). Done on the driver's thread
    only: doing it on a freshly started thread crashes 3.12.1."""
    f = sys._getframe()
    f.f_trace_opcodes = True
    f.f_trace_opcodes = False


def _bootstrap(S, ts):
    ts.os_ident = _get_ident()
    ts.baton.acquire()
    try:
        if not S.aborting:
            if S.traced:
                sys.settrace(S.make_tracer(ts))
            try:
                ts.thread._k_run()
            finally:
                sys.settrace(None)
    except _Abort:
        pass
    except SystemExit:
        pass
    except BaseException as e:
        S.thread_raised(ts, e)
    finally:
        S.thread_exit(ts)


# ----------------------------------------------------------------------------------------
# The current scheduler.

_ambient = None  # the Scheduler used outside explore (created below, once Thread exists)
_S = None


def _ctx():
    S = _S
    cur = S.current
    if cur is not None and cur.os_ident == _get_ident():
        return S, cur
    return _foreign(S)


def _foreign(S):
    ident = _get_ident()
    for old in _orphan_scheds:
        for t in old.threads:
            if t.os_ident == ident and t.index != 0:
                _never.acquire()  # a thread of an abandoned schedule: it never runs again
    raise RuntimeError(
        "kata_conc: a controlled threading primitive was used from a thread kata does not "
        "control (raw _thread, or a thread started before install)")


_orphan_scheds = []  # schedules that ended with a thread that would not unwind


def _current_or_none():
    S = _S
    cur = S.current
    if cur is not None and cur.os_ident == _get_ident():
        return S, cur
    return None


# ----------------------------------------------------------------------------------------
# Controlled primitives.


class _Prim:
    _kind = "?"
    _nm = None
    _nm_gen = -1
    _gen = -1

    def _register(self):
        _S.born(self)

    def __repr__(self):
        return "<kata %s>" % (self._nm or self._kind)

    def _at_fork_reinit(self):
        """os.register_at_fork hooks name this (threading, concurrent.futures); a forked
        child is not modelled, so there is nothing to reset."""


def _timeout_deadline(S, blocking, timeout):
    if not blocking:
        if timeout != -1 and timeout is not None:
            raise ValueError("can't specify a timeout for a non-blocking call")
        return None
    if timeout is None or timeout == -1:
        return None
    if timeout < 0:
        raise ValueError("timeout value must be a non-negative number")
    return S.clock + timeout


class Lock(_Prim):
    """threading.Lock: may be released by any thread, not reentrant."""

    _kind = "Lock"

    def __init__(self):
        self._owner = None
        self._register()

    def _snapshot(self):
        return self._owner

    def _restore(self, s):
        self._owner = s

    def _free(self):
        return self._owner is None

    def _k_owned(self, cur):
        return self._owner is not None

    def acquire(self, blocking=True, timeout=-1):
        S = _S
        cur = S.current
        if cur.os_ident != _get_ident():
            S, cur = _foreign(S)
        deadline = None
        if not blocking or timeout != -1:
            deadline = _timeout_deadline(S, blocking, timeout)
        if self._gen != S.gen:
            S.touch(self)
        name = (self._nm if self._nm_gen == S.gen else S.name_of(self)) if S.trace.on else None
        at = S.op(cur, "acquire", name)
        if self._owner is None:
            self._owner = cur
            S.note(cur, "acquired", name, at)
            return True
        if not blocking or timeout == 0:
            return False
        if S.block(cur, _Wait(self._free, deadline, "lock", self)):
            self._owner = cur
            S.note(cur, "acquired", name, at)
            return True
        S.note(cur, "timeout", name, at)
        return False

    def release(self):
        S = _S
        cur = S.current
        if cur.os_ident != _get_ident():
            S, cur = _foreign(S)
        if self._owner is None:
            raise RuntimeError("release unlocked lock")
        S.touch(self)
        self._owner = None
        S.op(cur, "release", S.name_of(self) if S.trace.on else None)

    def locked(self):
        return self._owner is not None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *args):
        self.release()

    acquire_lock = acquire
    release_lock = release
    locked_lock = locked

    def _release_save(self, S, cur):
        S.touch(self)
        self._owner = None
        return None

    def _acquire_restore(self, S, cur, state):
        S.touch(self)
        if self._owner is not None:
            S.block(cur, _Wait(self._free, None, "lock", self))
        self._owner = cur


class RLock(_Prim):
    """threading.RLock: reentrant, released only by its owner."""

    _kind = "RLock"

    def __init__(self):
        self._owner = None
        self._count = 0
        self._register()

    def _snapshot(self):
        return (self._owner, self._count)

    def _restore(self, s):
        self._owner, self._count = s

    def _free(self):
        return self._owner is None

    def _k_owned(self, cur):
        return self._owner is cur

    def _is_owned(self):
        r = _current_or_none()
        return r is not None and self._owner is r[1]

    def acquire(self, blocking=True, timeout=-1):
        S = _S
        cur = S.current
        if cur.os_ident != _get_ident():
            S, cur = _foreign(S)
        deadline = None
        if not blocking or timeout != -1:
            deadline = _timeout_deadline(S, blocking, timeout)
        if self._gen != S.gen:
            S.touch(self)
        name = (self._nm if self._nm_gen == S.gen else S.name_of(self)) if S.trace.on else None
        at = S.op(cur, "acquire", name)
        if self._owner is cur:
            self._count += 1
            S.note(cur, "acquired", name, at)
            return True
        if self._owner is None:
            self._owner = cur
            self._count = 1
            S.note(cur, "acquired", name, at)
            return True
        if not blocking or timeout == 0:
            return False
        if S.block(cur, _Wait(self._free, deadline, "lock", self)):
            self._owner = cur
            self._count = 1
            S.note(cur, "acquired", name, at)
            return True
        S.note(cur, "timeout", name, at)
        return False

    def release(self):
        S = _S
        cur = S.current
        if cur.os_ident != _get_ident():
            S, cur = _foreign(S)
        if self._owner is not cur:
            raise RuntimeError("cannot release un-acquired lock")
        S.touch(self)
        self._count -= 1
        if self._count == 0:
            self._owner = None
        S.op(cur, "release", S.name_of(self) if S.trace.on else None)

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *args):
        self.release()

    def _release_save(self, S, cur):
        S.touch(self)
        state = self._count
        self._owner = None
        self._count = 0
        return state

    def _acquire_restore(self, S, cur, state):
        S.touch(self)
        if self._owner is not None:
            S.block(cur, _Wait(self._free, None, "lock", self))
        self._owner = cur
        self._count = state


class _Waiter:
    __slots__ = ("ts", "notified")

    def __init__(self, ts):
        self.ts = ts
        self.notified = False

    def is_notified(self):
        return self.notified


class Condition(_Prim):
    """threading.Condition. notify() wakes waiters in FIFO order, as CPython does; no
    spurious wakeups. A notify while nobody waits is remembered, to name a lost wakeup,
    until a later notify wakes someone; so is the last notify that woke someone, to say
    when it only woke threads that went back to waiting."""

    _kind = "Condition"

    def __init__(self, lock=None):
        if lock is None:
            lock = RLock()
        self._lock = lock
        self.acquire = lock.acquire
        self.release = lock.release
        self._waiters = collections.deque()
        self._lost = None  # (at, step, scheduler gen, notifier) of a notify that found nobody
        self._woke = None  # (at, step, scheduler gen, [woken]) of the last notify that woke some
        self._register()

    def _snapshot(self):
        return (list(self._waiters), self._lost, self._woke)

    def _restore(self, s):
        self._waiters = collections.deque(s[0])
        self._lost = s[1]
        self._woke = s[2]

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    def _owned(self, cur):
        lock = self._lock
        if isinstance(lock, (Lock, RLock)):
            return lock._k_owned(cur)
        if lock.acquire(False):
            lock.release()
            return False
        return True

    def _is_owned(self):
        r = _current_or_none()
        return r is not None and self._owned(r[1])

    def wait(self, timeout=None):
        S, cur = _ctx()
        if not self._owned(cur):
            raise RuntimeError("cannot wait on un-acquired lock")
        S.touch(self)
        name = (self._nm if self._nm_gen == S.gen else S.name_of(self)) if S.trace.on else None
        at = S.op(cur, "wait", name)
        w = _Waiter(cur)
        self._waiters.append(w)
        lock = self._lock
        own = isinstance(lock, (Lock, RLock))
        saved = lock._release_save(S, cur) if own else lock.release()
        ok = False
        try:
            if timeout is not None and timeout <= 0:
                ok = False
            else:
                deadline = None if timeout is None else S.clock + timeout
                ok = S.block(cur, _Wait(w.is_notified, deadline, "cond", self))
            if ok:
                S.note(cur, "wake", name, at)
            else:
                S.note(cur, "timeout", name, at)
        finally:
            if not w.notified:
                try:
                    self._waiters.remove(w)
                except ValueError:
                    pass
            if own:
                lock._acquire_restore(S, cur, saved)
            else:
                lock.acquire()
        return ok

    def wait_for(self, predicate, timeout=None):
        endtime = None
        waittime = timeout
        result = predicate()
        while not result:
            if waittime is not None:
                if endtime is None:
                    endtime = _S.clock + waittime
                else:
                    waittime = endtime - _S.clock
                    if waittime <= 0:
                        break
            self.wait(waittime)
            result = predicate()
        return result

    def notify(self, n=1):
        S, cur = _ctx()
        if not self._owned(cur):
            raise RuntimeError("cannot notify on un-acquired lock")
        self._notify(S, cur, n, "notify")

    def notify_all(self):
        S, cur = _ctx()
        if not self._owned(cur):
            raise RuntimeError("cannot notify on un-acquired lock")
        self._notify(S, cur, len(self._waiters), "notify_all")

    notifyAll = notify_all

    def _notify(self, S, cur, n, ev):
        S.touch(self)
        woken = []
        while self._waiters and len(woken) < n:
            w = self._waiters.popleft()
            w.notified = True
            woken.append(w.ts.name)
        if woken:
            self._lost = None
            self._woke = (_where(), S.step, S.gen, woken)
        else:
            self._lost = (_where(), S.step, S.gen, cur.name)
        detail = None
        if S.trace.on:
            name = S.name_of(self)
            detail = name + (" -> " + ", ".join(woken) if woken else " (nobody waiting)")
        S.op(cur, ev, detail)


class Semaphore(_Prim):
    _kind = "Semaphore"

    def __init__(self, value=1):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._value = value
        self._register()

    def _snapshot(self):
        return self._value

    def _restore(self, s):
        self._value = s

    def _avail(self):
        return self._value > 0

    def acquire(self, blocking=True, timeout=None):
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        S, cur = _ctx()
        S.touch(self)
        name = (self._nm if self._nm_gen == S.gen else S.name_of(self)) if S.trace.on else None
        at = S.op(cur, "acquire", name)
        if self._value > 0:
            self._value -= 1
            S.note(cur, "acquired", name, at)
            return True
        if not blocking or (timeout is not None and timeout <= 0):
            return False
        deadline = None if timeout is None else S.clock + timeout
        if S.block(cur, _Wait(self._avail, deadline, "sem", self)):
            self._value -= 1
            S.note(cur, "acquired", name, at)
            return True
        S.note(cur, "timeout", name, at)
        return False

    __enter__ = acquire

    def __exit__(self, *args):
        self.release()

    def release(self, n=1):
        if n < 1:
            raise ValueError("n must be one or more")
        S, cur = _ctx()
        S.touch(self)
        self._check_release(n)
        self._value += n
        S.op(cur, "release", S.name_of(self) if S.trace.on else None)

    def _check_release(self, n):
        pass


class BoundedSemaphore(Semaphore):
    _kind = "BoundedSemaphore"

    def __init__(self, value=1):
        Semaphore.__init__(self, value)
        self._initial_value = value

    def _check_release(self, n):
        if self._value + n > self._initial_value:
            raise ValueError("Semaphore released too many times")


class Event(_Prim):
    _kind = "Event"

    def __init__(self):
        self._flag = False
        self._register()

    def _snapshot(self):
        return self._flag

    def _restore(self, s):
        self._flag = s

    def _is(self):
        return self._flag

    def is_set(self):
        return self._flag

    isSet = is_set

    def set(self):
        S, cur = _ctx()
        S.touch(self)
        self._flag = True
        S.op(cur, "notify_all", (S.name_of(self) + " set") if S.trace.on else None)

    def clear(self):
        S, cur = _ctx()
        S.touch(self)
        self._flag = False
        S.op(cur, None)

    def wait(self, timeout=None):
        S, cur = _ctx()
        S.touch(self)
        name = (self._nm if self._nm_gen == S.gen else S.name_of(self)) if S.trace.on else None
        at = S.op(cur, "wait", name)
        if self._flag:
            return True
        if timeout is not None and timeout <= 0:
            return False
        deadline = None if timeout is None else S.clock + timeout
        if S.block(cur, _Wait(self._is, deadline, "event", self)):
            S.note(cur, "wake", name, at)
            return True
        S.note(cur, "timeout", name, at)
        return False


BrokenBarrierError = threading.BrokenBarrierError


class Barrier(_Prim):
    _kind = "Barrier"

    def __init__(self, parties, action=None, timeout=None):
        if parties < 1:
            raise ValueError("parties must be >= 1")
        self._parties = parties
        self._action = action
        self._timeout = timeout
        self._count = 0
        self._gen_no = 0
        self._broken = False
        self._broken_gens = set()
        self._register()

    def _snapshot(self):
        return (self._count, self._gen_no, self._broken, set(self._broken_gens))

    def _restore(self, s):
        self._count, self._gen_no, self._broken, gens = s
        self._broken_gens = set(gens)

    def wait(self, timeout=None):
        S, cur = _ctx()
        S.touch(self)
        name = (self._nm if self._nm_gen == S.gen else S.name_of(self)) if S.trace.on else None
        at = S.op(cur, "wait", name)
        if timeout is None:
            timeout = self._timeout
        if self._broken:
            raise BrokenBarrierError
        gen = self._gen_no
        index = self._count
        self._count += 1
        if self._count == self._parties:
            try:
                if self._action is not None:
                    self._action()
            except BaseException:
                self._break()
                raise
            self._count = 0
            self._gen_no += 1
            S.note(cur, "notify_all", name, at)
            return index
        deadline = None if timeout is None else S.clock + max(timeout, 0)

        def released():
            return self._gen_no != gen or gen in self._broken_gens

        try:
            ok = S.block(cur, _Wait(released, deadline, "barrier", self))
        except _Abort:
            raise
        if not ok:
            S.note(cur, "timeout", name, at)
            self._break()
            raise BrokenBarrierError
        if gen in self._broken_gens:
            raise BrokenBarrierError
        S.note(cur, "wake", name, at)
        return index

    def _break(self):
        self._broken = True
        self._broken_gens.add(self._gen_no)
        self._count = 0

    def abort(self):
        S, cur = _ctx()
        S.touch(self)
        self._break()
        S.op(cur, None)

    def reset(self):
        S, cur = _ctx()
        S.touch(self)
        if self._count > 0:
            self._broken_gens.add(self._gen_no)
            self._gen_no += 1
            self._count = 0
        self._broken = False
        S.op(cur, None)

    @property
    def parties(self):
        return self._parties

    @property
    def n_waiting(self):
        return self._count

    @property
    def broken(self):
        return self._broken


# ----------------------------------------------------------------------------------------
# Threads.


class Thread:
    """threading.Thread under the Scheduler. Unnamed threads are T1, T2, ... in creation
    order within a schedule; `ident` is a small stable number."""

    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None):
        if group is not None:
            raise AssertionError("group argument must be None for now")
        S = _S
        S.thread_serial += 1
        self._k_serial = S.thread_serial
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs) if kwargs else {}
        self._name = str(name) if name is not None else "T%d" % self._k_serial
        if daemon is None:
            r = _current_or_none()
            daemon = r[1].daemon if r is not None else False
        self._daemonic = bool(daemon)
        self._ts = None
        self._started = False
        self._k_init = True

    def _k_run(self):
        self.run()

    def start(self):
        if not getattr(self, "_k_init", False):
            raise RuntimeError("thread.__init__() not called")
        if self._started:
            raise RuntimeError("threads can only be started once")
        S, cur = _ctx()
        S.spawn(cur, self)

    def run(self):
        try:
            if self._target is not None:
                self._target(*self._args, **self._kwargs)
        finally:
            del self._target, self._args, self._kwargs

    def join(self, timeout=None):
        if not getattr(self, "_k_init", False):
            raise RuntimeError("Thread.__init__() not called")
        if not self._started:
            raise RuntimeError("cannot join thread before it is started")
        S, cur = _ctx()
        if self._ts is cur:
            raise RuntimeError("cannot join current thread")
        S.join(cur, self._ts, timeout)

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        self._name = str(value)
        if self._ts is not None:
            self._ts.name = self._name

    @property
    def ident(self):
        return self._ts.ident if self._ts is not None else None

    native_id = ident

    def is_alive(self):
        return self._ts is not None and self._ts.alive

    @property
    def daemon(self):
        return self._daemonic

    @daemon.setter
    def daemon(self, value):
        if self._started:
            raise RuntimeError("cannot set daemon status of active thread")
        self._daemonic = bool(value)

    def isDaemon(self):
        return self.daemon

    def setDaemon(self, value):
        self.daemon = value

    def getName(self):
        return self.name

    def setName(self, value):
        self.name = value

    def __hash__(self):
        return self._k_serial

    def __repr__(self):
        status = "initial"
        if self._started:
            status = "started" if self.is_alive() else "stopped"
        if self._daemonic:
            status += " daemon"
        if self._ts is not None:
            status += " %d" % self._ts.ident
        return "<%s(%s, %s)>" % (type(self).__name__, self._name, status)


class _MainThread(Thread):
    def __init__(self, ts):
        self._k_serial = 0
        self._target = None
        self._args = ()
        self._kwargs = {}
        self._name = "MainThread"
        self._daemonic = False
        self._ts = ts
        self._started = True
        self._k_init = True


_ambient = Scheduler(_Strategy(_Plan("base", 0)), exploring=False, traced=False)
_ambient.add_main()
_S = _ambient


class Timer(Thread):
    def __init__(self, interval, function, args=None, kwargs=None):
        Thread.__init__(self)
        self.interval = interval
        self.function = function
        self.args = args if args is not None else []
        self.kwargs = kwargs if kwargs is not None else {}
        self.finished = Event()

    def cancel(self):
        self.finished.set()

    def run(self):
        self.finished.wait(self.interval)
        if not self.finished.is_set():
            self.function(*self.args, **self.kwargs)
        self.finished.set()


def current_thread():
    r = _current_or_none()
    if r is not None:
        return r[1].thread
    ident = _get_ident()
    for ts in _S.live:
        if ts.os_ident == ident:
            return ts.thread
    return _REAL_THREADING["current_thread"]()


def get_ident():
    r = _current_or_none()
    if r is not None:
        return r[1].ident
    return _get_ident()


def main_thread():
    return _S.threads[0].thread


def _enumerate():
    return [ts.thread for ts in _S.live]


def active_count():
    return len(_S.live)


# ----------------------------------------------------------------------------------------
# Virtual time.


def _sleep(secs):
    r = _current_or_none()
    if r is None:
        return _real_sleep(secs)
    S, cur = r
    if secs < 0:
        raise ValueError("sleep length must be non-negative")
    S.op(cur, "sleep", _fmt_num(secs) if S.trace.on else None)
    if secs > 0:
        S.block(cur, _Wait(_never_true, S.clock + secs, "sleep", None), quiet=True)


def _monotonic():
    return _S.clock


def _monotonic_ns():
    return int(round(_S.clock * 1e9))


_TIME_REPLACEMENTS = {
    "sleep": _sleep, "monotonic": _monotonic, "monotonic_ns": _monotonic_ns, "time": _monotonic,
    "time_ns": _monotonic_ns, "perf_counter": _monotonic, "perf_counter_ns": _monotonic_ns,
}


def now():
    """The virtual clock of the current schedule (or of the ambient scheduler)."""
    return _S.clock


# ----------------------------------------------------------------------------------------
# queue.SimpleQueue on controlled primitives (ThreadPoolExecutor's work queue).


class SimpleQueue:
    def __init__(self):
        self._items = collections.deque()
        self._count = Semaphore(0)

    def put(self, item, block=True, timeout=None):
        self._items.append(item)
        self._count.release()

    def put_nowait(self, item):
        self.put(item, False)

    def get(self, block=True, timeout=None):
        import queue

        if timeout is not None and timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        if not self._count.acquire(block, timeout if block else None):
            raise queue.Empty
        return self._items.popleft()

    def get_nowait(self):
        return self.get(False)

    def empty(self):
        return not self._items

    def qsize(self):
        return len(self._items)

    @classmethod
    def __class_getitem__(cls, item):
        return cls


# ----------------------------------------------------------------------------------------
# Driver helpers.


class Handle:
    """What spawn() returns: join(), is_alive(), name, result, exception."""

    def __init__(self, thread):
        self._thread = thread

    def join(self, timeout=None):
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def is_alive(self):
        return self._thread.is_alive()

    @property
    def name(self):
        return self._thread.name

    @property
    def result(self):
        ts = self._thread._ts
        return ts.result if ts is not None else None

    @property
    def exception(self):
        """The exception that ended the thread, or None. Reading it means the scenario has
        dealt with it: it is then not appended to the outcome."""
        ts = self._thread._ts
        if ts is None or ts.exc is None:
            return None
        ts.exc_seen = True
        return ts.exc


class _SpawnThread(Thread):
    def _k_run(self):
        self._ts.result = self._k_fn()


def spawn(fn, name=None):
    """Start a controlled thread running fn(); returns a Handle."""
    t = _SpawnThread(name=name)
    t._k_fn = fn
    t.start()
    return Handle(t)


def yield_point():
    """An explicit preemption point (no trace event)."""
    r = _current_or_none()
    if r is not None:
        r[0].op(r[1], None)


def violation(msg):
    """Record in the trace that an invariant broke here; execution goes on."""
    r = _current_or_none()
    if r is not None:
        S, cur = r
        if S.trace.on and not S.aborting:
            S.trace.add(S.label(cur), "violation", _where(), str(msg))


def errors():
    """[(thread name, exception)] for the threads of this schedule that ended with an
    exception; they count as seen, so they are not appended to the outcome."""
    out = []
    for ts in _S.threads:
        if ts.exc is not None:
            ts.exc_seen = True
            out.append((ts.name, ts.exc))
    return out


# ----------------------------------------------------------------------------------------
# Outcomes.


class Outcome:
    __slots__ = ("v", "schedule", "seed", "steps", "trace", "trace_cut")

    def __init__(self, v, schedule, seed, steps, trace, trace_cut):
        self.v = v
        self.schedule = schedule
        self.seed = seed
        self.steps = steps
        self.trace = trace
        self.trace_cut = trace_cut

    def to_json(self):
        return {"v": self.v, "schedule": self.schedule, "seed": self.seed, "steps": self.steps,
                "trace": self.trace, "trace_cut": self.trace_cut}

    def render(self):
        """The trace as text lines, for humans."""
        lines = []
        for e in self.trace:
            lines.append("%-8s %-10s %-22s %s" % (e["th"], e["ev"], e.get("at", ""), e.get("detail", "")))
        if self.trace_cut:
            lines.append("(%d events cut)" % self.trace_cut)
        return "\n".join(x.rstrip() for x in lines)

    def __repr__(self):
        return "Outcome(%r, schedule=%d)" % (self.v, self.schedule)


class Outcomes:
    """Distinct outcome texts in the order first seen, each with its first schedule."""

    def __init__(self):
        self._list = []
        self._seen = {}
        self.schedules_run = 0
        self.switches = 0
        self.leaked = []

    def _add(self, v, schedule, seed, steps, trace):
        self.schedules_run += 1
        if v in self._seen:
            return False
        events, cut = trace.export()
        o = Outcome(v, schedule, seed, steps, events, cut)
        self._seen[v] = o
        self._list.append(o)
        return True

    def __iter__(self):
        return iter(self._list)

    def __len__(self):
        return len(self._list)

    def __getitem__(self, i):
        return self._list[i]

    def texts(self):
        return [o.v for o in self._list]

    def to_json(self):
        return [o.to_json() for o in self._list]

    def first_different(self, expected):
        for o in self._list:
            if o.v != expected:
                return o
        return None

    def __repr__(self):
        return "Outcomes(%r, schedules_run=%d)" % (self.texts(), self.schedules_run)


# ----------------------------------------------------------------------------------------
# Exploring threads.


def _require_driver_thread():
    if _S is not _ambient:
        raise RuntimeError("kata_conc: explore cannot be nested")
    if _ambient.current is None or _ambient.current.os_ident != _get_ident():
        raise RuntimeError("kata_conc: explore must be called from the main thread")


class _GcPause:
    def __init__(self):
        self.was = gc.isenabled()

    def __enter__(self):
        gc.disable()  # no collection (so no finalizer) can run in the middle of a schedule
        return self

    def tick(self, index):
        if index % 16 == 15:
            gc.collect(1)

    def __exit__(self, *args):
        if self.was:
            gc.enable()


def explore(scenario, seed=0, schedules=200, max_steps=20000, stop_after_distinct=2, opcodes=True):
    """Run scenario() once per schedule (each from a fresh Scheduler and clock) and return the
    distinct result strings as Outcomes. See the module docstring for the strategy."""
    if not _installed[0]:
        install()
    _require_driver_thread()
    planner = _Planner(seed, schedules)
    out = Outcomes()
    with _GcPause() as gcp:
        for index in range(schedules):
            plan = planner.plan(index)
            S = _run_thread_schedule(scenario, plan, max_steps, opcodes)
            planner.feedback(plan, S.choices, S.step)
            out.switches += S.switches
            out._add(S._k_text, index, plan.seed, S.step, S.trace)
            if S.leaked:
                out.leaked.extend(S.leaked)
                _orphan_scheds.append(S)
                break
            if index == 0 and not S.choices:
                break  # no point ever had two enabled threads: every schedule is this one
            if S.failure is not None and S.failure.startswith("no progress"):
                break  # already a failure, and each such schedule costs max_steps steps
            if stop_after_distinct and len(out) >= stop_after_distinct:
                break
            gcp.tick(index)
    return out


def _thread_notes(S):
    notes = []
    for ts in S.threads:
        if ts.exc is not None and not ts.exc_seen and not isinstance(ts.exc, _Abort):
            notes.append("%s raised %s" % (ts.name, _describe(ts.exc)))
    main = S.threads[0]
    for ts in S.live:
        if ts is main or ts.daemon:
            continue
        if ts.wait is not None:
            at = _fmt_at(ts.wait.at)
            notes.append("%s still running: %s%s" % (
                ts.name, ts.wait.describe(S), " at " + at if at else ""))
        else:
            at = _fmt_at(ts.last_at)
            notes.append("%s still running%s" % (ts.name, " at " + at if at else " (never ran)"))
    return notes


def _run_thread_schedule(scenario, plan, max_steps, opcodes):
    global _S
    S = Scheduler(_Strategy(plan), exploring=True, traced=True, opcodes=opcodes, max_steps=max_steps)
    S.recording = plan.record
    main = S.add_main()
    S._set_next()
    old_trace = sys.gettrace()
    text = None
    _S = S
    try:
        try:
            if opcodes:
                _prime_opcode_tracing()
            sys.settrace(S.make_tracer(main))
            try:
                result = scenario()
                text = result if isinstance(result, str) else str(result)
            finally:
                sys.settrace(old_trace)
        except _Abort:
            text = None
        except Exception as e:
            text = "error " + _describe(e)
        if S.failure is None and text is not None:
            notes = _thread_notes(S)
            if notes:
                text = text + "; " + "; ".join(notes)
        S.abort_all()
    finally:
        sys.settrace(old_trace)
        S.restore_touched()
        _S = _ambient
    S._k_text = S.failure if S.failure is not None else (text if text is not None else "error: aborted")
    return S


# ----------------------------------------------------------------------------------------
# asyncio: a virtual-time event loop.

_asyncio_classes = {}


def _asyncio():
    if not _asyncio_classes:
        _build_asyncio_classes()
    return _asyncio_classes


def _frame_of(c):
    for attr in ("cr_frame", "gi_frame", "ag_frame"):
        f = getattr(c, attr, None)
        if f is not None:
            return f
    return None


def _code_label(f):
    code = f.f_code
    if code.co_name == "__sleep0":
        return "sleep(0)"
    q = getattr(code, "co_qualname", None)
    if q is None:
        q = code.co_name
        s = f.f_locals.get("self") if code.co_varnames[:1] == ("self",) else None
        if s is not None:
            q = type(s).__name__ + "." + q
    return q.replace("<locals>.", "")


def _task_where(task):
    """(learner location, what it waits in) for a suspended task."""
    import asyncio

    try:
        c = task.get_coro()
    except Exception:
        return None, None
    learner = fallback = None
    what = None
    depth = 0
    while c is not None and depth < 100:
        depth += 1
        f = _frame_of(c)
        if f is None:
            break
        fn = f.f_code.co_filename
        if fn in _files:
            learner = (fn, f.f_lineno)
            what = None
        elif _is_lib(fn):
            if not fn.startswith("<"):
                what = _code_label(f)
        elif learner is None:
            fallback = (fn, f.f_lineno)
            what = None
        nxt = getattr(c, "cr_await", None)
        if nxt is None:
            nxt = getattr(c, "gi_yieldfrom", None)
        if nxt is None:
            break
        if _frame_of(nxt) is None:
            if what is None:
                fut = getattr(task, "_fut_waiter", None)
                if isinstance(fut, asyncio.Task):
                    what = "await " + fut.get_name()
                elif type(fut).__name__ == "_GatheringFuture":
                    what = "gather"
                elif fut is not None:
                    what = "await a " + type(fut).__name__
            break
        c = nxt
    return learner or fallback, what


def _build_asyncio_classes():
    import asyncio
    import asyncio.base_events as base_events
    import asyncio.events as events
    import weakref

    Task = asyncio.Task

    def handle_task(h):
        s = getattr(h._callback, "__self__", None)
        return s if isinstance(s, Task) else None

    class KTask(Task):
        def cancel(self, *args, **kwargs):
            loop = self.get_loop()
            if not self.done() and getattr(loop, "_k_trace", None) is not None:
                cur = loop._k_current
                loop._k_trace.add(cur.get_name() if cur is not None else "loop", "cancel",
                                  None, self.get_name())
            return Task.cancel(self, *args, **kwargs)

        def set_name(self, value):
            if value is not None:  # 3.13.0's create_task calls set_name(None) after the factory
                Task.set_name(self, value)

    def task_factory(loop, coro, **kwargs):
        name = kwargs.pop("name", None)
        loop._k_task_no += 1
        if name is None:
            name = "Task-%d" % loop._k_task_no
        t = KTask(coro, loop=loop, name=name, **kwargs)
        loop._k_tasks.append(t)
        return t

    class KTimer(events.TimerHandle):
        """A TimerHandle with its creation number (orders timers due at the same instant),
        whether it was due when created (call_later(0): not an external event) and its PCT
        priority."""

        __slots__ = ("_k_no", "_k_soon", "_k_prio")

    def quiet_handler(loop, context):
        exc = context.get("exception")
        if loop._k_trace is not None and exc is not None and not isinstance(exc, _Abort):
            loop._k_trace.add("loop", "exception", _tb_at(exc), _describe(exc))

    class VirtualLoop(base_events.BaseEventLoop):
        """An event loop on the virtual clock that never waits for I/O."""

        def __init__(self, order=None, trace=None, max_steps=None):
            base_events.BaseEventLoop.__init__(self)
            self._k_order = order if order is not None else _Arrivals(_Plan("base", 0))
            self._k_timer_no = 0
            self._k_trace = trace
            self._k_max = max_steps
            self._k_steps = 0
            self._k_tasks = []
            self._k_agens = []
            self._k_current = None
            self._k_task_no = 0
            self._k_cleaning = False
            self.set_task_factory(task_factory)
            if trace is not None:
                self.set_exception_handler(quiet_handler)

        def time(self):
            return _S.clock

        def call_at(self, when, callback, *args, context=None):
            """As BaseEventLoop's, with a KTimer."""
            if when is None:
                raise TypeError("when cannot be None")
            self._check_closed()
            if self._debug:
                self._check_thread()
                self._check_callback(callback, "call_at")
            timer = KTimer(when, callback, args, self, context)
            if timer._source_traceback:
                del timer._source_traceback[-1]
            self._k_timer_no += 1
            timer._k_no = self._k_timer_no
            timer._k_soon = when <= _S.clock
            timer._k_prio = 0.0
            heapq.heappush(self._scheduled, timer)
            timer._scheduled = True
            return timer

        def _write_to_self(self):
            pass

        def _process_events(self, event_list):
            pass

        def run_in_executor(self, executor, func, *args):
            """Runs func inline: there is no real executor under the controlled clock."""
            self._check_closed()
            fut = self.create_future()
            try:
                fut.set_result(func(*args))
            except Exception as e:
                fut.set_exception(e)
            return fut

        def _asyncgen_firstiter_hook(self, agen):
            base_events.BaseEventLoop._asyncgen_firstiter_hook(self, agen)
            self._k_agens.append(weakref.ref(agen))

        async def shutdown_asyncgens(self):
            """As BaseEventLoop's, but closes generators in the order they started (its
            WeakSet order depends on addresses)."""
            self._asyncgens_shutdown_called = True
            agens = []
            for r in self._k_agens:
                a = r()
                if a is not None and a in self._asyncgens:
                    agens.append(a)
            self._asyncgens.clear()
            self._k_agens = []
            if not agens:
                return
            results = await asyncio.gather(*[ag.aclose() for ag in agens], return_exceptions=True)
            for result, agen in zip(results, agens):
                if isinstance(result, Exception):
                    self.call_exception_handler({
                        "message": "an error occurred during closing of asynchronous generator %r" % agen,
                        "exception": result, "asyncgen": agen})

        def _k_idle(self, when):
            S, cur = _ctx()
            others = any(t is not cur for t in S.live)
            if when is None and not others:
                return self._k_deadlock(S)
            S.block(cur, _Wait(self._k_has_ready, when, "loop", self, text=self._k_waiting_text),
                    quiet=True)

        def _k_has_ready(self):
            return bool(self._ready)

        def _k_waiting_text(self):
            return "waits in its event loop (%s)" % self._k_tasks_text()

        def _k_tasks_text(self):
            parts = []
            for t in self._k_tasks:
                if t.done():
                    continue
                at, what = _task_where(t)
                s = t.get_name() + " waits"
                if at is not None:
                    s += " at " + _fmt_at(at)
                if what:
                    s += " (in %s)" % what
                parts.append(s)
            return "; ".join(parts) if parts else "no task is pending"

        def _k_deadlock(self, S):
            text = "deadlock: every task is waiting: " + self._k_tasks_text()
            if S.exploring:
                S._fail(text)
            raise DeadlockError(text)

        def _run_once(self):
            """One iteration of asyncio's loop: the handles ready when it starts run in FIFO
            order; what they schedule with call_soon runs in the next iteration, as in
            BaseEventLoop. Timers that are due join the ready queue first, in the order the
            _Arrivals choose."""
            sch = self._scheduled
            if len(sch) > 100 and self._timer_cancelled_count * 2 > len(sch):
                keep = []
                for h in sch:
                    if h._cancelled:
                        h._scheduled = False
                    else:
                        keep.append(h)
                heapq.heapify(keep)
                self._scheduled = sch = keep
                self._timer_cancelled_count = 0
            while sch and sch[0]._cancelled:
                self._timer_cancelled_count -= 1
                h = heapq.heappop(sch)
                h._scheduled = False
            ready = self._ready
            if not ready and not self._stopping:
                if sch:
                    if sch[0]._when > _S.clock:
                        self._k_idle(sch[0]._when)
                else:
                    self._k_idle(None)
            now = _S.clock
            due = []
            while sch and sch[0]._when <= now:
                h = heapq.heappop(sch)
                h._scheduled = False
                if h._cancelled:
                    continue
                if h._k_soon:
                    ready.append(h)  # due when created (call_later(0)): not an outside event
                else:
                    due.append(h)
            if due:
                due.sort(key=lambda h: (h._when, h._k_no))
                for h in due:
                    self._k_order.on_due(h)
                ready.extend(self._k_order.order(due))
            S = _S
            for _ in range(len(ready)):
                h = ready.popleft()
                if h._cancelled:
                    continue
                self._k_run(h, S)

        def _k_run(self, h, S):
            task = handle_task(h)
            trace = self._k_trace
            self._k_steps += 1
            if self._k_max is not None and self._k_steps > self._k_max:
                at = _task_where(task)[0] if task is not None else None
                S.step = self._k_steps
                S._fail(S._no_progress(at))
            if task is not None:
                if trace is not None:
                    trace.add(task.get_name(), "step", _task_where(task)[0])
            elif trace is not None and isinstance(h, asyncio.TimerHandle):
                cb = h._callback
                nm = getattr(cb, "__name__", "")
                if nm in ("_on_timeout", "_release_waiter"):
                    owner = getattr(getattr(cb, "__self__", None), "_task", None)
                    trace.add(owner.get_name() if isinstance(owner, Task) else "loop", "timeout",
                              None, "timeout" if nm == "_on_timeout" else "wait_for")
            self._k_current = task
            S.async_lines = 0
            try:
                h._run()
            finally:
                self._k_current = None
            if S.failure is not None and not self._k_cleaning:
                raise _Abort()
            if task is not None and trace is not None:
                if task.done():
                    exc = None if task.cancelled() else getattr(task, "_exception", None)
                    if task.cancelled():
                        detail = "cancelled"
                    elif exc is not None:
                        detail = "raised " + _describe(exc)
                    else:
                        detail = None
                    trace.add(task.get_name(), "exit", None, detail)
                else:
                    at, what = _task_where(task)
                    trace.add(task.get_name(), "suspend", at, what)

    class KataPolicy(asyncio.DefaultEventLoopPolicy):
        def new_event_loop(self):
            return VirtualLoop()

    def cancel_all_tasks(loop):
        """asyncio.run's clean-up, cancelling in creation order (all_tasks() is a set)."""
        if isinstance(loop, VirtualLoop):
            to_cancel = [t for t in loop._k_tasks if not t.done()]
            extra = [t for t in asyncio.all_tasks(loop) if not isinstance(t, KTask)]
            to_cancel += extra
        else:
            return _asyncio_classes["real_cancel_all"](loop)
        if not to_cancel:
            return
        for t in to_cancel:
            t.cancel()
        loop.run_until_complete(asyncio.gather(*to_cancel, return_exceptions=True))
        for t in to_cancel:
            if t.cancelled():
                continue
            if t.exception() is not None:
                loop.call_exception_handler({
                    "message": "unhandled exception during asyncio.run() shutdown",
                    "exception": t.exception(), "task": t})

    _asyncio_classes.update(VirtualLoop=VirtualLoop, KTask=KTask, KataPolicy=KataPolicy,
                            cancel_all=cancel_all_tasks, handle_task=handle_task)


class _Arrivals:
    """The order in which the timers due at one virtual instant reach a VirtualLoop's ready
    queue: the only order explore_async explores.

    asyncio runs its ready queue in FIFO order (call_soon's documented guarantee): tasks
    created together start in creation order, and waiters woken by a release or a notify
    resume in the order they were woken. kata never reorders that queue. What varies on a
    real machine is when external events arrive: timers due at the same virtual instant (two
    10 ms sleeps that end together) have deadlines microseconds apart there, in either
    direction, so they fire in either order. They still fire together, in the iteration the
    clock jumped for, before anything they cause runs: the ready queue is empty then (the
    clock only moves when the loop is idle), and BaseEventLoop too moves every due timer to
    the ready queue at once. Each timer to fire next is a choice among those with the same
    deadline still due (a choice point when two or more remain). Option 0, the first
    created, is what asyncio does, so schedule 0 is plain asyncio.
    A `pb` plan takes its listed option at its listed points; under PCT every due timer
    gets a random priority when it comes due and the highest arrives first, with d-1 change
    points lowering the winner, as for threads."""

    def __init__(self, plan, record=False):
        self.kind = plan.kind
        self.preempts = dict(plan.preempts) if plan.kind == "pb" else {}
        self.decision = 0
        self.choices = [] if record else None
        self.changes = {}
        if plan.kind == "pct":
            rng = self.rng = random.Random(plan.seed)
            self.d = d = rng.choice((2, 3))
            k = max(plan.length, d)
            picks = sorted(rng.sample(range(1, k + 1), d - 1))
            self.changes = {p: d - 1 - j for j, p in enumerate(picks)}

    def on_due(self, timer):
        if self.kind == "pct":
            timer._k_prio = self.d + self.rng.random()

    def order(self, due):
        """`due` (deadline, then creation order) in the order the timers fire: timers with
        the same deadline in an explored order, different deadlines in deadline order."""
        out = []
        i = 0
        while i < len(due):
            j = i + 1
            while j < len(due) and due[j]._when == due[i]._when:
                j += 1
            same = due[i:j]
            while len(same) > 1:
                self.decision += 1
                k = self.decision
                if self.choices is not None:
                    self.choices.append((k, len(same) - 1))
                out.append(same.pop(self._pick(k, same)))
            out += same
            i = j
        return out

    def _pick(self, k, same):
        if self.kind == "pb":
            a = self.preempts.get(k)
            return a + 1 if a is not None and a + 1 < len(same) else 0
        if self.kind == "pct":
            top = _highest(same)
            low = self.changes.get(k)
            if low is None:
                return top
            same[top]._k_prio = float(low)
            return _highest(same)
        return 0


def _highest(timers):
    """Index of the first timer with the highest PCT priority."""
    best = 0
    for i in range(1, len(timers)):
        if timers[i]._k_prio > timers[best]._k_prio:
            best = i
    return best


def explore_async(make_coro, seed=0, schedules=200, max_steps=20000, stop_after_distinct=2):
    """Run make_coro() to completion on a fresh VirtualLoop once per schedule; returns
    Outcomes like explore(). Ready callbacks always run in FIFO order, as in asyncio;
    schedule 0 is plain asyncio, later schedules vary the order in which timers due at the
    same instant fire (single deviations, pairs, then PCT priorities; see _Arrivals)."""
    if not _installed[0]:
        install()
    _require_driver_thread()
    planner = _Planner(seed, schedules)
    out = Outcomes()
    with _GcPause() as gcp:
        for index in range(schedules):
            plan = planner.plan(index)
            S, order = _run_async_schedule(make_coro, plan, max_steps)
            planner.feedback(plan, order.choices or [], order.decision)
            out._add(S._k_text, index, plan.seed, S._k_steps, S.trace)
            if S.leaked:
                out.leaked.extend(S.leaked)
                break
            if index == 0 and not order.choices:
                break  # no two timers were ever due together: every schedule is this one
            if S.failure is not None and S.failure.startswith("no progress"):
                break  # already a failure, and each such schedule costs max_steps steps
            if stop_after_distinct and len(out) >= stop_after_distinct:
                break
            gcp.tick(index)
    return out


def _run_async_schedule(make_coro, plan, max_steps):
    global _S
    import asyncio
    import warnings

    A = _asyncio()
    S = Scheduler(_Strategy(_Plan("base", 0)), exploring=True, traced=True, max_steps=max_steps,
                  async_mode=True)
    main = S.add_main("loop")
    order = _Arrivals(plan, record=plan.record)
    old_trace = sys.gettrace()
    text = None
    _S = S
    loop = None
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*was never awaited")
            loop = A["VirtualLoop"](order=order, trace=S.trace, max_steps=max_steps)
            S.loop = loop
            asyncio.set_event_loop(loop)
            try:
                sys.settrace(S.make_tracer(main))
                try:
                    result = loop.run_until_complete(make_coro())
                    text = result if isinstance(result, str) else str(result)
                finally:
                    sys.settrace(old_trace)
            except _Abort:
                text = None
            except asyncio.CancelledError as e:
                text = "error " + _describe(e)
            except Exception as e:
                text = "error " + _describe(e)
            S._k_steps = loop._k_steps
            if S.failure is None and text is not None:
                notes = []
                for t in loop._k_tasks:
                    if t.done() and not t.cancelled() and getattr(t, "_log_traceback", False):
                        e = getattr(t, "_exception", None)
                        if e is not None and not isinstance(e, _Abort):
                            notes.append("%s raised %s" % (t.get_name(), _describe(e)))
                if notes:
                    text = text + "; " + "; ".join(notes)
            _async_cleanup(loop, S)
    finally:
        sys.settrace(old_trace)
        try:
            asyncio.set_event_loop(None)
        except Exception:
            pass
        S.restore_touched()
        _S = _ambient
    S._k_text = S.failure if S.failure is not None else (text if text is not None else "error: aborted")
    return S, order


def _async_cleanup(loop, S):
    """asyncio.run's ending, bounded: cancel what is pending, in creation order, let it
    unwind, close async generators, close the loop. Nothing here reaches the outcome."""
    import asyncio

    S.trace.on = False
    S.aborting = True
    loop._k_cleaning = True
    loop._k_max = loop._k_steps + 10000
    try:
        pending = [t for t in loop._k_tasks if not t.done()]
        for t in pending:
            t.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
    except BaseException:
        pass
    for t in loop._k_tasks:
        if t.done() and not t.cancelled():
            t._log_traceback = False
    try:
        loop.close()
    except BaseException:
        pass


# ----------------------------------------------------------------------------------------
# install / uninstall.

_installed = [False]
_restore_list = []


def _patch(obj, name, value):
    _restore_list.append((obj, name, getattr(obj, name, _MISSING)))
    setattr(obj, name, value)


_MISSING = object()

_THREADING_REPLACEMENTS = {
    "Thread": Thread, "Lock": Lock, "RLock": RLock, "Condition": Condition,
    "Semaphore": Semaphore, "BoundedSemaphore": BoundedSemaphore, "Event": Event,
    "Barrier": Barrier, "Timer": Timer, "current_thread": current_thread,
    "currentThread": current_thread, "get_ident": get_ident, "get_native_id": get_ident,
    "main_thread": main_thread, "active_count": active_count, "activeCount": active_count,
    "enumerate": _enumerate, "_MainThread": _MainThread,
}


def install(learner_path=None, *more_paths):
    """Put the learner's code under control. Call after compiling the learner's file and
    before importing it; more paths may be added by calling again."""
    for p in (learner_path,) + more_paths:
        if p:
            _files.add(p)
            _files.add(os.path.abspath(p))
    if _installed[0]:
        return
    _installed[0] = True
    for name, value in _THREADING_REPLACEMENTS.items():
        if hasattr(threading, name):
            _patch(threading, name, value)
    real_time = {id(v): n for n, v in _REAL_TIME.items()}
    for name in _TIME_NAMES:
        _patch(time, name, _TIME_REPLACEMENTS[name])
    me = sys.modules.get(__name__)
    for mod in list(sys.modules.values()):
        if mod is None or mod is me or mod is time or mod is threading:
            continue
        try:
            items = list(vars(mod).items())
        except TypeError:
            continue
        for attr, val in items:
            n = real_time.get(id(val))
            if n is not None and val is _REAL_TIME[n]:
                _patch(mod, attr, _TIME_REPLACEMENTS[n])
    import queue

    _patch(queue, "SimpleQueue", SimpleQueue)
    import asyncio
    import asyncio.runners as runners

    A = _asyncio()
    _restore_list.append((None, "policy", asyncio.get_event_loop_policy()))
    asyncio.set_event_loop_policy(A["KataPolicy"]())
    if hasattr(runners, "_cancel_all_tasks"):
        A["real_cancel_all"] = runners._cancel_all_tasks
        _patch(runners, "_cancel_all_tasks", A["cancel_all"])


def uninstall():
    """Restore every patched name (for tests). Learner files stay registered."""
    if not _installed[0]:
        return
    import asyncio

    while _restore_list:
        obj, name, old = _restore_list.pop()
        if obj is None:
            asyncio.set_event_loop_policy(old)
        elif old is _MISSING:
            delattr(obj, name)
        else:
            setattr(obj, name, old)
    _installed[0] = False
