"""Score candidate pairs field by field, vectorised over all pairs at once."""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

from .comparisons import MatchSettings
from .features import PersonFeatures
from .nicknames import nickname_groups

COMPARED_FIELDS = ("last_name", "first_name", "email", "mobile", "phone", "organisation",
                   "keyholder_affiliation", "postcode", "address")


def _similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if len(a) == 0:
        return np.zeros(0)
    return cpdist(list(a), list(b), scorer=JaroWinkler.normalized_similarity, workers=-1)


def _identifier_levels(values: np.ndarray, shared: np.ndarray, i: np.ndarray, j: np.ndarray,
                       shared_level: str) -> np.ndarray:
    a, b = values[i], values[j]
    missing = (a == "") | (b == "")
    equal = (a == b) & ~missing
    return np.select(
        [missing, equal & (shared[i] | shared[j]), equal],
        ["missing", shared_level, "exact"], default="different",
    )


def _last_name_levels(f: PersonFeatures, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    a, b = f.last[i], f.last[j]
    missing = (a == "") | (b == "")
    sim = _similarity(a, b)
    return np.select([missing, a == b, sim >= 0.92, sim >= 0.8], ["missing", "exact", "typo", "similar"],
                     default="different")


def _nickname_pairs(first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes for the given names present, and every (code, code) pair of names that are nicknames of
    each other, as one sorted int64 array, so that pairs are checked without a Python loop per pair."""
    codes, names = pd.factorize(pd.Series(first, dtype=object))
    by_group: dict[int, list[int]] = {}
    for code, name in enumerate(names):
        for group in nickname_groups(name):
            by_group.setdefault(group, []).append(code)
    size = len(names) + 1
    pairs = {a * size + b for members in by_group.values() for a in members for b in members if a != b}
    return codes.astype(np.int64), np.array(sorted(pairs), dtype=np.int64)


def _first_name_levels(f: PersonFeatures, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    a, b = f.first[i], f.first[j]
    missing = (a == "") | (b == "")
    sim = _similarity(a, b)
    codes, nickname_pairs = _nickname_pairs(f.first)
    size = int(codes.max()) + 2 if len(codes) else 1
    nickname = (f.first_canonical[i] == f.first_canonical[j]) | np.isin(codes[i] * size + codes[j], nickname_pairs)
    lengths = np.fromiter((len(x) for x in f.first), dtype=np.int64, count=len(f.first))
    letters = np.array([x[:1] for x in f.first], dtype=object)
    initial = ((lengths[i] == 1) | (lengths[j] == 1)) & (letters[i] == letters[j]) & ~missing
    return np.select([missing, a == b, nickname, initial, sim >= 0.88],
                     ["missing", "exact", "nickname", "initial", "typo"], default="different")


def _email_levels(f: PersonFeatures, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    levels = _identifier_levels(f.email, f.email_shared, i, j, "shared_mailbox")
    same_local = ((f.email_local[i] == f.email_local[j]) & (levels == "different")
                  & ~f.email_shared[i] & ~f.email_shared[j])
    return np.where(same_local, "same_local_part", levels)


def _organisation_levels(f: PersonFeatures, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    a, b = f.organisation[i], f.organisation[j]
    return np.select([(a < 0) | (b < 0), a == b], ["missing", "same"], default="different")


def _affiliation_levels(f: PersonFeatures, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    # compare a keyholder's occupier with the other record's employer (or occupier)
    a = np.where(f.organisation[i] >= 0, f.organisation[i], f.affiliation[i])
    b = np.where(f.organisation[j] >= 0, f.organisation[j], f.affiliation[j])
    involved = (f.affiliation[i] >= 0) | (f.affiliation[j] >= 0)
    return np.select([~involved | (a < 0) | (b < 0), a == b], ["missing", "same"], default="different")


def _postcode_levels(f: PersonFeatures, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    a, b = f.postcode[i], f.postcode[j]
    missing = (a == "") | (b == "")
    district = f.postcode_district[i] == f.postcode_district[j]
    return np.select([missing, a == b, district], ["missing", "exact", "same_district"], default="different")


def _address_levels(f: PersonFeatures, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    a, b = f.address[i], f.address[j]
    missing = (a == "") | (b == "")
    sim = _similarity(a, b)
    return np.select([missing, a == b, sim >= 0.9], ["missing", "exact", "similar"], default="different")


def _term_frequency_weight(values: np.ndarray, bounds: tuple[float, float], m: float = 0.95) -> dict[str, float]:
    present = values[values != ""]
    if len(present) == 0:
        return {}
    counts = pd.Series(present).value_counts()
    weights = np.clip(np.log2(m * len(present) / counts.to_numpy()), *bounds)
    return dict(zip(counts.index, weights, strict=True))


def pair_levels(features: PersonFeatures, pairs: np.ndarray) -> pd.DataFrame:
    """One row per pair: i, j and each field's comparison level."""
    i, j = pairs[:, 0], pairs[:, 1]
    frame = pd.DataFrame({"i": i, "j": j})
    for name, levels in (
        ("last_name", _last_name_levels(features, i, j)),
        ("first_name", _first_name_levels(features, i, j)),
        ("email", _email_levels(features, i, j)),
        ("mobile", _identifier_levels(features.mobile, features.mobile_shared, i, j, "shared_number")),
        ("phone", _identifier_levels(features.phone, features.phone_shared, i, j, "shared_number")),
        ("organisation", _organisation_levels(features, i, j)),
        ("keyholder_affiliation", _affiliation_levels(features, i, j)),
        ("postcode", _postcode_levels(features, i, j)),
        ("address", _address_levels(features, i, j)),
    ):
        frame[f"{name}_level"] = levels
    return frame


def weigh_pairs(features: PersonFeatures, levels: pd.DataFrame, settings: MatchSettings) -> pd.DataFrame:
    """The levels with each field's weight under ``settings`` and the total score added."""
    frame = levels.copy()
    i = frame["i"].to_numpy()
    total = np.zeros(len(frame))
    tf_last = _term_frequency_weight(features.last, settings.last_name_exact_bounds, settings.last_name_exact_m)
    tf_first = _term_frequency_weight(features.first, settings.first_name_exact_bounds,
                                      settings.first_name_exact_m)
    for name in COMPARED_FIELDS:
        comparison = settings.comparison(name)
        level = frame[f"{name}_level"].to_numpy()
        weight = pd.Series(level).map(comparison.weights).fillna(0.0).to_numpy(dtype=float, copy=True)
        if name in ("last_name", "first_name"):
            exact = level == "exact"
            values = (features.last if name == "last_name" else features.first)[i][exact]
            table = tf_last if name == "last_name" else tf_first
            weight[exact] = pd.Series(values).map(table).fillna(comparison.weight_of("exact")).to_numpy(float)
        frame[f"{name}_weight"] = weight
        total += weight
    frame["score"] = total
    return frame


def score_pairs(features: PersonFeatures, pairs: np.ndarray, settings: MatchSettings) -> pd.DataFrame:
    """One row per pair: i, j, each field's level and weight, and the total score."""
    return weigh_pairs(features, pair_levels(features, pairs), settings)
