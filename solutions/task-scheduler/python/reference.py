"""Task scheduler: validation, then Kahn's topological order with a heap of ready tasks.

run() costs O((V + E) log V) for the V tasks and E dependencies it runs: each task is pushed
and popped once (O(log V) each) and each dependency edge is looked at a constant number of
times. Nothing recurses, so chains of 100,000 tasks are fine.
"""

import heapq

PENDING = "PENDING"
RUNNING = "RUNNING"
COMPLETED = "COMPLETED"
FAILED = "FAILED"
SKIPPED = "SKIPPED"


class CycleError(ValueError):
    """The tasks' dependencies form a cycle."""


class _Task:
    __slots__ = ("name", "priority", "deps", "max_retries", "index", "state")

    def __init__(self, name, priority, deps, max_retries, index):
        self.name = name
        self.priority = priority
        self.deps = deps
        self.max_retries = max_retries
        self.index = index  # insertion order: breaks priority ties
        self.state = PENDING


class TaskScheduler:
    def __init__(self) -> None:
        self._tasks = {}  # name -> _Task
        self._order = []  # every task, in insertion order
        self._first_new = 0  # _order[_first_new:] have not been through a successful run

    def add_task(self, name: str, priority: int = 0, deps=(), max_retries: int = 0) -> None:
        if name in self._tasks:
            raise ValueError("duplicate task %r" % (name,))
        task = _Task(name, priority, list(deps), max_retries, len(self._order))
        self._tasks[name] = task
        self._order.append(task)

    def status(self, name: str) -> str:
        task = self._tasks.get(name)
        if task is None:
            raise KeyError(name)
        return task.state

    def run(self, execute) -> "list[str]":
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
        # A new task that depends on an earlier FAILED or SKIPPED task is skipped at once.
        for task in new:
            if task.state == PENDING and any(
                self._tasks[dep].state in (FAILED, SKIPPED) for dep in task.deps
            ):
                self._skip_from(task.name, dependents, include_self=True)
        ready = [
            (-task.priority, task.index, task.name)
            for task in new
            if task.state == PENDING and waiting[task.name] == 0
        ]
        heapq.heapify(ready)
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
            for child in dependents[name]:
                waiting[child] -= 1
                if waiting[child] == 0 and self._tasks[child].state == PENDING:
                    other = self._tasks[child]
                    heapq.heappush(ready, (-other.priority, other.index, child))
        return completed

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
