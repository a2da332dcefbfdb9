"""Hidden driver for singleton (Python).

The Python counterpart of Rust's `Once` is a class created with SingletonMeta: its first
successful call is the one-time initialisation, and `__init__` is the closure. The driver
creates the classes itself; their __init__ only records what happened.

Sequential operations (the learner's API on the driver's thread, still under kata_conc: a call
that would wait for ever raises DeadlockError):
  new [NAME [BASE]]      a fresh class NAME (default Config) created with SingletonMeta, a
                         subclass of the earlier class BASE (or of `dict`); it becomes the
                         current class
  new_using NAME INNER   a fresh class NAME whose __init__ creates the singleton INNER
  use NAME               makes the earlier class NAME the current one
  call_once ARGS...      calls the current class with ARGS: `ran` (its __init__ ran in this
                         call and the call returned that object) or `skipped` (__init__ did
                         not run and the call returned the instance built before)
  call_kw KEY VALUE      the same, with the keyword argument KEY=VALUE
  call_failing ARGS...   calls it with an __init__ that raises: `raised` (it ran and its
                         exception reached the caller) or `skipped`
  init_calls             how many times the current class's __init__ has run
  init_args              the arguments the __init__ of the current class's instance got

Scenarios (explored under kata_conc; the line summarises what every schedule must agree on,
so a correct SingletonMeta gives one line). N threads call the same class at once:
  race N                 every __init__ returns
  race_failing_first N   the first __init__ to start raises
  race_all_failing N     every __init__ raises
  race_subclass N        N threads call a class and N its subclass
  race_nested N          N threads call a class whose __init__ creates another singleton,
                         and N call that other class
The summary: `runs` __init__ calls, `raised` callers that got their own __init__'s exception,
`returned` callers whose call returned, `returned_early` callers whose call returned before
any __init__ had returned, `completed` whether a call made after every thread finished gets
the instance without running __init__ (Rust: is_completed()).
"""

import json
import threading
import time

import kata_conc
import kata_harness as k

REQUIRED = ("SingletonMeta",)
ERROR_KINDS = ("DeadlockError", "InitFailed")

PLANNED = "__init__ failed (an exception raised by the test)"

# Virtual seconds an __init__ of a scenario takes: the builder blocks, so the other callers
# arrive while it runs, even in the schedule without preemption. Costs no real time.
BUILD_SECONDS = 1.0


class InitFailed(Exception):
    """The exception the test's __init__ raises on purpose."""


def _make_class(meta, name, bases, init):
    """A class NAME created with the learner's metaclass, whose __init__ hands its instance and
    arguments to init(self, args, kwargs). Created like a class statement would."""
    if init is None:
        return meta(name, bases, {})

    def __init__(self, *args, **kwargs):
        init(self, args, kwargs)

    return meta(name, bases, {"__init__": __init__})


def _describe(exc):
    return k.describe(exc)[len("error "):]


# ---- sequential operations -----------------------------------------------------------------


class _Run:
    """One __init__ run: its class, instance and arguments; `ok` once it returned."""

    __slots__ = ("cls", "obj", "args", "kwargs", "ok", "error")

    def __init__(self, cls, obj, args, kwargs):
        self.cls, self.obj, self.args, self.kwargs = cls, obj, args, kwargs
        self.ok = False
        self.error = None


class Case:
    def __init__(self, mod):
        self.mod = mod
        self.classes = {}
        self.cls = None
        self.runs = []  # every __init__ run of the case, in order
        self.fail = None  # the class whose __init__ raises during call_failing
        self.instance = {}  # class -> the object its calls returned
        self.inner = {}  # class -> the singleton class its __init__ creates

    def _init(self, obj, args, kwargs):
        cls = type(obj)
        run = _Run(cls, obj, args, kwargs)
        self.runs.append(run)
        inner = self.inner.get(cls)
        if inner is not None:
            obj.inner = inner()
            self.instance.setdefault(inner, obj.inner)
        if self.fail is cls:
            run.error = InitFailed(PLANNED)
            raise run.error
        run.ok = True

    def _define(self, name, bases, init):
        self.cls = _make_class(self.mod.SingletonMeta, name, bases, init)
        self.classes[name] = self.cls
        return k.OK

    def op_new(self, name="Config", base=None):
        self.cls = None
        if base is None:
            bases = ()
        elif base == "dict":
            bases = (dict,)
        else:
            bases = (k.need(self.classes.get(base), "no class %s" % base),)
        # A subclass inherits the __init__ of its base.
        return self._define(name, bases, None if base not in (None, "dict") else self._init)

    def op_new_using(self, name, inner):
        self.cls = None
        inner_cls = k.need(self.classes.get(inner), "no class %s" % inner)
        self._define(name, (), self._init)
        self.inner[self.cls] = inner_cls
        return k.OK

    def op_use(self, name):
        self.cls = k.need(self.classes.get(name), "no class %s" % name)
        return k.OK

    def op_call_once(self, *args):
        return self._call(False, args, {})

    def op_call_kw(self, key, value):
        return self._call(False, (), {key: value})

    def op_call_failing(self, *args):
        return self._call(True, args, {})

    def op_init_calls(self):
        cls = k.need(self.cls)
        return sum(1 for run in self.runs if run.cls is cls)

    def op_init_args(self):
        cls = k.need(self.cls)
        obj = k.need(self.instance.get(cls), "no call of %s returned an instance" % cls.__name__)
        for run in reversed(self.runs):
            if run.obj is obj:
                return k.Text(
                    "args=%s kwargs=%s" % (k.render(list(run.args)), json.dumps(run.kwargs, sort_keys=True))
                )
        return k.Text("the instance's __init__ never ran")

    def _call(self, fail, args, kwargs):
        cls = k.need(self.cls)
        first = len(self.runs)
        self.fail = cls if fail else None
        try:
            obj = cls(*args, **kwargs)
        except InitFailed as e:
            mine = [run for run in self.runs[first:] if run.cls is cls]
            if fail and mine and e is mine[-1].error:
                return k.Text("raised")
            raise
        finally:
            self.fail = None
        mine = [run for run in self.runs[first:] if run.cls is cls]
        known = self.instance.get(cls)
        if mine:
            if fail:
                return k.Text("ran, but its exception did not reach the caller")
            if len(mine) > 1:
                return k.Text("ran, but __init__ ran %d times in this call" % len(mine))
            if obj is not mine[0].obj:
                return k.Text("ran, but the call returned another object than the one __init__ built")
            if known is not None:
                # A second instance: the earlier calls' instance is not kept.
                self.instance[cls] = obj
                return k.Text("ran (a second time: __init__ already ran for an earlier call)")
            self.instance[cls] = obj
            return k.Text("ran")
        if known is not None and obj is known:
            return k.Text("skipped")
        self.instance.setdefault(cls, obj)
        return k.Text("skipped, but " + self._what(cls, obj, known))

    def _what(self, cls, obj, known):
        """What a call that did not run __init__ returned instead of the class's instance."""
        for run in reversed(self.runs):
            if run.obj is obj:
                if not run.ok:
                    return "returned the object whose __init__ raised"
                if run.cls is not cls:
                    return "returned the instance of %s" % run.cls.__name__
                return "returned another object than the earlier calls"
        if not isinstance(obj, cls):
            return "returned %s" % _short(obj)
        if known is None:
            return "returned an object whose __init__ never ran"
        return "returned another object than the earlier calls"

    # ---- scenarios -------------------------------------------------------------------------

    def op_race(self, n):
        return _explore(n, lambda: _Race(self.mod.SingletonMeta, n, lambda run: False).run(False))

    def op_race_failing_first(self, n):
        return _explore(n, lambda: _Race(self.mod.SingletonMeta, n, lambda run: run == 0).run(True))

    def op_race_all_failing(self, n):
        return _explore(n, lambda: _Race(self.mod.SingletonMeta, n, lambda run: True).run(True))

    def op_race_subclass(self, n):
        return _explore(2 * n, lambda: _Race(self.mod.SingletonMeta, n, lambda run: False).run_two("subclass"))

    def op_race_nested(self, n):
        return _explore(2 * n, lambda: _Race(self.mod.SingletonMeta, n, lambda run: False).run_two("nested"))


def _short(obj):
    text = repr(obj)
    return text if len(text) <= 60 else text[:57] + "..."


# ---- scenarios -----------------------------------------------------------------------------


def _explore(threads, scenario):
    """Explores a scenario with the check's seed: its result is every distinct outcome. Budgets
    are counts of schedules, by the number of threads besides the main one: 30 for up to two,
    40 for three, 50 for more. A correct solution runs them all (about 1-4 ms each); every
    known mistake shows within the first 12, most in the schedule without preemption (each
    __init__ blocks for a while, so the other callers arrive while it runs)."""
    return kata_conc.explore(scenario, seed=k.seed(), schedules=_BUDGETS.get(threads, 50))


_BUDGETS = {1: 30, 2: 30, 3: 40}


class _Tally:
    """What happened to one class during a schedule (driver bookkeeping: plain Python in the
    driver's file, so it adds no preemption points)."""

    def __init__(self, name):
        self.name = name
        self.runs = 0  # __init__ calls started
        self.succeeded = False  # an __init__ has returned
        self.building = 0  # __init__ calls running now
        self.raised = 0  # callers that got their own __init__'s planned exception
        self.returned = 0  # callers whose call returned
        self.early = 0  # ... before any __init__ had returned
        self.objects = []  # what the returning callers got
        self.probing = False
        self.probe_ran = False

    def distinct(self):
        seen = []
        for obj in self.objects:
            if not any(obj is other for other in seen):
                seen.append(obj)
        return len(seen)


class _Race:
    def __init__(self, meta, n, fails):
        self.meta = meta
        self.n = n
        self.fails = fails  # fails(run index) -> whether that __init__ raises
        self.tallies = {}  # class -> _Tally
        self.notes = []  # exceptions other than the planned one

    def _cls(self, name, bases=(), own_init=True, inner=None):
        def init(obj, args, kwargs):
            tally = self.tallies[type(obj)]
            if tally.probing:
                tally.probe_ran = True
                return
            run = tally.runs
            tally.runs += 1
            if tally.succeeded:
                kata_conc.violation("__init__ again")  # an instance was already built
            elif tally.building:
                kata_conc.violation("2nd __init__")  # while another one runs: two instances
            tally.building += 1
            try:
                if inner is not None:
                    obj.inner = self._call(inner)
                # The build takes a while: the other callers arrive meanwhile.
                time.sleep(BUILD_SECONDS)
                if self.fails(run):
                    raise InitFailed(PLANNED)
                tally.succeeded = True
            finally:
                tally.building -= 1

        cls = _make_class(self.meta, name, bases, init if own_init else None)
        self.tallies[cls] = _Tally(name)
        return cls

    def _call(self, cls):
        """One caller: calls cls() and records how the call ended."""
        tally = self.tallies[cls]
        try:
            obj = cls()
        except InitFailed as e:
            if str(e) == PLANNED:
                tally.raised += 1
            else:
                self.notes.append("a caller of %s raised %s" % (tally.name, _describe(e)))
            return None
        except Exception as e:
            self.notes.append("a caller of %s raised %s" % (tally.name, _describe(e)))
            return None
        tally.returned += 1
        if not tally.succeeded:
            kata_conc.violation("returned early")  # no __init__ has returned yet
            tally.early += 1
        if tally.objects and not any(obj is other for other in tally.objects):
            kata_conc.violation("2nd instance")  # not the one an earlier caller got
        tally.objects.append(obj)
        return obj

    def _completed(self, cls):
        """Whether a call made now gets the instance without running __init__."""
        tally = self.tallies[cls]
        tally.probing = True
        try:
            obj = cls()
        except Exception as e:
            self.notes.append("a last call of %s raised %s" % (tally.name, _describe(e)))
            return False
        if not tally.probe_ran and tally.objects and not any(obj is o for o in tally.objects):
            self.notes.append("a last call of %s returned another instance" % tally.name)
        return not tally.probe_ran

    def _start(self, targets):
        threads = [threading.Thread(target=self._call, args=(cls,)) for cls in targets]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def _suffix(self, tallies):
        notes = []
        for tally in tallies:
            if tally.distinct() > 1:
                notes.append("callers of %s got %d different instances" % (tally.name, tally.distinct()))
        notes.extend(self.notes)
        return "".join("; " + note for note in notes)

    def run(self, with_failures):
        cls = self._cls("Config")
        tally = self.tallies[cls]
        self._start([cls] * self.n)
        completed = self._completed(cls)
        if with_failures:
            line = "runs=%d raised=%d returned=%d returned_early=%d completed=%s" % (
                tally.runs, tally.raised, tally.returned, tally.early, _bool(completed))
        else:
            line = "runs=%d returned_early=%d completed=%s" % (tally.runs, tally.early, _bool(completed))
        return line + self._suffix([tally])

    def run_two(self, shape):
        if shape == "subclass":
            first = self._cls("Base")
            second = self._cls("Child", (first,), own_init=False)
        else:
            second = self._cls("Config")
            first = self._cls("Service", inner=second)
        self._start([first, second] * self.n)
        parts = []
        for cls in (first, second):
            tally = self.tallies[cls]
            parts.append("%s: runs=%d instances=%d returned_early=%d" % (
                tally.name, tally.runs, tally.distinct(), tally.early))
        return "; ".join(parts) + self._suffix([self.tallies[first], self.tallies[second]])


def _bool(value):
    return "true" if value else "false"
