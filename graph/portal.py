"""What the stakeholder portal reads from the graph: one organisation and its people, as its own staff see
them. A restricted contact is never returned here, whatever the caller (a stakeholder is never a SPOC), and
nothing of another organisation is: every query is keyed by the organisation's ID.
"""

from __future__ import annotations

from collections.abc import Sequence

_PERSON = """c {.id, .name, .job_title, .email, .mobile, .phone, consent_email: coalesce(c.consent_email, false),
       consent_sms: coalesce(c.consent_sms, false), refs: coalesce(c.refs, [])}"""

PORTAL_ORGANISATION = f"""
MATCH (o:Organisation {{id: $id}})
RETURN o {{.id, .name, priority_stakeholder: coalesce(o.priority_stakeholder, false)}} AS organisation,
  [(o)-[:OCCUPIES]->(p:Premises) | p {{.id, .name, .address_line_1, .postcode}}] AS premises,
  [(o)-[:IN_SECTOR]->(s:Sector) | s.name] AS sectors,
  [(c:Contact)-[:WORKS_FOR]->(o) WHERE NOT coalesce(c.restricted, false) | {_PERSON}] AS people
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
        """The organisation, its premises, sectors and its people (never a restricted one)."""
        rows = self._read(PORTAL_ORGANISATION, id=organisation_id)
        return rows[0] if rows else None

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
