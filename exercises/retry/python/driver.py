"""Hidden driver for retry (Python).

Operations: new MAX INITIAL MAX_DELAY BASE JITTER [KINDS], new_defaults, new_defaults_attempts N,
call SCRIPT [RANDS], call_with SCRIPT ARGS KWPAIRS, received, attr NAME, wraps_original (see
cases.txt).

Nothing sleeps: the learner's decorator gets this driver's `sleep`, which records each delay,
and `rand`, which returns scripted values and counts its calls. The decorated function is
scripted too: call n returns or raises what the case says, and every exception it raises is
remembered, so the driver can tell whether the caller got that very object back.
"""

import builtins

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

    def rand(self):
        self.rand_calls += 1
        if not self.rands:
            return 0.5
        return self.rands[min(self.rand_calls, len(self.rands)) - 1]

    def attempt(self, args, kwargs):
        self.calls += 1
        self.received.append((args, kwargs))
        kind, value = self.script[min(self.calls, len(self.script)) - 1]
        if kind == "ok":
            return value
        exc = value("call %d failed" % self.calls)
        self.raised.append((exc, self.calls))
        raise exc

    # ---- operations --------------------------------------------------------------------------

    def op_new(self, max_attempts, initial_delay, max_delay, exponential_base, jitter, kinds=None):
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
        self.decorator = self.function = self.wrapped = None
        self.decorator = self.mod.retry(sleep=self.sleep, rand=self.rand)
        return k.OK

    def op_new_defaults_attempts(self, max_attempts):
        self.decorator = self.function = self.wrapped = None
        self.decorator = self.mod.retry(max_attempts=max_attempts, sleep=self.sleep, rand=self.rand)
        return k.OK

    def target(self):
        """The decorated fetch_price, decorated on first use."""
        if self.wrapped is None:
            decorator = k.need(self.decorator)
            self.function = _make_function(self)
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
        try:
            value = target(*args, **kwargs)
        except BaseException as exc:
            outcome = self.describe_failure(exc)
        else:
            outcome = "returned " + k.render(value)
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

    def op_attr(self, name):
        return getattr(self.target(), name, None)

    def op_wraps_original(self):
        target = self.target()
        return getattr(target, "__wrapped__", None) is self.function
