"""The whole product through its command line, on a small hand-made City dataset and a real Neo4j."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from graph.audience import great_circle_m

from .cli_helpers import Cli, write

pytestmark = pytest.mark.neo4j

POSTCODES = """
postcode,latitude,longitude,ward,district
EC2R 8AH,51.5134,-0.0890,Cornhill,City of London
EC2V 7HH,51.5149,-0.0930,Cheap,City of London
EC3N 4AB,51.5098,-0.0766,Tower,City of London
EC4M 7AA,51.5138,-0.0984,Farringdon Within,City of London
"""
MOSAIC = """
Postcode,Mosaic Type,Mosaic Group,Households
EC2R 8AH,B05,B,12
ec2v7hh,O62,O,40
"""
ECD = """
Ref,Forename,Surname,Company,E-mail,Mobile,Post Code,Stakeholder Type,Priority,Interests,OK to email,Text consent,Sensitive,Last Contacted
E1,Robert,Okafor,Acme Insurance Ltd,robert.okafor@acme.co.uk,07700 900123,EC2R 8AH,business,H,protest;fraud,y,y,,03/04/2024
E2,Priya,Shah,Guildhall Hotel,security@guildhall.co.uk,,EC2V 7HH,business,M,protest,y,n,,
E3,Tom,Baker,Guildhall Hotel,security@guildhall.co.uk,07700 900222,EC2V 7HH,business,L,terrorism,y,y,,
E4,Sam,Secret,Acme Insurance Ltd,sam.secret@acme.co.uk,07700 900333,EC2R 8AH,business,H,protest,y,y,y,
E5,,,,nobody@example.com,,,,,,,,,
E6,Dan,Nomail,,,,EC2R 8AH,resident,low,protest,,,,
"""
CT = """
Name,Organisation,Email,Mobile,Postcode,Priority,Issues,Email consent,SMS consent,Last contacted
"Okafor, Bob",ACME Insurance Limited,,+44 7700 900123,EC2R 8AH,low,terrorism,n,,2024-05-01
Mrs Olivia Farrow,City Residents Association,olivia@residents.org.uk,07700 900444,EC4M 7AA,medium,protest / public events,yes,yes,1 May 2024
"""
KEYHOLDERS = """
Keyholder ID,Premises Ref,Premises Name,Address,Postcode,Occupier,Keyholder,Keyholder Mobile,Keyholder Phone,Order,Last Verified
K1,100001,Acme House,1 Cornhill,EC2R 8AH,Acme Insurance,Robert Okafor,07700900123,,1,2024-01-10
K2,100002,Tower Store,2 Minories,EC3N 4AB,Tower Stores Ltd,Jane Keyes,,020 7601 2222,1,
"""
MANIFEST = """
sources:
  - {name: ecd, kind: contacts, directorate: Economic Crime, path: ecd.csv}
  - {name: ct, kind: contacts, directorate: Counter Terrorism, path: ct.csv}
  - {name: keys, kind: keyholders, path: keyholders.csv}
  - {name: mosaic, kind: mosaic, path: mosaic.csv}
  - {name: onspd, kind: postcodes, path: postcodes.csv}
"""


@pytest.fixture
def city(tmp_path: Path) -> Path:
    for name, text in (("postcodes.csv", POSTCODES), ("mosaic.csv", MOSAIC), ("ecd.csv", ECD), ("ct.csv", CT),
                       ("keyholders.csv", KEYHOLDERS)):
        write(tmp_path / "data" / name, text)
    return write(tmp_path / "data" / "manifest.yaml", MANIFEST)


@pytest.fixture
def cli(capsys, monkeypatch, neo4j_connection, neo4j_driver, tmp_path) -> Cli:
    return Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")


@pytest.fixture
def synced(cli: Cli, city: Path) -> Cli:
    result = cli("sync", "--manifest", str(city))
    assert result.code == 0, result.err
    return cli


def test_every_row_is_in_one_contact_or_in_quarantine(synced: Cli):
    clusters = synced("export", "clusters").csv_rows()
    quarantine = synced("export", "quarantine").csv_rows()
    as_contact = Counter((r["source"], r["record_id"]) for r in clusters if r["entity_type"] == "contact")
    quarantined = Counter((r["source"], r["record_id"]) for r in quarantine)
    rows = {("ecd", f"E{n}") for n in range(1, 7)} | {("ct", "row-2"), ("ct", "row-3"),
                                                     ("keys", "K1"), ("keys", "K2")}
    assert set(as_contact) | set(quarantined) == rows
    assert all(n == 1 for n in (as_contact + quarantined).values())
    assert set(quarantined) == {("ecd", "E5"), ("ecd", "E6")}
    reasons = {r["record_id"]: r["reason"] for r in quarantine}
    assert "name" in reasons["E5"] and "email" in reasons["E6"]


def test_the_same_person_spelt_three_ways_is_one_contact(synced: Cli):
    clusters = synced("export", "clusters").csv_rows()
    contact = {(r["source"], r["record_id"]): r["entity_id"] for r in clusters if r["entity_type"] == "contact"}
    assert contact[("ecd", "E1")] == contact[("ct", "row-2")] == contact[("keys", "K1")]
    assert contact[("ecd", "E2")] != contact[("ecd", "E3")]  # one shared mailbox, two people
    organisation = {(r["source"], r["record_id"]): r["entity_id"] for r in clusters
                    if r["entity_type"] == "organisation"}
    assert organisation[("ecd", "E1")] == organisation[("ct", "row-2")] == organisation[("keys", "K1")]
    assert ("keys", "K2") in organisation


def test_second_sync_changes_nothing(synced: Cli, city: Path, neo4j_driver):
    def counts():
        records, _, _ = neo4j_driver.execute_query(
            "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels")
        return records[0]["nodes"], records[0]["rels"]

    before = counts()
    clusters_before = synced("export", "clusters").out
    again = synced("sync", "--manifest", str(city))
    assert again.code == 0
    assert "nothing changed" in again.err
    assert counts() == before
    assert synced("export", "clusters").out == clusters_before


def test_consent_follows_the_most_recent_explicit_value(synced: Cli):
    # Robert said yes to email on 3 April 2024 and no on 1 May 2024: no email; SMS yes stands.
    assert "Robert Okafor" not in synced.audience_ids("--channel", "email")
    assert "Robert Okafor" in synced.audience_ids("--channel", "sms")
    rows = synced("audience", "--channel", "sms", "--issue", "fraud").csv_rows()
    assert [r["name"] for r in rows] == ["Robert Okafor"]
    assert rows[0]["email"] == ""  # not to be emailed, so not handed out
    assert rows[0]["mobile"] == "+447700900123"
    assert sorted(rows[0]["source_records"].split(";")) == ["ct:row-2", "ecd:E1", "keys:K1"]


def test_issue_filter_and_the_union_of_issues(synced: Cli):
    assert synced.audience_ids("--issue", "terrorism") == {"Robert Okafor", "Tom Baker"}
    assert synced.audience_ids("--issue", "public_events", "--issue", "fraud") == {"Olivia Farrow",
                                                                                  "Robert Okafor"}


def test_ward_filter_uses_every_place_a_contact_is(synced: Cli):
    assert synced.audience_ids("--ward", "Cheap") == {"Priya Shah", "Tom Baker"}
    assert synced.audience_ids("--ward", "cornhill", "--ward", "Farringdon Within") == {"Robert Okafor",
                                                                                        "Olivia Farrow"}


def test_radius_filter_is_great_circle_distance_between_centroids(synced: Cli):
    bank = (51.5134, -0.0890)
    distance_to_cheap = great_circle_m(*bank, 51.5149, -0.0930)
    inside = synced.audience_ids("--near", "ec2r8ah", "--radius-m", str(distance_to_cheap + 1))
    outside = synced.audience_ids("--near", "EC2R 8AH", "--radius-m", str(distance_to_cheap - 1))
    assert inside == {"Robert Okafor", "Priya Shah", "Tom Baker"}
    assert outside == {"Robert Okafor"}
    assert synced.audience_ids("--near", "51.5134,-0.0890", "--radius-m", "50") == {"Robert Okafor"}


def test_category_and_minimum_priority(synced: Cli):
    assert synced.audience_ids("--min-priority", "high") == {"Robert Okafor"}
    assert synced.audience_ids("--min-priority", "medium") == {"Robert Okafor", "Priya Shah", "Olivia Farrow"}
    assert synced.audience_ids("--category", "resident") == set()


def test_restricted_contacts_only_for_spoc(synced: Cli):
    assert "Sam Secret" not in synced.audience_ids("--issue", "protest")
    assert "Sam Secret" in synced.audience_ids("--issue", "protest", "--role", "spoc")


def test_keyholders_are_reached_by_phone_whatever_their_consent(synced: Cli):
    rows = synced("audience", "--keyholders", "--ward", "Tower").csv_rows()
    assert [(r["name"], r["phone"]) for r in rows] == [("Jane Keyes", "+442076012222")]
    assert synced.audience_ids("--ward", "Tower") == set()  # no marketing consent, so not otherwise


def test_json_format_lists_each_recipient_once(synced: Cli):
    result = synced("audience", "--issue", "protest", "--format", "json")
    recipients = result.json()
    assert len({r["contact_id"] for r in recipients}) == len(recipients)
    assert set(recipients[0]) == {"contact_id", "name", "email", "mobile", "phone", "organisation", "priority",
                                  "source_records"}


def test_a_postcode_missing_from_the_directory_falls_back_to_its_district(synced: Cli):
    result = synced("audience", "--near", "EC2R 9ZZ", "--radius-m", "50")
    assert result.code == 0
    assert "using the centre of district EC2R" in result.err
    assert {r["name"] for r in result.csv_rows()} == {"Robert Okafor"}


def test_unknown_postcode_for_near_is_a_clear_error(synced: Cli):
    result = synced("audience", "--near", "ZZ99 9ZZ", "--radius-m", "100")
    assert result.code == 1
    assert "ZZ99 9ZZ" in result.err and "Traceback" not in result.err


def test_a_failing_source_is_held_back_while_the_others_sync(cli: Cli, city: Path):
    assert cli("sync", "--manifest", str(city)).code == 0
    write(city.parent / "ct.csv", "Name,Organisation,Postcode\nSomeone,Somewhere,EC2R 8AH\n")  # no contact field
    manifest = city.read_text() + "  - {name: gone, kind: contacts, directorate: Cyber, path: missing.xlsx}\n"
    write(city, manifest)
    write(city.parent / "ecd.csv", ECD + "E7,Nia,Lamb,Lamb & Co,nia@lamb.co.uk,,EC2R 8AH,business,H,protest,y,,,\n")
    result = cli("sync", "--manifest", str(city))
    assert result.code == 3
    assert "ct (contacts): held back" in result.err and "gone (contacts): held back" in result.err
    assert "missing.xlsx" in result.err
    clusters = cli("export", "clusters").csv_rows()
    refs = {(r["source"], r["record_id"]) for r in clusters}
    assert ("ecd", "E7") in refs  # the good source synced
    assert ("ct", "row-2") in refs  # the held-back source kept what it contributed before


def test_an_unreachable_graph_is_a_one_line_error(capsys, monkeypatch, tmp_path, city: Path):
    cli = Cli(capsys, monkeypatch, "bolt://127.0.0.1:9", tmp_path / "home")
    result = cli("sync", "--manifest", str(city))
    assert result.code == 1
    assert "Neo4j at bolt://127.0.0.1:9: not reachable" in result.err
    assert "Traceback" not in result.err


def test_neo4j_status_reports_the_local_server(capsys, monkeypatch, neo4j_connection, stakeholders_test_home):
    if "NEO4J_URI" in os.environ:
        pytest.skip("an external server is in use")
    cli = Cli(capsys, monkeypatch, neo4j_connection, stakeholders_test_home)
    monkeypatch.delenv("NEO4J_URI")
    result = cli("neo4j", "status")
    assert result.code == 0
    assert '"running": true' in result.out and neo4j_connection.uri in result.out


def test_every_command_has_help(capsys):
    from pipelines.cli import main

    for command in ([], ["sync"], ["export"], ["audience"], ["explain"], ["neo4j"]):
        with pytest.raises(SystemExit) as exit_:
            main([*command, "--help"])
        assert exit_.value.code == 0
        assert "usage: stakeholders" in capsys.readouterr().out


def test_every_node_knows_the_rows_it_came_from(synced: Cli, neo4j_driver):
    records, _, _ = neo4j_driver.execute_query("""
        MATCH (n) WHERE (n:Contact OR n:Organisation OR n:Premises OR n:Postcode)
        AND NOT EXISTS { (:SourceRecord)-[:DESCRIBES]->(n) }
        RETURN labels(n)[0] AS label, count(*) AS n""")
    orphans = {r["label"]: r["n"] for r in records}
    # only postcodes named by a contact but absent from the directory and Mosaic have no record of their own
    assert set(orphans) <= {"Postcode"}
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (r:SourceRecord {ref: 'keys:K2'})-[:DESCRIBES]->(n) RETURN labels(n)[0] AS label ORDER BY label")
    assert [r["label"] for r in records] == ["Contact", "Organisation", "Premises"]


def test_explain_shows_why_two_rows_are_one_contact(synced: Cli):
    result = synced("explain", "ecd:E1", "ct:row-2", "--format", "json")
    assert result.code == 0, result.err
    explanation = result.json()
    levels = {f["field"]: f["level"] for f in explanation["fields"]}
    assert levels["first_name"] == "nickname" and levels["mobile"] == "exact"
    assert explanation["band"] == "merge"
    assert abs(sum(f["weight"] for f in explanation["fields"]) - explanation["score"]) < 0.05
    apart = synced("explain", "ecd:E2", "ecd:E3", "--format", "json").json()
    assert apart["band"] != "merge"
    assert {f["field"]: f["level"] for f in apart["fields"]}["email"] == "shared_mailbox"
    text = synced("explain", "ecd:E1", "ct:row-2")
    assert "probability" in text.out and "band: merge" in text.out


def test_explain_names_an_unknown_record(synced: Cli):
    result = synced("explain", "ecd:E1", "ecd:NOPE")
    assert result.code == 1 and "ecd:NOPE" in result.err and "Traceback" not in result.err
