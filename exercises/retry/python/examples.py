"""Visible examples for retry. Run with: python3 -m unittest

These are the example cases from README.md; `kata check` runs many more hidden ones.
Nothing sleeps for real: each test passes a fake `sleep` that records the delays and a fake
`rand` that returns scripted values.
"""

import unittest

from retry import retry


class FakeClock:
    """A `sleep` that records delays and a `rand` that returns `values` in order."""

    def __init__(self, values=()):
        self.sleeps = []
        self.values = list(values)
        self.rand_calls = 0

    def sleep(self, seconds):
        self.sleeps.append(seconds)

    def rand(self):
        value = self.values[self.rand_calls]
        self.rand_calls += 1
        return value


class Examples(unittest.TestCase):
    def test_success_first_try(self):
        clock = FakeClock([0.25])
        calls = []

        @retry(max_attempts=3, initial_delay=0.5, max_delay=60.0, exponential_base=2.0,
               jitter=True, sleep=clock.sleep, rand=clock.rand)
        def fetch_price():
            calls.append(1)
            return 42

        self.assertEqual(fetch_price(), 42)
        self.assertEqual(len(calls), 1)
        self.assertEqual(clock.sleeps, [])
        self.assertEqual(clock.rand_calls, 0)

    def test_retries_then_succeeds(self):
        clock = FakeClock()
        outcomes = [ConnectionError("call 1"), ConnectionError("call 2"), 42]

        @retry(max_attempts=3, initial_delay=1.0, max_delay=60.0, exponential_base=2.0,
               jitter=False, sleep=clock.sleep, rand=clock.rand)
        def fetch_price():
            outcome = outcomes.pop(0)
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

        self.assertEqual(fetch_price(), 42)
        self.assertEqual(outcomes, [])  # called exactly 3 times
        self.assertEqual(clock.sleeps, [1.0, 2.0])
        self.assertEqual(clock.rand_calls, 0)

    def test_gives_up_after_max_attempts(self):
        clock = FakeClock([0.25, 0.75])
        raised = []

        @retry(max_attempts=3, initial_delay=0.5, max_delay=60.0, exponential_base=2.0,
               jitter=True, sleep=clock.sleep, rand=clock.rand)
        def fetch_price():
            raised.append(TimeoutError("call %d" % (len(raised) + 1)))
            raise raised[-1]

        with self.assertRaises(TimeoutError) as caught:
            fetch_price()
        self.assertEqual(len(raised), 3)
        self.assertIs(caught.exception, raised[-1])  # the very exception of the last call
        self.assertEqual(clock.sleeps, [0.375, 1.25])  # 0.5 * (0.5 + 0.25), 1.0 * (0.5 + 0.75)
        self.assertEqual(clock.rand_calls, 2)


if __name__ == "__main__":
    unittest.main()
