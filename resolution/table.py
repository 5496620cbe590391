"""Deduplicate a generic table of person records: rules as data, weights learned from the data.

A TableSpec names the blocking rules (columns that must agree for two rows to
be compared) and, per field, the comparison levels from most to least exact.
``resolve_table`` blocks, computes every candidate pair's level per field with
rapidfuzz (vectorised over all pairs), learns the weights without labels
(fellegi_sunter), scores, and joins pairs above the threshold into clusters.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz.distance import JaroWinkler, Levenshtein
from rapidfuzz.process import cpdist
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .fellegi_sunter import (
    NULL_LEVEL,
    TrainedWeights,
    estimate_match_share,
    level_frequencies,
    train_sessions,
)


@dataclass(frozen=True)
class Level:
    """One comparison level: ``exact``, ``jaro_winkler`` (similarity >= threshold), ``levenshtein``
    (distance <= threshold), ``swapped`` (a's first column equals b's second and vice versa)."""

    name: str
    kind: str
    threshold: float = 0.0


@dataclass(frozen=True)
class FieldComparison:
    name: str
    columns: tuple[str, ...]
    levels: tuple[Level, ...]  # most exact first; anything else is the implicit last level "different"
    term_frequency: bool = False  # exact agreement on a rare value is worth more

    @property
    def level_names(self) -> tuple[str, ...]:
        return tuple(level.name for level in self.levels) + ("different",)


@dataclass(frozen=True)
class TableSpec:
    comparisons: tuple[FieldComparison, ...]
    blocking_rules: tuple[tuple[str, ...], ...]
    # EM sessions, each on the candidate pairs agreeing on one rule's columns; rules whose agreement
    # also marks many non-matches (a shared address) would teach EM the wrong classes. Default: blocking_rules
    training_rules: tuple[tuple[str, ...], ...] = ()
    threshold: float = 0.9  # match probability at which two rows join
    u_sample_pairs: int = 500_000
    max_block: int = 2_000  # rows sharing one blocking key beyond this are not compared on that key
    seed: int = 42


@dataclass
class TableResult:
    labels: np.ndarray
    pairs: np.ndarray  # (k, 2) candidate pairs
    probability: np.ndarray
    weights: TrainedWeights
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class Columns:
    """Every compared column as integer codes into one shared vocabulary (-1 = missing).

    One vocabulary for all columns makes equality across columns (a swapped given name and
    surname) a comparison of integers, and lets string similarity run once per distinct pair of
    values rather than once per pair of rows.
    """

    code: dict[str, np.ndarray]
    vocabulary: np.ndarray  # code -> text


def _column_text(df: pd.DataFrame, name: str) -> pd.Series:
    """A column folded to lower-case text ("" when missing); "a+b" joins columns a and b with a space."""
    parts = [df[part].astype("string").str.strip().str.lower().fillna("") if part in df
             else pd.Series("", index=df.index, dtype="string")  # a table without that column: missing
             for part in name.split("+")]
    joined = parts[0]
    for part in parts[1:]:
        joined = (joined + " " + part).str.strip()
    return joined


def prepare_columns(df: pd.DataFrame, names: set[str]) -> Columns:
    ordered = sorted(names)
    texts = [_column_text(df, column) for column in ordered]
    codes, vocabulary = pd.factorize(pd.concat(texts, ignore_index=True))
    vocabulary = np.asarray(vocabulary, dtype=object)
    blank = np.nonzero(vocabulary == "")[0]
    codes = codes.astype(np.int64)
    if len(blank):
        codes[codes == blank[0]] = -1
    n = len(df)
    return Columns(code={column: codes[k * n:(k + 1) * n] for k, column in enumerate(ordered)},
                   vocabulary=vocabulary)


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


def _ranges(counts: np.ndarray) -> np.ndarray:
    """Concatenated aranges: [0..c0-1, 0..c1-1, ...]."""
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total, dtype=np.int64) - offsets


def candidate_pairs(columns: Columns, rules: tuple[tuple[str, ...], ...], max_block: int) -> np.ndarray:
    """Distinct (i < j) pairs agreeing on every column of at least one rule."""
    n = len(next(iter(columns.code.values())))
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


def _similarity(kind: str, columns: Columns, ca: np.ndarray, cb: np.ndarray) -> np.ndarray:
    """String similarity of each pair of codes, computed once per distinct pair of values."""
    scorer = JaroWinkler.normalized_similarity if kind == "jaro_winkler" else Levenshtein.distance
    size = len(columns.vocabulary) + 1
    keys = ca * size + cb
    probe = keys[: 20_000]
    if len(probe) and len(np.unique(probe)) > 0.6 * len(probe):
        # nearly every pair of values is new (dates of birth, identity numbers): deduplicating would
        # cost more than it saves
        return cpdist(columns.vocabulary[ca], columns.vocabulary[cb], scorer=scorer, workers=-1)
    distinct, inverse = np.unique(keys, return_inverse=True)
    texts_a = columns.vocabulary[distinct // size]
    texts_b = columns.vocabulary[distinct % size]
    return cpdist(texts_a, texts_b, scorer=scorer, workers=-1)[inverse]


def comparison_levels(comparison: FieldComparison, columns: Columns, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The level index of every pair for one field (NULL_LEVEL where either side is missing)."""
    code = columns.code[comparison.columns[0]]
    ca, cb = code[i], code[j]
    result = np.full(len(i), len(comparison.levels), dtype=np.int64)  # "different" unless a level says so
    missing = (ca < 0) | (cb < 0)
    result[missing] = NULL_LEVEL
    undecided = ~missing
    # each similarity is computed once per field, on the pairs no earlier level has claimed
    similarity: dict[str, np.ndarray] = {}
    for position, level in enumerate(comparison.levels):
        where = np.nonzero(undecided)[0]
        if len(where) == 0:
            break
        if level.kind == "exact":
            hit = ca[where] == cb[where]
        elif level.kind == "swapped":
            second = columns.code[comparison.columns[1]]
            hit = (ca[where] == second[j[where]]) & (second[i[where]] == cb[where]) & (ca[where] != cb[where])
        elif level.kind in ("jaro_winkler", "levenshtein"):
            if level.kind not in similarity:
                values = np.zeros(len(i))
                values[where] = _similarity(level.kind, columns, ca[where], cb[where])
                similarity[level.kind] = values
            values = similarity[level.kind][where]
            hit = values >= level.threshold if level.kind == "jaro_winkler" else values <= level.threshold
        else:
            raise ValueError(f"unknown comparison level kind {level.kind!r} in {comparison.name}")
        chosen = where[hit]
        result[chosen] = position
        undecided[chosen] = False
    return result


def _term_frequency_weights(comparison: FieldComparison, columns: Columns, i: np.ndarray, levels: np.ndarray,
                            m_exact: float) -> np.ndarray | None:
    if not comparison.term_frequency or comparison.levels[0].kind != "exact":
        return None
    code = columns.code[comparison.columns[0]]
    counts = np.bincount(code[code >= 0])
    frequency = counts / max(counts.sum(), 1)
    exact = levels == 0
    share = frequency[code[i[exact]]]
    out = np.zeros(len(levels))
    out[exact] = np.log2(m_exact / np.clip(share, 1e-7, None))
    return out


def score_pairs(spec: TableSpec, weights: TrainedWeights, columns: Columns, pairs: np.ndarray,
                levels: list[np.ndarray]) -> np.ndarray:
    """Match weight (log2 odds) of every candidate pair."""
    total = np.full(len(pairs), weights.prior_weight)
    for comparison, lv, level_weight, m in zip(spec.comparisons, levels, weights.level_weights(), weights.m,
                                               strict=True):
        present = lv != NULL_LEVEL
        contribution = np.where(present, level_weight[np.where(present, lv, 0)], 0.0)
        adjusted = _term_frequency_weights(comparison, columns, pairs[:, 0], lv, float(m[0]))
        if adjusted is not None:
            contribution = np.where(lv == 0, adjusted, contribution)
        total += contribution
    return total


def _train(spec: TableSpec, columns: Columns, pairs: np.ndarray, levels: list[np.ndarray], u: list[np.ndarray],
           sample: int = 400_000) -> TrainedWeights:
    """One EM session per blocking rule on that rule's pairs, then the match share on all candidates."""
    counts = [len(c.level_names) for c in spec.comparisons]
    rng = np.random.default_rng(spec.seed)
    sessions = []
    for rule in spec.training_rules or spec.blocking_rules:
        agree = np.ones(len(pairs), dtype=bool)
        for column in rule:
            code = columns.code[column]
            agree &= (code[pairs[:, 0]] == code[pairs[:, 1]]) & (code[pairs[:, 0]] >= 0)
        chosen = np.nonzero(agree)[0]
        if len(chosen) > sample:
            chosen = np.sort(rng.choice(chosen, sample, replace=False))
        fixed = {c for c, comparison in enumerate(spec.comparisons) if set(comparison.columns) & set(rule)}
        sessions.append(([lv[chosen] for lv in levels], fixed))
    m = train_sessions(sessions, counts, u)
    # Matches expected among the candidates, spread over every possible pair: scoring then starts from
    # the odds that two records picked at random match, as Splink does, which keeps fields that tend
    # to agree together (a shared household address) from outvoting disagreeing names.
    sample_rows = rng.choice(len(pairs), min(len(pairs), 1_000_000), replace=False) if len(pairs) else []
    candidates_share = estimate_match_share([lv[sample_rows] for lv in levels], m, u)
    n = int(pairs.max()) + 1 if len(pairs) else 1
    all_pairs = max(n * (n - 1) / 2, 1.0)
    share = float(np.clip(candidates_share * len(pairs) / all_pairs, 1e-12, 0.5))
    return TrainedWeights(m=m, u=u, match_share=share, iterations=len(sessions))


def _random_pairs(n: int, count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    i = rng.integers(0, n, size=count)
    j = rng.integers(0, n, size=count)
    keep = i != j
    return i[keep], j[keep]


def resolve_table(df: pd.DataFrame, spec: TableSpec, progress: Callable[[str], None] = lambda m: None
                  ) -> TableResult:
    """Cluster the rows of ``df`` that describe the same entity; one label per row."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    used = {c for comparison in spec.comparisons for c in comparison.columns} | {
        c for rule in spec.blocking_rules for c in rule}
    columns = prepare_columns(df, used)
    n = len(df)

    ui, uj = _random_pairs(n, min(spec.u_sample_pairs, max(n * (n - 1) // 2, 1)), spec.seed)
    u = [level_frequencies(comparison_levels(c, columns, ui, uj), len(c.level_names)) for c in spec.comparisons]
    seconds["u"] = time.perf_counter() - started

    mark = time.perf_counter()
    pairs = candidate_pairs(columns, spec.blocking_rules, spec.max_block)
    levels = [comparison_levels(c, columns, pairs[:, 0], pairs[:, 1]) for c in spec.comparisons]
    seconds["blocking and comparing"] = time.perf_counter() - mark
    progress(f"{len(pairs)} candidate pairs")

    mark = time.perf_counter()
    weights = _train(spec, columns, pairs, levels, u)
    seconds["training"] = time.perf_counter() - mark

    mark = time.perf_counter()
    weight = score_pairs(spec, weights, columns, pairs, levels)
    probability = 1.0 / (1.0 + np.exp2(-np.clip(weight, -1000, 1000)))
    linked = pairs[probability >= spec.threshold]
    graph = coo_matrix((np.ones(len(linked)), (linked[:, 0], linked[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    seconds["scoring and clustering"] = time.perf_counter() - mark
    return TableResult(labels=labels, pairs=pairs, probability=probability, weights=weights, seconds=seconds)
