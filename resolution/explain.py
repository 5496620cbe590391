"""Why two records are, or are not, the same person: each field's level and weight, the total,
a probability and the band it falls in."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .comparisons import MatchSettings
from .features import PersonFeatures
from .levels import Columns
from .scoring import COMPARED_FIELDS, contact_columns, score_pairs


@dataclass(frozen=True)
class FieldContribution:
    field: str
    level: str
    weight: float


@dataclass(frozen=True)
class PairExplanation:
    ref_a: str
    ref_b: str
    fields: tuple[FieldContribution, ...]
    score: float
    probability: float
    band: str  # "merge" | "review" | "apart"

    def as_dict(self) -> dict:
        return {"ref_a": self.ref_a, "ref_b": self.ref_b, "score": round(self.score, 2),
                "probability": round(self.probability, 4), "band": self.band,
                "fields": [{"field": f.field, "level": f.level, "weight": round(f.weight, 2)} for f in self.fields]}


def probability_of(score: float, settings: MatchSettings) -> float:
    """Scores are summed log2 Bayes factors; the prior is set so that the merge threshold reads as
    probability 0.9, the level at which the resolver joins two records."""
    log_odds = score - settings.merge_threshold + math.log2(9)
    return 1.0 / (1.0 + 2.0 ** -log_odds)


def band_of(score: float, settings: MatchSettings) -> str:
    if score >= settings.merge_threshold:
        return "merge"
    return "review" if score >= settings.review_threshold else "apart"


def explain_pair(features: PersonFeatures, i: int, j: int, ref_a: str, ref_b: str,
                 settings: MatchSettings | None = None) -> PairExplanation:
    """Score one pair of records (positions in the feature arrays) field by field."""
    return explain_pairs(contact_columns(features), [(i, j)], [(ref_a, ref_b)], settings)[0]


def explain_pairs(columns: Columns, positions: list[tuple[int, int]], refs: list[tuple[str, str]],
                  settings: MatchSettings | None = None) -> list[PairExplanation]:
    """``explain_pair`` for many pairs of positions at once, on the contact columns of every record."""
    settings = settings or MatchSettings()
    if not positions:
        return []
    scored = score_pairs(columns, np.array(positions, dtype=np.int64).reshape(-1, 2), settings)
    out = []
    for (ref_a, ref_b), row in zip(refs, scored.itertuples(index=False), strict=True):
        values = row._asdict()
        fields = tuple(FieldContribution(name, str(values[f"{name}_level"]), float(values[f"{name}_weight"]))
                       for name in COMPARED_FIELDS)
        score = float(values["score"])
        out.append(PairExplanation(ref_a, ref_b, fields, score, probability_of(score, settings),
                                   band_of(score, settings)))
    return out
