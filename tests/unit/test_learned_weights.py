"""The contact resolver learns its weights from the data, without labels, and they make sense."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from resolution.comparisons import MatchSettings
from resolution.match_model import DamagedModel, model_document, model_from_document
from resolution.model import ResolvedWorld
from resolution.resolve import PreviousIdentities, _people, _score, resolve
from sync.match_model_file import MatchModelFile
from sync.steps import read_sources

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("city")
    subprocess.run([sys.executable, "-m", "synthetic.generate", "--out", str(folder), "--people", "1500",
                    "--seed", "21"], check=True, cwd=REPO, capture_output=True)
    return folder


@pytest.fixture(scope="module")
def learned(city: Path) -> tuple[list, ResolvedWorld, list[str]]:
    """The city's batches, resolved once with no weights kept, and what the resolution said."""
    batches = [b for b in read_sources(city / "manifest.yaml") if b.ok]
    said: list[str] = []
    return batches, resolve(batches, progress=said.append), said


def test_weights_are_learned_and_point_the_right_way(learned):
    settings = learned[1].match_model.settings
    assert settings.learned
    for name in ("last_name", "first_name", "email", "mobile"):
        weights = settings.comparison(name).weights
        assert weights["exact"] > 3, f"agreeing on {name} is evidence for one person"
        assert weights["different"] < 0, f"disagreeing on {name} is evidence against"
    assert settings.comparison("first_name").weights["nickname"] > 0
    assert settings.merge_threshold > settings.review_threshold


def test_learned_weights_resolve_the_city_accurately(city: Path, learned):
    world = learned[1]
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
    _, settings, _ = _score(features, MatchSettings())
    assert not settings.learned and settings == MatchSettings()


# --- the learned weights kept between syncs (resolution.match_model, sync.match_model_file) ---------------

def test_learned_weights_are_kept_and_reused_while_they_fit(learned, tmp_path: Path):
    batches, first, said = learned
    assert first.match_model is not None and first.match_model.settings.learned
    assert any("learned from this data" in line for line in said)

    kept_file = MatchModelFile(tmp_path)
    kept = kept_file.keep(first.match_model, dt.date(2026, 3, 1))
    assert (kept_file.path.stat().st_mode & 0o777) == 0o600
    model, why_not = kept_file.load(dt.date(2026, 3, 20))
    assert why_not == "" and model == kept

    again_said: list[str] = []
    again = resolve(batches, progress=again_said.append, model=model)
    assert "contact weights learned on 2026-03-01 reused" in again_said
    assert again.match_model == kept
    assert sorted(map(sorted, again.contacts["refs"])) == sorted(map(sorted, first.contacts["refs"]))


def test_the_kept_weights_are_the_ones_scored_with(learned):
    batches, first, _ = learned
    _, _, _, features = _people(batches, PreviousIdentities())
    email = first.match_model.settings.comparison("email")
    weak = dataclasses.replace(email, weights={**email.weights, "exact": -5.0})
    damped = dataclasses.replace(first.match_model, settings=dataclasses.replace(
        first.match_model.settings, comparisons=tuple(weak if c.name == "email" else c
                                                      for c in first.match_model.settings.comparisons)))
    kept_scores, settings, _ = _score(features, MatchSettings(), model=first.match_model)
    damped_scores, damped_settings, used = _score(features, MatchSettings(), model=damped)
    assert used is damped and damped_settings.comparison("email").weights["exact"] == -5.0
    # agreeing on an e-mail address no longer counts for a match: fewer pairs reach the merge threshold
    assert ((damped_scores["score"] >= damped_settings.merge_threshold).sum()
            < (kept_scores["score"] >= settings.merge_threshold).sum())


def test_kept_weights_are_learned_again_when_old_damaged_or_the_data_has_changed_shape(learned, tmp_path: Path):
    batches, first, _ = learned
    kept_file = MatchModelFile(tmp_path)
    kept_file.keep(first.match_model, dt.date(2026, 3, 1))
    model, why_not = kept_file.load(dt.date(2026, 4, 15))
    assert model is None and "learned 45 days ago" in why_not

    _, _, _, features = _people(batches, PreviousIdentities())
    bigger = dataclasses.replace(first.match_model, shape=dataclasses.replace(
        first.match_model.shape, records=first.match_model.shape.records * 3))
    said: list[str] = []
    _, settings, used = _score(features, MatchSettings(), model=bigger, progress=said.append)
    assert used is not bigger and settings.learned
    assert any("learned from this data" in line and "person records now" in line for line in said), said

    shape = first.match_model.shape
    emails = dataclasses.replace(shape, filled={**shape.filled, "email": 0.01})
    assert "email filled on" in dataclasses.replace(first.match_model, shape=emails).unfit_for(
        shape, first.match_model.code)
    assert "code has changed" in first.match_model.unfit_for(shape, "another version")

    kept_file.path.write_text('{"format": 1, "comparisons": "not a list"}')
    model, why_not = kept_file.load(dt.date(2026, 3, 2))
    assert model is None and "is damaged" in why_not and str(kept_file.path) in why_not


def test_a_kept_model_reads_back_as_it_was_written(learned):
    dated = dataclasses.replace(learned[1].match_model, learned_on="2026-03-01")
    document = json.loads(json.dumps(model_document(dated)))
    assert model_from_document(document) == dated
    with pytest.raises(DamagedModel, match="format"):
        model_from_document({**document, "format": 99})
