"""Visible examples for sliding-window. Run with: python3 -m unittest

These are the example cases from README.md; `kata check` runs many more hidden ones.
"""

import unittest

from sliding_window import SlidingWindowCounter, SlidingWindowLog


class Examples(unittest.TestCase):
    def test_log_limit_per_window(self):
        log = SlidingWindowLog(3, 10.0)
        self.assertTrue(log.allow(0.0))
        self.assertTrue(log.allow(1.0))
        self.assertTrue(log.allow(2.0))
        self.assertFalse(log.allow(5.0))  # 0, 1 and 2 are all within the last 10 s
        self.assertFalse(log.allow(9.5))
        self.assertTrue(log.allow(10.0))  # t=0 is exactly 10 s old: it no longer counts
        self.assertFalse(log.allow(10.0))
        self.assertTrue(log.allow(11.0))  # t=1 left the window
        self.assertTrue(log.allow(12.5))  # t=2 left the window
        self.assertFalse(log.allow(12.5))

    def test_counter_weighted_previous(self):
        counter = SlidingWindowCounter(4, 10.0)
        for now in (1.0, 2.0, 3.0, 4.0):
            self.assertTrue(counter.allow(now))  # window [0, 10): estimate 0, 1, 2, 3
        self.assertFalse(counter.allow(10.0))  # window [10, 20): 4 * 1.0 + 0 = 4
        self.assertTrue(counter.allow(15.0))  # 4 * 0.5 + 0 = 2
        self.assertTrue(counter.allow(15.0))  # 4 * 0.5 + 1 = 3
        self.assertFalse(counter.allow(15.0))  # 4 * 0.5 + 2 = 4
        self.assertTrue(counter.allow(17.5))  # 4 * 0.25 + 2 = 3
        self.assertFalse(counter.allow(17.5))  # 4 * 0.25 + 3 = 4

    def test_log_vs_counter_disagree(self):
        log = SlidingWindowLog(4, 10.0)
        counter = SlidingWindowCounter(4, 10.0)
        for now in (6.0, 7.0, 8.0, 9.0):
            self.assertTrue(log.allow(now))
            self.assertTrue(counter.allow(now))
        # At t=15 the last 10 s really hold four requests, but the counter estimates 2.
        self.assertFalse(log.allow(15.0))
        self.assertTrue(counter.allow(15.0))
        self.assertFalse(log.allow(15.0))
        self.assertTrue(counter.allow(15.0))
        self.assertFalse(log.allow(15.0))
        self.assertFalse(counter.allow(15.0))
        self.assertTrue(log.allow(17.5))  # 6 and 7 left the window
        self.assertTrue(counter.allow(17.5))  # 4 * 0.25 + 2 = 3
        self.assertTrue(log.allow(20.0))
        self.assertTrue(counter.allow(20.0))  # window [20, 30): 3 * 1.0 + 0 = 3


if __name__ == "__main__":
    unittest.main()
