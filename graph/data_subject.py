"""Cypher for a data subject's rights: everything held about one contact, and its erasure.

Pure: query text only; ``store.GraphStore`` runs it. Every value is a parameter.

Erasure removes the contact, the source records it came from (``SourceRecord`` nodes, whose
``DESCRIBES`` links go with them), the review pairs naming it or its records, the engagements with it
and its survey answers, organisations and premises left with no source record (the next sync would
drop them too), and what the reports kept of it. Steward decisions about it stay on record, revoked, with
their values and reasons blanked: the decision IDs and who decided when remain for the audit trail, the
personal content does not. Its ``EntityId`` is marked ``erased`` with no former records, so the ID is never
handed out again nor
restored.
"""

from __future__ import annotations

SUBJECT = """
MATCH (c:Contact {id: $id})
RETURN c {.*} AS contact,
  [(r:SourceRecord)-[:DESCRIBES]->(c) | r {.ref, .source, .record_id, .kind}] AS records,
  [(c)-[:WORKS_FOR]->(o:Organisation) | o {.id, .name}] AS organisations,
  [(c)-[k:KEYHOLDER_OF]->(p:Premises) | p {.id, .premises_ref, .name, .address_line_1, .address_line_2,
                                           .postcode, keyholder_order: k.keyholder_order}] AS premises,
  [(c)-[:CONCERNED_WITH]->(i:Issue) | i.name] AS issues,
  [(c)-[:HAS_ADDRESS_IN]->(p:Postcode) | p.code] AS address_postcodes,
  [(c)-[:LOCATED_IN]->(p:Postcode) | p.code] AS located_in,
  [(c)-[:KNOWN_TO]->(d:Directorate) | d.name] AS directorates,
  [(e:Engagement)-[:ENGAGED]->(c) | e {.ref, .type, .date, .officer, .directorate, .subject, .issues, .notes,
                                       .origin}] AS engagements,
  [(s:SurveyResponse)-[:RESPONDED_BY]->(c) | s {.ref, .date, .score, .question, .comment, .message_id}]
    AS survey_responses,
  [(c)-[m:MEMBER_OF]->(g:Group) | {group: g.name, priority_stakeholder: m.priority_stakeholder}] AS groups,
  [(c)-[:LEADS]->(s:Sector) | s.name] AS sectors_led
"""
SUBJECT_REVIEW_PAIRS = """
MATCH (p:ReviewPair)
WHERE p.contact_a = $id OR p.contact_b = $id OR p.ref_a IN $refs OR p.ref_b IN $refs
RETURN p {.ref_a, .ref_b, .score, .contact_a, .contact_b, .name_a, .name_b} AS pair
ORDER BY p.key
"""
# identifiers of the contact that another contact also holds (a switchboard, a shared mailbox)
SHARED_IDENTIFIERS = """
UNWIND $values AS value
MATCH (c:Contact)
WHERE c.id <> $id AND (value IN c.emails OR value IN c.phones OR value IN c.mobiles)
RETURN DISTINCT value
"""

ERASE_REVIEW_PAIRS = """
MATCH (p:ReviewPair)
WHERE p.contact_a = $id OR p.contact_b = $id OR p.ref_a IN $refs OR p.ref_b IN $refs
DETACH DELETE p
RETURN count(*) AS n
"""
DESCRIBED_PLACES = """
MATCH (r:SourceRecord)-[:DESCRIBES]->(n:Organisation|Premises)
WHERE r.ref IN $refs
RETURN collect(DISTINCT n.id) AS ids
"""
ERASE_RECORDS = """
MATCH (r:SourceRecord)
WHERE r.ref IN $refs
DETACH DELETE r
RETURN count(*) AS n
"""
ERASE_ORPHANS = """
MATCH (n:Organisation|Premises)
WHERE n.id IN $ids AND NOT EXISTS { MATCH (:SourceRecord)-[:DESCRIBES]->(n) }
DETACH DELETE n
RETURN count(*) AS n
"""
# what the engagement record holds about them: engagements with them (from a source or logged in the web
# app, found by their link or the ID they name; one that also named an organisation goes too: it names them)
# and their survey answers
ERASE_ENGAGEMENT_RECORD = """
CALL () {
  MATCH (e:Engagement) WHERE e.contact_id = $id OR EXISTS { (e)-[:ENGAGED]->(:Contact {id: $id}) }
  DETACH DELETE e RETURN count(*) AS engagements
}
CALL () {
  MATCH (r:SurveyResponse) WHERE r.contact_id = $id OR EXISTS { (r)-[:RESPONDED_BY]->(:Contact {id: $id}) }
  DETACH DELETE r RETURN count(*) AS surveys
}
RETURN engagements + surveys AS n
"""
# what the reports kept of the contact (graph.reports), before the contact goes
ERASE_REPORT_FIGURES = """
OPTIONAL MATCH (f:ReportContact {contact_id: $id})
DETACH DELETE f
WITH count(f) AS n
OPTIONAL MATCH (r:SurveyResponse)-[:RESPONDED_BY]->(:Contact {id: $id})
SET r.respondent_restricted = null, r.directorates = null, r.categories = null, r.wards = null, r.sectors = null
RETURN n
"""
ERASE_CONTACT = """
MATCH (c:Contact {id: $id})
DETACH DELETE c
RETURN count(*) AS n
"""
REDACT_DECISIONS = """
MATCH (d:MergeDecision)
WHERE d.contact_id = $id OR any(ref IN d.refs WHERE ref IN $refs)
SET d.revoked_why = CASE WHEN d.revoked_at IS NULL THEN $reason ELSE $blank END
SET d.revoked_by = coalesce(d.revoked_by, $who), d.revoked_at = coalesce(d.revoked_at, $at),
    d.value = null, d.why = $blank, d.erased_at = $at
RETURN count(d) AS n
"""
MARK_ERASED = """
MERGE (e:EntityId {id: $id})
ON CREATE SET e.entity_type = 'contact', e.minted_at = $at
SET e.status = 'erased', e.merged_into = null, e.former_refs = [], e.ended_at = $at
MERGE (ev:IdentityEvent {id: $event_id})
SET ev.kind = 'erased', ev.entity_type = 'contact', ev.entity_id = $id, ev.related_ids = [], ev.refs = [],
    ev.at = $at, ev.run = '', ev.order = 0
"""
# the next sync must load in full, whatever its fingerprint says
FORGET_FINGERPRINT = "MATCH (s:SyncState {name: $name}) SET s.fingerprint = null"
