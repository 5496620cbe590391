"""The review pages' view of the last sync when the app's home holds no staged batches."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import GraphStore
from services.explanations import build_view

from .cli_helpers import Cli

pytestmark = pytest.mark.neo4j
SAMPLE = Path(__file__).resolve().parents[2] / "sample" / "manifest.yaml"


def test_a_home_without_staged_batches_gives_pairs_without_explanations(capsys, monkeypatch, neo4j_connection,
                                                                         neo4j_driver, tmp_path):
    cli = Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "synced-here")
    assert cli("sync", "--manifest", str(SAMPLE)).code == 0
    with GraphStore(neo4j_connection) as store:
        assert store.review_pairs()
        view = build_view(store, tmp_path / "another-home", store.fingerprint())
    assert view.explanations == {} and view.rows == {}
