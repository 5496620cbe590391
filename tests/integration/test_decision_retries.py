"""A steward's decision is stored once, however often the driver retries the transaction that stores it."""

from __future__ import annotations

import pytest

from graph.store import GraphStore
from resolution.decisions import Decision

pytestmark = pytest.mark.neo4j


def _decision(why: str) -> Decision:
    return Decision("", "match", ("a:1", "b:2"), who="steward", at="2026-12-01T10:00:00+00:00", why=why)


def test_a_retried_decision_is_stored_once(clean_graph, neo4j_connection):
    with GraphStore(neo4j_connection) as store:
        store.ensure_schema()
        first = store.record_decision(_decision("same person"), request="request-1")
        # the driver runs the transaction function again when the commit's answer was lost
        again = store.record_decision(_decision("same person"), request="request-1")
        other = store.record_decision(_decision("another decision"))
        decisions = store.decisions()
    assert again.decision_id == first.decision_id == "D-1"
    assert other.decision_id == "D-2"
    assert [d.decision_id for d in decisions] == ["D-1", "D-2"]
