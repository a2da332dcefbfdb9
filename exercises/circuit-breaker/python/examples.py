"""Visible examples for circuit-breaker. Run with: python3 -m unittest

These are the example cases from README.md; `kata check` runs many more hidden ones.
Nothing sleeps for real: each test passes a fake clock whose time the test sets.
"""

import unittest

from circuit_breaker import CircuitBreaker, CircuitOpenError


class FakeClock:
    """A clock() that returns `now`, which the test sets."""

    def __init__(self, now=0.0):
        self.now = now

    def __call__(self):
        return self.now


class Service:
    """A function for breaker.call that returns or raises what the test says, and counts
    its calls."""

    def __init__(self):
        self.calls = 0

    def returns(self, value):
        def func():
            self.calls += 1
            return value

        return func

    def raises(self, exc):
        def func():
            self.calls += 1
            raise exc

        return func


class Examples(unittest.TestCase):
    def test_opens_after_threshold(self):
        clock = FakeClock()
        service = Service()
        breaker = CircuitBreaker(failure_threshold=3, recovery_timeout=10.0, clock=clock)
        self.assertEqual(breaker.state, "closed")
        self.assertEqual(breaker.call(service.returns(1)), 1)
        for _ in range(2):
            with self.assertRaises(ConnectionError):
                breaker.call(service.raises(ConnectionError("down")))
        self.assertEqual(breaker.state, "closed")
        error = TimeoutError("slow")
        with self.assertRaises(TimeoutError) as caught:
            breaker.call(service.raises(error))  # the third failure in a row opens the breaker
        self.assertIs(caught.exception, error)  # ... and still raises the function's own error
        self.assertEqual(breaker.state, "open")
        self.assertEqual(service.calls, 4)
        with self.assertRaises(CircuitOpenError):
            breaker.call(service.returns(2))
        self.assertEqual(service.calls, 4)  # refused: the function was not called

    def test_half_open_trial_closes(self):
        clock = FakeClock(100.0)
        service = Service()
        breaker = CircuitBreaker(failure_threshold=2, recovery_timeout=10.0, clock=clock)
        for _ in range(2):
            with self.assertRaises(ConnectionError):
                breaker.call(service.raises(ConnectionError("down")))
        self.assertEqual(breaker.state, "open")
        clock.now = 105.0
        with self.assertRaises(CircuitOpenError):
            breaker.call(service.returns(1))
        clock.now = 110.0
        self.assertEqual(breaker.state, "half-open")  # no call needed to see it
        self.assertEqual(breaker.call(service.returns(7)), 7)  # the trial succeeds
        self.assertEqual(breaker.state, "closed")
        self.assertEqual(breaker.call(service.returns(8)), 8)
        self.assertEqual(service.calls, 4)

    def test_worked_example(self):
        clock = FakeClock()
        service = Service()
        breaker = CircuitBreaker(failure_threshold=2, recovery_timeout=10.0, clock=clock)
        self.assertEqual(breaker.call(service.returns(1)), 1)
        clock.now = 1.0
        with self.assertRaises(ConnectionError):
            breaker.call(service.raises(ConnectionError("down")))
        clock.now = 2.0
        with self.assertRaises(ConnectionError):
            breaker.call(service.raises(ConnectionError("down")))
        self.assertEqual(breaker.state, "open")  # opened at 2.0
        clock.now = 5.0
        with self.assertRaises(CircuitOpenError):
            breaker.call(service.returns(3))
        clock.now = 12.0
        self.assertEqual(breaker.state, "half-open")
        with self.assertRaises(TimeoutError):
            breaker.call(service.raises(TimeoutError("still down")))  # failed trial
        self.assertEqual(breaker.state, "open")  # reopened at 12.0
        clock.now = 21.5
        with self.assertRaises(CircuitOpenError):
            breaker.call(service.returns(5))
        clock.now = 22.0
        self.assertEqual(breaker.call(service.returns(7)), 7)
        self.assertEqual(breaker.state, "closed")
        self.assertEqual(service.calls, 5)


if __name__ == "__main__":
    unittest.main()
