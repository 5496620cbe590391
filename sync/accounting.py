"""Every row accounted for: the check behind data contract section 5."""

from __future__ import annotations

from collections import Counter

from resolution.model import ResolvedWorld
from sources.model import EVIDENCE_KINDS, SELF_SERVICE, SourceBatch

# the kinds whose every row ends on a contact (record_links), a ward boundary or an evidence link, or in
# quarantine
ACCOUNTED_KINDS = ("contacts", "keyholders", "wards", *EVIDENCE_KINDS, SELF_SERVICE)


def unaccounted_rows(batches: list[SourceBatch], world: ResolvedWorld) -> list[str]:
    """Refs of contact, keyholder, ward and evidence rows that are not in exactly one place (a contact, a
    ward boundary, an evidence link, or quarantine)."""
    expected = Counter()
    for batch in batches:
        if batch.spec.kind in ACCOUNTED_KINDS:
            expected.update(batch.rows["ref"])
            expected.update(batch.quarantine["source"] + ":" + batch.quarantine["record_id"].astype(str))
    seen = Counter(world.record_links["ref"])
    seen.update(ref for refs in world.ward_boundaries["refs"] for ref in refs)
    seen.update(world.evidence_links["ref"])
    seen.update(world.quarantine["source"] + ":" + world.quarantine["record_id"].astype(str))
    problems = [f"{ref}: seen {seen[ref]} times" for ref in expected if seen[ref] != 1 or expected[ref] != 1]
    problems += [f"{ref}: not from any source row" for ref in seen if ref not in expected
                 and ref.split(":", 1)[0] in {b.spec.name for b in batches if b.spec.kind in
                                              ACCOUNTED_KINDS}]
    return sorted(problems)
