"""Visible examples for ttl-cache. Run with: python3 -m unittest

These are the example cases from README.md; `kata check` runs many more hidden ones.
"""

import unittest

from ttl_cache import TTLCache


class Examples(unittest.TestCase):
    def test_expiry_basics(self):
        cache = TTLCache(3, 10.0)
        cache.put("a", "apple", 0.0)  # default ttl: expires at 10.0
        cache.put("b", "banana", 0.0, 2.0)  # explicit ttl: expires at 2.0
        self.assertEqual(cache.get("a", 1.0), "apple")
        self.assertEqual(cache.get("b", 1.5), "banana")
        self.assertIsNone(cache.get("b", 2.0))  # expired at exactly its deadline
        self.assertEqual(cache.get("a", 9.5), "apple")
        self.assertIsNone(cache.get("a", 10.0))
        self.assertIsNone(cache.get("c", 10.0))  # never put

    def test_lru_among_live_entries(self):
        cache = TTLCache(2, 100.0)
        cache.put("a", "1", 0.0)
        cache.put("b", "2", 1.0)
        self.assertEqual(cache.get("a", 2.0), "1")  # key a is now the most recently used
        cache.put("c", "3", 3.0)  # full, nothing expired: evicts b
        self.assertIsNone(cache.get("b", 3.0))
        self.assertEqual(cache.get("a", 3.0), "1")
        self.assertEqual(cache.get("c", 3.0), "3")
        self.assertEqual(cache.size(3.0), 2)

    def test_expired_entries_make_room(self):
        cache = TTLCache(2, 100.0)
        cache.put("a", "1", 0.0)  # least recently used, lives until 100
        cache.put("b", "2", 0.0, 1.0)  # most recently used, expires at 1
        cache.put("c", "3", 5.0)  # full: the expired b goes first, so a stays
        self.assertEqual(cache.get("a", 5.0), "1")
        self.assertEqual(cache.get("c", 5.0), "3")
        self.assertIsNone(cache.get("b", 5.0))
        self.assertEqual(cache.size(5.0), 2)


if __name__ == "__main__":
    unittest.main()
