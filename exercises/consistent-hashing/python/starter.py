"""Consistent hashing: see README.md for the full statement."""

from __future__ import annotations


def fnv1a_64(data: bytes) -> int:
    """64-bit FNV-1a: the hash for every point and every key. (Given: keep it as it is, and
    call it by this name for every hash.)"""
    h = 0xCBF29CE484222325  # offset basis
    for byte in data:
        h ^= byte
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF  # FNV prime, modulo 2**64
    return h


class HashRing:
    def __init__(self, replicas: int = 100) -> None:
        """An empty ring; every node will get `replicas` points (replicas < 1 -> ValueError)."""
        raise NotImplementedError("HashRing.__init__")

    def add_node(self, node: str) -> None:
        """Put `node`'s points on the ring: fnv1a_64(f"{node}#{i}".encode()) for i in
        range(replicas). A node already on the ring -> ValueError."""
        raise NotImplementedError("HashRing.add_node")

    def remove_node(self, node: str) -> None:
        """Take `node`'s points off the ring. A node not on the ring -> KeyError."""
        raise NotImplementedError("HashRing.remove_node")

    def get_node(self, key: str) -> str:
        """The owner of the first point whose hash is >= fnv1a_64(key.encode()), wrapping
        around to the smallest point; equal hashes are ordered by node name. An empty ring
        -> LookupError."""
        raise NotImplementedError("HashRing.get_node")

    def nodes(self) -> list[str]:
        """The nodes on the ring, sorted by name."""
        raise NotImplementedError("HashRing.nodes")
