"""Execute comparison levels: every candidate pair's level per field, vectorised over all pairs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz.distance import JaroWinkler, Levenshtein
from rapidfuzz.process import cpdist

from .fellegi_sunter import NULL_LEVEL
from .nicknames import are_nicknames
from .rules import FieldComparison, Level


@dataclass
class Columns:
    """Every compared column as integer codes into one shared vocabulary (-1 = missing).

    One vocabulary for all columns makes equality across columns (a swapped given name and
    surname) a comparison of integers, and lets string similarity run once per distinct pair of
    values rather than once per pair of rows.
    """

    code: dict[str, np.ndarray]
    vocabulary: np.ndarray  # code -> text

    def present(self, column: str) -> np.ndarray:
        return self.code[column] >= 0


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


def _distinct_pairs(columns: Columns, ca: np.ndarray, cb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (a, b) value codes among the pairs, and each pair's index into them."""
    size = len(columns.vocabulary) + 1
    distinct, inverse = np.unique(ca * size + cb, return_inverse=True)
    return distinct // size, distinct % size, inverse


def _similarity(kind: str, columns: Columns, ca: np.ndarray, cb: np.ndarray) -> np.ndarray:
    """String similarity of each pair of codes, computed once per distinct pair of values."""
    scorer = JaroWinkler.normalized_similarity if kind == "jaro_winkler" else Levenshtein.distance
    size = len(columns.vocabulary) + 1
    probe = (ca * size + cb)[: 20_000]
    if len(probe) and len(np.unique(probe)) > 0.6 * len(probe):
        # nearly every pair of values is new (dates of birth, identity numbers): deduplicating would
        # cost more than it saves
        return cpdist(columns.vocabulary[ca], columns.vocabulary[cb], scorer=scorer, workers=-1)
    a, b, inverse = _distinct_pairs(columns, ca, cb)
    return cpdist(columns.vocabulary[a], columns.vocabulary[b], scorer=scorer, workers=-1)[inverse]


def _nicknames(columns: Columns, ca: np.ndarray, cb: np.ndarray) -> np.ndarray:
    a, b, inverse = _distinct_pairs(columns, ca, cb)
    words = columns.vocabulary
    return np.fromiter((are_nicknames(words[x], words[y]) for x, y in zip(a, b, strict=True)),
                       dtype=bool, count=len(a))[inverse]


def _initials(columns: Columns, ca: np.ndarray, cb: np.ndarray) -> np.ndarray:
    words = columns.vocabulary
    a, b = words[ca], words[cb]
    single = np.fromiter((len(x) == 1 or len(y) == 1 for x, y in zip(a, b, strict=True)), dtype=bool,
                         count=len(a))
    return single & np.fromiter((x[:1] == y[:1] for x, y in zip(a, b, strict=True)), dtype=bool, count=len(a))


class _PairLevels:
    """The pairs of one comparison and the similarities computed on them so far (each at most once)."""

    def __init__(self, comparison: FieldComparison, columns: Columns, i: np.ndarray, j: np.ndarray) -> None:
        self.comparison, self.columns, self.i, self.j = comparison, columns, i, j
        self.similarity: dict[str, np.ndarray] = {}

    def holds(self, level: Level, where: np.ndarray) -> np.ndarray:
        """Whether each pair at positions ``where`` is at ``level``."""
        code = self.columns.code[level.column or self.comparison.columns[0]]
        i, j = self.i[where], self.j[where]
        ca, cb = code[i], code[j]
        if level.kind == "exact":
            hit = (ca == cb) & (ca >= 0)
        elif level.kind == "swapped":
            second = self.columns.code[self.comparison.columns[1]]
            hit = (ca == second[j]) & (second[i] == cb) & (ca != cb)
        elif level.kind in ("jaro_winkler", "levenshtein"):
            hit = self._similar(level, where, ca, cb)
        elif level.kind == "nickname":
            hit = _nicknames(self.columns, ca, cb)
        else:
            hit = _initials(self.columns, ca, cb)
        if level.unless_flagged:
            flagged = self.columns.present(level.unless_flagged)
            hit &= ~flagged[i] & ~flagged[j]
        return hit

    def _similar(self, level: Level, where: np.ndarray, ca: np.ndarray, cb: np.ndarray) -> np.ndarray:
        key = f"{level.kind}:{level.column}"
        if key not in self.similarity:
            # computed once, on the pairs the first level of this kind sees: later levels see fewer
            found = _similarity(level.kind, self.columns, ca, cb)
            # kept in rapidfuzz's float32: a similarity of exactly 0.88 then meets a 0.88 threshold
            values = np.zeros(len(self.i), dtype=found.dtype)
            values[where] = found
            self.similarity[key] = values
        values = self.similarity[key][where]
        return values >= level.threshold if level.kind == "jaro_winkler" else values <= level.threshold


def comparison_levels(comparison: FieldComparison, columns: Columns, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The level index of every pair for one field (NULL_LEVEL where either side is missing)."""
    code = columns.code[comparison.columns[0]]
    result = np.full(len(i), len(comparison.levels), dtype=np.int64)  # "different" unless a level says so
    missing = (code[i] < 0) | (code[j] < 0)
    if comparison.only_when_either:
        flag = columns.present(comparison.only_when_either)
        missing |= ~flag[i] & ~flag[j]
    result[missing] = NULL_LEVEL
    undecided = ~missing
    pairs = _PairLevels(comparison, columns, i, j)
    for position, level in enumerate(comparison.levels):
        where = np.nonzero(undecided)[0]
        if len(where) == 0:
            break
        chosen = where[pairs.holds(level, where)]
        result[chosen] = position
        undecided[chosen] = False
    return result


def level_name(comparison: FieldComparison, levels: np.ndarray) -> np.ndarray:
    """Level indices as names ("missing" for the null level)."""
    names = np.array([*comparison.level_names, "missing"], dtype=object)
    return names[np.where(levels == NULL_LEVEL, len(names) - 1, levels)]
