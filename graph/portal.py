"""What the stakeholder portal reads from the graph: one organisation and its people, as its own staff see
them. A restricted contact is never returned here, whatever the caller (a stakeholder is never a SPOC), and
nothing of another organisation is: every query is keyed by the organisation's ID.
"""

from __future__ import annotations

from collections.abc import Sequence

_PERSON = """c {.id, .name, .job_title, .email, .mobile, .phone, consent_email: coalesce(c.consent_email, false),
       consent_sms: coalesce(c.consent_sms, false), refs: coalesce(c.refs, [])}"""

_SHOWN = "NOT coalesce(c.restricted, false)"
_MATCHING = "($text = '' OR toLower(c.name) CONTAINS $text OR toLower(coalesce(c.email, '')) CONTAINS $text)"
PORTAL_ORGANISATION = f"""
MATCH (o:Organisation {{id: $id}})
RETURN o {{.id, .name, priority_stakeholder: coalesce(o.priority_stakeholder, false)}} AS organisation,
  [(o)-[:OCCUPIES]->(p:Premises) | p {{.id, .name, .address_line_1, .postcode}}] AS premises,
  [(o)-[:IN_SECTOR]->(s:Sector) | s.name] AS sectors,
  COUNT {{ (c:Contact)-[:WORKS_FOR]->(o) WHERE {_SHOWN} }} AS people
"""
# a page of the staff list, by name (an organisation may have thousands of people: never all at once)
PORTAL_PEOPLE = f"""
MATCH (c:Contact)-[:WORKS_FOR]->(:Organisation {{id: $id}})
WHERE {_SHOWN} AND {_MATCHING}
WITH c ORDER BY c.name, c.id
WITH collect(c) AS found
RETURN size(found) AS total, [c IN found[$skip..$skip + $limit] | {_PERSON}] AS people
"""
# which of the organisation's staff entries the graph holds already (as a row of one of its people, or as
# the contact an entry was made from)
PEOPLE_OF_ENTRIES = f"""
MATCH (c:Contact)-[:WORKS_FOR]->(:Organisation {{id: $id}})
WHERE {_SHOWN} AND (c.id IN $contact_ids OR any(r IN coalesce(c.refs, []) WHERE r IN $refs))
RETURN c.id AS id, coalesce(c.refs, []) AS refs
"""
PORTAL_PERSON = f"""
MATCH (c:Contact {{id: $contact_id}})-[:WORKS_FOR]->(:Organisation {{id: $id}})
WHERE NOT coalesce(c.restricted, false)
RETURN {_PERSON} AS person
"""
ORGANISATION_NAMES = "MATCH (o:Organisation) WHERE o.id IN $ids RETURN o.id AS id, o.name AS name"
ORGANISATION_NAMED = """
MATCH (o:Organisation) WHERE o.id IN $ids
RETURN o.id AS id, o.name AS name, coalesce(o.priority_stakeholder, false) AS priority_stakeholder
"""
SECTOR_NAMES = "MATCH (s:Sector) RETURN s.name AS name ORDER BY name"
POSTCODE_POINT = "MATCH (p:Postcode {code: $code}) RETURN p.latitude AS latitude, p.longitude AS longitude"


class PortalQueries:
    """The portal's methods of the graph store (``_read`` is the store's)."""

    def portal_organisation(self, organisation_id: str) -> dict | None:
        """The organisation, its premises, sectors and how many people it has (never counting a restricted one)."""
        rows = self._read(PORTAL_ORGANISATION, id=organisation_id)
        return rows[0] if rows else None

    def portal_people(self, organisation_id: str, text: str = "", skip: int = 0, limit: int = 100) -> dict:
        """A page of its people by name (``text``: in the name or email), and how many match in all."""
        rows = self._read(PORTAL_PEOPLE, id=organisation_id, text=text.strip().lower(), skip=skip, limit=limit)
        return rows[0] if rows else {"total": 0, "people": []}

    def people_of_entries(self, organisation_id: str, contact_ids: Sequence[str], refs: Sequence[str]) -> list[dict]:
        if not contact_ids and not refs:
            return []
        return self._read(PEOPLE_OF_ENTRIES, id=organisation_id, contact_ids=list(contact_ids), refs=list(refs))

    def portal_person(self, organisation_id: str, contact_id: str) -> dict | None:
        """One of the organisation's people; None for anyone else (another organisation's, a restricted one)."""
        rows = self._read(PORTAL_PERSON, id=organisation_id, contact_id=contact_id)
        return rows[0]["person"] if rows else None

    def organisation_names(self, organisation_ids: Sequence[str]) -> dict[str, str]:
        if not organisation_ids:
            return {}
        return {r["id"]: r["name"] for r in self._read(ORGANISATION_NAMES, ids=list(organisation_ids))}

    def organisations_named(self, organisation_ids: Sequence[str]) -> list[dict]:
        """ID, name and the priority-stakeholder mark of each of ``organisation_ids`` the graph holds."""
        if not organisation_ids:
            return []
        return self._read(ORGANISATION_NAMED, ids=list(organisation_ids))

    def sector_names(self) -> list[str]:
        return [r["name"] for r in self._read(SECTOR_NAMES) if r["name"]]

    def postcode_point(self, postcode: str) -> tuple[float, float] | None:
        rows = self._read(POSTCODE_POINT, code=postcode)
        if not rows or rows[0]["latitude"] is None:
            return None
        return rows[0]["latitude"], rows[0]["longitude"]
