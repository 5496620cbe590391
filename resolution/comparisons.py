"""The weights contacts are scored with: for each comparison of CONTACT_SPEC, a weight per level.

A weight is a log2 Bayes factor: how much more often a level is seen between two records of the
same person than between two records of different people. The pair's score is the sum over fields;
0 means "no evidence either way". The defaults here are used when a sync holds too few records to
learn weights from (``resolution.training``); an exact name then weighs more when the name is rare,
within the bounds given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .specs import CONTACT_SPEC
from .table import ComparisonWeights


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[str, ...]
    weights: dict[str, float]
    # term frequency of the exact level: its m (0: no adjustment) and the bounds of the adjusted weight
    exact_m: float = 0.0
    exact_bounds: tuple[float, float] = (-math.inf, math.inf)

    def weight_of(self, level: str) -> float:
        return self.weights.get(level, 0.0)


def _default(name: str, weights: dict[str, float], exact_bounds: tuple[float, float] | None = None
             ) -> Comparison:
    levels = ("missing", *CONTACT_SPEC.comparison(name).level_names)
    if set(weights) != set(levels) - {"missing"}:
        raise ValueError(f"default weights of {name} must name exactly its levels {levels[1:]}")
    if exact_bounds is None:
        return Comparison(name, levels, weights)
    # the share of one person's record pairs that agree exactly on the name
    return Comparison(name, levels, weights, exact_m=0.95, exact_bounds=exact_bounds)


DEFAULT_COMPARISONS: tuple[Comparison, ...] = (
    _default("last_name", {"exact": 6.0, "typo": 4.0, "similar": 0.5, "different": -9.0}, (3.5, 8.0)),
    _default("first_name", {"exact": 4.0, "nickname": 3.0, "typo": 2.5, "initial": 1.0, "different": -7.0},
             (2.0, 5.0)),
    _default("email", {"exact": 11.0, "shared_mailbox": 0.5, "same_local_part": 1.0, "different": -1.5}),
    _default("mobile", {"exact": 11.0, "shared_number": 0.5, "different": -4.0}),
    _default("phone", {"exact": 6.0, "shared_number": 0.5, "different": -0.5}),
    _default("organisation", {"same": 4.0, "different": -7.0}),
    # a keyholder's occupier is usually, not always, their employer: weaker than "organisation"
    _default("keyholder_affiliation", {"same": 2.5, "different": -2.0}),
    # weak by default: an office address is shared by colleagues
    _default("postcode", {"exact": 4.0, "same_district": 0.5, "different": -1.5}),
    _default("address", {"exact": 1.0, "similar": 0.5, "different": -0.5}),
)


@dataclass(frozen=True)
class MatchSettings:
    """Thresholds on the summed weight; pairs in between go to a steward's review queue."""

    merge_threshold: float = 12.0
    review_threshold: float = 6.0
    comparisons: tuple[Comparison, ...] = field(default_factory=lambda: DEFAULT_COMPARISONS)
    # with weights learned from the data (training.learn_settings) the thresholds are probabilities
    merge_probability: float = CONTACT_SPEC.threshold
    review_probability: float = CONTACT_SPEC.review_threshold
    learned: bool = False

    def comparison(self, name: str) -> Comparison:
        return next(c for c in self.comparisons if c.name == name)

    def engine_weights(self) -> list[ComparisonWeights]:
        """The weights in the engine's form, in CONTACT_SPEC's order of comparisons and levels."""
        out = []
        for spec in CONTACT_SPEC.comparisons:
            comparison = self.comparison(spec.name)
            levels = np.array([comparison.weight_of(level) for level in spec.level_names])
            out.append(ComparisonWeights(levels, comparison.exact_m, comparison.exact_bounds))
        return out
