"""kata's Python harness: runs an exercise's hidden driver against the learner's module.

kata runs:  python3 kata_harness.py INPUT NONCE LEARNER_FILE MODULE MEMORY_MIB < RESULTS
The results channel is stdin: an unnamed file kata opened for writing, taken here before the
learner's code loads (stdin then reads /dev/null). The protocol (input lines, result lines,
output markers) is described in kata's src/runner/protocol.rs. A driver (driver.py, next to this file) defines:

    REQUIRED = ("LRUCache",)    # names the learner's module must define
    ERROR_KINDS = ()            # exception class names reported by name (e.g. "CycleError")
    class Case:                 # fresh for every case; op_<name>(*args) per operation
        def __init__(self, mod): ...
    def probe_<workload>(mod, size, budget): ...  # returns nanoseconds per operation

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

    def __init__(self, ms):
        self.deadline = time.perf_counter() + ms / 1000.0

    def check(self, reached):
        if time.perf_counter() > self.deadline:
            raise ProbeTooSlow(reached)


def measure(batch, budget, repeats=5):
    """Best nanoseconds per operation over `repeats` runs of batch(), which returns how many
    operations it performed. The minimum is the figure least disturbed by other processes."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter_ns()
        count = batch()
        elapsed = time.perf_counter_ns() - start
        best = min(best, elapsed / max(count, 1))
        budget.check(None)
    return best


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


_state = {"kinds": (), "learner": None}


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


def learner_location(exc):
    """file:line of the innermost frame of the traceback in the learner's file."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _state["learner"]:
            found = tb.tb_lineno
        tb = tb.tb_next
    if found is None:
        return None
    return "%s:%d" % (os.path.basename(_state["learner"]), found)


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

    with open(input_path, encoding="utf-8") as f:
        requests = [json.loads(line) for line in f if line.strip()]
    for request in requests:
        if "case" in request:
            run_case(driver, module, request, emit, mark)
        else:
            run_probe(driver, module, request, emit)
    sys.stdout.flush()
    sys.stderr.flush()
    emit({"t": "done"})
    results.close()


def run_case(driver, module, request, emit, mark):
    index = request["case"]
    emit({"t": "case", "i": index})
    mark(index)
    state = None
    for op in request["ops"]:
        name, args = op[0], op[1:]
        try:
            if state is None:
                state = driver.Case(module)
            text = render(getattr(state, "op_" + name)(*args))
            emit({"t": "r", "v": text})
        except NotRun as e:
            emit({"t": "r", "v": "not run: %s" % e})
        except MemoryError as e:
            emit({"t": "memory"})
            emit({"t": "r", "v": describe(e), "at": learner_location(e)})
        except Exception as e:
            emit({"t": "r", "v": describe(e), "at": learner_location(e)})


def run_probe(driver, module, request, emit):
    sample = {"t": "probe", "i": request["probe"], "size": request["size"]}
    workload = getattr(driver, "probe_" + request["workload"])
    gc.collect()
    gc.disable()
    try:
        sample["ns"] = workload(module, request["size"], Budget(request["budget_ms"]))
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
