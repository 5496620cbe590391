"""Learn the contact comparisons' weights from the data itself, without labels.

u (how often each level occurs between two records of different people) is counted on random
pairs of records; m (how often between two records of one person) comes from EM sessions on
candidate pairs that agree on an e-mail address, on a mobile, or on the whole name, each session
leaving out the fields it was selected on (as Splink trains). The thresholds become probabilities:
merge at ``merge_probability``, review from ``review_probability``. A dataset too small to train on
keeps the default weights.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from .comparisons import Comparison, MatchSettings
from .features import PersonFeatures
from .fellegi_sunter import NULL_LEVEL, estimate_match_share, level_frequencies, train_sessions
from .scoring import COMPARED_FIELDS, pair_levels

MIN_CANDIDATE_PAIRS = 2_000
MIN_SESSION_PAIRS = 200
RANDOM_PAIRS = 300_000


def _level_indices(scored: pd.DataFrame, comparison: Comparison) -> np.ndarray:
    names = [level for level in comparison.levels if level != "missing"]
    index = {level: k for k, level in enumerate(names)}
    index["missing"] = NULL_LEVEL
    return scored[f"{comparison.name}_level"].map(index).to_numpy(dtype=np.int64)


def _random_pairs(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    count = min(RANDOM_PAIRS, n * (n - 1) // 2)
    i, j = rng.integers(0, n, count), rng.integers(0, n, count)
    keep = i != j
    return np.stack([np.minimum(i, j)[keep], np.maximum(i, j)[keep]], axis=1)


def learn_settings(features: PersonFeatures, scored: pd.DataFrame, settings: MatchSettings,
                   seed: int = 1) -> MatchSettings | None:
    """Settings with learned weights and probability thresholds, or None when there is too little data."""
    n = len(features.first)
    if len(scored) < MIN_CANDIDATE_PAIRS:
        return None
    comparisons = [settings.comparison(name) for name in COMPARED_FIELDS]
    random_levels = pair_levels(features, _random_pairs(n, seed))  # u needs levels only, not weights
    levels = [_level_indices(scored, c) for c in comparisons]
    counts = [len(c.levels) - 1 for c in comparisons]
    u = [level_frequencies(_level_indices(random_levels, c), k) for c, k in zip(comparisons, counts, strict=True)]

    selections = {
        ("email",): scored["email_level"].to_numpy() == "exact",
        ("mobile",): scored["mobile_level"].to_numpy() == "exact",
        ("last_name", "first_name"): (scored["last_name_level"].to_numpy() == "exact")
        & np.isin(scored["first_name_level"].to_numpy(), ["exact", "nickname"]),
    }
    sessions = [([lv[mask] for lv in levels], {COMPARED_FIELDS.index(f) for f in fields})
                for fields, mask in selections.items() if mask.sum() >= MIN_SESSION_PAIRS]
    if not sessions:
        return None
    m = train_sessions(sessions, counts, u)
    sample = np.random.default_rng(seed).choice(len(scored), min(len(scored), 500_000), replace=False)
    share = estimate_match_share([lv[sample] for lv in levels], m, u)
    prior = math.log2(max(share * len(scored) / (n * (n - 1) / 2), 1e-12))

    learned = []
    for comparison, mc, uc in zip(comparisons, m, u, strict=True):
        names = [level for level in comparison.levels if level != "missing"]
        weights = {level: float(np.log2(mc[k] / uc[k])) for k, level in enumerate(names)}
        learned.append(Comparison(comparison.name, comparison.levels, weights))
    exact = {c.name: c.weights["exact"] for c in learned if c.name in ("last_name", "first_name")}
    m_exact = {c.name: float(mc[0]) for c, mc in zip(comparisons, m, strict=True)}
    return dataclasses.replace(
        settings, comparisons=tuple(learned),
        merge_threshold=math.log2(settings.merge_probability / (1 - settings.merge_probability)) - prior,
        review_threshold=math.log2(settings.review_probability / (1 - settings.review_probability)) - prior,
        # an exact name is worth more when the name is rare: around the learned average, within bounds
        last_name_exact_bounds=(exact["last_name"] - 3, exact["last_name"] + 5),
        first_name_exact_bounds=(exact["first_name"] - 3, exact["first_name"] + 5),
        last_name_exact_m=m_exact["last_name"], first_name_exact_m=m_exact["first_name"],
        learned=True)
