"""The answers for the engagement record, beside truth.csv: who each diary, group, sector and survey row
is really about, and what the graph should make of them. The pipeline never reads these files.

Columns (ids are the population's, as in truth.csv and people.csv; flags are true/false):

- engagement_truth.csv: source, record_id, directorate, date (ISO), engagement_type, about (person,
  organisation, person_and_organisation, or nobody: the row names no one the graph knows), person_id,
  organisation_id, issues (canonical, ";"-separated)
- group_truth.csv: source, record_id, group (canonical name), priority_stakeholder, person_id (a person's
  row) or organisation_id (an organisation's row)
- group_members.csv: group, priority_stakeholder, person_id, organisation_id (the organisation the
  person is a member through; blank when their own row makes them one); one line per route
- sector_truth.csv: source, record_id, organisation_id, sector, hub (canonical names), sector_lead,
  person_id (the person on a lead's or deputy's row)
- survey_truth.csv: source, record_id, date (ISO), score (1..5), question, respondent (contact,
  anonymous, or unknown: names someone no source has, so counted as anonymous), person_id
"""

from __future__ import annotations

from pathlib import Path

from synthetic.engagement_record import EngagementTruth
from synthetic.known_world import KnownWorld
from synthetic.record_tables import RecordTable
from synthetic.sectors import SectorRowTruth
from synthetic.stakeholder_groups import GroupRowTruth
from synthetic.surveys import SurveyTruth
from synthetic.writer import write_csv

ENGAGEMENT_TRUTH_HEADER = ["source", "record_id", "directorate", "date", "engagement_type", "about", "person_id",
                           "organisation_id", "issues"]
GROUP_TRUTH_HEADER = ["source", "record_id", "group", "priority_stakeholder", "person_id", "organisation_id"]
GROUP_MEMBERS_HEADER = ["group", "priority_stakeholder", "person_id", "organisation_id"]
SECTOR_TRUTH_HEADER = ["source", "record_id", "organisation_id", "sector", "hub", "sector_lead", "person_id"]
SURVEY_TRUTH_HEADER = ["source", "record_id", "date", "score", "question", "respondent", "person_id"]


def _flag(value: bool) -> str:
    return "true" if value else "false"


def write_engagement_truth(out_dir: Path, tables: list[RecordTable[EngagementTruth]]) -> None:
    lines: list[list[object] | None] = []
    for table in tables:
        for row in table.rows:
            t = row.truth
            lines.append([table.dialect.source, row.record_id, t.directorate, t.day.isoformat(), t.engagement_type,
                          t.mention.about, t.mention.person_id, t.mention.organisation_id, ";".join(t.issues)])
    write_csv(out_dir / "engagement_truth.csv", ENGAGEMENT_TRUTH_HEADER, lines)


def write_group_truth(out_dir: Path, tables: list[RecordTable[GroupRowTruth]], world: KnownWorld) -> None:
    """group_truth.csv row by row, and group_members.csv: each member person by each route."""
    lines: list[list[object] | None] = []
    members: list[list[object] | None] = []
    seen: set[tuple[str, str, str]] = set()
    for table in tables:
        for row in table.rows:
            t = row.truth
            lines.append([table.dialect.source, row.record_id, t.group, _flag(t.priority_stakeholder),
                          t.mention.person_id, t.mention.organisation_id])
            if t.mention.person_id:
                routes = [(t.mention.person_id, "")]
            else:
                organisation_id = t.mention.organisation_id
                routes = [(p.person_id, organisation_id) for p in world.staff.get(organisation_id, [])]
            for person_id, through in routes:
                if (t.group, person_id, through) not in seen:
                    seen.add((t.group, person_id, through))
                    members.append([t.group, _flag(t.priority_stakeholder), person_id, through])
    write_csv(out_dir / "group_truth.csv", GROUP_TRUTH_HEADER, lines)
    write_csv(out_dir / "group_members.csv", GROUP_MEMBERS_HEADER, members)


def write_sector_truth(out_dir: Path, tables: list[RecordTable[SectorRowTruth]]) -> None:
    lines: list[list[object] | None] = []
    for table in tables:
        for row in table.rows:
            t = row.truth
            lines.append([table.dialect.source, row.record_id, t.organisation_id, t.sector, t.hub,
                          _flag(t.sector_lead), t.person_id])
    write_csv(out_dir / "sector_truth.csv", SECTOR_TRUTH_HEADER, lines)


def write_survey_truth(out_dir: Path, tables: list[RecordTable[SurveyTruth]]) -> None:
    lines: list[list[object] | None] = []
    for table in tables:
        for row in table.rows:
            t = row.truth
            lines.append([table.dialect.source, row.record_id, t.day.isoformat(), t.score, t.question, t.respondent,
                          t.person_id])
    write_csv(out_dir / "survey_truth.csv", SURVEY_TRUTH_HEADER, lines)
