"""Match rules as data: for each field, the comparison levels and their weights.

A weight is a log2 Bayes factor: how much more often a level is seen between two
records of the same person than between two records of different people. The
pair's score is the sum over fields; 0 means "no evidence either way". Levels
named "exact" on names get a term-frequency adjustment in scoring.py, so that
agreeing on a rare surname counts for more than agreeing on "Smith".
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[str, ...]
    weights: dict[str, float]

    def weight_of(self, level: str) -> float:
        return self.weights.get(level, 0.0)


@dataclass(frozen=True)
class MatchSettings:
    """Thresholds on the summed weight; pairs in between go to a steward's review queue."""

    merge_threshold: float = 12.0
    review_threshold: float = 6.0
    comparisons: tuple[Comparison, ...] = field(default_factory=lambda: DEFAULT_COMPARISONS)
    # bounds of the term-frequency-adjusted weight for an exact name agreement, and the share of one
    # person's record pairs that agree exactly on it (the "m" of that level)
    last_name_exact_bounds: tuple[float, float] = (3.5, 8.0)
    first_name_exact_bounds: tuple[float, float] = (2.0, 5.0)
    last_name_exact_m: float = 0.95
    first_name_exact_m: float = 0.95
    # with weights learned from the data (training.learn_settings) the thresholds are probabilities
    merge_probability: float = 0.99
    review_probability: float = 0.5
    learned: bool = False

    def comparison(self, name: str) -> Comparison:
        return next(c for c in self.comparisons if c.name == name)


DEFAULT_COMPARISONS: tuple[Comparison, ...] = (
    Comparison("last_name", ("missing", "exact", "typo", "similar", "different"),
               {"exact": 6.0, "typo": 4.0, "similar": 0.5, "different": -9.0}),
    Comparison("first_name", ("missing", "exact", "nickname", "typo", "initial", "different"),
               {"exact": 4.0, "nickname": 3.0, "typo": 2.5, "initial": 1.0, "different": -7.0}),
    Comparison("email", ("missing", "exact", "shared_mailbox", "same_local_part", "different"),
               {"exact": 11.0, "shared_mailbox": 0.5, "same_local_part": 1.0, "different": -1.5}),
    Comparison("mobile", ("missing", "exact", "shared_number", "different"),
               {"exact": 11.0, "shared_number": 0.5, "different": -4.0}),
    Comparison("phone", ("missing", "exact", "shared_number", "different"),
               {"exact": 6.0, "shared_number": 0.5, "different": -0.5}),
    Comparison("organisation", ("missing", "same", "different"),
               {"same": 4.0, "different": -7.0}),
    # a keyholder's occupier is usually, not always, their employer: weaker than "organisation"
    Comparison("keyholder_affiliation", ("missing", "same", "different"),
               {"same": 2.5, "different": -2.0}),
    # the first address line of contact rows: weak by default (an office address is shared by colleagues)
    Comparison("address", ("missing", "exact", "similar", "different"),
               {"exact": 1.0, "similar": 0.5, "different": -0.5}),
    Comparison("postcode", ("missing", "exact", "same_district", "different"),
               {"exact": 4.0, "same_district": 0.5, "different": -1.5}),
)
