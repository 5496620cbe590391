"""Steward decisions and identity lineage in the graph, under labels no sync ever sweeps.

Pure: Cypher text and the rows it takes; ``store.GraphStore`` runs them.

- ``(:MergeDecision {id, request, kind, refs, field, value, contact_id, who, at, why, revoked_at, revoked_by,
  revoked_why})``, numbered ``D-1``, ``D-2``... by the counter ``(:StewardState {name: 'decisions'})``.
- ``(:EntityId {id, entity_type, seq, minted_at, status, merged_into, former_refs, ended_at})``: every
  contact and organisation ID ever handed out; ``seq`` orders them by age.
- ``(:IdentityEvent {id, kind, entity_type, entity_id, related_ids, refs, at, run, order})``: what
  happened to an ID in a sync (resolution.identity.IdentityEvent).
"""

from __future__ import annotations

import hashlib

import pandas as pd

from resolution.decisions import Decision
from resolution.identity import KnownId

from .numbering import numbered_create

NEW_DECISION = numbered_create("MergeDecision", "StewardState:decisions", "D-")
REVOKE_DECISION = """
MATCH (d:MergeDecision {id: $id}) WHERE d.revoked_at IS NULL
SET d.revoked_at = $at, d.revoked_by = $who, d.revoked_why = $why
RETURN d {.*} AS decision
"""
DECISIONS = "MATCH (d:MergeDecision) RETURN d {.*} AS decision"
KNOWN_ID_FIELDS = ("id", "seq", "status", "former_refs", "ended_at")
KNOWN_IDS = """
MATCH (e:EntityId)
RETURN collect([e.id, e.seq, e.status, e.former_refs, e.ended_at]) AS rows
"""
LAST_SEQ = "MATCH (e:EntityId) RETURN max(e.seq) AS seq"
LINEAGE = """
UNWIND $rows AS row
MERGE (e:EntityId {id: row.entity_id})
ON CREATE SET e.seq = row.seq, e.minted_at = $at, e.entity_type = row.entity_type
SET e.status = row.status, e.merged_into = row.merged_into, e.former_refs = row.former_refs,
    e.ended_at = row.ended_at
MERGE (ev:IdentityEvent {id: row.event_id})
SET ev.kind = row.kind, ev.entity_type = row.entity_type, ev.entity_id = row.entity_id,
    ev.related_ids = row.related_ids, ev.refs = row.refs, ev.at = $at, ev.run = $run, ev.order = row.order
"""
IDENTITY = "MATCH (e:EntityId {id: $id}) RETURN e {.*} AS entity"
IDENTITY_EVENTS = """
MATCH (ev:IdentityEvent) WHERE ev.entity_id = $id OR $id IN ev.related_ids
RETURN ev {.*} AS event ORDER BY ev.at, ev.order
"""
RECORDS_CONTACTS = """
UNWIND $refs AS ref
OPTIONAL MATCH (:SourceRecord {ref: ref})-[:DESCRIBES]->(c:Contact)
RETURN ref, c.id AS contact_id, c.refs AS refs
"""
CONTACT = "MATCH (c:Contact {id: $id}) RETURN c {.id, .name, .refs, .field_provenance} AS contact"
ORGANISATION = """
MATCH (o:Organisation {id: $id})
OPTIONAL MATCH (r:SourceRecord)-[:DESCRIBES]->(o)
RETURN o.id AS id, o.name AS name, collect(r.ref) AS refs
"""
REVIEW_PAIRS = """
MATCH (p:ReviewPair)
RETURN p {.ref_a, .ref_b, .score, .contact_a, .contact_b, .name_a, .name_b} AS pair
ORDER BY p.score DESC, p.key
"""
# The review queue as a role sees it: each pair with the contacts its records are in now, and whether
# either is restricted. A pair touching a restricted contact does not come back at all (not even to be
# counted) unless the role may see restricted records.
REVIEW_QUEUE = """
MATCH (p:ReviewPair)
OPTIONAL MATCH (:SourceRecord {ref: p.ref_a})-[:DESCRIBES]->(ca:Contact)
OPTIONAL MATCH (:SourceRecord {ref: p.ref_b})-[:DESCRIBES]->(cb:Contact)
WITH p, ca, cb, coalesce(ca.restricted, false) OR coalesce(cb.restricted, false) AS restricted
WHERE $spoc OR NOT restricted
RETURN p {.ref_a, .ref_b, .score, .name_a, .name_b, restricted: restricted,
          contact_a: ca {.id, .name, records: size(ca.refs), issues: size(coalesce(ca.issues, [])),
                         priority: ca.priority, priority_rank: ca.priority_rank},
          contact_b: cb {.id, .name, records: size(cb.refs), issues: size(coalesce(cb.issues, [])),
                         priority: cb.priority, priority_rank: cb.priority_rank}} AS pair
ORDER BY p.score DESC, p.key
"""
# A contact for the steward pages, or nothing when it is restricted and the role may not see it.
STEWARD_CONTACT = """
MATCH (c:Contact {id: $id}) WHERE $spoc OR NOT coalesce(c.restricted, false)
OPTIONAL MATCH (r:SourceRecord)-[:DESCRIBES]->(c)
WITH c, r ORDER BY r.ref
RETURN c {.id, .name, .refs, .field_provenance, .restricted} AS contact,
       [x IN collect(r {.ref, .source, .record_id, .kind}) WHERE x.ref IS NOT NULL] AS records
"""

_DECISION_FIELDS = ("kind", "refs", "field", "value", "contact_id", "who", "at", "why", "revoked_at", "revoked_by",
                    "revoked_why")


def decision_properties(decision: Decision) -> dict:
    """What to store of a new decision (its ID is given by the store)."""
    props = {name: getattr(decision, name) for name in _DECISION_FIELDS}
    props["refs"] = list(decision.refs)
    return {k: v for k, v in props.items() if v is not None}


def decision_from_properties(props: dict) -> Decision:
    return Decision(decision_id=props["id"], **{**{name: props.get(name) for name in _DECISION_FIELDS},
                                               "refs": tuple(props.get("refs") or ())})


def known_id(row: dict) -> KnownId:
    return KnownId(seq=row["seq"] if row["seq"] is not None else -1, status=row["status"] or "active",
                   former_refs=tuple(row["former_refs"] or ()), ended_at=row["ended_at"] or "")


def lineage_rows(lineage: pd.DataFrame, run: str, at: str, next_seq: int) -> list[dict]:
    """One row per identity event; ``seq`` numbers IDs first seen now, in the order of the events."""
    rows = []
    for order, event in enumerate(lineage.itertuples(index=False)):
        ended = event.event in ("merged", "retired")
        rows.append({
            "event_id": hashlib.sha1(f"{run}|{event.event}|{event.entity_id}".encode()).hexdigest()[:20],
            "kind": event.event, "entity_type": event.entity_type, "entity_id": event.entity_id,
            "related_ids": list(event.related_ids), "refs": list(event.refs), "order": order,
            "seq": next_seq + order,
            "status": {"merged": "merged", "retired": "retired"}.get(event.event, "active"),
            "merged_into": event.related_ids[0] if event.event == "merged" else None,
            "former_refs": list(event.refs) if ended else None,
            "ended_at": at if ended else None,
        })
    return rows
