"""The last sync's source rows and review-pair explanations, computed once per sync.

Explaining a pair recomputes comparison features and learned weights from the staged batches (about a
second on the sample); the pages need them on every request, so they are computed for every review
pair at once and kept until the graph's sync fingerprint changes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from graph.store import GraphStore
from pipelines.stewardship import staged_batches
from pipelines.subject import plain_value
from resolution.explain import PairExplanation
from resolution.resolve import explain_record_pairs

from .review_logic import pair_key

_PERSON_KINDS = ("contacts", "keyholders")


@dataclass(frozen=True)
class StagedView:
    fingerprint: str | None
    rows: dict[str, dict] = field(default_factory=dict)  # ref -> the staged row's values (person sources)
    explanations: dict[str, PairExplanation] = field(default_factory=dict)  # pair key -> explanation

    def probability(self, ref_a: str, ref_b: str) -> float | None:
        found = self.explanations.get(pair_key(ref_a, ref_b))
        return found.probability if found else None


def build_view(store: GraphStore, home: Path, fingerprint: str | None) -> StagedView:
    batches = staged_batches(store, home)
    rows: dict[str, dict] = {}
    for batch in batches:
        if batch.spec.kind in _PERSON_KINDS and not batch.rows.empty:
            for row in batch.rows.to_dict("records"):
                rows[row["ref"]] = {k: plain_value(v) for k, v in row.items()}
    pairs = [(p["ref_a"], p["ref_b"]) for p in store.review_pairs()]
    # No staged batches in this home (the graph was synced from another): pairs without explanations.
    explained = explain_record_pairs(batches, pairs) if batches else [None] * len(pairs)
    return StagedView(fingerprint, rows, {pair_key(*pair): e for pair, e in zip(pairs, explained, strict=True)
                                          if e is not None})


class StagedViewCache:
    """One ``StagedView`` per app, rebuilt when the graph holds another sync."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._view: StagedView | None = None

    def get(self, store: GraphStore, home: Path) -> StagedView:
        fingerprint = store.fingerprint()
        if fingerprint is None:  # no sync recorded (or an erasure since): nothing to key a cache on
            return build_view(store, home, None)
        with self._lock:  # one build at a time: concurrent requests wait for it rather than repeat it
            if self._view is None or self._view.fingerprint != fingerprint:
                self._view = build_view(store, home, fingerprint)
            return self._view
