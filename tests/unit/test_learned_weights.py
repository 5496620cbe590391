"""The contact resolver learns its weights from the data, without labels, and they make sense."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from resolution.comparisons import MatchSettings
from resolution.resolve import PreviousIdentities, _people, _score, resolve
from sync.steps import read_sources

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("city")
    subprocess.run([sys.executable, "-m", "synthetic.generate", "--out", str(folder), "--people", "1500",
                    "--seed", "21"], check=True, cwd=REPO, capture_output=True)
    return folder


def test_weights_are_learned_and_point_the_right_way(city: Path):
    batches = [b for b in read_sources(city / "manifest.yaml") if b.ok]
    _, _, _, features = _people(batches, PreviousIdentities())
    _, settings = _score(features, MatchSettings())
    assert settings.learned
    for name in ("last_name", "first_name", "email", "mobile"):
        weights = settings.comparison(name).weights
        assert weights["exact"] > 3, f"agreeing on {name} is evidence for one person"
        assert weights["different"] < 0, f"disagreeing on {name} is evidence against"
    assert settings.comparison("first_name").weights["nickname"] > 0
    assert settings.merge_threshold > settings.review_threshold


def test_learned_weights_resolve_the_city_accurately(city: Path):
    world = resolve([b for b in read_sources(city / "manifest.yaml") if b.ok])
    truth = pd.read_csv(city / "truth.csv", dtype=str)
    person = dict(zip(truth["source"] + ":" + truth["record_id"], truth["person_id"], strict=True))
    links = world.record_links.assign(person=world.record_links["ref"].map(person))

    def pairs(groups: pd.Series) -> int:
        return int(sum(c * (c - 1) // 2 for c in groups.value_counts()))

    agreed = pairs(links["contact_id"] + "|" + links["person"])
    precision = agreed / pairs(links["contact_id"])
    recall = agreed / pairs(links["person"])
    assert precision >= 0.97 and recall >= 0.97, (precision, recall)


def test_a_small_dataset_keeps_the_default_weights():
    from .resolution_helpers import batch

    rows = [{"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org"}] * 3
    _, _, _, features = _people([batch("ecd", "contacts", [dict(r) for r in rows])], PreviousIdentities())
    _, settings = _score(features, MatchSettings())
    assert not settings.learned and settings == MatchSettings()
