"""The committed sample's engagement record through the real `stakeholders sync`, checked against the
generator's truth (sample/*_truth.csv, sample/group_members.csv): every row lands on the person or
organisation it is really about, or nowhere when it names nobody the lists hold."""

from __future__ import annotations

import csv
from pathlib import Path

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
    return neo4j_driver


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
