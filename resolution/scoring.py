"""Contact records in the engine's terms: the columns CONTACT_SPEC compares, and scored pairs.

A scored frame has one row per pair: i, j (positions in the mention frame), ``{field}_level`` and
``{field}_weight`` for each comparison of CONTACT_SPEC, and ``score``, the summed weight.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .blocking import candidate_pairs
from .comparisons import MatchSettings
from .features import PersonFeatures
from .levels import Columns, comparison_levels, level_name, prepare_columns
from .specs import CONTACT_SPEC
from .table import field_weights

COMPARED_FIELDS = tuple(c.name for c in CONTACT_SPEC.comparisons)


def _code_text(codes: np.ndarray) -> np.ndarray:
    return np.array([str(c) if c >= 0 else "" for c in codes], dtype=object)


def _handle(local: str, first: str, canonical: str, last: str) -> str:
    """An e-mail's local part when it says more than the name ("bunny.h72"), else "": a local part
    spelt from the record's own names agrees whenever the names do, so it is no further evidence."""
    letters = "".join(ch for ch in local if ch.isalpha())
    spelt = {last}
    for given in {first, canonical} - {""}:
        spelt |= {given, given + last, last + given, given[0] + last, last + given[0], given + last[:1]}
    return "" if not letters or letters in spelt else local


def _flag(values: np.ndarray) -> np.ndarray:
    return np.where(values, "shared", "")


def contact_table(f: PersonFeatures) -> pd.DataFrame:
    """The columns CONTACT_SPEC names, one row per person mention ("" when missing)."""
    employer_or_occupier = np.where(f.organisation >= 0, f.organisation, f.affiliation)
    return pd.DataFrame({
        "first": f.first, "last": f.last, "first_canonical": f.first_canonical,
        "last3": [s[:3] for s in f.last], "last_tail": [s[-3:] for s in f.last],
        "first1": [s[:1] for s in f.first_canonical], "raw_first1": [s[:1] for s in f.first],
        "email": f.email, "email_shared": _flag(f.email_shared),
        "email_handle": [_handle(*parts) for parts in zip(f.email_local, f.first, f.first_canonical, f.last,
                                                          strict=True)],
        "mobile": f.mobile, "mobile_shared": _flag(f.mobile_shared),
        "phone": f.phone, "phone_shared": _flag(f.phone_shared),
        "organisation": _code_text(f.organisation), "occupier": _code_text(f.affiliation),
        "employer_or_occupier": _code_text(employer_or_occupier),
        "postcode": f.postcode, "district": f.postcode_district, "address": f.address,
    }, dtype=object)


def contact_columns(features: PersonFeatures) -> Columns:
    return prepare_columns(contact_table(features), CONTACT_SPEC.columns)


def contact_pairs(columns: Columns) -> np.ndarray:
    """The candidate pairs of CONTACT_SPEC's blocking rules."""
    return candidate_pairs(columns, CONTACT_SPEC.blocking_rules, CONTACT_SPEC.max_block)


def pair_levels(columns: Columns, pairs: np.ndarray) -> list[np.ndarray]:
    """Each comparison's level index for every pair, in CONTACT_SPEC's order."""
    return [comparison_levels(c, columns, pairs[:, 0], pairs[:, 1]) for c in CONTACT_SPEC.comparisons]


def weigh_pairs(columns: Columns, pairs: np.ndarray, levels: list[np.ndarray], settings: MatchSettings
                ) -> pd.DataFrame:
    """The scored frame of ``pairs`` under ``settings``."""
    frame = pd.DataFrame({"i": pairs[:, 0], "j": pairs[:, 1]})
    weights = field_weights(CONTACT_SPEC, settings.engine_weights(), columns, pairs, levels)
    total = np.zeros(len(pairs))
    for comparison, lv, weight in zip(CONTACT_SPEC.comparisons, levels, weights, strict=True):
        frame[f"{comparison.name}_level"] = level_name(comparison, lv)
        frame[f"{comparison.name}_weight"] = weight
        total += weight
    frame["score"] = total
    return frame


def score_pairs(columns: Columns, pairs: np.ndarray, settings: MatchSettings) -> pd.DataFrame:
    """The scored frame of ``pairs``, levels computed here."""
    return weigh_pairs(columns, pairs, pair_levels(columns, pairs), settings)
