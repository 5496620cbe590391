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


def _posterior(levels: list[np.ndarray], m: list[np.ndarray], u: list[np.ndarray], share: float,
               skip: frozenset[int] | set[int] = frozenset()) -> np.ndarray:
    match_log = np.full(len(levels[0]), np.log(share))
    other_log = np.full(len(levels[0]), np.log(1 - share))
    for c, (lv, mc, uc) in enumerate(zip(levels, m, u, strict=True)):
        if c in skip:
            continue
        present = lv != NULL_LEVEL
        index = np.where(present, lv, 0)
        match_log += np.where(present, np.log(mc)[index], 0.0)
        other_log += np.where(present, np.log(uc)[index], 0.0)
    return 1.0 / (1.0 + np.exp(np.clip(other_log - match_log, -700, 700)))


def train_em(levels: list[np.ndarray], level_counts: list[int], u: list[np.ndarray],
             max_iterations: int = 25, tolerance: float = 1e-4, initial_share: float = 0.05,
             fixed: set[int] | frozenset[int] = frozenset(), m: list[np.ndarray] | None = None) -> TrainedWeights:
    """Estimate m per comparison (and the match share) on candidate pairs, holding u fixed.

    ``levels[c]`` holds, for every candidate pair, the level index of comparison c (NULL_LEVEL when a
    side is missing). Comparisons in ``fixed`` are left out: they are the columns the training pairs
    were blocked on, so their agreement says nothing about which pairs match.
    """
    m = [x.copy() for x in m] if m is not None else [_initial_m(count) for count in level_counts]
    share = initial_share
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 (reported after the loop)
        posterior = _posterior(levels, m, u, share, fixed)
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


def train_sessions(sessions: list[tuple[list[np.ndarray], set[int]]], level_counts: list[int],
                   u: list[np.ndarray]) -> list[np.ndarray]:
    """m per comparison, averaged over EM sessions, each trained on pairs from one blocking rule with
    that rule's own comparisons left out (as Splink trains)."""
    learned: list[list[np.ndarray]] = [[] for _ in level_counts]
    for levels, fixed in sessions:
        if len(levels[0]) == 0:
            continue
        trained = train_em(levels, level_counts, u, fixed=fixed)
        for c in range(len(level_counts)):
            if c not in fixed:
                learned[c].append(trained.m[c])
    return [np.mean(found, axis=0) if found else _initial_m(count)
            for found, count in zip(learned, level_counts, strict=True)]


def estimate_match_share(levels: list[np.ndarray], m: list[np.ndarray], u: list[np.ndarray],
                         initial_share: float = 0.05, iterations: int = 30) -> float:
    """The share of matches among candidate pairs, m and u held fixed."""
    share = initial_share
    for _ in range(iterations):
        new_share = float(np.clip(_posterior(levels, m, u, share).mean(), 1e-9, 1 - 1e-9))
        if abs(new_share - share) < 1e-6:
            return new_share
        share = new_share
    return share
