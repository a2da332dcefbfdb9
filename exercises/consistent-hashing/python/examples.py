"""Visible examples for consistent-hashing. Run with: python3 -m unittest

These are the example cases from README.md; `kata check` runs many more hidden ones.
"""

import unittest

from consistent_hashing import HashRing, fnv1a_64


class Examples(unittest.TestCase):
    def test_worked_example(self):
        ring = HashRing(1)  # one point per node: "beta#0", "alpha#0", "tango#0"
        for node in ("beta", "alpha", "tango"):
            ring.add_node(node)
        self.assertEqual(fnv1a_64(b"tango#0"), 0x085D17DB71E48C1D)  # the smallest point
        self.assertEqual(fnv1a_64(b"alpha#0"), 0x13839EA3F6715478)
        self.assertEqual(fnv1a_64(b"beta#0"), 0xED9389D4581892B4)  # the largest point
        self.assertEqual(fnv1a_64(b"feijoa"), 0x010B114C0D0E2B2B)
        self.assertEqual(ring.get_node("feijoa"), "tango")  # below the smallest point
        self.assertEqual(fnv1a_64(b"vanilla"), 0x0BD5832498C9C0D0)
        self.assertEqual(ring.get_node("vanilla"), "alpha")
        self.assertEqual(fnv1a_64(b"banana"), 0xB4D3B6B1C372C890)
        self.assertEqual(ring.get_node("banana"), "beta")
        self.assertEqual(fnv1a_64(b"apple"), 0xF74A62A458BEFDBF)
        self.assertEqual(ring.get_node("apple"), "tango")  # past the largest: wraps around
        self.assertEqual(ring.get_node("alpha#0"), "alpha")  # equal to a point: that point
        self.assertEqual(ring.nodes(), ["alpha", "beta", "tango"])

    def test_basic_lookup(self):
        ring = HashRing(3)
        for node in ("alpha", "beta", "gamma"):
            ring.add_node(node)
        self.assertEqual(ring.nodes(), ["alpha", "beta", "gamma"])
        self.assertEqual(ring.get_node("apple"), "alpha")
        self.assertEqual(ring.get_node("banana"), "beta")
        self.assertEqual(ring.get_node("cherry"), "gamma")
        self.assertEqual(
            [ring.get_node(k) for k in ("date", "elderberry", "fig", "grape", "kiwi", "lemon")],
            ["beta", "beta", "beta", "gamma", "alpha", "gamma"],
        )

    def test_remove_moves_only_its_keys(self):
        ring = HashRing(100)
        for node in ("alpha", "beta", "gamma", "delta"):
            ring.add_node(node)
        keys = ["user/%d/profile" % i for i in range(300)]
        before = [ring.get_node(k) for k in keys]
        self.assertEqual(before.count("alpha"), 124)
        ring.remove_node("alpha")
        after = [ring.get_node(k) for k in keys]
        moved = [(b, a) for b, a in zip(before, after) if b != a]
        # exactly alpha's keys moved, each to the node of the next point on the ring
        self.assertEqual(len(moved), 124)
        self.assertTrue(all(b == "alpha" for b, _ in moved))
        self.assertEqual(moved.count(("alpha", "beta")), 89)
        self.assertEqual(moved.count(("alpha", "delta")), 35)
        self.assertEqual(ring.nodes(), ["beta", "delta", "gamma"])


if __name__ == "__main__":
    unittest.main()
