"""`stakeholders export subject`: everything held about one person, with where each piece came from
(a subject access request).

Gathered from the graph (the contact, its source records, organisations, premises, issues, places,
review pairs, steward decisions and lineage, and its part of the engagement record: engagements, survey
answers, groups, sectors it leads, the Mosaic type of its home postcode), the staged batches in the home
(the values of each of its source rows as the last good sync read them) and the audit log (the audiences
it was part of).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Iterator
from pathlib import Path

from accounts.audit import AuditLog
from graph.store import GraphStore
from kernel.errors import StakeholdersError
from resolution.channel_events import ChannelEvent
from sync.staging import Staging

from . import review as stewardship

CSV_COLUMNS = ("section", "item", "field", "value", "source")
_INTERNAL = ("sync", "field_provenance", "priority_rank")  # graph bookkeeping, or shown in its own section


class SubjectError(StakeholdersError, ValueError):
    """An ID that names no current contact, in one line (unknown, merged away, erased, retired)."""


def current_contact(store: GraphStore, contact_id: str) -> dict:
    """The graph's view of a contact in use (GraphStore.subject), or SubjectError saying what became of
    the ID."""
    found = store.subject(contact_id)
    if found is not None:
        return found
    entry = store.identity(contact_id)
    status = (entry or {}).get("status")
    if status == "merged":
        raise SubjectError(f"{contact_id} was merged into {stewardship.follow_merges(store, contact_id)}; use that ID")
    if status == "erased":
        raise SubjectError(f"{contact_id} was erased on {entry.get('ended_at')}: nothing is held about it")
    if entry:
        raise SubjectError(f"{contact_id} is no longer in use ({status})")
    raise SubjectError(f"no contact {contact_id} (contact IDs look like C-…; see `stakeholders export clusters`)")


def plain_value(value: object) -> object:
    """A staged value as JSON: dates as ISO text, NaN as null, numpy scalars as Python ones."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | list | tuple):
        return plain_value(value.item())
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    return value


def staged_rows(home: Path, refs: Iterable[str]) -> dict[str, dict]:
    """ref -> the row's values as the source's last good batch holds them (normalised)."""
    wanted: dict[str, set[str]] = {}
    for ref in refs:
        wanted.setdefault(ref.split(":", 1)[0], set()).add(ref)
    staging, found = Staging(home), {}
    for source, source_refs in sorted(wanted.items()):
        batch = staging.last_good(source)
        if batch is None or batch.rows.empty:
            continue
        for row in batch.rows[batch.rows["ref"].isin(source_refs)].to_dict("records"):
            found[row["ref"]] = {k: plain_value(v) for k, v in row.items()}
    return found


def _mentions(value: object, ids: set[str]) -> bool:
    if isinstance(value, str):
        return value in ids
    if isinstance(value, dict):
        return any(_mentions(v, ids) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_mentions(v, ids) for v in value)
    return False


def _only_theirs(value: object, ids: set[str]) -> object:
    """Audit details with other contacts' IDs left out: a list of recipients names only this person."""
    if isinstance(value, dict):
        return {k: _only_theirs(v, ids) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_only_theirs(v, ids) for v in value
                if not (isinstance(v, str) and v.startswith("C-") and v not in ids)]
    return value


def audiences(home: Path, ids: set[str]) -> list[dict]:
    """The audit log entries about one of ``ids``: for a list of recipients, those it is in (not those
    whose filters merely named it, say in an exclude list); for anything else, those naming it."""
    def about(details: dict) -> bool:
        if "contact_ids" in details:
            return bool(ids & set(details["contact_ids"]))
        return _mentions(details, ids)

    return [{"seq": e.seq, "at": e.at, "who": e.who, "action": e.action, "details": _only_theirs(e.details, ids)}
            for e in AuditLog(home).entries() if about(e.details)]


def _consents(contact: dict, provenance: dict, rows: dict[str, dict], events: list[ChannelEvent]) -> list[dict]:
    """Per channel: the consent that stands, and its history — every explicit value on a source row and
    every reply or failure that came back from a message, with its source and date."""
    out = []
    for channel, addresses in (("email", contact.get("emails") or []), ("sms", contact.get("mobiles") or [])):
        field = f"consent_{channel}"
        source = contact.get(f"{field}_source") or ""
        said = [e for e in events if e.channel == channel and e.address in addresses]
        out.append({
            "channel": channel, "value": contact.get(field), "source": source,
            "date": _row_date(rows.get(source, {})) or next((e.at.isoformat() for e in said if e.source == source),
                                                            None),
            "rule": provenance.get(field, {}).get("rule", ""),
            "stated_on_rows": [{"ref": ref, "value": row.get(field), "date": _row_date(row)}
                               for ref, row in sorted(rows.items()) if row.get(field) is not None],
            "came_back": [{"kind": e.kind, "source": e.source, "date": e.at.isoformat()} for e in said],
        })
    return out


def _row_date(row: dict) -> str | None:
    return row.get("last_contacted") or row.get("last_verified")


def subject_export(store: GraphStore, home: Path, contact_id: str) -> dict:
    """Everything held about a contact in use, each piece with its source."""
    found = current_contact(store, contact_id)
    contact = {k: v for k, v in found["contact"].items() if k not in _INTERNAL}
    provenance = json.loads(found["contact"].get("field_provenance") or "{}")
    refs = sorted(r["ref"] for r in found["records"])
    rows = staged_rows(home, refs)
    lineage = stewardship.history(store, contact_id)
    record = store.contact_engagement_record(contact_id, True) or {}
    former_ids = {e["entity_id"] for e in lineage["events"]
                  if e["kind"] == "merged" and e["related_ids"][:1] == [contact_id]}
    return {
        "contact_id": contact_id,
        "exported_at": stewardship.now(),
        "contact": contact,
        "field_provenance": provenance,
        "source_rows": [{**r, "held": r["ref"] in rows, "values": rows.get(r["ref"], {})}
                        for r in sorted(found["records"], key=lambda r: r["ref"])],
        "organisations": sorted(found["organisations"], key=lambda o: o["id"]),
        "premises": sorted(found["premises"], key=lambda p: p["id"]),
        "issues": sorted(found["issues"]),
        "postcodes": {"address": sorted(found["address_postcodes"]), "located_in": sorted(found["located_in"])},
        "directorates": sorted(found["directorates"]),
        "consents": _consents(found["contact"], provenance, rows, store.channel_events()),
        "messages": store.deliveries_of(sorted({contact_id} | former_ids)),
        "decisions": lineage["decisions"],
        "lineage": {"status": lineage["status"], "first_seen": lineage["first_seen"],
                    "former_ids": sorted(former_ids), "events": lineage["events"]},
        "review_pairs": found["review_pairs"],
        "audiences": audiences(home, {contact_id} | former_ids),
        "engagements": sorted(record.get("engagements", []), key=lambda e: (e.get("date") or "", e["ref"])),
        "survey_responses": sorted(record.get("surveys", []), key=lambda r: (r.get("date") or "", r["ref"])),
        "groups": sorted(record.get("groups", []),
                         key=lambda g: (g["name"] or g["key"], (g["through"] or {}).get("id", ""))),
        "sectors_led": sorted(record.get("leads", []), key=lambda s: s["key"]),
        "mosaic": sorted(record.get("mosaic", []), key=lambda m: (m["postcode"], m["type"])),
    }


def csv_rows(export: dict) -> Iterator[dict]:
    """The export flattened to section,item,field,value,source lines (values as JSON where not text)."""
    def cell(value: object) -> object:
        return value if isinstance(value, str | int | float) or value is None else json.dumps(value, default=str)

    for name, value in export["contact"].items():
        entry = export["field_provenance"].get(name, {})
        yield {"section": "contact", "item": export["contact_id"], "field": name, "value": cell(value),
               "source": entry.get("source", "")}
    for name, entry in export["field_provenance"].items():
        yield {"section": "field_provenance", "item": name, "field": "rule", "value": entry.get("rule", ""),
               "source": entry.get("source", "")}
        for alternative in entry.get("alternatives", []):
            yield {"section": "field_provenance", "item": name, "field": "alternative",
                   "value": cell(alternative.get("value")), "source": ";".join(alternative.get("refs", []))}
    for row in export["source_rows"]:
        for name, value in row["values"].items():
            yield {"section": "source_rows", "item": row["ref"], "field": name, "value": cell(value),
                   "source": row["ref"]}
        if not row["held"]:
            yield {"section": "source_rows", "item": row["ref"], "field": "values",
                   "value": "not staged in this home", "source": row["ref"]}
    listed = ("organisations", "premises", "consents", "decisions", "review_pairs", "audiences", "messages",
              "engagements", "survey_responses", "groups", "sectors_led", "mosaic")
    for section in listed:
        for number, item in enumerate(export[section], start=1):
            key = (item.get("id") or item.get("decision_id") or item.get("channel") or item.get("seq")
                   or item.get("ref") or item.get("key") or number)
            for name, value in item.items():
                yield {"section": section, "item": key, "field": name, "value": cell(value),
                       "source": item.get("source", "")}
    for section in ("issues", "directorates"):
        for value in export[section]:
            yield {"section": section, "item": export["contact_id"], "field": section, "value": value, "source": ""}
    for kind, codes in export["postcodes"].items():
        for code in codes:
            yield {"section": "postcodes", "item": kind, "field": "postcode", "value": code, "source": ""}
    for event in export["lineage"]["events"]:
        yield {"section": "lineage", "item": event["entity_id"], "field": event["kind"], "value": event["text"],
               "source": event["at"]}
