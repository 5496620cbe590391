"""Why records are, or are not, one contact: `stakeholders explain`, and the review pages' source rows
and pair explanations, computed once per sync.

Explaining a pair recomputes comparison features from the staged batches, scored with the weights the
sync kept (sync.match_model_file) or, without them, weights learned from those batches (about a
second on the sample); the pages need them on every request, so they are computed for every review
pair at once and kept until the graph's sync fingerprint changes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from graph.load_plan import pair_key
from graph.store import GraphStore
from kernel.errors import StakeholdersError
from resolution.explain import PairExplanation
from resolution.resolve import explain_record_pairs, explain_records
from sources.model import SourceBatch
from sync.match_model_file import MatchModelFile
from sync.staging import Staging

from .subject_access import plain_value

_PERSON_KINDS = ("contacts", "keyholders", "self_service")


class ExplainError(StakeholdersError):
    """Nothing to explain from: no sync yet, or a record the last sync did not read."""


def staged_batches(store: GraphStore, home: Path) -> list[SourceBatch]:
    """The last good batch of every source the graph knows: what the last sync resolved."""
    staging = Staging(home)
    names = [row["source"]["name"] for row in store.sources()]
    return [b for b in (staging.last_good(name) for name in names) if b is not None]


def explain(store: GraphStore, home: Path, ref_a: str, ref_b: str) -> PairExplanation:
    """Each field's level and weight for two records of the last sync, the score and the band."""
    batches = staged_batches(store, home)
    if not batches:
        raise ExplainError(f"nothing synced from {home} yet: run `stakeholders sync` first")
    try:
        return explain_records(batches, ref_a, ref_b, model=MatchModelFile(home).kept()[0])
    except KeyError as unknown:
        raise ExplainError(f"no contact or keyholder row {unknown.args[0]} in the last sync "
                           "(give SOURCE:RECORD_ID as in `export clusters`)") from None


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
    # with the weights the last sync kept, so that a page shows the score the sync gave
    explained = (explain_record_pairs(batches, pairs, model=MatchModelFile(home).kept()[0]) if batches
                 else [None] * len(pairs))
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
