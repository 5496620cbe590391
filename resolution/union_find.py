"""Disjoint sets over 0..n-1 with path halving; the smaller root wins so results are deterministic."""

from __future__ import annotations


class UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: int, b: int) -> int:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            low, high = min(root_a, root_b), max(root_a, root_b)
            self.parent[high] = low
            return low
        return root_a
