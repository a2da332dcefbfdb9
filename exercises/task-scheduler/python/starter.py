"""Task scheduler: see README.md for the full statement."""


class CycleError(ValueError):
    """Raised by run() when the tasks' dependencies form a cycle. (Given: keep it.)"""


class TaskScheduler:
    def __init__(self) -> None:
        """Create an empty scheduler."""
        # Your state here.

    def add_task(self, name: str, priority: int = 0, deps=(), max_retries: int = 0) -> None:
        """Register a PENDING task. `deps` names the tasks that must be COMPLETED before it
        runs (they may be added later). A name that already exists -> ValueError."""
        raise NotImplementedError("TaskScheduler.add_task")

    def run(self, execute) -> "list[str]":
        """Validate (unknown dependency -> ValueError naming it, checked first; cycle ->
        CycleError; nothing runs), then run every pending task, highest priority first among
        the ready ones (ties: added first), calling execute(name) with up to max_retries
        retries. Returns the names of the tasks completed in this run, in completion order."""
        raise NotImplementedError("TaskScheduler.run")

    def status(self, name: str) -> str:
        """"PENDING" | "RUNNING" | "COMPLETED" | "FAILED" | "SKIPPED"; unknown name -> KeyError."""
        raise NotImplementedError("TaskScheduler.status")
