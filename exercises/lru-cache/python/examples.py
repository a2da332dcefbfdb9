"""Visible examples for lru-cache. Run with: python3 -m unittest

These are the example cases from README.md; `kata check` runs many more hidden ones.
"""

import unittest

from lru_cache import LRUCache


class Examples(unittest.TestCase):
    def test_basic_put_get(self):
        cache = LRUCache(2)
        cache.put(1, 1)
        cache.put(2, 2)
        self.assertEqual(cache.get(1), 1)
        self.assertEqual(cache.get(2), 2)
        self.assertEqual(cache.get(3), -1)
        self.assertEqual(len(cache), 2)

    def test_eviction_order(self):
        cache = LRUCache(2)
        cache.put(1, 1)
        cache.put(2, 2)
        cache.put(3, 3)  # evicts key 1, the least recently used
        self.assertEqual(cache.get(1), -1)
        self.assertEqual(cache.get(2), 2)
        self.assertEqual(cache.get(3), 3)
        self.assertEqual(len(cache), 2)

    def test_recency_on_get(self):
        cache = LRUCache(2)
        cache.put(1, 1)
        cache.put(2, 2)
        self.assertEqual(cache.get(1), 1)  # key 1 is now the most recently used
        cache.put(3, 3)  # so key 2 is evicted
        self.assertEqual(cache.get(2), -1)
        self.assertEqual(cache.get(1), 1)
        self.assertEqual(cache.get(3), 3)


if __name__ == "__main__":
    unittest.main()
