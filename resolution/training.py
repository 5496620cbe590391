"""Learn the contact comparisons' weights from the data itself, without labels.

The engine trains CONTACT_SPEC (``resolution.table.train``): u on random pairs of records, m by EM
sessions on its training rules (pairs agreeing on an e-mail address, on a mobile, or on the whole
name), each session leaving out the fields it was selected on, as Splink trains. The thresholds
become probabilities: merge at ``merge_probability``, review from ``review_probability``. A dataset
too small to train on keeps the default weights.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from .comparisons import Comparison, MatchSettings
from .levels import Columns
from .specs import CONTACT_SPEC
from .table import learned_weights, train, u_frequencies


def _log_odds(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def learn_settings(columns: Columns, pairs: np.ndarray, levels: list[np.ndarray], settings: MatchSettings
                   ) -> MatchSettings | None:
    """Settings with learned weights and probability thresholds, or None when there is too little data."""
    if len(pairs) < CONTACT_SPEC.min_candidate_pairs:
        return None  # before drawing random pairs: a small sync should not pay for them
    n = len(next(iter(columns.code.values())))
    trained = train(CONTACT_SPEC, pairs, levels, u_frequencies(CONTACT_SPEC, columns, n), n)
    if trained is None:
        return None
    learned = []
    for spec, weights in zip(CONTACT_SPEC.comparisons, learned_weights(CONTACT_SPEC, trained), strict=True):
        learned.append(Comparison(spec.name, ("missing", *spec.level_names),
                                  dict(zip(spec.level_names, map(float, weights.levels), strict=True)),
                                  weights.exact_m, weights.exact_bounds))
    prior = trained.prior_weight
    return dataclasses.replace(
        settings, comparisons=tuple(learned),
        merge_threshold=_log_odds(settings.merge_probability) - prior,
        review_threshold=_log_odds(settings.review_probability) - prior,
        learned=True)
