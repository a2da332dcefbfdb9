"""Task scheduler: validation, then Kahn's topological order with a heap of ready tasks, run
one at a time (run) or simulated on N workers (run_parallel).

run() costs O((V + E) log V) for the V tasks and E dependencies it runs: each task is pushed
and popped once (O(log V) each) and each dependency edge is looked at a constant number of
times. Nothing recurses, so chains of 100,000 tasks are fine.

run_parallel() is an event simulation in simulated time: a heap of ready tasks (best first) and
a heap of running attempts ordered by (end time, -priority, insertion index). Time jumps from
one end time to the next, so the cost is O((V + E) log V) whatever the durations and the
number of workers: there is no clock ticking through idle time and no scan of the workers.

cancel() walks the tasks that depend on the cancelled one, directly or not, with an explicit
stack over a reverse-edge index kept by add_task (dependency name -> the tasks naming it), so
it costs O(affected tasks + their edges). Tasks added later behind a cancelled task are
skipped by their run, exactly like tasks behind a FAILED one.
"""

import heapq

PENDING = "PENDING"
RUNNING = "RUNNING"
COMPLETED = "COMPLETED"
FAILED = "FAILED"
SKIPPED = "SKIPPED"
CANCELLED = "CANCELLED"


class CycleError(ValueError):
    """The tasks' dependencies form a cycle."""


class _Task:
    __slots__ = ("name", "priority", "deps", "max_retries", "duration", "index", "state")

    def __init__(self, name, priority, deps, max_retries, duration, index):
        self.name = name
        self.priority = priority
        self.deps = deps
        self.max_retries = max_retries
        self.duration = duration
        self.index = index  # insertion order: breaks priority ties
        self.state = PENDING


class TaskScheduler:
    def __init__(self) -> None:
        self._tasks = {}  # name -> _Task
        self._order = []  # every task, in insertion order
        self._first_new = 0  # _order[_first_new:] have not been through a successful run
        self._needed_by = {}  # dependency name -> names of the tasks that depend on it

    def add_task(
        self, name: str, priority: int = 0, deps=(), max_retries: int = 0, duration: int = 1
    ) -> None:
        if name in self._tasks:
            raise ValueError("duplicate task %r" % (name,))
        if duration < 1:
            raise ValueError("duration must be at least 1, got %r" % (duration,))
        task = _Task(name, priority, list(deps), max_retries, duration, len(self._order))
        self._tasks[name] = task
        self._order.append(task)
        for dep in task.deps:
            self._needed_by.setdefault(dep, []).append(name)

    def cancel(self, name: str) -> bool:
        """Cancels a PENDING task: it becomes CANCELLED and every PENDING task that depends on
        it, directly or not, SKIPPED. Returns False (and changes nothing) for a task that is
        not PENDING any more."""
        task = self._tasks.get(name)
        if task is None:
            raise KeyError(name)
        if task.state != PENDING:
            return False
        task.state = CANCELLED
        stack = list(self._needed_by.get(name, ()))
        while stack:
            other = self._tasks.get(stack.pop())
            if other is None or other.state != PENDING:
                continue  # not added yet (its run will skip it), or already decided
            other.state = SKIPPED
            stack.extend(self._needed_by.get(other.name, ()))
        return True

    def status(self, name: str) -> str:
        task = self._tasks.get(name)
        if task is None:
            raise KeyError(name)
        return task.state

    def run(self, execute) -> "list[str]":
        ready, waiting, dependents = self._start_run()
        completed = []
        while ready:
            _, _, name = heapq.heappop(ready)
            task = self._tasks[name]
            task.state = RUNNING
            succeeded = False
            for _attempt in range(task.max_retries + 1):
                try:
                    execute(name)  # the return value is ignored
                except Exception:
                    continue
                succeeded = True
                break
            if not succeeded:
                task.state = FAILED
                self._skip_from(name, dependents, include_self=False)
                continue
            task.state = COMPLETED
            completed.append(name)
            self._release(name, waiting, dependents, ready)
        return completed

    def run_parallel(self, workers: int, execute) -> "list[tuple[str, int]]":
        """Simulates `workers` workers in simulated time starting at 0; returns the completed
        tasks with their finish times, in completion order."""
        if workers < 1:
            raise ValueError("workers must be at least 1, got %r" % (workers,))
        ready, waiting, dependents = self._start_run()
        running = []  # (end, -priority, index, name, failures so far, this attempt succeeds)
        free = workers
        now = 0
        completed = []
        while ready or running:
            # 1. Settle every attempt that ends now, best task first.
            while running and running[0][0] == now:
                _, _, _, name, failures, succeeded = heapq.heappop(running)
                task = self._tasks[name]
                if succeeded:
                    task.state = COMPLETED
                    completed.append((name, now))
                    self._release(name, waiting, dependents, ready)
                    free += 1
                elif failures < task.max_retries:
                    # A retry starts at once, on the same worker.
                    self._attempt(task, now, failures + 1, execute, running)
                else:
                    task.state = FAILED
                    self._skip_from(name, dependents, include_self=False)
                    free += 1
            # 2. Free workers take the best ready tasks.
            while free and ready:
                _, _, name = heapq.heappop(ready)
                task = self._tasks[name]
                task.state = RUNNING
                free -= 1
                self._attempt(task, now, 0, execute, running)
            # 3. Jump to the next end.
            if running:
                now = running[0][0]
        return completed

    def _attempt(self, task, now, failures, execute, running):
        """Starts one attempt of `task` at `now`: execute() says now whether it succeeds; the
        outcome takes effect when the attempt ends."""
        try:
            execute(task.name)
            succeeded = True
        except Exception:
            succeeded = False
        heapq.heappush(
            running,
            (now + task.duration, -task.priority, task.index, task.name, failures, succeeded),
        )

    def _start_run(self):
        """Validates the tasks added since the last successful run, then commits: returns the
        heap of ready tasks, the counters of unfinished dependencies and the dependents."""
        new = self._order[self._first_new :]
        # 1. Validate without changing anything: unknown dependencies first, then cycles.
        for task in new:
            for dep in task.deps:
                if dep not in self._tasks:
                    raise ValueError("task %r depends on unknown task %r" % (task.name, dep))
        # Only new tasks can be on a cycle: an older task depends only on older tasks.
        waiting = {}  # name -> number of dependencies that are new tasks, not yet done
        dependents = {task.name: [] for task in new}
        for task in new:
            count = 0
            for dep in task.deps:
                if dep in dependents:
                    dependents[dep].append(task.name)
                    count += 1
            waiting[task.name] = count
        self._check_acyclic(new, waiting, dependents)

        # 2. From here on the run goes ahead: commit.
        self._first_new = len(self._order)
        # A new task that depends on a FAILED, SKIPPED or CANCELLED task is skipped at once.
        for task in new:
            if task.state == PENDING and any(
                self._tasks[dep].state in (FAILED, SKIPPED, CANCELLED) for dep in task.deps
            ):
                self._skip_from(task.name, dependents, include_self=True)
        ready = [
            (-task.priority, task.index, task.name)
            for task in new
            if task.state == PENDING and waiting[task.name] == 0
        ]
        heapq.heapify(ready)
        return ready, waiting, dependents

    def _release(self, name, waiting, dependents, ready):
        """`name` completed: its dependents whose dependencies are now all done become ready."""
        for child in dependents[name]:
            waiting[child] -= 1
            if waiting[child] == 0 and self._tasks[child].state == PENDING:
                other = self._tasks[child]
                heapq.heappush(ready, (-other.priority, other.index, child))

    def _check_acyclic(self, new, waiting, dependents):
        """Kahn's algorithm on a copy of the counters: the tasks it cannot order are on a
        cycle or depend on one."""
        left = dict(waiting)
        queue = [task.name for task in new if left[task.name] == 0]
        ordered = 0
        while queue:
            name = queue.pop()
            ordered += 1
            for child in dependents[name]:
                left[child] -= 1
                if left[child] == 0:
                    queue.append(child)
        if ordered == len(new):
            return
        # Every task left has a dependency that is left too: walk those until one repeats.
        name = next(task.name for task in new if left[task.name] > 0)
        seen = {}
        path = []
        while name not in seen:
            seen[name] = len(path)
            path.append(name)
            name = next(dep for dep in self._tasks[name].deps if left.get(dep, 0) > 0)
        cycle = path[seen[name] :]
        raise CycleError("dependency cycle: " + " -> ".join(cycle + [cycle[0]]))

    def _skip_from(self, name, dependents, include_self):
        """Marks every task that depends on `name`, directly or not, SKIPPED (iteratively)."""
        stack = [name] if include_self else list(dependents[name])
        while stack:
            current = stack.pop()
            task = self._tasks[current]
            if task.state != PENDING:
                continue
            task.state = SKIPPED
            stack.extend(dependents[current])
