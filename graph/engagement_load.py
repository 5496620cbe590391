"""The engagement record's part of the graph load (graph.load_plan): diary entries, groups and their
members, the CSSC sectors, hubs and leads, survey responses, and where reference nodes came from.

Engagements logged in the web app (``origin: 'web'``) are not part of a load: they carry no ``sync``
stamp, and the sweep only removes what carries another run's stamp, so every sync leaves them (and their
links, also unstamped) as they are. ``RELINK_LOGGED`` moves them to the contact or organisation an ID of
theirs was merged into; ``LOGGED_LINKS`` then links every one of them again to what its properties name
(the contact or organisation, a restored ID's too, the directorate, the issues), and stamps that directorate
and those issues as this run's, so that the sweep keeps them while an engagement is about them.
"""

from __future__ import annotations

import pandas as pd

from resolution.engagement_record import EngagementRecord
from resolution.model import ResolvedWorld

ENGAGEMENT_LABELS = ("Engagement", "Group", "Sector", "Hub", "SurveyResponse")
ENGAGEMENT_RELATIONSHIPS = ("ENGAGED", "BY_DIRECTORATE", "ABOUT", "MEMBER_OF", "IN_SECTOR", "LEADS", "IN_HUB",
                            "RESPONDED_BY", "RATES")

ENGAGEMENTS = """
UNWIND $rows AS row
MERGE (e:Engagement {ref: row.ref})
SET e += row.props, e.origin = 'source', e.sync = $run
WITH e, row
CALL (e, row) {
  WITH e, row WHERE row.props.contact_id <> ''
  MATCH (c:Contact {id: row.props.contact_id})
  MERGE (e)-[r:ENGAGED]->(c) SET r.sync = $run
}
CALL (e, row) {
  WITH e, row WHERE row.props.organisation_id <> ''
  MATCH (o:Organisation {id: row.props.organisation_id})
  MERGE (e)-[r:ENGAGED]->(o) SET r.sync = $run
}
CALL (e, row) {
  WITH e, row WHERE row.props.directorate <> ''
  MERGE (d:Directorate {name: row.props.directorate}) SET d.sync = $run
  MERGE (e)-[r:BY_DIRECTORATE]->(d) SET r.sync = $run
}
CALL (e, row) {
  UNWIND row.props.issues AS issue
  MERGE (i:Issue {name: issue}) SET i.sync = $run
  MERGE (e)-[r:ABOUT]->(i) SET r.sync = $run
}
"""
GROUPS = """
UNWIND $rows AS row
MERGE (g:Group {key: row.key})
SET g.name = row.name, g.aliases = row.aliases, g.priority_stakeholder = row.priority_stakeholder, g.sync = $run
"""
MEMBERS = """
UNWIND $rows AS row
MATCH (g:Group {key: row.group_key})
CALL (g, row) {
  WITH g, row WHERE row.contact_id <> ''
  MATCH (c:Contact {id: row.contact_id})
  MERGE (c)-[m:MEMBER_OF]->(g) SET m.priority_stakeholder = row.priority_stakeholder, m.sync = $run
}
CALL (g, row) {
  WITH g, row WHERE row.organisation_id <> ''
  MATCH (o:Organisation {id: row.organisation_id})
  MERGE (o)-[m:MEMBER_OF]->(g) SET m.priority_stakeholder = row.priority_stakeholder, m.sync = $run
}
"""
SECTORS = """
UNWIND $rows AS row
MERGE (s:Sector {key: row.sector_key}) SET s.name = row.sector, s.aliases = row.aliases, s.sync = $run
WITH s, row
CALL (s, row) {
  WITH s, row WHERE row.hub_key <> ''
  MERGE (h:Hub {key: row.hub_key}) SET h.name = row.hub, h.sync = $run
  MERGE (s)-[r:IN_HUB]->(h) SET r.sync = $run
}
CALL (s, row) {
  MATCH (o:Organisation {id: row.organisation_id})
  MERGE (o)-[r:IN_SECTOR]->(s) SET r.sync = $run
}
CALL (s, row) {
  WITH s, row WHERE row.lead_contact_id <> ''
  MATCH (c:Contact {id: row.lead_contact_id})
  MERGE (c)-[r:LEADS]->(s) SET r.sync = $run
}
"""
SURVEYS = """
UNWIND $rows AS row
MERGE (r:SurveyResponse {ref: row.ref})
SET r += row.props, r.anonymous = row.contact_id = '', r.sync = $run
WITH r, row
CALL (r, row) {
  WITH r, row WHERE row.contact_id <> ''
  MATCH (c:Contact {id: row.contact_id})
  MERGE (r)-[b:RESPONDED_BY]->(c) SET b.sync = $run
}
CALL (r, row) {
  WITH r, row WHERE row.props.message_id <> ''
  MATCH (m:Message {id: row.props.message_id})
  MERGE (r)-[t:RATES]->(m) SET t.sync = $run
}
"""
# Reference nodes and the sources that name them; one statement per label, so each MATCH uses its key.
_KEYS = {"Ward": "key", "Issue": "name", "Directorate": "name", "MosaicType": "code", "MosaicGroup": "code",
         "Group": "key", "Sector": "key", "Hub": "key", "Postcode": "code"}
_FROM_SOURCE = """
UNWIND $rows AS row
MATCH (n:{label} {{{key}: row.key}})
MATCH (s:Source {{name: row.source}})
MERGE (n)-[f:FROM_SOURCE]->(s) SET f.sync = $run
"""
RELINK_LOGGED = """
UNWIND $rows AS row
MATCH (e:Engagement {origin: 'web', contact_id: row.retired})
MATCH (c:Contact {id: row.surviving})
SET e.contact_id = row.surviving
MERGE (e)-[:ENGAGED]->(c)
"""
RELINK_LOGGED_ORGANISATIONS = """
UNWIND $rows AS row
MATCH (e:Engagement {origin: 'web', organisation_id: row.retired})
MATCH (o:Organisation {id: row.surviving})
SET e.organisation_id = row.surviving
MERGE (e)-[:ENGAGED]->(o)
"""
# One row, whatever the world: the statement reads the logged engagements from the graph itself.
LOGGED_LINKS = """
UNWIND $rows AS row
MATCH (e:Engagement {origin: 'web'})
CALL (e) {
  WITH e WHERE e.contact_id <> ''
  MATCH (c:Contact {id: e.contact_id}) MERGE (e)-[:ENGAGED]->(c)
}
CALL (e) {
  WITH e WHERE e.organisation_id <> ''
  MATCH (o:Organisation {id: e.organisation_id}) MERGE (e)-[:ENGAGED]->(o)
}
CALL (e) {
  WITH e WHERE e.directorate <> ''
  MERGE (d:Directorate {name: e.directorate}) SET d.sync = $run
  MERGE (e)-[:BY_DIRECTORATE]->(d)
}
CALL (e) {
  UNWIND e.issues AS issue
  MERGE (i:Issue {name: issue}) SET i.sync = $run
  MERGE (e)-[:ABOUT]->(i)
}
"""


def _plain(value: object) -> object:
    if hasattr(value, "item") and not isinstance(value, list | str):
        return value.item()
    return value


def engagement_steps(world: ResolvedWorld) -> list[tuple[str, str, list[dict]]]:
    """(name, statement, rows) for each step, in the order they load: after contacts, organisations and
    sources, whose nodes they link to."""
    record: EngagementRecord = world.engagement_record
    engagements = [{"ref": r["ref"], "props": {k: _plain(v) for k, v in r.items() if k != "ref"}}
                   for r in record.engagements.rename(columns={"engagement_type": "type"}).to_dict("records")]
    groups = (record.members.groupby("group_key", sort=True)
              .agg(name=("group", "first"), priority_stakeholder=("priority_stakeholder", "any"),
                   aliases=("alias", _distinct)).reset_index())
    sector_aliases = record.sectors.groupby("sector_key")["alias"].agg(_distinct).to_dict()
    sectors = record.sectors.assign(aliases=[sector_aliases[k] for k in record.sectors["sector_key"]])
    # a member named on two rows is one membership, a priority one if either row says so
    memberships = (record.members.groupby(["group_key", "contact_id", "organisation_id"], sort=True)
                   ["priority_stakeholder"].any().reset_index())
    surveys = [{"ref": r["ref"], "contact_id": r["contact_id"],
                "props": {k: _plain(v) for k, v in r.items() if k != "ref"}}
               for r in record.surveys.to_dict("records")]
    steps = [
        ("engagements", ENGAGEMENTS, engagements),
        ("groups", GROUPS, [{"key": k, "name": n, "priority_stakeholder": bool(p), "aliases": a} for k, n, p, a in
                            zip(groups["group_key"], groups["name"], groups["priority_stakeholder"], groups["aliases"],
                                strict=True)]),
        ("group members", MEMBERS, _rows(memberships, ["group_key", "contact_id", "organisation_id",
                                                       "priority_stakeholder"])),
        ("sectors", SECTORS, _rows(sectors, ["sector_key", "sector", "aliases", "hub_key", "hub", "organisation_id",
                                             "lead_contact_id"])),
        ("survey responses", SURVEYS, surveys),
    ]
    for label, key in _KEYS.items():
        rows = world.provenance[world.provenance["label"] == label]
        steps.append((f"provenance of {label}", _FROM_SOURCE.format(label=label, key=key),
                      _rows(rows, ["key", "source"])))
    steps.append(("logged engagements of merged contacts", RELINK_LOGGED, merged_ids(world)))
    steps.append(("logged engagements of merged organisations", RELINK_LOGGED_ORGANISATIONS,
                  merged_ids(world, "organisation")))
    steps.append(("links of logged engagements", LOGGED_LINKS, [{"logged": True}]))
    return steps


def _distinct(values: pd.Series) -> list[str]:
    return sorted({v for v in values if v})


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    return [{c: _plain(v) for c, v in zip(columns, values, strict=True)}
            for values in frame[columns].itertuples(index=False, name=None)]


def merged_ids(world: ResolvedWorld, entity_type: str = "contact") -> list[dict]:
    """retired -> surviving ID (of a contact, or an organisation) for every merge of this run
    (resolution.identity's lineage)."""
    merged = world.lineage[(world.lineage["event"] == "merged") & (world.lineage["entity_type"] == entity_type)]
    return [{"retired": retired, "surviving": related[0]}
            for retired, related in zip(merged["entity_id"], merged["related_ids"], strict=True) if related]


def priority_stakeholders(world: ResolvedWorld) -> tuple[set[str], set[str]]:
    """The contacts and organisations a priority group row names, directly or (for contacts) through an
    organisation they work for."""
    members = world.engagement_record.members
    flagged = members[members["priority_stakeholder"].astype(bool)]
    organisations = {o for o in flagged["organisation_id"] if o}
    contacts = {c for c in flagged["contact_id"] if c}
    for contact_id, employers in zip(world.contacts.get("contact_id", []), world.contacts.get("organisation_ids", []),
                                     strict=True):
        if organisations & set(employers):
            contacts.add(contact_id)
    return contacts, organisations
