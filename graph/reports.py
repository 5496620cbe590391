"""The Cypher behind the satisfaction and engagement reports, and the store methods that run it.

The queries count; they never share out or round (``reports`` does, in plain Python). Every value is a
parameter; the only text that varies is the grouping, picked from ``GROUPINGS`` by name. Restricted
contacts are filtered here, by ``$restricted_ok``: for a role that may not see them they do not exist, not
as a stakeholder, not as a respondent, not in any count.

A page has 300 ms, and a report reads every contact (100,000 of them in the benchmark) or every survey
response. A contact node is heavy (thirty properties, its field provenance a few kB), so what the reports
group and filter by is kept apart, worked out by the load once its sweep is done (``refresh_report_fields``,
the same statements for the benchmark's graph):

- ``Organisation.last_engaged_directly``: the day of its last engagement;
- ``(:ReportContact {contact_id})``, one per contact: ``restricted``, ``priority_stakeholder``,
  ``last_engaged_directly``, ``last_engaged`` (directly or through an organisation it works for),
  ``directorates``, ``categories``, ``wards`` (of the postcodes it is located in), ``sectors`` (of the
  organisations it works for) and ``groups`` (its own and its organisations');
- ``SurveyResponse.respondent_restricted`` (null when no contact responded) and the respondent's
  ``directorates``, ``categories``, ``wards`` and ``sectors``.

A report as of today reads those as they are; only a contact whose last engagement is after an earlier
as-of date is worked out again from its engagements up to that date. ``stakeholders forget`` removes the
contact's figures with it (``graph.data_subject.ERASE_REPORT_FIGURES``).

Mixed into ``store.GraphStore`` (``_read`` and ``driver`` are the store's).
"""

from __future__ import annotations

from collections.abc import Sequence

from kernel.errors import UsageError

NONE = "(none)"
ANONYMOUS = "(anonymous)"
VISIBLE = "(coalesce(c.restricted, false) = false OR $restricted_ok)"
SHOWN = "(f.restricted = false OR $restricted_ok)"  # the same, for a contact's figures
# The list property a contact's figures (or a response) are counted under: a contact in two directorates counts
# in both.
GROUPINGS = {"directorate": "directorates", "category": "categories", "ward": "wards", "sector": "sectors",
             "group": "groups"}

REFRESH_ORGANISATIONS = """
MATCH (o:Organisation)
CALL (o) {
  OPTIONAL MATCH (o)<-[:ENGAGED]-(e:Engagement)
  WITH o, max(e.date) AS last
  SET o.last_engaged_directly = last
} IN TRANSACTIONS OF 10000 ROWS
"""
REFRESH_CONTACTS = """
MATCH (c:Contact)
CALL (c) {
  OPTIONAL MATCH (c)<-[:ENGAGED]-(e:Engagement)
  WITH c, max(e.date) AS direct
  OPTIONAL MATCH (c)-[:WORKS_FOR]->(o:Organisation)
  WITH c, direct, max(o.last_engaged_directly) AS through
  MERGE (f:ReportContact {contact_id: c.id})
  SET f.restricted = coalesce(c.restricted, false), f.priority_stakeholder = coalesce(c.priority_stakeholder, false),
      f.last_engaged_directly = direct,
      f.last_engaged = CASE WHEN direct IS NULL OR through > direct THEN through ELSE direct END,
      f.directorates = coalesce(c.directorates, []), f.categories = coalesce(c.categories, []),
      f.wards = COLLECT { MATCH (c)-[:LOCATED_IN]->(:Postcode)-[:IN_WARD]->(w:Ward)
                          RETURN DISTINCT w.name AS name ORDER BY name },
      f.sectors = COLLECT { MATCH (c)-[:WORKS_FOR]->(:Organisation)-[:IN_SECTOR]->(s:Sector)
                            RETURN DISTINCT s.name AS name ORDER BY name },
      f.groups = COLLECT { MATCH (c)-[:MEMBER_OF]->(g:Group) RETURN g.name AS name
                           UNION MATCH (c)-[:WORKS_FOR]->(:Organisation)-[:MEMBER_OF]->(g:Group) RETURN g.name AS name }
} IN TRANSACTIONS OF 10000 ROWS
"""
REMOVE_GONE_CONTACTS = """
MATCH (f:ReportContact)
WHERE NOT EXISTS { MATCH (:Contact {id: f.contact_id}) }
CALL (f) { DELETE f } IN TRANSACTIONS OF 10000 ROWS
"""
REFRESH_RESPONSES = """
MATCH (r:SurveyResponse)
CALL (r) {
  OPTIONAL MATCH (r)-[:RESPONDED_BY]->(c:Contact)
  OPTIONAL MATCH (f:ReportContact {contact_id: c.id})
  SET r.respondent_restricted = f.restricted, r.directorates = f.directorates, r.categories = f.categories,
      r.wards = f.wards, r.sectors = f.sectors
} IN TRANSACTIONS OF 10000 ROWS
"""
# The refresh, in order; its text is part of the load's fingerprint (graph.load_plan.plan_fingerprint).
REFRESH = (REFRESH_ORGANISATIONS, REFRESH_CONTACTS, REMOVE_GONE_CONTACTS, REFRESH_RESPONSES)
REPORT_FIELDS = "".join(REFRESH)


def _groups(group_by: str, node: str) -> str:
    """The groups ``node`` counts in: its list for the grouping, ["(none)"] when empty; [""] ungrouped."""
    if not group_by:
        return "['']"
    if group_by not in GROUPINGS:
        raise UsageError(f"unknown grouping {group_by!r}; the groupings are: {', '.join(GROUPINGS)}")
    values = f"coalesce({node}.{GROUPINGS[group_by]}, [])"
    return f"CASE WHEN size({values}) = 0 THEN ['{NONE}'] ELSE {values} END"


def satisfaction_query(group_by: str) -> str:
    """Survey responses dated ``$since``..``$until`` counted per period (``$periods``: day -> period, every
    day of that span) and group: responses, the sum of their scores, how many scored ``$satisfied`` or
    more, how many were anonymous. Grouped, anonymous responses fall in ``(anonymous)``. A named response
    counts only while its respondent is a contact the role may see."""
    groups = _groups(group_by, "r")
    if group_by:
        groups = f"CASE WHEN r.anonymous THEN ['{ANONYMOUS}'] ELSE {groups} END"
    return f"""
MATCH (r:SurveyResponse)
WHERE r.date >= $since AND r.date <= $until
  AND (r.anonymous OR r.respondent_restricted = false OR (r.respondent_restricted AND $restricted_ok))
WITH r, $periods[r.date] AS period, {groups} AS groups
UNWIND groups AS grp
RETURN period, grp, count(*) AS responses, sum(r.score) AS score_total,
       count(CASE WHEN r.score >= $satisfied THEN 1 END) AS satisfied,
       count(CASE WHEN r.anonymous THEN 1 END) AS anonymous
"""


# The first and last day a survey response is dated (the range index on SurveyResponse.date answers).
SURVEY_SPAN = """
CALL () { MATCH (r:SurveyResponse) WHERE r.date IS NOT NULL RETURN r.date AS first ORDER BY r.date LIMIT 1 }
CALL () { MATCH (r:SurveyResponse) WHERE r.date IS NOT NULL RETURN r.date AS last ORDER BY r.date DESC LIMIT 1 }
RETURN first, last
"""


# A contact's last engagement on or before $as_of, worked out from its engagements (for a contact whose
# last engagement, as kept, is later than $as_of): ``direct`` and ``through``, the later of them ``LATER``.
_ENGAGED_AS_OF = """
  OPTIONAL MATCH (c)<-[:ENGAGED]-(e:Engagement) WHERE e.date <= $as_of
  WITH f, c, max(e.date) AS direct
  OPTIONAL MATCH (c)-[:WORKS_FOR]->(:Organisation)<-[:ENGAGED]-(e:Engagement) WHERE e.date <= $as_of
  WITH f, c, direct, max(e.date) AS through
"""
LATER = "CASE WHEN direct IS NULL OR through > direct THEN through ELSE direct END"


def coverage_queries(group_by: str) -> tuple[str, str]:
    """Contacts counted per group and by how many of the windows (``$since``: each window's first day, the
    widest first) their last engagement on or before ``$as_of`` falls in: 0 (none, or before every window)
    .. len($since). Two queries, whose counts add up: the contacts whose last engagement, as kept, is not
    after ``$as_of`` (everyone, as of today), and the others, worked out again (the index on
    ``ReportContact.last_engaged`` finds them)."""
    count = f"""
WITH {_groups(group_by, "f")} AS groups, size([s IN $since WHERE last >= s]) AS windows, count(*) AS contacts
UNWIND groups AS grp
RETURN grp, windows, sum(contacts) AS contacts
"""
    as_kept = f"""
MATCH (f:ReportContact)
WHERE coalesce(f.last_engaged <= $as_of, true) AND {SHOWN}
WITH f, f.last_engaged AS last
{count}"""
    worked_out = f"""
MATCH (f:ReportContact)
WHERE f.last_engaged > $as_of AND {SHOWN}
MATCH (c:Contact {{id: f.contact_id}})
{_ENGAGED_AS_OF}
WITH f, {LATER} AS last
{count}"""
    return as_kept, worked_out


PRIORITY_STAKEHOLDERS = f"""
CALL () {{
  MATCH (f:ReportContact {{priority_stakeholder: true}})
  WHERE {SHOWN}
  MATCH (c:Contact {{id: f.contact_id}})
  CALL (f, c) {{
    WITH f WHERE coalesce(f.last_engaged <= $as_of, true)
    RETURN f.last_engaged AS last
    UNION
    WITH f, c WHERE f.last_engaged > $as_of
    {_ENGAGED_AS_OF}
    RETURN {LATER} AS last
  }}
  RETURN 'contact' AS kind, c.id AS id, c.name AS name, last,
         COLLECT {{ MATCH (c)-[:WORKS_FOR]->(o:Organisation) RETURN o.name AS name ORDER BY name }} AS organisations,
         f.groups AS groups
  UNION ALL
  MATCH (o:Organisation {{priority_stakeholder: true}})
  CALL (o) {{
    OPTIONAL MATCH (o)<-[:ENGAGED]-(e:Engagement) WHERE e.date <= $as_of
    RETURN max(e.date) AS direct
  }}
  CALL (o) {{
    OPTIONAL MATCH (o)<-[:WORKS_FOR]-(c:Contact)<-[:ENGAGED]-(e:Engagement) WHERE e.date <= $as_of AND {VISIBLE}
    RETURN max(e.date) AS through
  }}
  RETURN 'organisation' AS kind, o.id AS id, o.name AS name, {LATER} AS last, [] AS organisations,
         COLLECT {{ MATCH (o)-[:MEMBER_OF]->(g:Group) RETURN g.name AS name }} AS groups
}}
WITH kind, id, name, last, organisations, groups
WHERE last IS NULL OR last < $since
RETURN kind, id, name, last, organisations, groups
"""


class ReportQueries:
    """The report methods of the graph store."""

    def refresh_report_fields(self) -> None:
        """Work out what the reports read (the module docstring) again from the graph as it stands: the
        load does, after its sweep; so must anything else that adds or removes an engagement, a place, a
        membership or a survey response."""
        with self.driver.session(database=self.database) as session:
            for statement in REFRESH:
                session.run(statement).consume()

    def survey_span(self) -> tuple[str, str] | None:
        """The first and last day (ISO) of the survey responses; None when there is none."""
        rows = self._read(SURVEY_SPAN)
        return (rows[0]["first"], rows[0]["last"]) if rows else None

    def satisfaction_counts(self, group_by: str, periods: dict[str, str], satisfied: int,
                            can_see_restricted: bool) -> list[dict]:
        """Rows of ``period``, ``grp``, ``responses``, ``score_total``, ``satisfied``, ``anonymous`` for the
        responses of the days ``periods`` (day -> period) names."""
        if not periods:
            return []
        return self._read(satisfaction_query(group_by), since=min(periods), until=max(periods), periods=periods,
                          satisfied=satisfied, restricted_ok=can_see_restricted)

    def coverage_counts(self, group_by: str, as_of: str, since: Sequence[str],
                        can_see_restricted: bool) -> list[dict]:
        """Rows of ``grp``, ``windows`` (how many of the windows starting on ``since`` the contacts' last
        engagement falls in) and ``contacts``; a group and ``windows`` may come in two rows, to add up."""
        return [row for query in coverage_queries(group_by)
                for row in self._read(query, as_of=as_of, since=list(since), restricted_ok=can_see_restricted)]

    def unengaged_priority_stakeholders(self, as_of: str, since: str, can_see_restricted: bool) -> list[dict]:
        """The priority contacts and organisations whose last engagement on or before ``as_of`` is before
        ``since``, or who were never engaged: ``kind``, ``id``, ``name``, ``last`` (None: never),
        ``organisations``, ``groups``."""
        return self._read(PRIORITY_STAKEHOLDERS, as_of=as_of, since=since, restricted_ok=can_see_restricted)
