"""Learned contact weights kept between syncs, and when they still fit the data.

Learning the weights (``resolution.training``) from every sync's own rows lets one night's data move the
thresholds a little; production record-linkage users learn a model once, keep it as a versioned file and
learn it again on a schedule, on request, or when the data has changed shape. A kept model is reused
while it was learned by the same resolution code and the data still looks like what it was learned on:
about as many records (half to twice as many) and each compared field filled on about as many of them
(within ``FILL_DRIFT``). Pure: ``sync.match_model_file`` keeps it in the home.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from .comparisons import Comparison, MatchSettings
from .features import PersonFeatures

MODEL_FORMAT = 1
FILL_DRIFT = 0.10  # how far a field's filled share may move before the weights are learned again
RECORDS_RANGE = (0.5, 2.0)  # the share of the records learned on that the data may hold
_FIELDS = ("first", "last", "email", "mobile", "phone", "postcode", "address")


@dataclass(frozen=True)
class DataShape:
    """What the weights were learned on: the number of person records and each field's filled share."""

    records: int
    filled: dict[str, float] = field(default_factory=dict)

    def drift_from(self, learned: DataShape) -> str | None:
        """Why weights learned on ``learned`` no longer fit data of this shape; None when they do."""
        low, high = (learned.records * bound for bound in RECORDS_RANGE)
        if not low <= self.records <= high:
            return f"{self.records} person records now, {learned.records} when they were learned"
        for name, share in sorted(self.filled.items()):
            then = learned.filled.get(name)
            if then is None or abs(share - then) > FILL_DRIFT:
                was = "not compared" if then is None else f"{then:.0%}"
                return f"{name} filled on {share:.0%} of records now, {was} when they were learned"
        return None


def shape_of(features: PersonFeatures) -> DataShape:
    records = len(features.last)
    if not records:
        return DataShape(0)
    filled = {name: float(sum(1 for v in getattr(features, name) if v)) / records for name in _FIELDS}
    filled["organisation"] = float((features.organisation >= 0).sum()) / records
    return DataShape(records, {name: round(share, 4) for name, share in filled.items()})


@dataclass(frozen=True)
class MatchModel:
    """Learned settings, the shape of the data they were learned on, when (ISO day, "" until kept) and by
    which resolution code (``kernel.code_version``)."""

    settings: MatchSettings
    shape: DataShape
    code: str
    learned_on: str = ""

    def unfit_for(self, shape: DataShape, code: str) -> str | None:
        """Why this model must not score data of ``shape`` with resolution code ``code``; None when it may."""
        if code != self.code:
            return "the resolution code has changed since they were learned"
        return shape.drift_from(self.shape)


class DamagedModel(ValueError):
    """A model document that cannot be read back."""


def _bound(value: float) -> float | str:
    return value if math.isfinite(value) else ("inf" if value > 0 else "-inf")


def _unbound(value: float | str) -> float:
    return float(value)


def model_document(model: MatchModel) -> dict:
    """The model as plain JSON values: weights, thresholds, shape, code and day."""
    settings = model.settings
    return {
        "format": MODEL_FORMAT, "learned_on": model.learned_on, "code": model.code,
        "shape": {"records": model.shape.records, "filled": model.shape.filled},
        "merge_threshold": settings.merge_threshold, "review_threshold": settings.review_threshold,
        "merge_probability": settings.merge_probability, "review_probability": settings.review_probability,
        "comparisons": [{"name": c.name, "levels": list(c.levels), "weights": c.weights, "exact_m": c.exact_m,
                         "exact_bounds": [_bound(b) for b in c.exact_bounds]} for c in settings.comparisons],
    }


def model_from_document(document: object) -> MatchModel:
    """``model_document`` read back; raises DamagedModel saying what is wrong."""
    try:
        if not isinstance(document, dict) or document.get("format") != MODEL_FORMAT:
            raise DamagedModel(f"not a match model of format {MODEL_FORMAT}")
        comparisons = tuple(
            Comparison(str(c["name"]), tuple(map(str, c["levels"])),
                       {str(k): float(v) for k, v in c["weights"].items()}, float(c["exact_m"]),
                       (_unbound(c["exact_bounds"][0]), _unbound(c["exact_bounds"][1])))
            for c in document["comparisons"])
        settings = dataclasses.replace(
            MatchSettings(), comparisons=comparisons, learned=True,
            merge_threshold=float(document["merge_threshold"]), review_threshold=float(document["review_threshold"]),
            merge_probability=float(document["merge_probability"]),
            review_probability=float(document["review_probability"]))
        names = {c.name for c in comparisons}
        expected = {c.name for c in MatchSettings().comparisons}
        if names != expected:
            raise DamagedModel(f"compares {sorted(names)}, not {sorted(expected)}")
        shape = DataShape(int(document["shape"]["records"]),
                          {str(k): float(v) for k, v in document["shape"]["filled"].items()})
        return MatchModel(settings, shape, str(document["code"]), str(document["learned_on"]))
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        if isinstance(error, DamagedModel):
            raise
        raise DamagedModel(f"a field is missing or of the wrong type ({type(error).__name__}: {error})") from None
