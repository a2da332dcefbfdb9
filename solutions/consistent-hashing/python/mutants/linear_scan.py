# bug: get_node scans the sorted points one by one from the smallest: right answers, but O(P) per lookup
# caught-by: lookup_scaling
from bisect import bisect_left


def fnv1a_64(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h ^= byte
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


class HashRing:
    def __init__(self, replicas=100):
        if replicas < 1:
            raise ValueError("replicas must be at least 1")
        self.replicas = replicas
        self.members = set()
        self.points = []  # sorted (hash, node)

    def add_node(self, node):
        if node in self.members:
            raise ValueError("duplicate node")
        self.members.add(node)
        for i in range(self.replicas):
            self.points.append((fnv1a_64(f"{node}#{i}".encode()), node))
        self.points.sort()

    def remove_node(self, node):
        if node not in self.members:
            raise KeyError(node)
        self.members.remove(node)
        self.points = [p for p in self.points if p[1] != node]

    def get_node(self, key):
        if not self.points:
            raise LookupError("empty ring")
        h = fnv1a_64(key.encode())
        for point_hash, node in self.points:
            if point_hash >= h:
                return node
        return self.points[0][1]

    def nodes(self):
        return sorted(self.members)
