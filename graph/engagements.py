"""Engagements logged in the web app, and what the profile pages read of the engagement record.

- ``(:Engagement {ref: 'web:E-<n>', request, origin: 'web', author, logged_at, type, date, officer,
  directorate, subject, issues, notes, contact_id, organisation_id})``, numbered by
  ``(:EngagementState {name: 'engagements'})``, ``-[:ENGAGED]->`` its contact or organisation,
  ``-[:BY_DIRECTORATE]->(:Directorate)``, ``-[:ABOUT]->(:Issue)``. None of them carries a ``sync`` stamp, so
  no sync sweeps them; every sync links them again (graph.engagement_load ``LOGGED_LINKS``), to the contact
  an ID was merged into too.

Mixed into ``store.GraphStore``: every value a parameter, the new node numbered under the driver's retries.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from .numbering import numbered_create
from .profiles import VISIBLE

# Idempotent: a retried transaction links the same node again, to the same nodes.
_LINKS = """
CALL (n) {
  WITH n WHERE n.contact_id <> ''
  MATCH (c:Contact {id: n.contact_id}) MERGE (n)-[:ENGAGED]->(c)
}
CALL (n) {
  WITH n WHERE n.organisation_id <> ''
  MATCH (o:Organisation {id: n.organisation_id}) MERGE (n)-[:ENGAGED]->(o)
}
CALL (n) {
  WITH n WHERE n.directorate <> ''
  MATCH (d:Directorate {name: n.directorate}) MERGE (n)-[:BY_DIRECTORATE]->(d)
}
CALL (n) {
  UNWIND n.issues AS issue
  MERGE (i:Issue {name: issue}) MERGE (n)-[:ABOUT]->(i)
}
"""
NEW_ENGAGEMENT = numbered_create("Engagement", "EngagementState:engagements", "web:E-", key="ref", then=_LINKS)
DIRECTORATES = "MATCH (d:Directorate) RETURN d.name AS name ORDER BY name"

_ENGAGEMENT = ".ref, .type, .date, .officer, .directorate, .subject, .issues, .notes, .origin, .author"
_GROUP = "key: g.key, name: g.name, priority_stakeholder: coalesce(m.priority_stakeholder, false)"
CONTACT_RECORD = f"""
MATCH (c:Contact {{id: $id}}) WHERE {VISIBLE}
RETURN coalesce(c.priority_stakeholder, false) AS priority_stakeholder,
  COLLECT {{ MATCH (e:Engagement {{contact_id: c.id}}) RETURN e {{{_ENGAGEMENT}}} }} AS engagements,
  [(r:SurveyResponse)-[:RESPONDED_BY]->(c) | r {{.ref, .date, .score, .question, .comment, .message_id}}] AS surveys,
  [(c)-[m:MEMBER_OF]->(g:Group) | {{{_GROUP}, through: null}}]
    + [(c)-[:WORKS_FOR]->(o:Organisation)-[m:MEMBER_OF]->(g:Group) | {{{_GROUP}, through: o {{.id, .name}}}}]
    AS groups,
  [(c)-[:LEADS]->(s:Sector) | s {{.key, .name, hub: head([(s)-[:IN_HUB]->(h:Hub) | h.name])}}] AS leads,
  [(c)-[:HAS_ADDRESS_IN]->(p:Postcode)-[:CLASSIFIED_AS]->(t:MosaicType)
   | {{postcode: p.code, type: t.code, group: head([(t)-[:IN_GROUP]->(mg:MosaicGroup) | mg.code])}}] AS mosaic
"""
ORGANISATION_RECORD = f"""
MATCH (o:Organisation {{id: $id}})
RETURN coalesce(o.priority_stakeholder, false) AS priority_stakeholder,
  COLLECT {{ MATCH (e:Engagement {{organisation_id: o.id}})
            WHERE $restricted_ok OR NOT EXISTS {{ MATCH (c:Contact {{id: e.contact_id}}) WHERE NOT ({VISIBLE}) }}
            RETURN e {{{_ENGAGEMENT}}} }} AS engagements,
  [(o)-[m:MEMBER_OF]->(g:Group) | {{{_GROUP}, through: null}}] AS groups,
  [(o)-[:IN_SECTOR]->(s:Sector) | s {{.key, .name, hub: head([(s)-[:IN_HUB]->(h:Hub) | h.name])}}] AS sectors
"""
PRIORITY_STAKEHOLDERS = """
MATCH (c:Contact) WHERE c.id IN $ids AND c.priority_stakeholder = true RETURN c.id AS id
"""


class EngagementQueries:
    """The engagement methods of the graph store (``_read``/``_write`` are the store's)."""

    def log_engagement(self, props: dict, request: str | None = None) -> dict:
        """Store an engagement logged in the web app (``props``: its fields, origin and author included) and
        link it; returns its properties with the ref it was given (``web:E-<n>``). A retried call with the
        same ``request`` stores nothing new."""
        rows = self._write(NEW_ENGAGEMENT, props=props, request=request or secrets.token_hex(16))
        return rows[0].data()["node"]

    def directorates(self) -> list[str]:
        return [r["name"] for r in self._read(DIRECTORATES)]

    def contact_engagement_record(self, contact_id: str, can_see_restricted: bool) -> dict | None:
        """A contact's part of the engagement record: priority_stakeholder, engagements, surveys (its own
        answers), groups (directly or through an organisation: ``through``), the sectors it leads and the
        Mosaic type of each home postcode; None when the role may not see the contact."""
        rows = self._read(CONTACT_RECORD, id=contact_id, restricted_ok=can_see_restricted)
        return rows[0] if rows else None

    def organisation_engagement_record(self, organisation_id: str, can_see_restricted: bool) -> dict | None:
        """An organisation's: priority_stakeholder, engagements (but those that also name a contact the role
        may not see), groups and sectors (with their hubs)."""
        rows = self._read(ORGANISATION_RECORD, id=organisation_id, restricted_ok=can_see_restricted)
        return rows[0] if rows else None

    def priority_stakeholders(self, contact_ids: Sequence[str]) -> set[str]:
        """Those of ``contact_ids`` that are priority stakeholders."""
        return {r["id"] for r in self._read(PRIORITY_STAKEHOLDERS, ids=list(contact_ids))} if contact_ids else set()
