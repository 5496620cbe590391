"""Stable identifiers: a contact keeps its ID from run to run while its records stay together.

Each cluster takes the previous ID held by most of its records; when two clusters
claim the same previous ID the larger share wins and the other is minted anew.
New IDs are derived from the cluster's smallest record reference, so a fresh
install given the same files hands out the same IDs.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence


def mint_id(prefix: str, seed: str, taken: set[str]) -> str:
    attempt = 0
    while True:
        digest = hashlib.sha1(f"{seed}#{attempt}".encode()).hexdigest()[:10].upper()
        candidate = f"{prefix}-{digest}"
        if candidate not in taken:
            return candidate
        attempt += 1


def assign_ids(clusters: Sequence[Sequence[str]], previous: Mapping[str, str], prefix: str) -> list[str]:
    """One ID per cluster of record references, reusing ``previous`` (ref -> ID) where it can."""
    claims = []
    for position, refs in enumerate(clusters):
        counts = Counter(previous[r] for r in refs if r in previous)
        for old_id, count in counts.items():
            claims.append((-count, old_id, position))
    claims.sort()
    ids: list[str | None] = [None] * len(clusters)
    taken: set[str] = set()
    for _, old_id, position in claims:
        if ids[position] is None and old_id not in taken:
            ids[position] = old_id
            taken.add(old_id)
    unavailable = taken | set(previous.values())  # a retired ID is never handed to someone else
    for position, refs in enumerate(clusters):
        if ids[position] is None:
            ids[position] = mint_id(prefix, min(refs), unavailable)
            unavailable.add(ids[position])
    return ids  # type: ignore[return-value]
