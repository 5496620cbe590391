"""The one resolver engine: block, compare, learn the weights without labels, score, cluster.

A ``TableSpec`` (``resolution.rules``) names the blocking rules, the comparison levels of each field and
the training rules. The same functions execute the specification of the benchmark tables
(``resolve_table``) and of the contacts of a sync (``resolution.scoring``, ``resolution.training``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .blocking import candidate_pairs
from .fellegi_sunter import NULL_LEVEL, TrainedWeights, estimate_match_share, level_frequencies, train_sessions
from .levels import Columns, comparison_levels, prepare_columns
from .rules import FieldComparison, Level, TableSpec

__all__ = ["ComparisonWeights", "FieldComparison", "Level", "TableResult", "TableSpec", "candidate_pairs",
           "comparison_levels", "field_weights", "learned_weights", "prepare_columns", "resolve_table", "train",
           "u_frequencies"]


@dataclass(frozen=True)
class ComparisonWeights:
    """What one comparison's levels weigh, as log2 Bayes factors by level index ("different" last), and
    the term-frequency adjustment of its exact level: ``exact_m`` (0 for none) within ``exact_bounds``."""

    levels: np.ndarray
    exact_m: float = 0.0
    exact_bounds: tuple[float, float] = (-math.inf, math.inf)


@dataclass
class TableResult:
    labels: np.ndarray
    pairs: np.ndarray  # (k, 2) candidate pairs
    probability: np.ndarray
    weights: TrainedWeights
    seconds: dict[str, float] = field(default_factory=dict)


def _random_pairs(n: int, count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    i = rng.integers(0, n, size=count)
    j = rng.integers(0, n, size=count)
    keep = i != j
    return i[keep], j[keep]


def u_frequencies(spec: TableSpec, columns: Columns, n: int) -> list[np.ndarray]:
    """How often each level occurs between two random, almost surely different, rows."""
    ui, uj = _random_pairs(n, min(spec.u_sample_pairs, max(n * (n - 1) // 2, 1)), spec.seed)
    return [level_frequencies(comparison_levels(c, columns, ui, uj), len(c.level_names)) for c in spec.comparisons]


def _session_pairs(spec: TableSpec, levels: list[np.ndarray], rule_levels: dict[str, tuple[str, ...]]) -> np.ndarray:
    chosen = np.ones(len(levels[0]), dtype=bool)
    for position, comparison in enumerate(spec.comparisons):
        if comparison.name in rule_levels:
            wanted = rule_levels[comparison.name] or comparison.level_names[:1]
            chosen &= np.isin(levels[position], [comparison.level_names.index(w) for w in wanted])
    return np.nonzero(chosen)[0]


def train(spec: TableSpec, pairs: np.ndarray, levels: list[np.ndarray], u: list[np.ndarray], n: int
          ) -> TrainedWeights | None:
    """m by EM, one session per training rule, then the match share on all candidates; None when the
    candidates or every session are below the spec's minimum."""
    if len(pairs) < max(spec.min_candidate_pairs, 1):
        return None
    rng = np.random.default_rng(spec.seed)
    sessions = []
    for rule in spec.training_rules:
        rule_levels = dict(rule.levels)
        chosen = _session_pairs(spec, levels, rule_levels)
        if len(chosen) < spec.min_session_pairs:
            continue
        if len(chosen) > spec.session_sample_pairs:
            chosen = np.sort(rng.choice(chosen, spec.session_sample_pairs, replace=False))
        fixed = {c for c, comparison in enumerate(spec.comparisons) if comparison.name in rule_levels}
        sessions.append(([lv[chosen] for lv in levels], fixed))
    if not sessions:
        return None
    m = train_sessions(sessions, [len(c.level_names) for c in spec.comparisons], u)
    # Matches expected among the candidates, spread over every possible pair: scoring then starts from
    # the odds that two records picked at random match, as Splink does, which keeps fields that tend
    # to agree together (a shared household address) from outvoting disagreeing names.
    sample = np.random.default_rng(spec.seed).choice(len(pairs), min(len(pairs), spec.share_sample_pairs),
                                                     replace=False)
    candidates_share = estimate_match_share([lv[sample] for lv in levels], m, u)
    all_pairs = max(n * (n - 1) / 2, 1.0)
    share = float(np.clip(candidates_share * len(pairs) / all_pairs, 1e-12, 0.5))
    return TrainedWeights(m=m, u=u, match_share=share, iterations=len(sessions))


def learned_weights(spec: TableSpec, trained: TrainedWeights) -> list[ComparisonWeights]:
    """Each comparison's weights from trained m and u; term frequencies within the spec's bounds."""
    out = []
    for comparison, weights, m in zip(spec.comparisons, trained.level_weights(), trained.m, strict=True):
        tf = comparison.term_frequency
        if tf is None:
            out.append(ComparisonWeights(weights))
        else:
            exact = float(weights[0])
            out.append(ComparisonWeights(weights, float(m[0]), (exact - tf.below, exact + tf.above)))
    return out


def _term_frequency_weights(comparison: FieldComparison, weights: ComparisonWeights, columns: Columns,
                            i: np.ndarray) -> np.ndarray:
    code = columns.code[comparison.columns[0]]
    counts = np.bincount(code[code >= 0])
    share = counts[code[i]] / max(counts.sum(), 1)
    return np.clip(np.log2(weights.exact_m / np.clip(share, 1e-7, None)), *weights.exact_bounds)


def field_weights(spec: TableSpec, weights: Sequence[ComparisonWeights], columns: Columns, pairs: np.ndarray,
                  levels: list[np.ndarray]) -> list[np.ndarray]:
    """Each comparison's weight for every pair (0 where a side is missing)."""
    out = []
    for comparison, weight, lv in zip(spec.comparisons, weights, levels, strict=True):
        present = lv != NULL_LEVEL
        contribution = np.where(present, weight.levels[np.where(present, lv, 0)], 0.0)
        if comparison.term_frequency and weight.exact_m > 0:
            exact = np.nonzero(lv == 0)[0]
            contribution[exact] = _term_frequency_weights(comparison, weight, columns, pairs[exact, 0])
        out.append(contribution)
    return out


def resolve_table(df: pd.DataFrame, spec: TableSpec, progress: Callable[[str], None] = lambda m: None
                  ) -> TableResult:
    """Cluster the rows of ``df`` that describe the same entity; one label per row."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    columns = prepare_columns(df, spec.columns)
    n = len(df)
    u = u_frequencies(spec, columns, n)
    seconds["u"] = time.perf_counter() - started

    mark = time.perf_counter()
    pairs = candidate_pairs(columns, spec.blocking_rules, spec.max_block)
    levels = [comparison_levels(c, columns, pairs[:, 0], pairs[:, 1]) for c in spec.comparisons]
    seconds["blocking and comparing"] = time.perf_counter() - mark
    progress(f"{len(pairs)} candidate pairs")

    mark = time.perf_counter()
    weights = train(spec, pairs, levels, u, n)
    if weights is None:
        raise ValueError(f"too few candidate pairs ({len(pairs)}) to learn weights from")
    seconds["training"] = time.perf_counter() - mark

    mark = time.perf_counter()
    weight = weights.prior_weight + np.sum(field_weights(spec, learned_weights(spec, weights), columns, pairs,
                                                         levels), axis=0)
    probability = 1.0 / (1.0 + np.exp2(-np.clip(weight, -1000, 1000)))
    linked = pairs[probability >= spec.threshold]
    graph = coo_matrix((np.ones(len(linked)), (linked[:, 0], linked[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    seconds["scoring and clustering"] = time.perf_counter() - mark
    return TableResult(labels=labels, pairs=pairs, probability=probability, weights=weights, seconds=seconds)
