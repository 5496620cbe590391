"""Explanations a steward reads: every field's level and weight add up to the score and the band."""

from __future__ import annotations

import numpy as np
import pandas as pd

from resolution.comparisons import MatchSettings
from resolution.explain import explain_pair
from resolution.features import person_features

TEXT = ["first_name", "last_name", "email", "mobile", "phone", "postcode"]


def features_of(rows: list[dict]):
    frame = pd.DataFrame([{c: row.get(c) for c in TEXT} for row in rows], dtype=object)
    frame["organisation_cluster"] = np.array([row.get("organisation_cluster", -1) for row in rows], dtype=np.int64)
    frame["affiliation_cluster"] = np.full(len(rows), -1, dtype=np.int64)
    return person_features(frame)


def test_a_nickname_with_the_same_mobile_is_explained_as_a_merge():
    features = features_of([
        {"first_name": "Robert", "last_name": "Okafor", "mobile": "+447700900123", "organisation_cluster": 1},
        {"first_name": "Bob", "last_name": "Okafor", "mobile": "+447700900123", "organisation_cluster": 1},
    ])
    explanation = explain_pair(features, 0, 1, "a:1", "b:1")
    levels = {f.field: f.level for f in explanation.fields}
    assert levels["first_name"] == "nickname" and levels["mobile"] == "exact" and levels["email"] == "missing"
    assert abs(sum(f.weight for f in explanation.fields) - explanation.score) < 1e-9
    assert explanation.band == "merge" and explanation.probability > 0.9


def test_namesakes_at_different_organisations_are_explained_as_apart():
    features = features_of([
        {"first_name": "John", "last_name": "Smith", "email": "john.smith@barclays.com", "organisation_cluster": 1},
        {"first_name": "John", "last_name": "Smith", "email": "john.smith@lloyds.com", "organisation_cluster": 2},
    ])
    explanation = explain_pair(features, 0, 1, "a:1", "a:2")
    levels = {f.field: f.level for f in explanation.fields}
    assert levels["organisation"] == "different"
    assert explanation.band == "apart" and explanation.probability < 0.5
    assert explanation.score < MatchSettings().review_threshold


def test_a_local_part_spelt_from_the_name_is_no_evidence_beyond_the_name():
    namesakes = features_of([
        {"first_name": "Alexander", "last_name": "Smith", "email": "alexander.smith@outlook.com"},
        {"first_name": "Alexander", "last_name": "Smith", "email": "alexander.smith@lioncheshire.co.uk"},
        {"first_name": "Alex", "last_name": "Smith", "email": "asmith@lioncheshire.co.uk"},
        {"first_name": "Alexander", "last_name": "Smith", "email": "sandy.s72@outlook.com"},
        {"first_name": "Alexander", "last_name": "Smith", "email": "sandy.s72@lioncheshire.co.uk"},
    ])
    levels = [{f.field: f.level for f in explain_pair(namesakes, i, j, "a:1", "a:2").fields}["email"]
              for i, j in [(0, 1), (1, 2), (3, 4)]]
    assert levels == ["different", "different", "same_local_part"]
