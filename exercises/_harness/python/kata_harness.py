"""kata's Python harness: runs an exercise's hidden driver against the learner's module.

kata runs:  python3 kata_harness.py INPUT NONCE LEARNER_FILE MODULE MEMORY_MIB [concurrent] < RESULTS
The results channel is stdin: an unnamed file kata opened for writing, taken here before the
learner's code loads (stdin then reads /dev/null). The protocol (input lines, result lines,
output markers) is described in kata's src/runner/protocol.rs. A driver (driver.py, next to this file) defines:

    REQUIRED = ("LRUCache",)    # names the learner's module must define
    ERROR_KINDS = ()            # exception class names reported by name (e.g. "CycleError")
    class Case:                 # fresh for every case; op_<name>(*args) per operation
        def __init__(self, mod): ...
    def probe_<workload>(mod, size, budget): ...  # builds the workload, returns its batch

A probe's batch performs one timed round of operations and returns (count, check): how many
operations it did and an integer folded from their results. The harness times it itself (the
clock and the timing loop are bound before the learner's module loads, so the module cannot
replace them) and folds every batch's check into a digest, which kata compares with the
reference's (exercises/<slug>/digests.toml): a solution that behaves differently when measured
does not pass.

Operations return OK (rendered "ok"), Text("verbatim") or a plain value, which is rendered
the same way by every language's harness: true/false, null, integers, floats with at least one
decimal, JSON strings, and [a, b] lists.
"""

import builtins
import gc
import json
import os
import sys
import time
import types

# Bound before the learner's module loads: the probe's clock cannot be replaced from it. It is
# the CPU time of the thread running the workload, not the wall clock: on a busy machine the
# wall clock also counts the time other processes ran. Not the process's CPU time either: the
# sandbox's RLIMIT_CPU arms the kernel's process CPU timer, and that clock then advances in
# scheduler ticks (4 ms), coarser than a small batch.
_perf_ns = time.thread_time_ns
_perf = time.thread_time


class _Ok:
    def __repr__(self):
        return "OK"


OK = _Ok()


class Text(str):
    """A result line written verbatim (not quoted like a string result)."""


class NotRun(Exception):
    """Raised by a driver for an operation it cannot run, e.g. after the constructor failed.
    Reported as `not run: <why>`."""


def need(obj, why="the constructor failed or was not called"):
    """`obj` if it exists, else NotRun (so one failed constructor is not reported as a cascade
    of confusing errors about None)."""
    if obj is None:
        raise NotRun(why)
    return obj


class ProbeTooSlow(BaseException):
    """Raised by Budget.check when building a probe's workload takes too long. A
    BaseException, so a learner's `except Exception` (around a callback, say) cannot swallow
    it."""

    def __init__(self, reached):
        BaseException.__init__(self, reached)
        self.reached = reached


class Budget:
    """The time a probe may spend on one size."""

    def __init__(self, ms, clock=_perf):
        self._clock = clock
        self.deadline = clock() + ms / 1000.0

    def check(self, reached):
        if self._clock() > self.deadline:
            raise ProbeTooSlow(reached)


class Timed:
    """What a probe function returns when its batch should run other than 5 times."""

    def __init__(self, batch, repeats):
        self.batch = batch
        self.repeats = repeats


_MASK = (1 << 64) - 1


def _measure(timed, budget, clock=_perf_ns):
    """(best nanoseconds per operation, digest) over the batches: the minimum is the figure
    least disturbed by other processes; the digest folds every batch's check."""
    if not isinstance(timed, Timed):
        timed = Timed(timed, 5)
    best = float("inf")
    digest = 0
    for _ in range(timed.repeats):
        start = clock()
        count, check = timed.batch()
        elapsed = clock() - start
        best = min(best, elapsed / max(count, 1))
        digest = (digest * 1000003 + (int(check) & _MASK)) & _MASK
        budget.check(None)
    return best, "%016x" % digest


def render(value):
    if value is OK:
        return "ok"
    if isinstance(value, Text):
        return str(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value == value and abs(value) < 1e16 and value == int(value):
            return "%.1f" % value
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(render(v) for v in value) + "]"
    return repr(value)


_state = {"kinds": (), "learner": None, "seed": 0}


def _position(value):
    """A line or column for the report, or None: CPython gives 0 or -1 for an unknown end
    (an unexpected indent, a TabError, a bracket still open at the end of the file)."""
    return value if isinstance(value, int) and value > 0 else None


def error_kind(exc):
    """The name to report for an exception: the first class in its MRO that the driver lists
    in ERROR_KINDS, else the first that is a builtin exception. A learner's
    `class Full(ValueError)` is reported as ValueError; with "LookupError" in ERROR_KINDS an
    IndexError (a LookupError) is reported as LookupError, since the API only promises that."""
    mro = type(exc).__mro__
    for cls in mro:
        if cls.__name__ in _state["kinds"]:
            return cls.__name__
    for cls in mro:
        if getattr(builtins, cls.__name__, None) is cls:
            return cls.__name__
    return type(exc).__name__


def describe(exc):
    message = " ".join(str(exc).split())
    if len(message) > 200:
        message = message[:197] + "..."
    kind = error_kind(exc)
    return "error " + kind + (": " + message if message else "")


def learner_frames(exc):
    """file:line of each frame of the traceback in the learner's file, outermost first."""
    frames = []
    tb = exc.__traceback__
    name = os.path.basename(_state["learner"])
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _state["learner"]:
            frames.append("%s:%d" % (name, tb.tb_lineno))
        tb = tb.tb_next
    return frames


def error_result(exc):
    """The result line of an operation that raised, with where in the learner's file."""
    result = {"t": "r", "v": describe(exc)}
    frames = learner_frames(exc)
    if frames:
        result["at"] = frames[-1]
        result["tb"] = frames[-8:]
    return result


def learner_traceback(exc):
    import traceback

    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if f.filename == _state["learner"]
    ]
    lines = traceback.format_list(frames)
    lines.extend(traceback.format_exception_only(type(exc), exc))
    return "".join(lines)


def main():
    input_path, nonce, learner_path, module_name, memory_mib = sys.argv[1:6]
    concurrent = sys.argv[6:7] == ["concurrent"]
    del sys.argv[1:]
    results = os.fdopen(os.dup(0), "w", encoding="utf-8", buffering=1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)

    def emit(obj):
        results.write(json.dumps(obj) + "\n")

    def mark(index):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.write("\x1ekata:%s:%d\n" % (nonce, index))
                stream.flush()
            except Exception:
                pass

    try:
        import resource

        limit = int(memory_mib) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except Exception:
        pass  # not available on this platform: run without a memory limit

    _state["learner"] = learner_path
    with open(learner_path, "rb") as f:
        source = f.read()
    try:
        code = compile(source, learner_path, "exec", dont_inherit=True)
    except SyntaxError as e:
        emit(
            {
                "t": "syntax",
                "kind": type(e).__name__,  # SyntaxError, IndentationError or TabError
                "line": _position(e.lineno),
                "col": _position(e.offset),
                "end_col": _position(getattr(e, "end_offset", None)),
                "msg": e.msg,
                "text": e.text,
            }
        )
        return
    except ValueError as e:  # e.g. a NUL byte in the source
        emit({"t": "syntax", "line": None, "col": None, "msg": str(e), "text": None})
        return

    import driver  # next to this file; imported before the learner's folder is on the path

    # Bound here, before the learner's module loads, so it cannot swap them through
    # sys.modules: the runners and the probe's timing loop.
    measure, case_runner, probe_runner = _measure, run_case, run_probe

    with open(input_path, encoding="utf-8") as f:
        requests = [json.loads(line) for line in f if line.strip()]
    # Cases run under kata's scheduler, probes never: its clock is virtual.
    if concurrent and any("case" in request for request in requests):
        # The learner's threads, locks, sleeps and event loops run under kata's scheduler
        # (kata_conc.py, next to this file): installed before the learner's module loads, so
        # `from threading import Lock` there gets the controlled one.
        import kata_conc

        kata_conc.install(learner_path)

    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    _state["kinds"] = tuple(getattr(driver, "ERROR_KINDS", ()))
    module = types.ModuleType(module_name)
    module.__file__ = learner_path
    sys.modules[module_name] = module
    sys.path.insert(0, os.path.dirname(learner_path))
    try:
        exec(code, module.__dict__)
    except Exception as e:
        emit({"t": "import_error", "error": describe(e)[6:], "traceback": learner_traceback(e)})
        return
    missing = [name for name in getattr(driver, "REQUIRED", ()) if not hasattr(module, name)]
    if missing:
        emit({"t": "missing", "names": missing})
        return

    for request in requests:
        if "case" in request:
            case_runner(driver, module, request, emit, mark)
        else:
            probe_runner(driver, module, request, emit, measure)
    sys.stdout.flush()
    sys.stderr.flush()
    emit({"t": "done"})
    results.close()


def seed():
    """The seed kata gives the cases (`kata check --seed N`), for a driver's exploration of
    schedules: `kata_conc.explore(scenario, seed=k.seed())`."""
    return _state["seed"]


def run_case(driver, module, request, emit, mark):
    index = request["case"]
    _state["seed"] = request.get("seed", 0)
    emit({"t": "case", "i": index})
    mark(index)
    state = None
    for op in request["ops"]:
        name, args = op[0], op[1:]
        try:
            if state is None:
                state = driver.Case(module)
            result = getattr(state, "op_" + name)(*args)
            if callable(getattr(result, "to_json", None)):
                # The distinct outcomes of exploring schedules (kata_conc.Outcomes): kata
                # compares every one with the expected result.
                emit({"t": "r", "v": "", "outcomes": result.to_json()})
            else:
                emit({"t": "r", "v": render(result)})
        except NotRun as e:
            emit({"t": "r", "v": "not run: %s" % e})
        except MemoryError as e:
            emit({"t": "memory"})
            emit(error_result(e))
        except Exception as e:
            emit(error_result(e))


def run_probe(driver, module, request, emit, measure):
    sample = {"t": "probe", "i": request["probe"], "size": request["size"]}
    workload = getattr(driver, "probe_" + request["workload"])
    gc.collect()
    gc.disable()
    try:
        budget = Budget(request["budget_ms"])
        sample["ns"], sample["digest"] = measure(
            workload(module, request["size"], budget), budget
        )
    except ProbeTooSlow as e:
        sample["aborted"] = True
        sample["reached"] = e.reached
    except MemoryError as e:
        emit({"t": "memory"})
        sample["error"] = describe(e)
    except Exception as e:
        sample["error"] = describe(e)
    finally:
        gc.enable()
    emit(sample)


if __name__ == "__main__":
    sys.modules["kata_harness"] = sys.modules["__main__"]
    sys.dont_write_bytecode = True
    main()
