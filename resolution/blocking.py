"""Candidate pairs: only rows agreeing on every column of at least one blocking rule are compared."""

from __future__ import annotations

import numpy as np

from .levels import Columns


def _rule_key(columns: Columns, rule: tuple[str, ...]) -> np.ndarray:
    """One int64 per row identifying its values on the rule's columns (-1 when any is missing)."""
    size = len(columns.vocabulary) + 1
    key = np.zeros(len(columns.code[rule[0]]), dtype=np.int64)
    missing = np.zeros(len(key), dtype=bool)
    for column in rule:
        code = columns.code[column]
        missing |= code < 0
        key = key * size + code  # distinct within int64 for rules of up to three columns
    return np.where(missing, -1, key)


def _ranges(counts: np.ndarray) -> np.ndarray:
    """Concatenated aranges: [0..c0-1, 0..c1-1, ...]."""
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total, dtype=np.int64) - offsets


def _pairs_within_groups(key: np.ndarray, max_block: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (a < b) of rows with equal non-negative keys, groups above max_block skipped."""
    rows = np.nonzero(key >= 0)[0]
    order = rows[np.argsort(key[rows], kind="stable")]
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    keep = (sizes >= 2) & (sizes <= max_block)
    starts, sizes = starts[keep], sizes[keep]
    if len(sizes) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    # for a group of size s at offset o: left members o..o+s-2, each paired with every later member
    left_count = sizes - 1
    left_pos = np.repeat(starts, left_count) + _ranges(left_count)
    group_end = np.repeat(starts + sizes, left_count)
    partners = group_end - left_pos - 1
    a = np.repeat(left_pos, partners)
    b = a + 1 + _ranges(partners)
    first, second = order[a], order[b]
    return np.minimum(first, second), np.maximum(first, second)


def candidate_pairs(columns: Columns, rules: tuple[tuple[str, ...], ...], max_block: int) -> np.ndarray:
    """Distinct (i < j) pairs agreeing on every column of at least one rule, sorted."""
    n = len(next(iter(columns.code.values()))) if columns.code else 0
    found = []
    for rule in rules:
        a, b = _pairs_within_groups(_rule_key(columns, rule), max_block)
        found.append(a * n + b)
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    codes = np.concatenate(found)
    codes.sort()  # sort-then-diff: several times faster than np.unique's hashing on tens of millions
    codes = codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes
    return np.stack([codes // n, codes % n], axis=1)
