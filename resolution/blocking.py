"""Candidate pairs: only records sharing at least one blocking key are compared.

The keys cover each way a true pair can still agree when other fields differ:
an identifier (e-mail, mobile, phone), or a name key with typos and nicknames
folded away, alone or with the organisation or postcode.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .features import PersonFeatures

# A block bigger than this is a very common value ("info@", a switchboard); pairs in it
# are still reached through the narrower name keys.
MAX_BLOCK = 400


def _blocking_keys(f: PersonFeatures) -> list[np.ndarray]:
    n = len(f.first)
    last3 = np.array([s[:3] for s in f.last], dtype=object)
    last_tail = np.array([s[-3:] for s in f.last], dtype=object)
    first1 = np.array([s[:1] for s in f.first_canonical], dtype=object)
    raw_first1 = np.array([s[:1] for s in f.first], dtype=object)
    org = np.array([str(o) if o >= 0 else "" for o in f.organisation], dtype=object)

    def combine(*parts: np.ndarray) -> np.ndarray:
        out = np.empty(n, dtype=object)
        for i in range(n):
            values = [p[i] for p in parts]
            out[i] = "\x1f".join(values) if all(values) else ""
        return out

    return [
        f.email, f.mobile, f.phone,
        combine(last3, first1), combine(last3, raw_first1),
        combine(f.first_canonical, org), combine(f.last, org),
        combine(last_tail, f.first_canonical), combine(f.first_canonical, f.postcode),
    ]


@lru_cache(maxsize=512)
def _pairs_within(size: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(size, k=1)


def candidate_pairs(features: PersonFeatures) -> np.ndarray:
    """Distinct pairs (i < j) as an (m, 2) int64 array, sorted."""
    n = len(features.first)
    chunks: list[np.ndarray] = []
    for key in _blocking_keys(features):
        order: dict[str, list[int]] = {}
        for i, value in enumerate(key):
            if value:
                order.setdefault(value, []).append(i)
        for members in order.values():
            size = len(members)
            if 2 <= size <= MAX_BLOCK:
                idx = np.asarray(members, dtype=np.int64)
                a, b = _pairs_within(size)
                chunks.append(idx[a] * n + idx[b])
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(chunks))
    return np.stack([codes // n, codes % n], axis=1)
