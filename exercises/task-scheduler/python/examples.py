"""Visible examples for task-scheduler. Run with: python3 -m unittest

These are the example cases from README.md; `kata check` runs many more hidden ones.
"""

import unittest

from task_scheduler import TaskScheduler


class Script:
    """An execute function for the tests: records its calls; the next `failures[name]` calls
    for a name raise."""

    def __init__(self, **failures):
        self.failures = dict(failures)
        self.calls = []

    def __call__(self, name):
        self.calls.append(name)
        if self.failures.get(name, 0) > 0:
            self.failures[name] -= 1
            raise RuntimeError("scripted failure of " + name)


class Examples(unittest.TestCase):
    def test_priority_order(self):
        s = TaskScheduler()
        s.add_task("low", 1)
        s.add_task("high", 5)
        s.add_task("mid", 3)
        s.add_task("also_mid", 3)  # same priority as mid, added later
        self.assertEqual(s.run(Script()), ["high", "mid", "also_mid", "low"])
        self.assertEqual(s.status("low"), "COMPLETED")

    def test_worked_example(self):
        s = TaskScheduler()
        s.add_task("fetch", 1, [], 1)
        s.add_task("compile", 5, ["fetch"])
        s.add_task("lint", 3)
        s.add_task("docs", 3)
        s.add_task("package", 0, ["compile", "lint"])
        execute = Script(fetch=1)  # fetch fails its first attempt
        self.assertEqual(s.run(execute), ["lint", "docs", "fetch", "compile", "package"])
        self.assertEqual(execute.calls, ["lint", "docs", "fetch", "fetch", "compile", "package"])
        self.assertEqual(s.status("fetch"), "COMPLETED")

    def test_failure_skips_dependents(self):
        s = TaskScheduler()
        s.add_task("fetch", 0, [], 1)
        s.add_task("build", 0, ["fetch"])
        s.add_task("test", 0, ["build"])
        s.add_task("docs")
        execute = Script(fetch=2)  # both attempts of fetch fail
        self.assertEqual(s.run(execute), ["docs"])
        self.assertEqual(execute.calls, ["fetch", "fetch", "docs"])
        self.assertEqual(s.status("fetch"), "FAILED")
        self.assertEqual(s.status("build"), "SKIPPED")
        self.assertEqual(s.status("test"), "SKIPPED")
        self.assertEqual(s.status("docs"), "COMPLETED")


if __name__ == "__main__":
    unittest.main()
