"""A staff entry a stakeholder made from someone the graph already held is that person (pure).

The portal lists the organisation's people as the graph has them; a stakeholder who corrects one of them
makes a self-service row that carries a row of that contact (``known_ref``). It is joined to it as a
steward's match would join it — whatever the spelling they now give — and, like such a match, a steward's
no-match between the two still keeps them apart (decisions: a no-match beats any chain of matches).
"""

from __future__ import annotations

from collections.abc import Sequence

from sources.model import SELF_SERVICE, SourceBatch

from .decisions import Decision


def known_person_links(batches: Sequence[SourceBatch]) -> list[Decision]:
    """A match decision for each self-service row made from a known contact, dated before any steward's
    decision: a steward's own verdict on the same pair is the later one, and wins."""
    links = []
    for batch in batches:
        if batch.spec.kind != SELF_SERVICE or batch.rows.empty:
            continue
        for row in batch.rows[["ref", "known_ref", "changed_by", "changed_at"]].itertuples(index=False):
            if isinstance(row.known_ref, str) and row.known_ref:
                links.append(Decision(decision_id=f"portal:{row.ref}", kind="match", refs=(row.ref, row.known_ref),
                                      who=str(row.changed_by), at="0000-00-00T00:00:00+00:00",
                                      why="the stakeholder's own entry for this person"))
    return links
