# bug: the default is 10 replicas per node instead of 100
# caught-by: default_replicas_is_100
from bisect import bisect_left


def fnv1a_64(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h ^= byte
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


class HashRing:
    def __init__(self, replicas=10):
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
        i = bisect_left(self.points, (fnv1a_64(key.encode()),))
        if i == len(self.points):
            i = 0
        return self.points[i][1]

    def nodes(self):
        return sorted(self.members)
