"""What `stakeholders review` and `stakeholders history` do over the graph store: check a steward's
decision against the graph, record it, and describe the lineage of an ID.

Decisions take effect at the next sync: resolution reads them all before clustering.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from graph.store import GraphStore
from kernel.display import shown
from kernel.errors import StakeholdersError
from resolution.decisions import Decision, parse_override, undecided_pairs

REVIEW_COLUMNS = ("ref_a", "name_a", "contact_a", "ref_b", "name_b", "contact_b", "score", "holding")
DECISION_COLUMNS = ("decision_id", "kind", "status", "refs", "contact_id", "field", "value", "who", "at", "why",
                    "revoked_at", "revoked_by", "revoked_why")


class StewardError(StakeholdersError, ValueError):
    """A decision that cannot be recorded, or an ID with no history, in one line."""


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _contacts_of(store: GraphStore, refs: Sequence[str]) -> dict[str, dict]:
    found = store.contacts_of_records(refs)
    for ref in refs:
        if found.get(ref) is None:
            raise StewardError(f"no record {ref} in any contact (refs are source:record_id as "
                               "`stakeholders export clusters` lists them; quarantined rows have no contact)")
    return found  # type: ignore[return-value]


def _distinct_pair(ref_a: str, ref_b: str) -> None:
    if ref_a == ref_b:
        raise StewardError(f"{ref_a} is given twice: a decision is about two different records")


def decide_match(store: GraphStore, ref_a: str, ref_b: str, who: str, why: str) -> tuple[Decision, str]:
    """Two records are one person. Returns the recorded decision and a note for the steward."""
    _distinct_pair(ref_a, ref_b)
    found = _contacts_of(store, [ref_a, ref_b])
    same = found[ref_a]["contact_id"] == found[ref_b]["contact_id"]
    decision = store.record_decision(Decision("", "match", (ref_a, ref_b), who=who, at=now(), why=why))
    note = f"already one contact ({found[ref_a]['contact_id']}); the decision keeps them together" if same else ""
    return decision, note


def decide_no_match(store: GraphStore, refs: Sequence[str], who: str, why: str) -> tuple[Decision, str]:
    """Two records are not one person; or, given one record, it leaves the contact it is in."""
    if len(refs) == 2:
        _distinct_pair(*refs)
        found = _contacts_of(store, refs)
        same = found[refs[0]]["contact_id"] == found[refs[1]]["contact_id"]
        decision = store.record_decision(Decision("", "no_match", tuple(refs), who=who, at=now(), why=why))
        return decision, "" if same else "already apart; the decision keeps them apart"
    ref = refs[0]
    contact = _contacts_of(store, [ref])[ref]
    others = tuple(sorted(set(contact["refs"]) - {ref}))
    if not others:
        raise StewardError(f"{ref} is the only record of {contact['contact_id']}: there is no contact to leave")
    decision = store.record_decision(Decision("", "no_match", (ref, *others), contact_id=contact["contact_id"],
                                              who=who, at=now(), why=why))
    return decision, ""


def _current_contact(store: GraphStore, contact_id: str) -> dict:
    contact = store.contact(contact_id)
    if contact is not None:
        return contact
    entry = store.identity(contact_id)
    if entry and entry.get("status") == "merged":
        raise StewardError(f"{contact_id} was merged into {follow_merges(store, contact_id)}; use that ID")
    if entry:
        raise StewardError(f"{contact_id} is no longer in use ({entry.get('status')})")
    raise StewardError(f"no contact {contact_id}")


def decide_override(store: GraphStore, contact_id: str, field: str, value: str, who: str, why: str) -> Decision:
    """A contact's field takes the steward's value, whatever its source rows say."""
    contact = _current_contact(store, contact_id)
    try:
        stored = parse_override(field, value)
    except ValueError as error:
        raise StewardError(str(error)) from None
    return store.record_decision(Decision("", "override", tuple(contact["refs"]), field=field, value=stored,
                                          contact_id=contact_id, who=who, at=now(), why=why))


def undo(store: GraphStore, decision_id: str, who: str, why: str) -> Decision:
    revoked = store.revoke_decision(decision_id, who, now(), why)
    if revoked is not None:
        return revoked
    existing = next((d for d in store.decisions() if d.decision_id == decision_id), None)
    if existing is None:
        raise StewardError(f"no decision {decision_id}")
    raise StewardError(f"{decision_id} was already undone on {existing.revoked_at} by {existing.revoked_by}")


def pending_pairs(store: GraphStore, can_see_restricted: bool = True) -> list[dict]:
    """The review queue of the last sync, less the pairs decided since (and, for a role that may not see
    restricted contacts, the pairs touching one): first those holding someone out of audiences until
    decided (``holding``, see graph.audience.held_contacts), then by score."""
    visible = {(p["ref_a"], p["ref_b"]) for p in store.review_queue(can_see_restricted)}
    pairs = [p for p in store.review_pairs() if (p["ref_a"], p["ref_b"]) in visible]
    waiting = undecided_pairs([(p["ref_a"], p["ref_b"]) for p in pairs], store.decisions())
    holding = store.holding_pairs()
    found = [{**p, "holding": frozenset((p["ref_a"], p["ref_b"])) in holding}
             for p, keep in zip(pairs, waiting, strict=True) if keep]
    return sorted(found, key=lambda p: not p["holding"])  # stable: by score within each


def review_queue(store: GraphStore, can_see_restricted: bool) -> list[dict]:
    """``pending_pairs`` as a role sees it: the pairs it may review, each with the current contacts of its
    records and whether it holds someone out of audiences (``holding``). For a role that may not see
    restricted contacts, the pairs touching one do not exist, not even as a count."""
    visible = store.review_queue(can_see_restricted)
    waiting = undecided_pairs([(p["ref_a"], p["ref_b"]) for p in visible], store.decisions())
    holding = store.holding_pairs()
    return [{**p, "holding": frozenset((p["ref_a"], p["ref_b"])) in holding}
            for p, keep in zip(visible, waiting, strict=True) if keep]



def decision_row(decision: Decision) -> dict:
    return {"decision_id": decision.decision_id, "kind": decision.kind,
            "status": "active" if decision.active else "undone", "refs": ";".join(decision.refs),
            **{c: getattr(decision, c) or "" for c in DECISION_COLUMNS[4:]}}


def describe(decision: Decision) -> str:
    """One line a steward can read: what the decision says."""
    if decision.kind == "match":
        return f"match: {decision.refs[0]} and {decision.refs[1]} are one person"
    if decision.kind == "override":
        return f"override: {decision.contact_id} {decision.field} = {decision.value!r}"
    head, *others = decision.refs
    if decision.contact_id:
        return f"no-match: {head} leaves {decision.contact_id} ({', '.join(others)})"
    return f"no-match: {head} and {others[0]} are different people"


def follow_merges(store: GraphStore, entity_id: str) -> str:
    """The ID a merged ID now lives on as (merges can chain)."""
    seen = {entity_id}
    entry = store.identity(entity_id)
    while entry and entry.get("status") == "merged" and entry.get("merged_into") not in seen:
        entity_id = entry["merged_into"]
        seen.add(entity_id)
        entry = store.identity(entity_id)
    return entity_id


def _event_text(event: dict, subject: str) -> str:
    kind, refs, related = event["kind"], ", ".join(event["refs"]), event["related_ids"]
    if event["entity_id"] == subject:
        return {
            "registered": f"registered (in use before lineage was kept) with {refs}",
            "minted": f"minted for {refs}",
            "split": f"split from {', '.join(related)}, with {refs}",
            "restored": f"restored (split from {', '.join(related) or 'nothing'}), with {refs}",
            "merged": f"merged into {related[0] if related else '?'} (the older ID survives); it had {refs}",
            "retired": f"retired: none of its records is left ({refs})",
        }.get(kind, kind)
    other = event["entity_id"]
    return {
        "merged": f"absorbed {other} (its records: {refs})",
        "split": f"{other} split from it, with {refs}",
        "restored": f"{other} restored from it, with {refs}",
    }.get(kind, f"{kind} {other}")


def history(store: GraphStore, entity_id: str) -> dict:
    """The lineage of a contact or organisation ID: registry entry, events, the decisions that
    touched its records and, for a contact in use, each field's value with why it won."""
    entity_type = {"C": "contact", "O": "organisation"}.get(entity_id.split("-", 1)[0], "")
    current = (store.contact(entity_id) if entity_type == "contact"
               else store.organisation(entity_id) if entity_type == "organisation" else None)
    entry = store.identity(entity_id)
    if current is None and entry is None:
        raise StewardError(f"no contact or organisation {entity_id} (IDs look like C-… or O-…)")
    events = store.identity_events(entity_id)
    refs = set((current or {}).get("refs") or ()) | set((entry or {}).get("former_refs") or ())
    refs |= {r for e in events if e["entity_id"] == entity_id for r in e["refs"]}
    decisions = [d for d in store.decisions() if d.contact_id == entity_id
                 or (entity_type == "contact" and refs & set(d.refs))]
    status = (entry or {}).get("status") or "active"
    return {
        "id": entity_id, "entity_type": entity_type, "status": status,
        "name": (current or {}).get("name") or "", "refs": sorted((current or {}).get("refs") or ()),
        "first_seen": (entry or {}).get("minted_at") or "",
        "now": follow_merges(store, entity_id) if status == "merged" else (entity_id if current else ""),
        "events": [{"at": e["at"], "kind": e["kind"], "entity_id": e["entity_id"],
                    "related_ids": e["related_ids"], "refs": e["refs"], "text": _event_text(e, entity_id)}
                   for e in events],
        "decisions": [{**decision_row(d), "text": describe(d)} for d in decisions],
        "fields": json.loads((current or {}).get("field_provenance") or "{}"),
    }


def history_lines(found: dict) -> list[str]:
    head = f"{found['id']}  {found['entity_type']}  {found['status']}"
    if found["name"]:
        head += f"  {found['name']}"
    lines = [head]
    if found["refs"]:
        lines.append(f"  records: {', '.join(found['refs'])}")
    if found["status"] == "merged":
        lines.append(f"  now part of {found['now']}")
    lines.append("lineage:")
    lines.extend(f"  {e['at']}  {e['text']}" for e in found["events"])
    if not found["events"]:
        lines.append("  nothing recorded yet (lineage is kept from the next sync)")
    lines.append("decisions:")
    for d in found["decisions"]:
        line = f"  {d['decision_id']}  {d['at']}  {d['text']} (by {d['who']}: {d['why']})"
        if d["status"] == "undone":
            line += f" [undone {d['revoked_at']} by {d['revoked_by']}: {d['revoked_why']}]"
        lines.append(line)
    if not found["decisions"]:
        lines.append("  none")
    if found["fields"]:
        lines.append("fields (value, why it won, other values seen):")
    for name, entry in sorted(found["fields"].items()):
        source = f" [{entry['source']}]" if entry["source"] else ""
        lines.append(f"  {name}: {shown(entry['value'], blank='(none)')} — {entry['rule']}{source}")
        lines.extend(f"      also {shown(a['value'], blank='(none)')} on {', '.join(a['refs']) or 'no row'}"
                     + (f" ({a['rule']})" if a.get("rule") else "") for a in entry["alternatives"])
    return lines
