"""The CSSC cascade (data contract section 9): for each sector, its hub, the leads a message goes to and
how many organisations and people each lead passes it on to (pure: Cypher text; the store runs it).

Restricted contacts are filtered here: for a role that may not see them, a restricted lead is not a lead
and a restricted person is not counted.
"""

from __future__ import annotations

from .audience import channel_condition

_VISIBLE = "($spoc OR NOT coalesce(c.restricted, false))"


def cascade_query(channel: str) -> str:
    """One row per sector chosen by ``$sectors`` (every sector when empty): key, name, hub_key, hub, leads
    (id, name, organisation, priority_stakeholder, reachable on ``channel``, works_here: for an organisation
    of the sector), organisations (in the sector) and people (at those organisations, reachable on
    ``channel``, its leads aside)."""
    reach = channel_condition(channel)
    # people: everyone reachable at the sector's organisations, less the leads among them (cheaper than
    # asking each of them whether they lead it)
    return f"""
MATCH (s:Sector) WHERE size($sectors) = 0 OR s.key IN $sectors
OPTIONAL MATCH (s)-[:IN_HUB]->(h:Hub)
CALL (s) {{
  OPTIONAL MATCH (c:Contact)-[:LEADS]->(s) WHERE {_VISIBLE}
  WITH c ORDER BY c.name, c.id
  RETURN collect(c {{.id, .name, .organisation, priority_stakeholder: coalesce(c.priority_stakeholder, false),
                     reachable: coalesce({reach}, false),
                     works_here: EXISTS {{ (c)-[:WORKS_FOR]->(:Organisation)-[:IN_SECTOR]->(s) }}}}) AS leads
}}
CALL (s) {{
  OPTIONAL MATCH (o:Organisation)-[:IN_SECTOR]->(s)
  RETURN count(DISTINCT o) AS organisations
}}
CALL (s) {{
  OPTIONAL MATCH (c:Contact)-[:WORKS_FOR]->(:Organisation)-[:IN_SECTOR]->(s)
  WHERE {_VISIBLE} AND {reach}
  RETURN count(DISTINCT c) AS reachable
}}
RETURN s.key AS key, s.name AS name, h.key AS hub_key, h.name AS hub, leads, organisations,
       reachable - size([lead IN leads WHERE lead.reachable AND lead.works_here]) AS people
ORDER BY hub, name, key
"""
