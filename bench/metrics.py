"""Accuracy of a clustering against the truth, from group sizes so a million rows score in about a second.

Pairs: a pair of rows is predicted when both rows share a predicted label, and true when they share an
entity id; precision = agreed / predicted pairs, recall = agreed / true pairs.
Clusters: a predicted cluster is correct when it holds exactly the rows of one true entity (singletons
included); precision = correct / predicted clusters, recall = correct / true entities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PAIRS_DEFINITION = ("pairs: rows sharing a predicted label vs rows sharing an entity id "
                    "(P = agreed/predicted pairs, R = agreed/true pairs)")
CLUSTERS_DEFINITION = ("clusters: a predicted cluster is correct when it is exactly one true entity's rows, "
                       "singletons included (P = correct/predicted clusters, R = correct/true entities)")
EDGES_DEFINITION = ("best F1: pairwise F1 of Splink's scored pairs before clustering, at the match-probability "
                    "threshold that maximises it (true pairs that no blocking rule produced count as missed)")


@dataclass(frozen=True)
class Agreement:
    """Precision, recall and F1 of one kind of unit (pairs or clusters)."""

    true: int
    predicted: int
    agreed: int

    @property
    def precision(self) -> float:
        return self.agreed / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.agreed / self.true if self.true else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.agreed / (self.true + self.predicted) if self.true + self.predicted else 1.0


@dataclass(frozen=True)
class Accuracy:
    pairs: Agreement
    clusters: Agreement


@dataclass(frozen=True)
class ThresholdF1:
    """The best pairwise F1 over thresholds of scored pairs, and F1 at a fixed threshold."""

    best_f1: float
    best_threshold: float
    f1_at: dict[float, float]


def _pairs(sizes: np.ndarray) -> int:
    sizes = sizes.astype(np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def _codes(labels: np.ndarray) -> np.ndarray:
    return np.unique(np.asarray(labels), return_inverse=True)[1].ravel().astype(np.int64)


def accuracy(predicted: np.ndarray, truth: np.ndarray) -> Accuracy:
    """Pair and cluster agreement of one label per row (``predicted``) with the true entity per row."""
    if len(predicted) != len(truth):
        raise ValueError(f"{len(predicted)} predicted labels for {len(truth)} rows")
    p, t = _codes(predicted), _codes(truth)
    p_sizes, t_sizes = np.bincount(p), np.bincount(t)
    joint, joint_sizes = np.unique(t * (p.max() + 1) + p, return_counts=True)
    joint_t, joint_p = joint // (p.max() + 1), joint % (p.max() + 1)
    exact = (joint_sizes == p_sizes[joint_p]) & (joint_sizes == t_sizes[joint_t])
    return Accuracy(
        pairs=Agreement(true=_pairs(t_sizes), predicted=_pairs(p_sizes), agreed=_pairs(joint_sizes)),
        clusters=Agreement(true=len(t_sizes), predicted=len(p_sizes), agreed=int(exact.sum())),
    )


def threshold_f1(left: np.ndarray, right: np.ndarray, probability: np.ndarray, truth: np.ndarray,
                 fixed: tuple[float, ...] = (0.9,)) -> ThresholdF1:
    """Sweep the match-probability threshold over scored pairs (row indices ``left``/``right``)."""
    t = _codes(truth)
    true_pairs = _pairs(np.bincount(t))
    order = np.argsort(-probability, kind="stable")
    probability = probability[order]
    hits = np.cumsum(t[left[order]] == t[right[order]])
    # a threshold keeps every pair scoring at or above it: evaluate at the last pair of each distinct score
    last = np.flatnonzero(np.append(probability[1:] != probability[:-1], True))
    f1 = 2 * hits[last] / (last + 1 + true_pairs)
    if not len(f1):
        return ThresholdF1(0.0, 1.0, dict.fromkeys(fixed, 0.0))
    best = int(np.argmax(f1))
    at = {}
    for threshold in fixed:
        kept = int(np.searchsorted(-probability, -threshold, side="right"))
        at[threshold] = 2 * int(hits[kept - 1]) / (kept + true_pairs) if kept else 0.0
    return ThresholdF1(float(f1[best]), float(probability[last[best]]), at)
