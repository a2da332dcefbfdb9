"""Consistent hashing: a sorted list of (hash, node) points searched with bisect.

get_node is O(log P) for P points. add_node appends the node's points and re-sorts: Python's
sort finds the sorted run already there and merges the new points into it, so an add costs
about O(P) (moving the list) plus O(R log R) for R replicas; remove_node filters the list in
O(P). Membership changes are rare compared to lookups, so that is the right trade. Points are
tuples, so equal hashes are ordered by node name for free.

Follow-up 1: a node of weight w owns w * replicas points, "<node>#0" .. "<node>#<w*replicas-1>"
(weight 1 is the plain add_node), and remove_node filters them out by name whatever the weight.
get_nodes(key, n) starts where get_node does and walks the sorted points clockwise, wrapping
around, collecting each node the first time it is met until it has n of them (or every node):
O(log P + k) for the k points it passes.
"""

from __future__ import annotations

from bisect import bisect_left


def fnv1a_64(data: bytes) -> int:
    """64-bit FNV-1a (given in the starter)."""
    h = 0xCBF29CE484222325
    for byte in data:
        h ^= byte
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


class HashRing:
    def __init__(self, replicas: int = 100) -> None:
        if replicas < 1:
            raise ValueError("replicas must be at least 1, got %r" % (replicas,))
        self._replicas = replicas
        self._nodes = set()
        self._points = []  # (hash, node), sorted: by hash, then by node name

    def _node_points(self, node, weight):
        return [(fnv1a_64(f"{node}#{i}".encode()), node) for i in range(self._replicas * weight)]

    def add_node(self, node: str, weight: int = 1) -> None:
        if weight < 1:
            raise ValueError("weight must be at least 1, got %r" % (weight,))
        if node in self._nodes:
            raise ValueError("node %r is already on the ring" % (node,))
        self._nodes.add(node)
        self._points.extend(self._node_points(node, weight))
        self._points.sort()

    def remove_node(self, node: str) -> None:
        if node not in self._nodes:
            raise KeyError(node)
        self._nodes.remove(node)
        self._points = [point for point in self._points if point[1] != node]

    def get_node(self, key: str) -> str:
        if not self._points:
            raise LookupError("the ring is empty")
        # (h,) sorts before every (h, node), so this is the first point with hash >= h.
        i = bisect_left(self._points, (fnv1a_64(key.encode()),))
        if i == len(self._points):
            i = 0  # past the largest point: wrap around to the smallest
        return self._points[i][1]

    def get_nodes(self, key: str, n: int) -> list[str]:
        if n < 0:
            raise ValueError("n must not be negative, got %r" % (n,))
        points = self._points
        wanted = min(n, len(self._nodes))
        found = []
        if wanted == 0:
            return found
        seen = set()
        # Start where get_node does, then walk clockwise; every node has a point, so one turn
        # of the ring meets all of them.
        i = bisect_left(points, (fnv1a_64(key.encode()),))
        while len(found) < wanted:
            if i == len(points):
                i = 0  # past the largest point: wrap around to the smallest
            node = points[i][1]
            if node not in seen:
                seen.add(node)
                found.append(node)
            i += 1
        return found

    def nodes(self) -> list[str]:
        return sorted(self._nodes)
