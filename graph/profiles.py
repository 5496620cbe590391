"""Cypher behind the contact and organisation pages (pure: query text; the store runs it).

Restricted contacts are filtered here, in the query, by ``$restricted_ok``: a role that may not see
them gets nothing back, as if they did not exist (not their source records, not even a count).
"""

from __future__ import annotations

VISIBLE = "coalesce(c.restricted, false) = false OR $restricted_ok"

CONTACT_VISIBLE = f"MATCH (c:Contact {{id: $id}}) WHERE {VISIBLE} RETURN c.id AS id"
CONTACTS_VISIBLE = f"MATCH (c:Contact) WHERE c.id IN $ids AND ({VISIBLE}) RETURN c.id AS id"

CONTACT_SEARCH = f"""
MATCH (c:Contact)
WHERE ({VISIBLE})
  AND ($text = '' OR toLower(c.name) CONTAINS $text OR toLower(c.id) = $text
       OR toLower(coalesce(c.organisation, '')) CONTAINS $text OR toLower(coalesce(c.email, '')) = $text)
RETURN c {{.id, .name, .organisation, .priority, .restricted, records: size(c.refs),
          priority_stakeholder: coalesce(c.priority_stakeholder, false)}} AS contact
ORDER BY c.name, c.id
LIMIT $limit
"""

ORGANISATION_SEARCH = f"""
MATCH (o:Organisation)
WHERE $text = '' OR toLower(o.name) CONTAINS $text OR toLower(o.id) = $text
RETURN o {{.id, .name, priority_stakeholder: coalesce(o.priority_stakeholder, false),
          contacts: COUNT {{ (c:Contact)-[:WORKS_FOR]->(o) WHERE {VISIBLE} }},
          premises: COUNT {{ (o)-[:OCCUPIES]->(:Premises) }}}} AS organisation
ORDER BY o.name, o.id
LIMIT $limit
"""

ORGANISATION = f"""
MATCH (o:Organisation {{id: $id}})
RETURN o {{.id, .name, .names, priority_stakeholder: coalesce(o.priority_stakeholder, false)}} AS organisation,
  [(r:SourceRecord)-[:DESCRIBES]->(o)
   WHERE $restricted_ok OR NOT EXISTS {{ (r)-[:DESCRIBES]->(c:Contact) WHERE NOT ({VISIBLE}) }}
   | r {{.ref, .source, .record_id, .kind}}] AS records,
  [(c:Contact)-[:WORKS_FOR]->(o) WHERE {VISIBLE}
   | c {{.id, .name, .job_title, .priority, priority_stakeholder: coalesce(c.priority_stakeholder, false)}}]
  AS contacts,
  [(o)-[:OCCUPIES]->(p:Premises) | p {{.id, .name, .address_line_1, .postcode}}] AS premises,
  [(o)-[:OCCUPIES]->(:Premises)-[:IN_POSTCODE]->(pc:Postcode) | pc.code] AS postcodes
"""

# Rows of each source that were merged with at least one other row into one contact.
MERGED_ROWS_PER_SOURCE = """
MATCH (r:SourceRecord)-[:DESCRIBES]->(c:Contact)
WHERE size(c.refs) > 1
RETURN r.source AS source, count(r) AS merged
"""

QUARANTINED_ROWS = """
MATCH (q:QuarantinedRecord)
WHERE $source = '' OR q.source = $source
RETURN q.source AS source, q.record_id AS record_id, q.row_number AS row_number, q.reason AS reason
ORDER BY source, q.row_number, record_id
"""
