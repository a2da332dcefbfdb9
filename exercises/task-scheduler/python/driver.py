"""Hidden driver for task-scheduler (Python).

Operations (one scheduler per case, created on first use):
  add NAME [PRIORITY [DEPS [MAX_RETRIES]]]  add_task with exactly the arguments given
  fail NAME N          the next N calls of execute(NAME) raise (a scripted failure)
  returns NAME VALUE   execute(NAME) returns VALUE when it succeeds (default None)
  watch NAME OTHER     whenever execute(NAME) is called, record status(OTHER) at that moment
  run                  run(execute): the returned list, or the error
  run_error_names NAME run(execute) again: whether the error it raises mentions NAME
  executed             the names execute was called with since the last `executed`
  seen                 the statuses recorded by `watch`, in order
  status NAME          status(NAME)
  statuses [NAMES]     [status(name) for each name]
  chain P N            adds P0, P1, .., P<N-1> (priority 0), each depending on the one before
  chain_backward P N   the same chain, added last task first (each before its dependency)
  cycle P N            the chain of `chain P N`, closed: P0 depends on P<N-1>
  run_summary          run(execute), summarised: "N completed, first "P0", last "P9"" (for
                       runs too long to list), or the error
Follow-up 1 (stages/1-parallel-workers):
  add_timed NAME PRIORITY DEPS MAX_RETRIES DURATION   add_task(..., duration=DURATION)
  run_parallel W       run_parallel(W, execute): [[name, finish time], ...], or the error
  run_parallel_summary W   the same, summarised like run_summary
Follow-up 2 (stages/2-cancel):
  cancel NAME          cancel(NAME)
"""

import kata_harness as k

REQUIRED = ("TaskScheduler", "CycleError")
ERROR_KINDS = ("CycleError",)


class ScriptedFailure(Exception):
    """What the driver's execute raises for a scripted failed attempt."""


class Case:
    def __init__(self, mod):
        self.mod = mod
        self.scheduler = mod.TaskScheduler()
        self.failures = {}  # name -> how many of the next calls fail
        self.results = {}  # name -> what execute returns on success
        self.watches = []  # (name, other)
        self.calls = []
        self.seen = []

    def execute(self, name):
        self.calls.append(name)
        for who, other in self.watches:
            if who == name:
                try:
                    self.seen.append(self.scheduler.status(other))
                except Exception as e:  # report, do not fail the attempt
                    self.seen.append(k.describe(e))
        left = self.failures.get(name, 0)
        if left > 0:
            self.failures[name] = left - 1
            raise ScriptedFailure("scripted failure of %r" % (name,))
        return self.results.get(name)

    def op_add(self, name, *rest):
        args = list(rest)
        if len(args) >= 2:
            args[1] = list(args[1])
        self.scheduler.add_task(name, *args)
        return k.OK

    def op_fail(self, name, times):
        self.failures[name] = times
        return k.OK

    def op_returns(self, name, value):
        self.results[name] = value
        return k.OK

    def op_watch(self, name, other):
        self.watches.append((name, other))
        return k.OK

    def op_run(self):
        return list(self.scheduler.run(self.execute))

    def op_run_error_names(self, name):
        try:
            result = self.scheduler.run(self.execute)
        except Exception as e:
            return name in str(e)
        return list(result)

    def op_executed(self):
        calls, self.calls = self.calls, []
        return calls

    def op_seen(self):
        return list(self.seen)

    def op_status(self, name):
        return self.scheduler.status(name)

    def op_statuses(self, names):
        return [self.scheduler.status(name) for name in names]

    def _chain(self, prefix, n, backward=False, closed=False):
        names = ["%s%d" % (prefix, i) for i in range(n)]
        for i in range(n - 1, -1, -1) if backward else range(n):
            if i > 0:
                deps = [names[i - 1]]
            else:
                deps = [names[n - 1]] if closed else []
            self.scheduler.add_task(names[i], 0, deps)
        return k.OK

    def op_chain(self, prefix, n):
        return self._chain(prefix, n)

    def op_chain_backward(self, prefix, n):
        return self._chain(prefix, n, backward=True)

    def op_cycle(self, prefix, n):
        return self._chain(prefix, n, closed=True)

    def op_run_summary(self):
        done = list(self.scheduler.run(self.execute))
        if not done:
            return k.Text("0 completed")
        return k.Text(
            "%d completed, first %s, last %s" % (len(done), k.render(done[0]), k.render(done[-1]))
        )


    # ---- follow-up 1: N workers, task durations, simulated time ----------------------------

    def op_add_timed(self, name, priority, deps, max_retries, duration):
        self.scheduler.add_task(name, priority, list(deps), max_retries, duration=duration)
        return k.OK

    def op_run_parallel(self, workers):
        return list(self.scheduler.run_parallel(workers, self.execute))

    def op_run_parallel_summary(self, workers):
        done = list(self.scheduler.run_parallel(workers, self.execute))
        if not done:
            return k.Text("0 completed")
        return k.Text(
            "%d completed, first %s, last %s" % (len(done), k.render(done[0]), k.render(done[-1]))
        )

    # ---- follow-up 2: cancelling a task and its dependents --------------------------------

    def op_cancel(self, name):
        return self.scheduler.cancel(name)


# ---- complexity probe -------------------------------------------------------------------------


CHAINS = 4
MASK = (1 << 64) - 1


def graph(size):
    """A graph both wide and deep, as (name, priority, deps, max_retries) in insertion order.

    Even positions are independent tasks with varied priorities (half the graph is ready at
    once); odd positions form CHAINS long chains (each task depends on the previous task of its
    chain and on the independent task added just before it). The first task of chain 0 always
    fails after one retry, so its whole chain (size / 8 tasks) is skipped."""
    names = ["t%d" % i for i in range(size)]
    tasks = []
    for i in range(size):
        if i % 2 == 0:
            tasks.append((names[i], (i * 7919) % 1009 - 504, (), 0))
        else:
            deps = [names[i - 1]]
            if i >= 2 * CHAINS + 1:
                deps.append(names[i - 2 * CHAINS])
            tasks.append((names[i], (i * 31) % 97, deps, 1 if i == 1 else 0))
    return tasks, names[1]


def probe_scheduler_mix(mod, size, budget):
    """Times add_task for `size` tasks plus one run over them, per task. The check folds the
    order run returned (each task as its position in the graph, plus one) and the number of
    execute calls."""
    tasks, failing = graph(size)
    number = {name: i + 1 for i, (name, _, _, _) in enumerate(tasks)}

    def batch():
        scheduler = mod.TaskScheduler()
        for n, (name, priority, deps, retries) in enumerate(tasks):
            scheduler.add_task(name, priority, deps, retries)
            if n % 512 == 0:
                budget.check(n)
        calls = [0]

        def execute(name):
            calls[0] += 1
            if calls[0] % 16 == 0:
                # ProbeTooSlow is a BaseException: the learner's `except Exception` around
                # execute cannot mistake it for a failed attempt.
                budget.check(calls[0])
            if name == failing:
                raise ScriptedFailure("scripted failure")

        check = 0
        for name in scheduler.run(execute):
            check = (check * 1000003 + number.get(name, 0)) & MASK
        return size, (check * 1000003 + calls[0]) & MASK

    return k.Timed(batch, repeats(size))


def repeats(size):
    """Batches per size: each builds and runs the whole graph (a few tenths of a second at
    30,000 tasks with a good solution), and the probe's clock is CPU time, which a busy machine
    disturbs little: 5 for small graphs, 3 up to 30,000 tasks, 1 beyond."""
    return 5 if size <= 1000 else 3 if size <= 30000 else 1


def duration_of(i):
    """The duration of task i in the parallel probe: large and varied (1 to 1,000 million)."""
    return ((i * 7919) % 1000 + 1) * 1000000


def probe_parallel_mix(mod, size, budget):
    """Follow-up 1: times add_task (with durations) for `size` tasks plus one run_parallel
    over them with a worker per 8 tasks, per task. The graph is the one of scheduler_mix. The
    check folds the completions (each task as its position in the graph, plus one, and its
    finish time) and the number of execute calls."""
    tasks, failing = graph(size)
    number = {name: i + 1 for i, (name, _, _, _) in enumerate(tasks)}
    workers = max(1, size // 8)

    def batch():
        scheduler = mod.TaskScheduler()
        for n, (name, priority, deps, retries) in enumerate(tasks):
            scheduler.add_task(name, priority, deps, retries, duration=duration_of(n))
            if n % 512 == 0:
                budget.check(n)
        calls = [0]

        def execute(name):
            calls[0] += 1
            if calls[0] % 16 == 0:
                budget.check(calls[0])
            if name == failing:
                raise ScriptedFailure("scripted failure")

        check = 0
        for name, finish in scheduler.run_parallel(workers, execute):
            check = (check * 1000003 + number.get(name, 0)) & MASK
            check = (check * 1000003 + finish) & MASK
        return size, (check * 1000003 + calls[0]) & MASK

    return k.Timed(batch, repeats(size))
