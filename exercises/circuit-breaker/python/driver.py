"""Hidden driver for circuit-breaker (Python).

Operations: new THRESHOLD TIMEOUT, new_defaults, clock T, state, call OUTCOME,
call_with OUTCOME ARGS KWPAIRS, received (see cases.txt).

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
