# bug: keeps a dict from point hash to node, so a node whose points collide with another's overwrites them (and removing it loses both)
# caught-by: colliding_names_among_others
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
        self.ring = {}  # point hash -> node
        self.points = []  # sorted hashes

    def add_node(self, node):
        if node in self.members:
            raise ValueError("duplicate node")
        self.members.add(node)
        for i in range(self.replicas):
            self.ring[fnv1a_64(f"{node}#{i}".encode())] = node
        self.points = sorted(self.ring)

    def remove_node(self, node):
        if node not in self.members:
            raise KeyError(node)
        self.members.remove(node)
        for i in range(self.replicas):
            self.ring.pop(fnv1a_64(f"{node}#{i}".encode()), None)
        self.points = sorted(self.ring)

    def get_node(self, key):
        if not self.points:
            raise LookupError("empty ring")
        i = bisect_left(self.points, fnv1a_64(key.encode()))
        if i == len(self.points):
            i = 0
        return self.ring[self.points[i]]

    def nodes(self):
        return sorted(self.members)
