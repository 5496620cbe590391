"""The committed sample's engagement record through the real `stakeholders sync`, checked against the
generator's truth (sample/*_truth.csv, sample/group_members.csv): every row lands on the person or
organisation it is really about, or nowhere when it names nobody the lists hold."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from .cli_helpers import Cli

pytestmark = pytest.mark.neo4j
SAMPLE = Path(__file__).resolve().parents[2] / "sample"


def _truth(name: str) -> list[dict]:
    with (SAMPLE / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _query(driver, text: str) -> list[dict]:
    records, _, _ = driver.execute_query(text)
    return [r.data() for r in records]


@pytest.fixture
def synced(capsys, monkeypatch, neo4j_connection, neo4j_driver, tmp_path):
    monkeypatch.delenv("STAKEHOLDERS_POSTCODES_API", raising=False)
    cli = Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")
    result = cli("sync", "--manifest", str(SAMPLE / "manifest.yaml"))
    assert result.code == 0, result.err
    return SimpleNamespace(cli=cli, driver=neo4j_driver)


def _people_of_contacts(driver) -> dict[str, set[str]]:
    """contact ID -> the generator's person IDs of its source rows."""
    person = {(r["source"], r["record_id"]): r["person_id"] for r in _truth("truth.csv")}
    found: dict[str, set[str]] = {}
    for row in _query(driver, "MATCH (r:SourceRecord)-[:DESCRIBES]->(c:Contact) "
                              "RETURN c.id AS id, r.source AS source, r.record_id AS record_id"):
        if (row["source"], row["record_id"]) in person:
            found.setdefault(row["id"], set()).add(person[(row["source"], row["record_id"])])
    return found


def test_engagements_and_responses_land_on_the_people_they_are_about(synced):
    synced = synced.driver
    people = _people_of_contacts(synced)
    loaded = {r["ref"]: r["contact_id"] for r in _query(synced, "MATCH (e:Engagement) "
                                                                "RETURN e.ref AS ref, e.contact_id AS contact_id")}
    right = wrong = missed = 0
    for row in _truth("engagement_truth.csv"):
        ref = f"{row['source']}:{row['record_id']}"
        if row["about"] == "nobody":
            assert ref not in loaded, f"{ref} names nobody the lists hold, yet was loaded"
        elif row["person_id"]:
            contact = loaded.get(ref) or ""
            if not contact:
                missed += 1
            elif row["person_id"] in people.get(contact, set()):
                right += 1
            else:
                wrong += 1
    assert wrong == 0
    assert right >= 0.97 * (right + missed), (right, missed)

    responses = {r["ref"]: r for r in _query(synced, "MATCH (r:SurveyResponse) RETURN r.ref AS ref, "
                                                     "r.contact_id AS contact_id, r.score AS score")}
    truth = _truth("survey_truth.csv")
    assert len(responses) == len(truth)
    for row in truth:
        response = responses[f"{row['source']}:{row['record_id']}"]
        assert response["score"] == int(row["score"])
        if row["respondent"] == "contact":
            assert response["contact_id"] == "" or row["person_id"] in people[response["contact_id"]]
        else:  # anonymous, or someone no list holds: kept as anonymous
            assert response["contact_id"] == ""


def test_groups_and_sector_leads_are_the_true_ones(synced):
    synced = synced.driver
    people = _people_of_contacts(synced)
    members = _query(synced, """
        MATCH (g:Group)
        CALL (g) { MATCH (c:Contact)-[:MEMBER_OF]->(g) RETURN c
                   UNION MATCH (c:Contact)-[:WORKS_FOR]->(:Organisation)-[:MEMBER_OF]->(g) RETURN c }
        RETURN g.name AS group, g.priority_stakeholder AS priority, collect(DISTINCT c.id) AS contacts""")
    truth: dict[str, set[str]] = {}
    priority: dict[str, bool] = {}
    for row in _truth("group_members.csv"):
        truth.setdefault(row["group"].lower(), set()).add(row["person_id"])
        priority[row["group"].lower()] = row["priority_stakeholder"] == "true"
    found_members = truth_members = 0
    for group in members:  # names as the lists spell them: "Sister Banks" on one, "Sister banks" on another
        group["group"] = group["group"].lower()
        found = set().union(*(people.get(c, set()) for c in group["contacts"]))
        assert found <= truth[group["group"]], group["group"]  # nobody who is not a member
        assert group["priority"] == priority[group["group"]]
        found_members, truth_members = found_members + len(found), truth_members + len(truth[group["group"]])
    assert {g["group"] for g in members} == set(truth)  # "CoLCPA" on one list is the association of another
    assert found_members >= 0.9 * truth_members, (found_members, truth_members)
    assert {"city of london crime prevention association", "police committee", "sister banks"} <= {
        g["group"] for g in members if g["priority"]}

    leads = _query(synced, "MATCH (c:Contact)-[:LEADS]->(s:Sector) RETURN s.name AS sector, c.id AS contact")
    true_leads = {(r["sector"], r["person_id"]) for r in _truth("sector_truth.csv") if r["sector_lead"] == "true"}
    found_leads = {(row["sector"], person) for row in leads for person in people[row["contact"]]}
    assert found_leads <= true_leads
    assert len(found_leads) >= 0.9 * len(true_leads)


def _one_decimal(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def test_the_satisfaction_report_adds_up_the_true_responses(synced):
    result = synced.cli("report", "satisfaction", "--by", "month", "--role", "spoc", "--format", "json")
    assert result.code == 0, result.err
    by_month = {row["period"]: row for row in result.json()}
    truth: dict[str, list[dict]] = defaultdict(list)
    for row in _truth("survey_truth.csv"):
        truth[row["date"][:7]].append(row)
    assert {p for p, row in by_month.items() if row["responses"]} == set(truth)
    for month, rows in truth.items():
        scores = [int(r["score"]) for r in rows]
        report = by_month[month]
        assert report["responses"] == len(scores), month
        assert report["mean_score"] == _one_decimal(sum(scores) / len(scores)), month
        assert report["satisfied"] == sum(score >= 4 for score in scores), month
        # a response from someone no list holds is counted as anonymous, like one naming nobody
        assert report["anonymous"] == sum(r["respondent"] != "contact" for r in rows), month


def test_the_coverage_report_counts_at_least_the_people_truly_engaged(synced):
    as_of = dt.date(2025, 7, 1)  # the generator's --today for the sample
    result = synced.cli("report", "engagement", "--as-of", as_of.isoformat(), "--role", "spoc", "--format", "json")
    assert result.code == 0, result.err
    [overall] = result.json()
    people = _people_of_contacts(synced.driver)
    contact_of = {person: contact for contact, persons in people.items() for person in persons}
    for days in (30, 90, 365):
        since = as_of - dt.timedelta(days=days)
        engaged = {contact_of[r["person_id"]] for r in _truth("engagement_truth.csv")
                   if r["person_id"] in contact_of and since <= dt.date.fromisoformat(r["date"]) <= as_of}
        # those engaged themselves; the people of organisations engaged are counted too, so there may be more
        assert len(engaged) <= overall[f"engaged_{days}d"] <= overall["stakeholders"], days
    assert overall["stakeholders"] == len(_query(synced.driver, "MATCH (c:Contact) RETURN c.id AS id"))
