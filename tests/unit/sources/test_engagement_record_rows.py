"""Rows of the engagement record's kinds (data contract section 8): headers matched by the contract's
synonyms, values normalised, and an unusable row quarantined with the field and the problem named."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from sources.headers import map_headers, missing_required
from sources.load import load_source
from sources.model import SourceSpec
from sources.normalise.engagement import name_key, parse_engagement_type, parse_score


def _load(tmp_path: Path, kind: str, text: str, directorate: str | None = None):
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    return load_source(SourceSpec(name=kind, kind=kind, path=path, directorate=directorate, label=path.name))


def test_a_diary_is_read_under_the_contracts_headers_and_title_is_its_subject():
    mapping = map_headers(["Meeting date", "Activity", "Logged by", "Name", "E-mail", "Company", "Title",
                           "Concerns", "Outcome"], "engagements")
    assert mapping.columns == {"date": 0, "engagement_type": 1, "officer": 2, "full_name": 3, "email": 4,
                               "organisation": 5, "subject": 6, "issues": 7, "notes": 8}
    assert mapping.unknown == []


@pytest.mark.parametrize(("kind", "headers", "missing"), [
    ("engagements", ["Officer", "Name"], ["date"]),
    ("engagements", ["Date", "Subject"], ["who was engaged: full_name, organisation, email or mobile"]),
    ("surveys", ["Date", "Comment"], ["score"]),
    ("groups", ["Name"], ["group"]),
    ("sectors", ["Organisation", "Hub"], ["sector"]),
])
def test_a_file_without_a_required_column_says_which(kind, headers, missing):
    assert missing_required(kind, map_headers(headers, kind).columns) == missing


@pytest.mark.parametrize(("raw", "expected"), [
    ("Meeting", ("meeting", None)), ("phone call", ("call", None)), ("CALLS", ("call", None)), (None, ("other", None)),
    ("séance", ("other", "'séance' is not an engagement type (meeting, call, briefing, visit, email, newsletter, "
                         "event, other); kept as other")),
])
def test_engagement_types(raw, expected):
    assert parse_engagement_type(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("5", 5), ("1", 1), ("4.0", 4), ("Very satisfied", 5), ("neutral", 3), ("very  dissatisfied", 1),
])
def test_scores_from_numbers_and_words(raw, expected):
    assert parse_score(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["0", "6", "7", "3.5", "excellent"])
def test_a_score_out_of_range_is_a_problem(raw):
    value, problem = parse_score(raw)
    assert value is None and problem.startswith(repr(raw))


def test_group_sector_and_hub_names_match_whatever_their_case_and_spacing():
    assert name_key("  Sister   BANKS ") == name_key("sister banks") == "sister banks"


def test_bad_engagement_rows_are_quarantined_naming_row_and_field(tmp_path):
    tomorrow = (date.today() + timedelta(days=1)).strftime("%d/%m/%Y")
    batch = _load(tmp_path, "engagements", "Engagement ID,Date,Type,Name,Organisation\n"
                                           f"E1,{tomorrow},Meeting,Ann Lee,\n"
                                           "E2,01/02/2025,Meeting,,\n"
                                           "E3,,Call,Ann Lee,\n"
                                           "E4,01/02/2025,Seance,Ann Lee,\n", directorate="Cyber")
    reasons = dict(zip(batch.quarantine["record_id"], batch.quarantine["reason"], strict=True))
    assert reasons["E1"] == f"date: '{tomorrow}' is in the future (after {date.today().isoformat()})"
    assert reasons["E2"] == "names nobody: an engagement needs the person or organisation engaged"
    assert reasons["E3"] == "no date"
    assert list(batch.rows["record_id"]) == ["E4"]
    kept = batch.rows.iloc[0]
    assert kept["engagement_type"] == "other" and kept["directorate"] == "Cyber"
    assert kept["flags"] == ["engagement_type: 'Seance' is not an engagement type (meeting, call, briefing, visit, "
                             "email, newsletter, event, other); kept as other"]
    assert len(batch.rows) + len(batch.quarantine) == batch.rows_read == 4


def test_a_diary_column_names_the_directorate_before_the_manifest_does(tmp_path):
    batch = _load(tmp_path, "engagements", "Date,Name,Directorate\n01/02/2025,Ann Lee,Cyber\n01/02/2025,Bo Li,\n",
                  directorate="Economic Crime")
    assert list(batch.rows["directorate"]) == ["Cyber", "Economic Crime"]


def test_bad_survey_sector_and_group_rows(tmp_path):
    surveys = _load(tmp_path, "surveys", "Response ID,Submitted,Rating\nS1,2025-01-02,7\nS2,2025-01-02,\n"
                                         "S3,2025-01-02,satisfied\n")
    assert dict(zip(surveys.quarantine["record_id"], surveys.quarantine["reason"], strict=True)) == {
        "S1": "score: '7' is out of range (scores run from 1 to 5, 5 best)", "S2": "no score"}
    assert list(surveys.rows["score"]) == [4]  # naming nobody, the response stays: anonymous
    sectors = _load(tmp_path, "sectors", "Organisation,Sector,Sector lead,Name\nAcme Ltd,,yes,Ann Lee\n"
                                         "Acme Ltd,Retail,yes,\n,Retail,no,\n")
    assert list(sectors.quarantine["reason"]) == [
        "no sector: a sector lead row needs the sector led",
        "sector_lead: yes, but the row names no person to lead",
        "names nobody: a sector row needs the organisation in the sector"]
    groups = _load(tmp_path, "groups", "Group,Organisation,Name,Priority stakeholder\n,Acme Ltd,,yes\n"
                                       "CoLCPA,Acme Ltd,,maybe\n")
    assert list(groups.quarantine["reason"]) == ["no group"]
    assert groups.rows.iloc[0]["priority_stakeholder"] is False
    assert groups.rows.iloc[0]["flags"] == ["priority_stakeholder: 'maybe' is not yes or no"]
