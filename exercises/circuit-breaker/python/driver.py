"""Hidden driver for circuit-breaker (Python).

Operations: new THRESHOLD TIMEOUT, new_defaults, clock T, state, call OUTCOME,
call_with OUTCOME ARGS KWPAIRS, received (see cases.txt).
Follow-up 1 (trial calls and a failure-rate window): new_trials THRESHOLD TIMEOUT TRIALS,
new_rate TIMEOUT RATE WINDOW MIN_CALLS TRIALS, and the probe workload rate_window.

Nothing sleeps: the breaker gets this driver's `clock`, a fake that returns the time the case
last set with `clock T` (0.0 at first), however often it is read. The function passed to
`call` is scripted: it returns or raises what the case says and counts its calls, and the
driver remembers the exception it raised, so it can tell whether the caller got that very
object back.
"""

import builtins

import kata_harness as k

REQUIRED = ("CircuitBreaker", "CircuitOpenError")
ERROR_KINDS = ("ServiceError",)


class ServiceError(Exception):
    """A driver-defined failure that is not a builtin exception."""


_CUSTOM = {"ServiceError": ServiceError}


def _kind(name):
    """The exception class named in a case: a builtin or one of the driver's own."""
    cls = _CUSTOM.get(name) or getattr(builtins, name, None)
    if not (isinstance(cls, type) and issubclass(cls, BaseException)):
        raise k.NotRun("kata driver: unknown exception kind %r" % (name,))
    return cls


def _step(outcome):
    """`ok:42` -> ("ok", 42); `ConnectionError` -> ("raise", ConnectionError)."""
    if outcome.startswith("ok:"):
        return ("ok", int(outcome[3:]))
    return ("raise", _kind(outcome))


def _called(count):
    if count == 0:
        return "not called"
    if count == 1:
        return "called"
    return "called %d times" % count


class Case:
    def __init__(self, mod):
        self.mod = mod
        self.breaker = None
        self.now = 0.0
        self.received = []  # (args, kwargs) per call of the function in the latest call

    def clock(self):
        """The fake clock handed to the breaker."""
        return self.now

    # ---- operations --------------------------------------------------------------------------

    def op_new(self, failure_threshold, recovery_timeout):
        self.breaker = None  # a failed constructor leaves no breaker behind
        self.breaker = self.mod.CircuitBreaker(
            failure_threshold=failure_threshold,
            recovery_timeout=recovery_timeout,
            clock=self.clock,
        )
        return k.OK

    def op_new_defaults(self):
        self.breaker = None
        self.breaker = self.mod.CircuitBreaker(clock=self.clock)
        return k.OK

    def op_clock(self, now):
        self.now = now
        return k.OK

    def op_state(self):
        value = k.need(self.breaker).state
        if callable(value):
            return k.Text("a method, not a value: state must be a @property")
        return value

    def op_call(self, outcome):
        return self.run(outcome, (), {})

    def op_call_with(self, outcome, args, kwpairs):
        kwargs = dict(zip(kwpairs[::2], kwpairs[1::2]))
        return self.run(outcome, tuple(args), kwargs)

    def op_received(self):
        calls = []
        for args, kwargs in self.received:
            items = [k.render(a) for a in args]
            items.extend("%s=%s" % (name, k.render(v)) for name, v in kwargs.items())
            calls.append("charge(%s)" % ", ".join(items))
        return k.Text("; ".join(calls) if calls else "no call")

    # ---- one call through the breaker ---------------------------------------------------------

    def run(self, outcome, args, kwargs):
        breaker = k.need(self.breaker)
        kind, value = _step(outcome)
        received = []
        raised = []

        def charge(*args, **kwargs):
            """Charge a card through the flaky payment provider (scripted by the case)."""
            received.append((args, kwargs))
            if kind == "ok":
                return value
            exc = value("charge failed at t=%s" % k.render(self.now))
            raised.append(exc)
            raise exc

        self.received = received
        try:
            result = breaker.call(charge, *args, **kwargs)
        except BaseException as exc:
            what = self.describe_failure(exc, raised)
        else:
            what = "returned " + k.render(result)
        return k.Text("%s: %s" % (_called(len(received)), what))

    def describe_failure(self, exc, raised):
        if any(exc is r for r in raised):
            return "failed with %s" % type(exc).__name__
        refused = getattr(self.mod, "CircuitOpenError", None)
        if isinstance(refused, type) and isinstance(exc, refused):
            return "refused"
        if any(type(exc) is type(r) for r in raised):
            return "failed with a new %s (not the exception object func raised)" % (
                type(exc).__name__
            )
        if isinstance(exc, Exception):
            raise exc  # the learner's own error (a wrapper, a bug): reported with its location
        return "failed with %s, which func never raised" % type(exc).__name__

    # ---- follow-up 1: trial calls and a failure-rate window ----------------------------------

    def op_new_trials(self, failure_threshold, recovery_timeout, trial_calls):
        self.breaker = None
        self.breaker = self.mod.CircuitBreaker(
            failure_threshold=failure_threshold,
            recovery_timeout=recovery_timeout,
            clock=self.clock,
            trial_calls=trial_calls,
        )
        return k.OK

    def op_new_rate(self, recovery_timeout, failure_rate, window, min_calls, trial_calls):
        self.breaker = None
        self.breaker = self.mod.CircuitBreaker(
            recovery_timeout=recovery_timeout,
            clock=self.clock,
            failure_rate=failure_rate,
            window=window,
            min_calls=min_calls,
            trial_calls=trial_calls,
        )
        return k.OK


RATE_BATCH = 400  # calls per timed batch of rate_window
_MASK = (1 << 64) - 1


def probe_rate_window(mod, size, budget):
    """A breaker on the failure-rate rule whose window holds `size` calls: one call per second,
    window = size seconds, every fourth call failing (a 25% rate, below the 75% that opens it;
    min_calls 1). Built with `size` calls, then timed in the steady state: every call adds one
    to the window and pushes the oldest out, and every fourth is a failure that has the rate
    checked. Counting the window's calls again on every call (or keeping every call ever made
    and filtering it) is O(calls in the window) per call."""
    now = [0.0]
    breaker = mod.CircuitBreaker(
        recovery_timeout=60.0,
        clock=lambda: now[0],
        failure_rate=0.75,
        window=float(size),
        min_calls=1,
    )
    refused = mod.CircuitOpenError

    def ok():
        return 1

    def fail():
        raise ConnectionError("down")

    def one(i):
        now[0] = float(i)
        try:
            return breaker.call(fail if i % 4 == 3 else ok)
        except ConnectionError:
            return 2
        except refused:
            return 3

    for i in range(size):
        one(i)
        if i % 512 == 0:
            budget.check(i)
    state = {"next": size}

    def batch():
        start = state["next"]
        check = 0
        for i in range(start, start + RATE_BATCH):
            check = (check * 5 + one(i)) & _MASK
            if i % 64 == 0:
                budget.check(None)  # a breaker that scans its window is abandoned in time
        state["next"] = start + RATE_BATCH
        return RATE_BATCH, check

    return batch
