"""The engagement record's source kinds (data contract section 8) through the real `stakeholders sync`, and
the audience filters of section 9 on what they load: each row matched to the contact or organisation it
names, or quarantined saying why; every row accounted for; the filters choosing exactly the people they
should, and a value the graph does not know refused with the known ones listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .cli_helpers import Cli, write

pytestmark = pytest.mark.neo4j

CONTACTS = """Name,Organisation,Email,Mobile,Postcode,Email consent,SMS consent,Restricted,Category
Priya Raman,Threadneedle Bank plc,priya.raman@threadneedlebank.co.uk,07700900101,EC2R 8AH,yes,yes,no,business
Tom Okafor,Threadneedle Bank plc,tom.okafor@threadneedlebank.co.uk,07700900102,EC2R 8AH,yes,no,no,business
Helen Marsh,Lothbury Bank,helen.marsh@lothburybank.co.uk,07700900103,EC2R 7HJ,yes,yes,no,business
Gareth Price,Cheapside Retail Ltd,gareth.price@cheapsideretail.co.uk,07700900104,EC2V 6DN,yes,yes,no,business
Ruth Adeyemi,,ruth.adeyemi@example.org,07700900105,EC1A 4HD,yes,yes,no,resident
Sam Hidden,Lothbury Bank,sam.hidden@lothburybank.co.uk,07700900106,EC2R 7HJ,yes,yes,yes,business
"""
POSTCODES = """Postcode,Latitude,Longitude,Ward
EC2R 8AH,51.5142,-0.0885,Coleman Street
EC2R 7HJ,51.5146,-0.0890,Coleman Street
EC2V 6DN,51.5141,-0.0935,Cheap
EC1A 4HD,51.5180,-0.1000,Farringdon Within
"""
MOSAIC = """Postcode,Mosaic Type
EC2R 8AH,A01
EC2R 7HJ,A02
EC2V 6DN,B05
EC1A 4HD,O62
"""
ENGAGEMENTS = """Engagement ID,Date,Type,Officer,Name,Email,Organisation,Subject,Issues,Notes
E1,02/03/2025,Meeting,PC Wren,Priya Raman,priya.raman@threadneedlebank.co.uk,,Fraud briefing,fraud,Agreed a walk-through
E2,03/03/2025,Phone call,PC Wren,,tom.okafor@threadneedlebank.co.uk,,,,
E3,04/03/2025,Briefing,PS Hale,,,Lothbury Bank,Protest planning,protest,
E4,05/03/2025,Visit,PS Hale,Zebedee Quux,zq@nowhere.example,,,,
E5,05/03/2099,Visit,PS Hale,Priya Raman,,,,,
E6,06/03/2025,Meeting,PS Hale,,,Nonexistent Widgets plc,,,
"""
GROUPS = """Group,Organisation,Name,Email,Priority stakeholder
Sister banks,Threadneedle Bank plc,,,yes
Sister banks,Lothbury Bank,,,yes
CCTV owners,,Gareth Price,gareth.price@cheapsideretail.co.uk,no
,,Ruth Adeyemi,,no
"""
SECTORS = """Organisation,Sector,Hub,Sector lead,Name,Email
Threadneedle Bank plc,Finance,London,yes,Priya Raman,priya.raman@threadneedlebank.co.uk
Lothbury Bank,FINANCE ,London,no,,
Cheapside Retail Ltd,Retail,London,no,,
Nobody Ltd,Finance,London,no,,
Cheapside Retail Ltd,Retail,London,yes,Gareth Price,gareth.price@cheapsideretail.co.uk
"""
SURVEYS = """Response ID,Submitted,Rating,Question,Feedback,Email
S1,2025-03-01,5,How satisfied are you,Great,priya.raman@threadneedlebank.co.uk
S2,2025-03-02,very dissatisfied,How satisfied are you,Slow,
S3,2025-03-03,7,How satisfied are you,,
"""


@pytest.fixture
def cli(capsys, monkeypatch, neo4j_connection, neo4j_driver, tmp_path) -> Cli:
    monkeypatch.delenv("STAKEHOLDERS_POSTCODES_API", raising=False)
    return Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")


def _manifest(folder: Path) -> Path:
    for name, text in (("contacts.csv", CONTACTS), ("postcodes.csv", POSTCODES), ("mosaic.csv", MOSAIC),
                       ("diary.csv", ENGAGEMENTS), ("groups.csv", GROUPS), ("sectors.csv", SECTORS),
                       ("surveys.csv", SURVEYS)):
        write(folder / name, text)
    return write(folder / "manifest.yaml", """sources:
- {name: contacts, kind: contacts, directorate: Economic Crime, path: contacts.csv}
- {name: postcodes, kind: postcodes, path: postcodes.csv}
- {name: mosaic, kind: mosaic, path: mosaic.csv}
- {name: diary, kind: engagements, directorate: Economic Crime, path: diary.csv}
- {name: groups, kind: groups, path: groups.csv}
- {name: sectors, kind: sectors, path: sectors.csv}
- {name: surveys, kind: surveys, path: surveys.csv}
""")


@pytest.fixture
def synced(cli, tmp_path):
    result = cli("sync", "--manifest", str(_manifest(tmp_path / "sources")))
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return result


def _ids(cli: Cli) -> dict[str, str]:
    """Contact name -> ID, as the graph holds them (everyone here consented to email)."""
    return {row["name"]: row["contact_id"] for row in _everyone(cli)}


def _everyone(cli: Cli) -> list[dict]:
    found = []
    for category in ("business", "resident"):
        result = cli("audience", "--role", "spoc", "--category", category, "--format", "json")
        assert result.code == 0, result.err
        found += result.json()
    return found


def _query(driver, text: str, **params) -> list[dict]:
    records, _, _ = driver.execute_query(text, params)
    return [r.data() for r in records]


def test_each_row_is_matched_to_whom_it_names_or_quarantined_saying_why(cli, synced, neo4j_driver):
    report = synced.err
    assert "diary (engagements): synced, 6 rows read, 3 used, 3 quarantined" in report
    assert "groups (groups): synced, 4 rows read, 3 used, 1 quarantined" in report
    assert "sectors (sectors): synced, 5 rows read, 4 used, 1 quarantined" in report
    assert "surveys (surveys): synced, 3 rows read, 2 used, 1 quarantined" in report
    reasons = {(r["source"], r["record_id"]): r["reason"] for r in cli("export", "quarantine").csv_rows()}
    assert "in the future" in reasons[("diary", "E5")]
    assert reasons[("diary", "E4")].startswith("names nobody the graph knows")
    assert reasons[("diary", "E6")].startswith("names nobody the graph knows")
    assert reasons[("groups", "row-5")] == "no group"
    assert "out of range" in reasons[("surveys", "S3")]
    assert reasons[("sectors", "row-5")].startswith("names nobody the graph knows")

    ids = _ids(cli)
    engaged = _query(neo4j_driver, "MATCH (e:Engagement)-[:ENGAGED]->(n) RETURN e.ref AS ref, e.type AS type, "
                                   "coalesce(n.id, '') AS id, labels(n)[0] AS label ORDER BY ref")
    organisations = {r["name"]: r["id"] for r in _query(neo4j_driver, "MATCH (o:Organisation) RETURN o.name AS name, "
                                                                      "o.id AS id")}
    assert [(r["ref"], r["type"], r["id"]) for r in engaged] == [
        ("diary:E1", "meeting", ids["Priya Raman"]), ("diary:E2", "call", ids["Tom Okafor"]),
        ("diary:E3", "briefing", organisations["Lothbury Bank"])]
    # the responses: one by a known contact, one anonymous
    responses = _query(neo4j_driver, "MATCH (r:SurveyResponse) OPTIONAL MATCH (r)-[:RESPONDED_BY]->(c) "
                                     "RETURN r.ref AS ref, r.score AS score, r.anonymous AS anonymous, c.id AS id "
                                     "ORDER BY ref")
    assert responses == [{"ref": "surveys:S1", "score": 5, "anonymous": False, "id": ids["Priya Raman"]},
                         {"ref": "surveys:S2", "score": 1, "anonymous": True, "id": None}]
    # sector names match whatever their case and spacing; the leads are the people the rows name
    sectors = _query(neo4j_driver, "MATCH (s:Sector)-[:IN_HUB]->(h:Hub) OPTIONAL MATCH (c:Contact)-[:LEADS]->(s) "
                                   "RETURN s.name AS sector, h.name AS hub, collect(c.id) AS leads ORDER BY sector")
    assert sectors == [{"sector": "Finance", "hub": "London", "leads": [ids["Priya Raman"]]},
                       {"sector": "Retail", "hub": "London", "leads": [ids["Gareth Price"]]}]


def test_priority_stakeholders_are_the_people_of_priority_groups(cli, synced, neo4j_driver):
    ids = _ids(cli)
    flagged = {r["id"] for r in _query(neo4j_driver, "MATCH (c:Contact {priority_stakeholder: true}) "
                                                     "RETURN c.id AS id")}
    # the banks' people, restricted or not; Gareth is in a group that is not a priority one
    assert flagged == {ids["Priya Raman"], ids["Tom Okafor"], ids["Helen Marsh"], ids["Sam Hidden"]}
    assert cli.audience_ids("--priority-stakeholder") == {"Priya Raman", "Tom Okafor", "Helen Marsh"}
    assert cli.audience_ids("--priority-stakeholder", "--role", "spoc") == {
        "Priya Raman", "Tom Okafor", "Helen Marsh", "Sam Hidden"}


def test_each_new_filter_chooses_its_people(cli, synced):
    assert cli.audience_ids("--group", "sister BANKS") == {"Priya Raman", "Tom Okafor", "Helen Marsh"}
    assert cli.audience_ids("--group", "CCTV owners") == {"Gareth Price"}
    assert cli.audience_ids("--sector", "finance") == {"Priya Raman", "Tom Okafor", "Helen Marsh"}
    assert cli.audience_ids("--sector", "Finance", "--sector-leads") == {"Priya Raman"}
    assert cli.audience_ids("--sector-leads") == {"Priya Raman", "Gareth Price"}
    assert cli.audience_ids("--mosaic-group", "a") == {"Priya Raman", "Tom Okafor", "Helen Marsh"}
    assert cli.audience_ids("--mosaic-type", "O62") == {"Ruth Adeyemi"}
    # filters combine with AND
    assert cli.audience_ids("--group", "Sister banks", "--channel", "sms") == {"Priya Raman", "Helen Marsh"}


@pytest.mark.parametrize(("flag", "value", "known"), [
    ("--group", "Aldermen", "CCTV owners, Sister banks"),
    ("--sector", "Aviation", "Finance, Retail"),
    ("--mosaic-type", "Z99", "A01, A02, B05, O62"),
    ("--mosaic-group", "Q", "A, B, O"),
])
def test_a_value_the_graph_does_not_know_is_refused_with_the_known_values(cli, synced, flag, value, known):
    result = cli("audience", flag, value)
    assert result.code == 2
    assert re.search(rf"unknown .*'{value}'; the known .* are: {re.escape(known)}", result.err), result.err
    assert result.out == ""


def test_reference_nodes_say_which_source_named_them(synced, neo4j_driver):
    named = _query(neo4j_driver, "MATCH (n)-[:FROM_SOURCE]->(s:Source) WHERE n:Ward OR n:Issue OR n:Directorate "
                                 "OR n:MosaicType OR n:Group OR n:Sector OR n:Hub "
                                 "RETURN labels(n)[0] AS label, coalesce(n.name, n.code) AS node, s.name AS source")
    found = {(r["label"], r["node"], r["source"]) for r in named}
    assert {("Ward", "Cheap", "postcodes"), ("MosaicType", "B05", "mosaic"), ("Group", "Sister banks", "groups"),
            ("Sector", "Finance", "sectors"), ("Hub", "London", "sectors"), ("Issue", "protest", "diary"),
            ("Directorate", "Economic Crime", "contacts"), ("Directorate", "Economic Crime", "diary")} <= found
    unnamed = _query(neo4j_driver, "MATCH (n) WHERE (n:Ward OR n:Issue OR n:Directorate OR n:MosaicType OR n:Group "
                                   "OR n:Sector OR n:Hub) AND NOT (n)-[:FROM_SOURCE]->() RETURN labels(n)[0] AS label")
    assert unnamed == []


def test_an_erased_contact_takes_their_engagements_and_responses_and_the_next_sync_keeps_them_out(
        cli, synced, neo4j_driver, tmp_path):
    priya = _ids(cli)["Priya Raman"]
    export = cli("export", "subject", priya, "--format", "json")
    assert export.code == 0, export.err
    held = export.json()
    assert [e["ref"] for e in held["engagements"]] == ["diary:E1"]
    assert [r["ref"] for r in held["survey_responses"]] == ["surveys:S1"]
    assert cli("forget", priya, "--why", "REQ-1").code == 0
    gone = "MATCH (n:Engagement|SurveyResponse) WHERE n.ref IN ['diary:E1', 'surveys:S1'] RETURN n.ref AS ref"
    assert _query(neo4j_driver, gone) == []
    assert cli("sync", "--manifest", str(tmp_path / "sources" / "manifest.yaml")).code == 0
    assert _query(neo4j_driver, gone) == []

