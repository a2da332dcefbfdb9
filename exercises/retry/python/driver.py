"""Hidden driver for retry (Python).

Operations: new MAX INITIAL MAX_DELAY BASE JITTER [KINDS], new_defaults, new_defaults_attempts N,
call SCRIPT [RANDS], call_with SCRIPT ARGS KWPAIRS, received, attr NAME, wraps_original (see
cases.txt). Follow-up 1 (stages/1-deadline/cases.txt): new_deadline ... DEADLINE [KINDS],
attempt_takes DURATIONS, elapsed. Follow-up 2 (stages/2-async-retry-after/cases.txt, graded
under kata_conc): new_async ..., new_async_defaults, new_async_deadline ..., acall,
acall_cancel_at, acall_beside_ticker, acall_both, async_sleeps, is_coroutine_function.

Nothing sleeps: the learner's decorator gets this driver's `sleep`, which records each delay,
and `rand`, which returns scripted values and counts its calls. The decorated function is
scripted too: call n returns or raises what the case says, and every exception it raises is
remembered, so the driver can tell whether the caller got that very object back.

Follow-up 1 adds a fake monotonic clock (`clock`, starting at 100.0 s): only the driver's
`sleep` and the scripted calls (`attempt_takes`) move it forward.

Follow-up 2 decorates an `async def fetch_price` and runs it on kata_conc's virtual event loop
(`explore_async`), where time passes only while every task waits. The sleeps a call reports
are then the gaps on that clock between the end of one attempt and the start of the next,
whatever the learner's code awaited to make them. The driver's `async_sleep` records its
argument and awaits asyncio.sleep; its blocking `sleep` records and calls time.sleep, which
kata_conc makes a virtual sleep that blocks the loop (time passes, no task runs).
"""

import asyncio
import builtins
import contextvars
import inspect
import time

import kata_harness as k

REQUIRED = ("retry",)
ERROR_KINDS = ("TransientError", "RateLimited")


class TransientError(Exception):
    """A driver-defined retryable error, for subclass checks."""


class RateLimited(TransientError):
    """A subclass of TransientError."""


_CUSTOM = {"TransientError": TransientError, "RateLimited": RateLimited}


def _kind(name):
    """The exception class named in a case: a builtin or one of the driver's own."""
    cls = _CUSTOM.get(name) or getattr(builtins, name, None)
    if not (isinstance(cls, type) and issubclass(cls, BaseException)):
        raise k.NotRun("kata driver: unknown exception kind %r" % (name,))
    return cls


def _step(entry):
    """`ok:42` -> ("ok", 42); `ConnectionError` -> ("raise", ConnectionError)."""
    if entry.startswith("ok:"):
        return ("ok", int(entry[3:]))
    return ("raise", _kind(entry))


def _render_sleeps(sleeps):
    """[0.5, 1.0, 60.0 x192]: a run of 3 or more equal delays is written once with a count."""
    rendered = [k.render(float(d)) for d in sleeps]
    items = []
    i = 0
    while i < len(rendered):
        j = i
        while j < len(rendered) and rendered[j] == rendered[i]:
            j += 1
        if j - i >= 3:
            items.append("%s x%d" % (rendered[i], j - i))
        else:
            items.extend(rendered[i:j])
        i = j
    return "[" + ", ".join(items) + "]"


def _make_async_function(case):
    async def fetch_price(*args, **kwargs):
        """Fetch the latest price from the flaky pricing service."""
        return await case.async_attempt(args, kwargs)

    fetch_price.__qualname__ = "fetch_price"
    return fetch_price


# Follow-up 2: which caller (task) of the decorated async function is running.
_CALLER = contextvars.ContextVar("kata_retry_caller", default="main")


class _Caller:
    """One concurrent call of the decorated async function: its script and what it saw."""

    def __init__(self, script):
        self.script = [_step(entry) for entry in script]
        self.calls = 0
        self.starts = []  # loop time when each attempt started
        self.ends = []  # ... and ended (returned, raised or was cancelled)
        self.raised = []  # (exception object, call number)
        self.async_sleeps = []  # what the driver's async_sleep was awaited with
        self.blocking = []  # what the blocking sleep was called with

    def gaps(self):
        return [self.starts[i + 1] - self.ends[i] for i in range(len(self.starts) - 1)]


def _make_function(case):
    def fetch_price(*args, **kwargs):
        """Fetch the latest price from the flaky pricing service."""
        return case.attempt(args, kwargs)

    fetch_price.__qualname__ = "fetch_price"
    return fetch_price


class Case:
    def __init__(self, mod):
        self.mod = mod
        self.decorator = None
        self.function = None
        self.wrapped = None
        self.script = []
        self.rands = []
        self.now = 100.0  # the fake clock of follow-up 1: never reset within a case
        self.started_at = self.now
        self.durations = [0.0]  # how long call n of fetch_price takes (the last one repeats)
        self.elapsed = 0.0  # how long the last call took
        self.is_async = False  # follow-up 2: the decorator is applied to an async fetch_price
        self.callers = {}
        self.reset()

    def reset(self):
        self.calls = 0
        self.sleeps = []
        self.rand_calls = 0
        self.raised = []  # (exception object, call number)
        self.received = []  # (args, kwargs) per call

    # ---- what the learner's code calls ------------------------------------------------------

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        try:
            self.now += seconds
        except TypeError:
            pass  # not a number: the delay is reported as it is, the clock stays

    def clock(self):
        return self.now

    def rand(self):
        self.rand_calls += 1
        if not self.rands:
            return 0.5
        return self.rands[min(self.rand_calls, len(self.rands)) - 1]

    def attempt(self, args, kwargs):
        self.calls += 1
        self.received.append((args, kwargs))
        self.now += self.durations[min(self.calls, len(self.durations)) - 1]
        kind, value = self.script[min(self.calls, len(self.script)) - 1]
        if kind == "ok":
            return value
        exc = value("call %d failed" % self.calls)
        self.raised.append((exc, self.calls))
        raise exc

    # ---- operations --------------------------------------------------------------------------

    def op_new(self, max_attempts, initial_delay, max_delay, exponential_base, jitter, kinds=None):
        self.is_async = False
        self.decorator = self.function = self.wrapped = None
        kwargs = {}
        if kinds is not None:
            kwargs["exceptions"] = tuple(_kind(name) for name in kinds)
        self.decorator = self.mod.retry(
            max_attempts=max_attempts,
            initial_delay=initial_delay,
            max_delay=max_delay,
            exponential_base=exponential_base,
            jitter=jitter,
            sleep=self.sleep,
            rand=self.rand,
            **kwargs
        )
        return k.OK

    def op_new_defaults(self):
        self.is_async = False
        self.decorator = self.function = self.wrapped = None
        self.decorator = self.mod.retry(sleep=self.sleep, rand=self.rand)
        return k.OK

    def op_new_defaults_attempts(self, max_attempts):
        self.is_async = False
        self.decorator = self.function = self.wrapped = None
        self.decorator = self.mod.retry(max_attempts=max_attempts, sleep=self.sleep, rand=self.rand)
        return k.OK

    def target(self):
        """The decorated fetch_price, decorated on first use."""
        if self.wrapped is None:
            decorator = k.need(self.decorator)
            self.function = (_make_async_function if self.is_async else _make_function)(self)
            self.wrapped = decorator(self.function)
        return self.wrapped

    def op_call(self, script, rands=()):
        return self.run(script, rands, (), {})

    def op_call_with(self, script, args, kwpairs):
        kwargs = dict(zip(kwpairs[::2], kwpairs[1::2]))
        return self.run(script, (), tuple(args), kwargs)

    def run(self, script, rands, args, kwargs):
        target = self.target()
        self.script = [_step(entry) for entry in script]
        self.rands = list(rands)
        self.reset()
        self.started_at = self.now
        try:
            value = target(*args, **kwargs)
        except BaseException as exc:
            outcome = self.describe_failure(exc)
        else:
            outcome = "returned " + k.render(value)
        self.elapsed = float(self.now - self.started_at)
        return k.Text(
            "%s after %d call%s; sleeps %s; rand calls %d"
            % (
                outcome,
                self.calls,
                "" if self.calls == 1 else "s",
                _render_sleeps(self.sleeps),
                self.rand_calls,
            )
        )

    def describe_failure(self, exc):
        for raised, call in self.raised:
            if exc is raised:
                return "failed with %s from call %d" % (type(exc).__name__, call)
        if any(type(exc) is type(raised) for raised, _ in self.raised):
            return "failed with a new %s (not the exception object the function raised)" % (
                type(exc).__name__
            )
        if isinstance(exc, Exception):
            raise exc  # the learner's own error (a wrapper, a bug): reported with its location
        return "failed with %s, which the function never raised" % type(exc).__name__

    def op_received(self):
        calls = []
        for args, kwargs in self.received:
            items = [k.render(a) for a in args]
            items.extend("%s=%s" % (name, k.render(v)) for name, v in kwargs.items())
            calls.append("fetch_price(%s)" % ", ".join(items))
        return k.Text("; ".join(calls))

    # ---- follow-up 1: an overall deadline on an injected clock -------------------------------

    def op_new_deadline(
        self, max_attempts, initial_delay, max_delay, exponential_base, jitter, deadline, kinds=None
    ):
        self.is_async = False
        self.decorator = self.function = self.wrapped = None
        kwargs = {}
        if kinds is not None:
            kwargs["exceptions"] = tuple(_kind(name) for name in kinds)
        self.decorator = self.mod.retry(
            max_attempts=max_attempts,
            initial_delay=initial_delay,
            max_delay=max_delay,
            exponential_base=exponential_base,
            jitter=jitter,
            sleep=self.sleep,
            rand=self.rand,
            deadline=deadline,
            clock=self.clock,
            **kwargs
        )
        return k.OK

    def op_attempt_takes(self, durations):
        self.durations = [float(d) for d in durations] or [0.0]
        return k.OK

    def op_elapsed(self):
        """Seconds from the start of the last call to its end (follow-up 1: on the fake clock;
        follow-up 2: on the virtual event loop's clock)."""
        return float(self.elapsed)

    # ---- follow-up 2: async functions, under kata_conc's virtual event loop -----------------

    def _new_async(self, **settings):
        self.decorator = self.function = self.wrapped = None
        self.is_async = True
        self.decorator = self.mod.retry(
            sleep=self.blocking_sleep, rand=self.rand, **settings
        )
        return k.OK

    def op_new_async(
        self, max_attempts, initial_delay, max_delay, exponential_base, jitter, kinds=None
    ):
        kwargs = {}
        if kinds is not None:
            kwargs["exceptions"] = tuple(_kind(name) for name in kinds)
        return self._new_async(
            max_attempts=max_attempts,
            initial_delay=initial_delay,
            max_delay=max_delay,
            exponential_base=exponential_base,
            jitter=jitter,
            async_sleep=self.async_sleep,
            **kwargs
        )

    def op_new_async_defaults(self):
        """Only sleep and rand are passed: async_sleep keeps its default (asyncio.sleep)."""
        return self._new_async()

    def op_new_async_deadline(
        self, max_attempts, initial_delay, max_delay, exponential_base, jitter, deadline
    ):
        """The clock keeps its default (time.monotonic: the virtual loop's clock here)."""
        return self._new_async(
            max_attempts=max_attempts,
            initial_delay=initial_delay,
            max_delay=max_delay,
            exponential_base=exponential_base,
            jitter=jitter,
            async_sleep=self.async_sleep,
            deadline=deadline,
        )

    async def async_sleep(self, seconds):
        self.callers[_CALLER.get()].async_sleeps.append(seconds)
        await asyncio.sleep(seconds)

    def blocking_sleep(self, seconds):
        """The blocking `sleep` of an async case: it freezes the event loop while it sleeps."""
        caller = self.callers.get(_CALLER.get())
        if caller is None:  # a sync function decorated by new_async (not in the cases)
            return self.sleep(seconds)
        caller.blocking.append(seconds)
        if isinstance(seconds, (int, float)) and seconds > 0:
            time.sleep(seconds)

    async def async_attempt(self, args, kwargs):
        caller = self.callers[_CALLER.get()]
        loop = asyncio.get_running_loop()
        caller.calls += 1
        n = caller.calls
        self.received.append((args, kwargs))
        caller.starts.append(loop.time())
        try:
            duration = self.durations[min(n, len(self.durations)) - 1]
            if duration > 0:
                await asyncio.sleep(duration)
        finally:
            caller.ends.append(loop.time())
        kind, value = caller.script[min(n, len(caller.script)) - 1]
        if kind == "ok":
            return value
        exc = value("call %d failed" % n)
        caller.raised.append((exc, n))
        raise exc

    def _begin(self, rands, scripts):
        """Fresh state for one schedule (explore_async may run a scenario several times)."""
        self.reset()
        self.rands = list(rands)
        self.callers = {name: _Caller(script) for name, script in scripts}

    async def _outcome(self, name):
        """Calls the decorated function as caller `name` (in the current task) and describes
        what that caller saw."""
        _CALLER.set(name)
        caller = self.callers[name]
        try:
            result = self.target()()
            if inspect.isawaitable(result):
                result = await result
        except asyncio.CancelledError:
            outcome = "cancelled"
        except Exception as exc:
            outcome = self._async_failure(caller, exc)
        else:
            outcome = "returned " + k.render(result)
        text = "%s after %d call%s; sleeps %s" % (
            outcome,
            caller.calls,
            "" if caller.calls == 1 else "s",
            _render_sleeps(caller.gaps()),
        )
        if caller.blocking:
            text += "; blocking sleep() called %d time%s" % (
                len(caller.blocking),
                "" if len(caller.blocking) == 1 else "s",
            )
        return text

    def _async_failure(self, caller, exc):
        for raised, call in caller.raised:
            if exc is raised:
                return "failed with %s from call %d" % (type(exc).__name__, call)
        if any(type(exc) is type(raised) for raised, _ in caller.raised):
            return "failed with a new %s (not the exception object the function raised)" % (
                type(exc).__name__
            )
        raise exc  # the learner's own error (a wrapper, a bug): reported as an error

    def _explore(self, scenario):
        import kata_conc  # installed by the harness for a concurrency stage

        self.target()  # decorate once, outside the schedules
        return kata_conc.explore_async(scenario, seed=k.seed())

    def op_acall(self, script, rands=()):
        async def scenario():
            self._begin(rands, [("main", script)])
            loop = asyncio.get_running_loop()
            started = loop.time()
            text = await self._outcome("main")
            self.elapsed = loop.time() - started
            return "%s; rand calls %d" % (text, self.rand_calls)

        return self._explore(scenario)

    def op_acall_cancel_at(self, script, at, rands=()):
        """Starts the call as a task and cancels that task `at` seconds later."""

        async def scenario():
            self._begin(rands, [("main", script)])
            loop = asyncio.get_running_loop()
            started = loop.time()
            task = asyncio.ensure_future(self._outcome("main"))
            await asyncio.sleep(at)
            task.cancel()
            try:
                text = await task
            except asyncio.CancelledError:  # cancelled before the call even began
                text = "cancelled before the first call"
            self.elapsed = loop.time() - started
            return "%s; rand calls %d" % (text, self.rand_calls)

        return self._explore(scenario)

    def op_acall_beside_ticker(self, script, rands=()):
        """The call, while another task ticks at 0.25 s and then every 0.5 s."""

        async def scenario():
            self._begin(rands, [("main", script)])
            loop = asyncio.get_running_loop()
            started = loop.time()
            ticks = [0]

            async def ticker():
                await asyncio.sleep(0.25)
                while True:
                    ticks[0] += 1
                    await asyncio.sleep(0.5)

            other = asyncio.ensure_future(ticker())
            text = await self._outcome("main")
            self.elapsed = loop.time() - started
            other.cancel()
            return "%s; rand calls %d; ticker ran %d times" % (text, self.rand_calls, ticks[0])

        return self._explore(scenario)

    def op_acall_both(self, script_a, script_b):
        """Two concurrent calls of the one decorated function (callers a and b)."""

        async def scenario():
            self._begin((), [("a", script_a), ("b", script_b)])
            a, b = await asyncio.gather(self._outcome("a"), self._outcome("b"))
            return "a: %s | b: %s" % (a, b)

        return self._explore(scenario)

    def op_async_sleeps(self):
        """What the driver's async_sleep was awaited with during the last call."""
        return [float(d) for d in self.callers["main"].async_sleeps]

    def op_is_coroutine_function(self):
        return inspect.iscoroutinefunction(self.target())

    def op_attr(self, name):
        return getattr(self.target(), name, None)

    def op_wraps_original(self):
        target = self.target()
        return getattr(target, "__wrapped__", None) is self.function
