"""The Cypher behind the satisfaction and engagement reports, and the store methods that run it.

The queries count; they never share out or round (``reports`` does, in plain Python). Every value is a
parameter, the grouping too (its name and the list property it reads, from ``GROUPINGS``). Restricted
contacts are filtered here, by ``$restricted_ok``: for a role that may not see them they do not exist, not
as a stakeholder, not as a respondent, not in any count.

A page has 300 ms, and a report covers every contact (100,000 of them in the benchmark) or every survey
response, whose nodes are heavy (a contact has thirty properties, its field provenance a few kB). So the
load, once its sweep is done, works out what the reports read (``refresh_report_fields``; the benchmark
runs the same statements):

- ``Organisation.last_engaged_directly``: the day of its last engagement;
- ``(:ReportContact {contact_id})``, one per contact: ``restricted``, ``priority_stakeholder``,
  ``last_engaged_directly``, ``last_engaged`` (directly or through an organisation it works for),
  ``directorates``, ``categories``, ``wards`` (of the postcodes it is located in), ``sectors`` (of the
  organisations it works for) and ``groups`` (its own and its organisations');
- ``SurveyResponse.respondent_restricted`` (null when no contact responded) and the respondent's
  ``directorates``, ``categories``, ``wards`` and ``sectors``;
- the counts a report adds up: ``(:CoverageCount {grouping, group, restricted, last_engaged, contacts})``,
  how many contacts of a group were last engaged on a day (``''``: never); ``(:SatisfactionCount
  {grouping, group, day, restricted, anonymous, scores})``, how many responses of a group on a day scored
  1, 2, 3, 4 and 5. The grouping ``''`` is everyone, in the group ``''``.

A report as of today adds those counts up; one as of an earlier date works out again, from its engagements
up to that date, the last engagement of each contact engaged after it. ``stakeholders forget`` removes the
contact's figures with it and counts again (``graph.data_subject.ERASE_REPORT_FIGURES``).

Mixed into ``store.GraphStore`` (``_read`` and ``driver`` are the store's).
"""

from __future__ import annotations

from collections.abc import Sequence

from kernel.errors import UsageError

NONE = "(none)"
ANONYMOUS = "(anonymous)"
VISIBLE = "(coalesce(c.restricted, false) = false OR $restricted_ok)"
SHOWN = "(f.restricted = false OR $restricted_ok)"  # the same, for a contact's figures
# Grouping -> the list property of a ReportContact (and a SurveyResponse) it counts by: a contact in two
# directorates counts in both. "" is no grouping.
GROUPINGS: dict[str, str | None] = {"": None, "directorate": "directorates", "category": "categories",
                                    "ward": "wards", "sector": "sectors", "group": "groups"}
RESPONSE_GROUPINGS = ("", "directorate", "category", "ward", "sector")  # what a response is counted by
_LABELS = {"none": NONE, "anonymous": ANONYMOUS}

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
      f.groups = COLLECT { CALL (c) { MATCH (c)-[:MEMBER_OF]->(g:Group) RETURN g.name AS name
                                      UNION MATCH (c)-[:WORKS_FOR]->(:Organisation)-[:MEMBER_OF]->(g:Group)
                                            RETURN g.name AS name }
                           RETURN name ORDER BY name }
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
CLEAR_COUNTS = """
MATCH (x) WHERE x:CoverageCount OR x:SatisfactionCount
CALL (x) { DELETE x } IN TRANSACTIONS OF 10000 ROWS
"""
# $groupings: [{name, property}], one transaction each
COUNT_CONTACTS = """
UNWIND $groupings AS g
CALL (g) {
  MATCH (f:ReportContact)
  WITH g, f, CASE WHEN g.property IS NULL THEN [''] WHEN size(f[g.property]) = 0 THEN [$none]
                  ELSE f[g.property] END AS groups
  UNWIND groups AS grp
  WITH g, grp, f.restricted AS restricted, coalesce(f.last_engaged, '') AS last, count(*) AS contacts
  CREATE (:CoverageCount {grouping: g.name, group: grp, restricted: restricted, last_engaged: last,
                          contacts: contacts})
} IN TRANSACTIONS OF 1 ROW
"""
# a named response counts only while its respondent is a contact (respondent_restricted is then set)
COUNT_RESPONSES = """
UNWIND $groupings AS g
CALL (g) {
  MATCH (r:SurveyResponse)
  WHERE r.anonymous OR r.respondent_restricted IS NOT NULL
  WITH g, r, CASE WHEN g.property IS NULL THEN [''] WHEN r.anonymous THEN [$anonymous]
                  WHEN size(coalesce(r[g.property], [])) = 0 THEN [$none] ELSE r[g.property] END AS groups
  UNWIND groups AS grp
  WITH g, grp, r.date AS day, coalesce(r.respondent_restricted, false) AS restricted, r.anonymous AS anonymous,
       count(CASE WHEN r.score = 1 THEN 1 END) AS s1, count(CASE WHEN r.score = 2 THEN 1 END) AS s2,
       count(CASE WHEN r.score = 3 THEN 1 END) AS s3, count(CASE WHEN r.score = 4 THEN 1 END) AS s4,
       count(CASE WHEN r.score = 5 THEN 1 END) AS s5
  CREATE (:SatisfactionCount {grouping: g.name, group: grp, day: day, restricted: restricted,
                              anonymous: anonymous, scores: [s1, s2, s3, s4, s5]})
} IN TRANSACTIONS OF 1 ROW
"""
FIELDS = (REFRESH_ORGANISATIONS, REFRESH_CONTACTS, REMOVE_GONE_CONTACTS, REFRESH_RESPONSES)
COUNTS = (CLEAR_COUNTS, COUNT_CONTACTS, COUNT_RESPONSES)
# Every statement of the refresh: part of the load's fingerprint (graph.load_plan.plan_fingerprint), so a graph
# loaded before they changed loads again.
REPORT_FIELDS = "".join(FIELDS + COUNTS)


def grouping(name: str) -> dict:
    """The parameters naming a grouping: ``grouping`` and the ``property`` it counts by."""
    if name not in GROUPINGS:
        raise UsageError(f"unknown grouping {name!r}; the groupings are: {', '.join(g for g in GROUPINGS if g)}")
    return {"grouping": name, "property": GROUPINGS[name]}


SATISFACTION = """
MATCH (x:SatisfactionCount {grouping: $grouping})
WHERE x.day >= $since AND x.day <= $until AND (x.restricted = false OR $restricted_ok)
RETURN $periods[x.day] AS period, x.group AS grp, x.anonymous AS anonymous,
       sum(x.scores[0]) AS score_1, sum(x.scores[1]) AS score_2, sum(x.scores[2]) AS score_3,
       sum(x.scores[3]) AS score_4, sum(x.scores[4]) AS score_5
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
# Contacts counted per group and by how many of the windows ($since: each window's first day, the widest first)
# their last engagement on or before $as_of falls in: 0 (none, or before every window) .. size($since). Two
# queries whose counts add up: those whose last engagement is not after $as_of (everyone, as of today), from
# the counts; and the others, worked out again (the index on ReportContact.last_engaged finds them).
COVERAGE_AS_KEPT = """
MATCH (x:CoverageCount {grouping: $grouping})
WHERE x.last_engaged <= $as_of AND (x.restricted = false OR $restricted_ok)
RETURN x.group AS grp, size([s IN $since WHERE x.last_engaged >= s]) AS windows, sum(x.contacts) AS contacts
"""
COVERAGE_WORKED_OUT = f"""
MATCH (f:ReportContact)
WHERE f.last_engaged > $as_of AND {SHOWN}
MATCH (c:Contact {{id: f.contact_id}})
{_ENGAGED_AS_OF}
WITH f, {LATER} AS last
WITH CASE WHEN $property IS NULL THEN [''] WHEN size(f[$property]) = 0 THEN [$none] ELSE f[$property] END AS groups,
     size([s IN $since WHERE last >= s]) AS windows, count(*) AS contacts
UNWIND groups AS grp
RETURN grp, windows, sum(contacts) AS contacts
"""

# Each stakeholder's last engagement first, its name, organisations and groups only for those left
PRIORITY_STAKEHOLDERS = f"""
CALL () {{
  MATCH (f:ReportContact {{priority_stakeholder: true}})
  WHERE {SHOWN}
  CALL (f) {{
    WITH f WHERE coalesce(f.last_engaged <= $as_of, true)
    RETURN f.last_engaged AS last
    UNION
    WITH f WHERE f.last_engaged > $as_of
    MATCH (c:Contact {{id: f.contact_id}})
    {_ENGAGED_AS_OF}
    RETURN {LATER} AS last
  }}
  WITH f, last WHERE last IS NULL OR last < $since
  MATCH (c:Contact {{id: f.contact_id}})
  RETURN 'contact' AS kind, c.id AS id, c.name AS name, last,
         COLLECT {{ MATCH (c)-[:WORKS_FOR]->(o:Organisation) RETURN o.name AS name ORDER BY name }} AS organisations,
         f.groups AS groups
  UNION ALL
  MATCH (o:Organisation {{priority_stakeholder: true}})
  CALL (o) {{
    WITH o WHERE coalesce(o.last_engaged_directly <= $as_of, true)
    RETURN o.last_engaged_directly AS direct
    UNION
    WITH o WHERE o.last_engaged_directly > $as_of
    OPTIONAL MATCH (o)<-[:ENGAGED]-(e:Engagement) WHERE e.date <= $as_of
    WITH o, max(e.date) AS direct  // grouped by o: no row at all for an organisation the WHERE left out
    RETURN direct
  }}
  CALL (o) {{
    MATCH (o)<-[:WORKS_FOR]-(c:Contact)
    MATCH (f:ReportContact {{contact_id: c.id}}) WHERE {SHOWN}
    CALL (f, c) {{
      WITH f WHERE coalesce(f.last_engaged_directly <= $as_of, true)
      RETURN f.last_engaged_directly AS last
      UNION
      WITH f, c WHERE f.last_engaged_directly > $as_of
      OPTIONAL MATCH (c)<-[:ENGAGED]-(e:Engagement) WHERE e.date <= $as_of
      WITH f, max(e.date) AS last
      RETURN last
    }}
    RETURN max(last) AS through
  }}
  WITH o, {LATER} AS last WHERE last IS NULL OR last < $since
  RETURN 'organisation' AS kind, o.id AS id, o.name AS name, last, [] AS organisations,
         COLLECT {{ MATCH (o)-[:MEMBER_OF]->(g:Group) RETURN g.name AS name }} AS groups
}}
RETURN kind, id, name, last, organisations, groups
"""


class ReportQueries:
    """The report methods of the graph store."""

    def refresh_report_fields(self) -> None:
        """Work out what the reports read (the module docstring) again from the graph as it stands: the
        load does, after its sweep; so must anything else that adds or removes an engagement, a place, a
        membership or a survey response."""
        with self.driver.session(database=self.database) as session:
            for statement in FIELDS:
                session.run(statement).consume()
        self.count_for_reports()

    def count_for_reports(self) -> None:
        """The counts the reports add up, again from the contacts' figures and the survey responses."""
        everything = [{"name": name, "property": prop} for name, prop in GROUPINGS.items()]
        for_responses = [g for g in everything if g["name"] in RESPONSE_GROUPINGS]
        with self.driver.session(database=self.database) as session:
            session.run(CLEAR_COUNTS).consume()
            session.run(COUNT_CONTACTS, groupings=everything, **_LABELS).consume()
            session.run(COUNT_RESPONSES, groupings=for_responses, **_LABELS).consume()

    def survey_span(self) -> tuple[str, str] | None:
        """The first and last day (ISO) of the survey responses; None when there is none."""
        rows = self._read(SURVEY_SPAN)
        return (rows[0]["first"], rows[0]["last"]) if rows else None

    def satisfaction_counts(self, group_by: str, periods: dict[str, str], can_see_restricted: bool) -> list[dict]:
        """Rows of ``period``, ``grp``, ``anonymous`` and ``score_1`` .. ``score_5`` (how many responses
        scored each) for the responses of the days ``periods`` (day -> period) names; a period and group may
        come twice, anonymous and not."""
        if not periods:
            return []
        return self._read(SATISFACTION, **grouping(group_by), since=min(periods), until=max(periods),
                          periods=periods, restricted_ok=can_see_restricted)

    def coverage_counts(self, group_by: str, as_of: str, since: Sequence[str],
                        can_see_restricted: bool) -> list[dict]:
        """Rows of ``grp``, ``windows`` (how many of the windows starting on ``since`` the contacts' last
        engagement falls in) and ``contacts``; a group and ``windows`` may come in two rows, to add up."""
        params = {**grouping(group_by), **_LABELS, "as_of": as_of, "since": list(since),
                  "restricted_ok": can_see_restricted}
        return [row for query in (COVERAGE_AS_KEPT, COVERAGE_WORKED_OUT) for row in self._read(query, **params)]

    def unengaged_priority_stakeholders(self, as_of: str, since: str, can_see_restricted: bool) -> list[dict]:
        """The priority contacts and organisations whose last engagement on or before ``as_of`` is before
        ``since``, or who were never engaged: ``kind``, ``id``, ``name``, ``last`` (None: never),
        ``organisations``, ``groups``."""
        return self._read(PRIORITY_STAKEHOLDERS, as_of=as_of, since=since, restricted_ok=can_see_restricted)
