"""Fellegi–Sunter weights learned without labels.

u (how often a level occurs between two random, almost surely different,
records) is counted on a random sample of pairs; m (how often it occurs between
two records of the same entity) and the share of matches among candidate pairs
are estimated by expectation–maximisation on the candidate pairs, u held fixed,
as Splink does. A level's weight is log2(m/u); a pair's score is the prior log
odds plus the sum of its levels' weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NULL_LEVEL = -1  # either side missing: no evidence, weight 0


@dataclass
class TrainedWeights:
    m: list[np.ndarray]  # per comparison, one probability per level
    u: list[np.ndarray]
    match_share: float  # estimated share of matches among the candidate pairs
    iterations: int

    def level_weights(self) -> list[np.ndarray]:
        return [np.log2(m / u) for m, u in zip(self.m, self.u, strict=True)]

    @property
    def prior_weight(self) -> float:
        return float(np.log2(self.match_share / (1 - self.match_share)))


def level_frequencies(levels: np.ndarray, level_count: int, floor: float = 1e-6) -> np.ndarray:
    """Share of non-null pairs at each level (a floor keeps unseen levels finite)."""
    present = levels[levels != NULL_LEVEL]
    counts = np.bincount(present, minlength=level_count).astype(float)
    total = counts.sum()
    shares = counts / total if total else np.full(level_count, 1.0 / level_count)
    return np.clip(shares, floor, None) / np.clip(shares, floor, None).sum()


def _initial_m(level_count: int) -> np.ndarray:
    # level 0 is the most exact agreement by convention; start matches mostly there
    m = np.full(level_count, 0.1 / max(level_count - 1, 1))
    m[0] = 0.9 if level_count > 1 else 1.0
    return m / m.sum()


def train_em(levels: list[np.ndarray], level_counts: list[int], u: list[np.ndarray],
             max_iterations: int = 25, tolerance: float = 1e-4, initial_share: float = 0.05,
             fixed: set[int] | frozenset[int] = frozenset()) -> TrainedWeights:
    """Estimate m per comparison (and the match share) on candidate pairs, holding u fixed.

    ``levels[c]`` holds, for every candidate pair, the level index of comparison c (NULL_LEVEL when a
    side is missing). Comparisons in ``fixed`` keep their starting m (used for blocking columns, whose
    agreement among candidate pairs says nothing about matches).
    """
    m = [_initial_m(count) for count in level_counts]
    share = initial_share
    log_u = [np.log(x) for x in u]
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 (reported after the loop)
        log_m = [np.log(x) for x in m]
        match_log = np.full(len(levels[0]), np.log(share))
        other_log = np.full(len(levels[0]), np.log(1 - share))
        for lv, lm, lu in zip(levels, log_m, log_u, strict=True):
            present = lv != NULL_LEVEL
            index = np.where(present, lv, 0)
            match_log += np.where(present, lm[index], 0.0)
            other_log += np.where(present, lu[index], 0.0)
        posterior = 1.0 / (1.0 + np.exp(np.clip(other_log - match_log, -700, 700)))
        new_share = float(np.clip(posterior.mean(), 1e-9, 1 - 1e-9))
        new_m = []
        for c, (lv, count) in enumerate(zip(levels, level_counts, strict=True)):
            if c in fixed:
                new_m.append(m[c])
                continue
            present = lv != NULL_LEVEL
            weights = np.bincount(lv[present], weights=posterior[present], minlength=count)
            total = weights.sum()
            estimate = weights / total if total > 0 else m[c]
            new_m.append(np.clip(estimate, 1e-6, None) / np.clip(estimate, 1e-6, None).sum())
        change = max(float(np.abs(a - b).max()) for a, b in zip(new_m, m, strict=True))
        m, share = new_m, new_share
        if change < tolerance:
            break
    return TrainedWeights(m=m, u=u, match_share=share, iterations=iteration)
