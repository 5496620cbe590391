"""The graph load as data: an ordered list of (Cypher statement, parameter rows).

Pure: builds statements and rows from a ResolvedWorld; `store.GraphStore` runs
them. Every statement MERGEs on a uniquely constrained key and stamps what it
touches with ``sync = $run``, so running a plan twice gives the same graph and a
final sweep removes whatever the current run did not touch.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass

import pandas as pd

from resolution.model import ResolvedWorld
from resolution.provenance import LOOKUP_API
from resolution.survivorship import PRIORITY_RANK

from .engagement_load import ENGAGEMENT_LABELS, ENGAGEMENT_RELATIONSHIPS, engagement_steps, priority_stakeholders
from .reports import REPORT_FIELDS
from .ward_boundaries import WARD_BOUNDARIES, ward_boundary_rows

MANAGED_LABELS = ("Contact", "Organisation", "Premises", "Postcode", "Ward", "MosaicType", "MosaicGroup",
                  "Directorate", "Issue", "Source", "SourceRecord", "QuarantinedRecord", "ReviewPair",
                  *ENGAGEMENT_LABELS)
MANAGED_RELATIONSHIPS = ("IN_WARD", "CLASSIFIED_AS", "IN_GROUP", "OCCUPIES", "IN_POSTCODE", "WORKS_FOR",
                         "HAS_ADDRESS_IN", "CONCERNED_WITH", "KNOWN_TO", "LOCATED_IN", "KEYHOLDER_OF",
                         "FROM_SOURCE", "DESCRIBES", *ENGAGEMENT_RELATIONSHIPS)


@dataclass(frozen=True)
class LoadStep:
    name: str
    statement: str
    rows: list[dict]



def pair_key(ref_a: str, ref_b: str) -> str:
    """The key the graph gives a review pair (ReviewPair.key), also used as a form value."""
    return f"{ref_a}|{ref_b}"

def _clean(value: object) -> object:
    """Neo4j properties: no NaN, no numpy scalars, lists of plain values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, list | str):
        return value.item()
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    return [{c: _clean(v) for c, v in zip(columns, values, strict=True)}
            for values in frame[columns].itertuples(index=False, name=None)]


POSTCODES = """
UNWIND $rows AS row
MERGE (p:Postcode {code: row.postcode})
SET p.latitude = row.latitude, p.longitude = row.longitude, p.district = row.district, p.origin = row.origin,
    p.sync = $run,
    p.location = CASE WHEN row.latitude IS NULL THEN null
                      ELSE point({latitude: row.latitude, longitude: row.longitude}) END
WITH p, row WHERE row.ward <> ''
MERGE (w:Ward {key: toLower(row.ward)})
SET w.name = row.ward, w.origin = row.ward_origin, w.sync = $run
MERGE (p)-[r:IN_WARD]->(w) SET r.sync = $run
"""
MOSAIC = """
UNWIND $rows AS row
MATCH (p:Postcode {code: row.postcode})
MERGE (t:MosaicType {code: row.mosaic_type}) SET t.sync = $run
MERGE (g:MosaicGroup {code: row.mosaic_group}) SET g.sync = $run
MERGE (t)-[tg:IN_GROUP]->(g) SET tg.sync = $run
MERGE (p)-[r:CLASSIFIED_AS]->(t) SET r.households = row.households, r.sync = $run
"""
ORGANISATIONS = """
UNWIND $rows AS row
MERGE (o:Organisation {id: row.organisation_id})
SET o.name = row.name, o.names = row.names, o.priority_stakeholder = row.priority_stakeholder, o.sync = $run
"""
# Postcodes that only an address names (not in the postcode directory) are MERGEd below with SET, not ON CREATE
# SET, of the run stamp: a node created by an earlier run would otherwise keep its old stamp and be swept.
PREMISES = """
UNWIND $rows AS row
MERGE (pr:Premises {id: row.premises_id})
SET pr.premises_ref = row.premises_ref, pr.name = row.name, pr.address_line_1 = row.address_line_1,
    pr.address_line_2 = row.address_line_2, pr.postcode = row.postcode, pr.sync = $run
WITH pr, row
CALL (pr, row) {
  WITH pr, row WHERE row.postcode <> ''
  MERGE (p:Postcode {code: row.postcode}) SET p.sync = $run
  MERGE (pr)-[r:IN_POSTCODE]->(p) SET r.sync = $run
}
CALL (pr, row) {
  WITH pr, row WHERE row.occupier_id <> ''
  MATCH (o:Organisation {id: row.occupier_id})
  MERGE (o)-[r:OCCUPIES]->(pr) SET r.sync = $run
}
"""
CONTACTS = """
UNWIND $rows AS row
MERGE (c:Contact {id: row.contact_id})
SET c += row.props, c.sync = $run
"""
CONTACT_LINKS = """
UNWIND $rows AS row
MATCH (c:Contact {id: row.contact_id})
CALL (c, row) {
  UNWIND row.organisation_ids AS org_id
  MATCH (o:Organisation {id: org_id})
  MERGE (c)-[r:WORKS_FOR]->(o) SET r.sync = $run
}
CALL (c, row) {
  UNWIND row.postcodes AS code
  MERGE (p:Postcode {code: code}) SET p.sync = $run
  MERGE (c)-[r:HAS_ADDRESS_IN]->(p) SET r.sync = $run
}
CALL (c, row) {
  UNWIND row.located_in AS code
  MERGE (p:Postcode {code: code}) SET p.sync = $run
  MERGE (c)-[r:LOCATED_IN]->(p) SET r.sync = $run
}
CALL (c, row) {
  UNWIND row.issues AS issue
  MERGE (i:Issue {name: issue}) SET i.sync = $run
  MERGE (c)-[r:CONCERNED_WITH]->(i) SET r.sync = $run
}
CALL (c, row) {
  UNWIND row.directorates AS directorate
  MERGE (d:Directorate {name: directorate}) SET d.sync = $run
  MERGE (c)-[r:KNOWN_TO]->(d) SET r.sync = $run
}
"""
KEYHOLDERS = """
UNWIND $rows AS row
MATCH (c:Contact {id: row.contact_id})
MATCH (pr:Premises {id: row.premises_id})
MERGE (c)-[k:KEYHOLDER_OF]->(pr)
SET k.keyholder_order = row.keyholder_order, k.sync = $run
"""
SOURCES = """
UNWIND $rows AS row
MERGE (s:Source {name: row.name})
SET s += row.props, s.sync = $run
"""
RECORDS = """
UNWIND $rows AS row
MERGE (r:SourceRecord {ref: row.ref})
SET r.source = row.source, r.record_id = row.record_id, r.kind = row.kind, r.sync = $run
WITH r, row
MATCH (s:Source {name: row.source})
MERGE (r)-[f:FROM_SOURCE]->(s) SET f.sync = $run
WITH r, row
CALL (r, row) {
  UNWIND row.targets AS target
  CALL (r, target) {
    WITH r, target WHERE target.label = 'Contact'
    MATCH (n:Contact {id: target.id}) MERGE (r)-[d:DESCRIBES]->(n) SET d.sync = $run
  }
  CALL (r, target) {
    WITH r, target WHERE target.label = 'Organisation'
    MATCH (n:Organisation {id: target.id}) MERGE (r)-[d:DESCRIBES]->(n) SET d.sync = $run
  }
  CALL (r, target) {
    WITH r, target WHERE target.label = 'Postcode'
    MATCH (n:Postcode {code: target.id}) MERGE (r)-[d:DESCRIBES]->(n) SET d.sync = $run
  }
  CALL (r, target) {
    WITH r, target WHERE target.label = 'Premises'
    MATCH (n:Premises {id: target.id}) MERGE (r)-[d:DESCRIBES]->(n) SET d.sync = $run
  }
}
"""
REVIEW_PAIRS = """
UNWIND $rows AS row
MERGE (p:ReviewPair {key: row.key})
SET p += row.props, p.sync = $run
"""
QUARANTINE = """
UNWIND $rows AS row
MERGE (q:QuarantinedRecord {ref: row.ref})
SET q.source = row.source, q.record_id = row.record_id, q.row_number = row.row_number,
    q.reason = row.reason, q.sync = $run
WITH q, row
MATCH (s:Source {name: row.source})
MERGE (q)-[f:FROM_SOURCE]->(s) SET f.sync = $run
"""


def located_in(world: ResolvedWorld) -> dict[str, list[str]]:
    """Where each contact is (contract section 6): own address postcodes, premises it holds keys
    for, and premises occupied by organisations it works for."""
    premises_postcode = dict(zip(world.premises["premises_id"], world.premises["postcode"], strict=True))
    occupied: dict[str, set[str]] = {}
    for occupier, code in zip(world.premises["occupier_id"], world.premises["postcode"], strict=True):
        if occupier and code:
            occupied.setdefault(occupier, set()).add(code)
    places: dict[str, set[str]] = {}
    for row in world.contacts.itertuples(index=False):
        codes = set(row.postcodes)
        for org_id in row.organisation_ids:
            codes |= occupied.get(org_id, set())
        places[row.contact_id] = codes
    for contact_id, premises_id in zip(world.keyholders["contact_id"], world.keyholders["premises_id"],
                                       strict=True):
        code = premises_postcode.get(premises_id)
        if code:
            places.setdefault(contact_id, set()).add(code)
    return {contact_id: sorted(codes) for contact_id, codes in places.items()}


_CONTACT_PROPERTIES = ["name", "title", "first_name", "last_name", "job_title", "email", "mobile", "phone",
                       "emails", "mobiles", "phones", "categories", "priority", "issues", "consent_email",
                       "consent_email_source", "consent_email_at", "consent_sms", "consent_sms_source",
                       "consent_sms_at", "restricted",
                       "organisation", "directorates", "refs", "last_contacted", "field_provenance"]


def _contact_rows(world: ResolvedWorld) -> tuple[list[dict], list[dict]]:
    places = located_in(world)
    priority, _ = priority_stakeholders(world)
    nodes, links = [], []
    for record in _records(world.contacts, list(world.contacts.columns)):
        props = {k: record[k] for k in _CONTACT_PROPERTIES}
        props["priority_rank"] = PRIORITY_RANK.get(record["priority"], 0)
        props["priority_stakeholder"] = record["contact_id"] in priority
        nodes.append({"contact_id": record["contact_id"], "props": props})
        links.append({"contact_id": record["contact_id"], "organisation_ids": record["organisation_ids"],
                      "postcodes": record["postcodes"], "issues": record["issues"],
                      "directorates": record["directorates"],
                      "located_in": places.get(record["contact_id"], [])})
    return nodes, links


def _record_rows(world: ResolvedWorld) -> list[dict]:
    targets: dict[str, list[dict]] = {}
    meta: dict[str, dict] = {}
    for row in world.record_links.itertuples(index=False):
        meta[row.ref] = {"source": row.source, "record_id": row.record_id, "kind": row.kind}
        entry = targets.setdefault(row.ref, [])
        entry.append({"label": "Contact", "id": row.contact_id})
        if row.organisation_id:
            entry.append({"label": "Organisation", "id": row.organisation_id})
    for row in world.premises.itertuples(index=False):
        for ref in row.refs:
            targets[ref].append({"label": "Premises", "id": row.premises_id})
    for row in world.postcodes.itertuples(index=False):
        for kind, refs in (("postcodes", row.refs), ("mosaic", row.mosaic_refs)):
            for ref in refs:
                source, record_id = ref.split(":", 1)
                meta.setdefault(ref, {"source": source, "record_id": record_id, "kind": kind})
                targets.setdefault(ref, []).append({"label": "Postcode", "id": row.postcode})
    return [{"ref": ref, **meta[ref], "targets": targets[ref]} for ref in sorted(targets)]


HELD_BACK_PREFIX = "held back, not loaded: "


def build_load_plan(world: ResolvedWorld, sources: list[dict], held_back: pd.DataFrame | None = None
                    ) -> list[LoadStep]:
    """All load steps in dependency order. ``sources``: dicts with name and props (kind, directorate,
    content_hash, rows_read, status). ``held_back``: the quarantined rows (sources.model QUARANTINE_COLUMNS)
    of batches held back this run: none of their rows is loaded, but why each was unusable is shown, marked
    as held back, beside the quarantine of the batches that were."""
    postcodes = world.postcodes.assign(
        district=world.postcodes["district"].fillna(""), ward=world.postcodes["ward"].fillna(""))
    # A boolean mask even for an empty table (an empty .map() result would select columns instead).
    mosaic = postcodes[postcodes["mosaic_type"].map(lambda v: isinstance(v, str) and v != "").astype(bool)]
    contacts, contact_links = _contact_rows(world)
    _, priority_organisations = priority_stakeholders(world)
    organisations = world.organisations.assign(
        priority_stakeholder=world.organisations["organisation_id"].isin(priority_organisations))
    # a postcode the directory names is the sources'; one only the lookup API found, the API's
    postcodes = postcodes.assign(origin=[LOOKUP_API if not refs and not mosaic_refs else "sources"
                                         for refs, mosaic_refs in zip(postcodes["refs"], postcodes["mosaic_refs"],
                                                                      strict=True)])
    from_sources = set(postcodes.loc[postcodes["origin"] == "sources", "ward"].str.lower())
    postcodes["ward_origin"] = ["sources" if w.lower() in from_sources else LOOKUP_API for w in postcodes["ward"]]
    quarantine = world.quarantine.assign(
        ref=world.quarantine["source"] + ":" + world.quarantine["record_id"].astype(str))
    if held_back is not None and not held_back.empty:
        # their own keys: the same row may stand in the last good batch, loaded or quarantined
        quarantine = pd.concat([quarantine, held_back.assign(
            ref="held back|" + held_back["source"] + ":" + held_back["record_id"].astype(str),
            reason=HELD_BACK_PREFIX + held_back["reason"].astype(str))], ignore_index=True)
    return [
        LoadStep("postcodes", POSTCODES,
                 _records(postcodes, ["postcode", "latitude", "longitude", "ward", "district", "origin",
                                     "ward_origin"])),
        LoadStep("mosaic", MOSAIC, _records(mosaic, ["postcode", "mosaic_type", "mosaic_group", "households"])),
        LoadStep("organisations", ORGANISATIONS, _records(organisations, ["organisation_id", "name", "names",
                                                                          "priority_stakeholder"])),
        LoadStep("premises", PREMISES, _records(world.premises, ["premises_id", "premises_ref", "name",
                                                                 "address_line_1", "address_line_2",
                                                                 "postcode", "occupier_id"])),
        LoadStep("contacts", CONTACTS, contacts),
        LoadStep("contact links", CONTACT_LINKS, contact_links),
        LoadStep("keyholders", KEYHOLDERS,
                 _records(world.keyholders.sort_values("keyholder_order").drop_duplicates(
                     ["contact_id", "premises_id"]), ["contact_id", "premises_id", "keyholder_order"])),
        LoadStep("sources", SOURCES, sources),
        LoadStep("source records", RECORDS, _record_rows(world)),
        LoadStep("quarantine", QUARANTINE, _records(quarantine, ["ref", "source", "record_id", "row_number",
                                                                 "reason"])),
        LoadStep("review pairs", REVIEW_PAIRS, _review_rows(world)),
        *(LoadStep(name, statement, rows) for name, statement, rows in engagement_steps(world)),
        LoadStep("ward boundaries", WARD_BOUNDARIES, ward_boundary_rows(world)),
    ]


def _review_rows(world: ResolvedWorld) -> list[dict]:
    columns = ["ref_a", "ref_b", "score", "contact_a", "contact_b", "name_a", "name_b"]
    return [{"key": pair_key(props["ref_a"], props["ref_b"]), "props": props}
            for props in _records(world.review_pairs.assign(score=world.review_pairs["score"].round(2)), columns)]


def plan_fingerprint(plan: list[LoadStep]) -> str:
    """A hash of everything the plan would write: equal fingerprints mean an unchanged graph."""
    digest = hashlib.sha256()
    # and what the load works out after it (graph.reports): a graph loaded before a new derivation loads again
    digest.update(REPORT_FIELDS.encode())
    for step in plan:
        digest.update(step.name.encode())
        digest.update(json.dumps(step.rows, sort_keys=True, default=str).encode())
    return digest.hexdigest()
