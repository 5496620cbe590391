"""`stakeholders forget`: the right to erasure.

In this order, so that a failure part-way never lets the person back in: first the suppression list
(their rows and identifiers stay out of every later sync), then the graph (one transaction), then the
staged batches in the home (their rows' values deleted from disk), then an audit entry with IDs and
counts only. Running it again after a failure finishes the job. No sync may run meanwhile (the sync
lock), or it could reload them from a batch read before the erasure.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path

from accounts.audit import AuditLog
from graph.store import GraphStore
from portal.self_service import SOURCE_NAME as SELF_SERVICE_SOURCE
from portal.store import PortalStore
from resolution.suppression import Suppression, apply_suppression, identifier_digest, person_identifiers
from sync.journal import LoadJournal
from sync.lock import sync_lock
from sync.run_folder import remove_every_run
from sync.staging import Staging
from sync.suppression_list import SuppressionEntry, SuppressionList

from .review import now
from .subject_access import current_contact, staged_rows

_IDENTIFIER_FIELDS = {"email": "emails", "mobile": "mobiles", "phone": "phones"}


@dataclass(frozen=True)
class Erasure:
    """What `forget` did, in counts (the audit entry's details)."""

    contact_id: str
    records: int  # source rows suppressed and removed from the graph
    identifiers: int  # identifier digests added to the suppression list
    identifiers_shared: int  # identifiers another contact also holds: not suppressed
    review_pairs: int
    decisions_redacted: int
    orphans_removed: int  # organisations and premises no other row describes
    staged_rows_removed: int
    engagement_record_removed: int = 0  # engagements with them and their survey answers


def _identifiers(store: GraphStore, contact: dict, rows: dict[str, dict], contact_id: str) -> set[tuple[str, str]]:
    """Every email and phone number the person is known by: on the contact, on its staged rows, and in
    steward overrides of those fields."""
    values: dict[str, set[str]] = {field: set(contact.get(plural) or ()) for field, plural in
                                   _IDENTIFIER_FIELDS.items()}
    for row in rows.values():
        for field in _IDENTIFIER_FIELDS:
            if row.get(field):
                values[field].add(row[field])
    for decision in store.decisions():
        if decision.kind == "override" and decision.contact_id == contact_id and decision.field in values \
                and decision.value:
            values[decision.field].add(decision.value)
    return person_identifiers(values["email"], values["mobile"] | values["phone"])


def purge_staging(home: Path, suppression: Suppression) -> int:
    """Remove suppressed rows from every staged batch (they become quarantined rows without values)."""
    staging, removed = Staging(home), 0
    for name in staging.sources():
        batch = staging.last_good(name)
        if batch is None:
            continue
        kept, count = apply_suppression(batch, suppression)
        if count:
            # no longer what its file reads as: the next sync reads the file again (sync.read_cache)
            staging.save(replace(kept, read_key=""))
            removed += count
    return removed


def forget(store: GraphStore, home: Path, contact_id: str, who: str, why: str) -> Erasure:
    """Erase a contact in use; SubjectError for an unknown, merged-away or already erased ID."""
    suppression_list = SuppressionList(home)
    with sync_lock(home):
        found = current_contact(store, contact_id)
        # the diary entries and survey responses naming them are their rows too
        evidence = [r["ref"] for r in found["engagements"] + found["survey_responses"]
                    if not r["ref"].startswith("web:")]
        refs = sorted({r["ref"] for r in found["records"]} | set(evidence))
        rows = staged_rows(home, refs)
        identifiers = _identifiers(store, found["contact"], rows, contact_id)
        shared = store.shared_identifiers(contact_id, sorted(value for _, value in identifiers))
        key = suppression_list.key()
        digests = sorted({identifier_digest(key, kind, value) for kind, value in identifiers if value not in shared})
        suppression_list.add(SuppressionEntry(contact_id=contact_id, at=now(), who=who, why=why,
                                              refs=tuple(refs), identifiers=tuple(digests)))
        counts = store.erase_contact(contact_id, refs, who, now())
        # the messages they were sent keep their delivery rows (counts stay true) but not their addresses
        store.forget_in_messages(contact_id, sorted(value for _, value in identifiers if value not in shared))
        staged = purge_staging(home, suppression_list.load())
        # the staff lists of the portal that named them (the list itself is a source: its rows stay out too)
        entries = [ref.split(":", 1)[1] for ref in refs if ref.startswith(f"{SELF_SERVICE_SOURCE}:")]
        if entries:
            PortalStore(home).forget_entries(entries)
        # an interrupted load would be finished from its journal, person and all; the next sync loads in
        # full anyway (erase_contact cleared the graph's fingerprint)
        LoadJournal(home).done()
        # a Dagster run in flight keeps its batches and its resolved world in the home: it starts again
        remove_every_run(home)
    erasure = Erasure(contact_id=contact_id, records=len(refs), identifiers=len(digests),
                      identifiers_shared=len(shared), review_pairs=counts["review_pairs"],
                      decisions_redacted=counts["decisions"], orphans_removed=counts["orphans"],
                      staged_rows_removed=staged, engagement_record_removed=counts["engagement_record"])
    AuditLog(home).append(who, "forget", asdict(erasure))
    return erasure
