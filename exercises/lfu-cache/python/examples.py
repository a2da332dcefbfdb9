"""Visible examples for lfu-cache. Run with: python3 -m unittest

These are the example cases from README.md; `kata check` runs many more hidden ones.
"""

import unittest

from lfu_cache import LFUCache


class Examples(unittest.TestCase):
    def test_basic_put_get(self):
        cache = LFUCache(2)
        cache.put(1, 1)
        cache.put(2, 2)
        self.assertEqual(cache.get(1), 1)
        self.assertEqual(cache.get(2), 2)
        self.assertEqual(cache.get(3), -1)
        self.assertEqual(len(cache), 2)

    def test_evicts_least_frequent(self):
        cache = LFUCache(2)
        cache.put(1, 1)
        cache.put(2, 2)
        self.assertEqual(cache.get(1), 1)
        self.assertEqual(cache.get(1), 1)  # key 1: count 3
        self.assertEqual(cache.get(2), 2)  # key 2: count 2, and the most recently used
        cache.put(3, 3)  # evicts key 2, the lowest count
        self.assertEqual(cache.get(2), -1)
        self.assertEqual(cache.get(1), 1)
        self.assertEqual(cache.get(3), 3)

    def test_ties_broken_by_recency(self):
        cache = LFUCache(2)
        cache.put(1, 1)
        cache.put(2, 2)
        self.assertEqual(cache.get(2), 2)
        self.assertEqual(cache.get(1), 1)  # both have count 2; key 2 was used longer ago
        cache.put(3, 3)  # evicts key 2
        self.assertEqual(cache.get(2), -1)
        self.assertEqual(cache.get(1), 1)
        self.assertEqual(cache.get(3), 3)


if __name__ == "__main__":
    unittest.main()
