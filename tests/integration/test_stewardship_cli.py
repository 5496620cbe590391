"""Steward decisions, stable IDs and lineage through the real command line and a real Neo4j."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .cli_helpers import Cli, write

pytestmark = pytest.mark.neo4j

POSTCODES = """
postcode,latitude,longitude,ward,district
EC2R 8AH,51.5134,-0.0890,Cornhill,City of London
EC2V 7HH,51.5149,-0.0930,Cheap,City of London
EC4M 7AA,51.5138,-0.0984,Farringdon Within,City of London
"""
ECD = """
Ref,Forename,Surname,Company,E-mail,Mobile,Post Code,Priority,Interests,OK to email,Text consent,Last Contacted
E1,Robert,Okafor,Acme Insurance Ltd,robert.okafor@acme.co.uk,07700 900123,EC2R 8AH,H,protest;fraud,y,y,03/04/2024
E2,Joanna,Bloggs,City Residents Association,joanna@residents.org.uk,,EC4M 7AA,M,protest,y,,01/02/2024
E3,Priya,Shah,Guildhall Hotel,priya.shah@guildhall.co.uk,07700 900222,EC2V 7HH,L,terrorism,y,y,
"""
CT_HEADER = "Name,Organisation,Email,Mobile,Postcode,Priority,Issues,Email consent,SMS consent,Last contacted\n"
OKAFOR = '"Okafor, Bob",ACME Insurance Limited,,+44 7700 900123,EC2R 8AH,low,terrorism,n,,2024-05-01\n'
# Jo Bloggs is Joanna Bloggs (ecd:E2), but no identifier says so: the scorer keeps them apart
JO_BLOGGS = ("Jo Bloggs,,,07700 900555,EC4M 7AA,low,public events,,y,2024-03-01\n"
             "Jo Bloggs,,,07700 900555,EC4M 7AA,low,protest,,y,2024-03-02\n")
MANIFEST = """
sources:
  - {name: ecd, kind: contacts, directorate: Economic Crime, path: ecd.csv}
  - {name: ct, kind: contacts, directorate: Counter Terrorism, path: ct.csv}
  - {name: onspd, kind: postcodes, path: postcodes.csv}
"""


@pytest.fixture
def city(tmp_path: Path) -> Path:
    write(tmp_path / "data" / "postcodes.csv", POSTCODES)
    write(tmp_path / "data" / "ecd.csv", ECD)
    write(tmp_path / "data" / "ct.csv", CT_HEADER + OKAFOR)
    return write(tmp_path / "data" / "manifest.yaml", MANIFEST)


@pytest.fixture
def cli(capsys, monkeypatch, neo4j_connection, neo4j_driver, tmp_path) -> Cli:
    monkeypatch.setenv("STAKEHOLDERS_USER", "alice")
    return Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")


def sync(cli: Cli, manifest: Path) -> str:
    result = cli("sync", "--manifest", str(manifest))
    assert result.code == 0, result.err
    return result.err


def contact_ids(cli: Cli) -> dict[str, str]:
    """ref -> contact ID, from `export clusters`."""
    rows = cli("export", "clusters").csv_rows()
    return {f"{r['source']}:{r['record_id']}": r["entity_id"] for r in rows if r["entity_type"] == "contact"}


def decide(cli: Cli, *args: str) -> str:
    result = cli("review", *args)
    assert result.code == 0, result.err
    return result.out.strip()


def history(cli: Cli, entity_id: str) -> dict:
    result = cli("history", entity_id, "--format", "json")
    assert result.code == 0, result.err
    return result.json()


def test_a_no_match_splits_a_cluster_and_survives_the_next_sync(cli: Cli, city: Path):
    sync(cli, city)
    before = contact_ids(cli)
    robert = before["ecd:E1"]
    assert before["ct:row-2"] == robert

    result = cli("review", "reject", "ct:row-2", "--why", "a different Okafor, per the CT desk")
    assert result.code == 0, result.err
    assert result.out.strip() == "D-1"
    assert "ct:row-2 leaves " + robert in result.err
    assert "takes effect at the next `stakeholders sync`" in result.err
    assert contact_ids(cli)["ct:row-2"] == robert  # not before the sync

    assert "1 steward decision(s) applied" in sync(cli, city)
    after = contact_ids(cli)
    assert after["ecd:E1"] == robert  # the contact keeps its ID; the record that left gets a new one
    bob = after["ct:row-2"]
    assert bob != robert

    # the next sync, with a source changed, keeps them apart and keeps the IDs
    write(city.parent / "ecd.csv", ECD + "E4,Nia,Lamb,Lamb & Co,nia@lamb.co.uk,,EC2R 8AH,H,protest,y,,\n")
    sync(cli, city)
    again = contact_ids(cli)
    assert (again["ecd:E1"], again["ct:row-2"]) == (robert, bob)

    lineage = history(cli, bob)
    assert [(e["kind"], e["related_ids"]) for e in lineage["events"]] == [("split", [robert])]
    assert lineage["decisions"][0]["decision_id"] == "D-1"
    text = cli("history", robert).out
    assert f"{bob} split from it, with ct:row-2" in text
    assert "D-1" in text and "by alice: a different Okafor, per the CT desk" in text


def test_a_match_joins_records_the_scorer_would_not_and_the_oldest_id_survives(cli: Cli, city: Path):
    sync(cli, city)
    joanna = contact_ids(cli)["ecd:E2"]
    write(city.parent / "ct.csv", CT_HEADER + OKAFOR + JO_BLOGGS)  # Jo Bloggs arrives later, on two rows
    sync(cli, city)
    ids = contact_ids(cli)
    jo = ids["ct:row-3"]
    assert ids["ct:row-4"] == jo != joanna
    queue = cli("review", "list").csv_rows()
    assert {("ct:row-3", "ecd:E2"), ("ct:row-4", "ecd:E2")} <= {tuple(sorted((r["ref_a"], r["ref_b"])))
                                                                for r in queue}

    assert decide(cli, "accept", "ecd:E2", "ct:row-3", "--why", "same person: Joanna signs as Jo") == "D-1"
    queue = cli("review", "list", "--format", "json").json()
    assert ("ct:row-3", "ecd:E2") not in {tuple(sorted((r["ref_a"], r["ref_b"]))) for r in queue}
    assert "IDs: 1 merged" in sync(cli, city)

    ids = contact_ids(cli)
    # the older ID survives although the newer contact had more records
    assert ids["ecd:E2"] == ids["ct:row-3"] == ids["ct:row-4"] == joanna
    merged = history(cli, jo)
    assert merged["status"] == "merged" and merged["now"] == joanna
    assert [e["kind"] for e in merged["events"]] == ["minted", "merged"]
    assert f"absorbed {jo}" in cli("history", joanna).out
    assert all("ecd:E2" not in (r["ref_a"], r["ref_b"]) for r in cli("review", "list").csv_rows())


def test_an_override_wins_over_survivorship(cli: Cli, city: Path, neo4j_driver):
    sync(cli, city)
    robert = contact_ids(cli)["ecd:E1"]
    result = cli("review", "override", robert, "mobile", "07700 900 999", "--why", "he rang to update it",
                 "--by", "bob", "--apply-now", str(city))
    assert result.code == 0, result.err
    assert "override: " + robert + " mobile = '+447700900999'" in result.err

    rows = cli("audience", "--channel", "sms", "--issue", "fraud").csv_rows()
    assert [(r["name"], r["mobile"]) for r in rows] == [("Robert Okafor", "+447700900999")]
    records, _, _ = neo4j_driver.execute_query("MATCH (c:Contact {id: $id}) RETURN c.field_provenance AS p",
                                               id=robert)
    mobile = json.loads(records[0]["p"])["mobile"]
    assert mobile["rule"].startswith("steward override by bob on ") and mobile["rule"].endswith(
        "he rang to update it (D-1)")
    assert mobile["alternatives"][0]["value"] == "+447700900123"  # what the rules chose, still shown
    shown = cli("history", robert).out
    assert "  mobile: +447700900999 — steward override by bob on " in shown
    assert "      also +447700900123 on ct:row-2 (chosen by the rules: the only value)" in shown
    # conflicting values are kept and shown: ecd said yes to email on 3 April, ct no on 1 May
    assert "  consent_email: no — contract §6: the most recent explicit value [ct:row-2]" in shown
    assert "      also yes on ecd:E1" in shown

    # the override keeps applying after its contact's ID changes, and stops when undone
    write(city.parent / "ct.csv", CT_HEADER + OKAFOR + JO_BLOGGS)
    sync(cli, city)
    assert cli("audience", "--channel", "sms", "--issue", "fraud").csv_rows()[0]["mobile"] == "+447700900999"
    decide(cli, "undo", "D-1", "--why", "wrong person")
    sync(cli, city)
    assert cli("audience", "--channel", "sms", "--issue", "fraud").csv_rows()[0]["mobile"] == "+447700900123"


def test_ids_are_unchanged_after_a_rerun(cli: Cli, city: Path):
    sync(cli, city)
    before = contact_ids(cli)
    write(city.parent / "ct.csv", CT_HEADER + OKAFOR + JO_BLOGGS)  # new rows: a real re-resolution
    err = sync(cli, city)
    assert "graph updated" in err and "IDs: 1 minted" in err
    after = contact_ids(cli)
    assert {ref: after[ref] for ref in before} == before


def test_undo_restores_the_prior_state(cli: Cli, city: Path):
    write(city.parent / "ct.csv", CT_HEADER + OKAFOR + JO_BLOGGS)
    sync(cli, city)
    original = cli("export", "clusters").out

    decide(cli, "reject", "ct:row-2", "--why", "not him")
    decide(cli, "accept", "ecd:E2", "ct:row-3", "--why", "same person")
    sync(cli, city)
    assert cli("export", "clusters").out != original

    decide(cli, "undo", "D-1", "--why", "it was him after all")
    decide(cli, "undo", "D-2", "--why", "not the same person")
    err = sync(cli, city)
    assert "IDs: 1 merged, 1 restored" in err
    assert cli("export", "clusters").out == original

    listed = {r["decision_id"]: r for r in cli("review", "list", "--decisions").csv_rows()}
    assert [(d["kind"], d["status"], d["who"], d["revoked_by"]) for d in listed.values()] == [
        ("no_match", "undone", "alice", "alice"), ("match", "undone", "alice", "alice")]
    assert listed["D-2"]["revoked_why"] == "not the same person"
    assert listed["D-2"]["refs"] == "ecd:E2;ct:row-3"


def test_steward_mistakes_are_one_line_errors(cli: Cli, city: Path):
    sync(cli, city)
    robert = contact_ids(cli)["ecd:E1"]
    priya = contact_ids(cli)["ecd:E3"]
    cases = [
        (("review", "accept", "ecd:E1", "ecd:E99", "--why", "x"), "no record ecd:E99"),
        (("review", "accept", "ecd:E1", "ecd:E1", "--why", "x"), "given twice"),
        (("review", "reject", "ecd:E3", "--why", "x"), f"ecd:E3 is the only record of {priya}"),
        (("review", "reject", "ecd:E1", "ecd:E2", "ecd:E3", "--why", "x"), "review reject takes"),
        (("review", "accept", "ecd:E1", "ct:row-2", "--why", "  "), "--why must say why"),
        (("review", "override", "C-NOPE", "mobile", "07700900999", "--why", "x"), "no contact C-NOPE"),
        (("review", "override", robert, "mobile", "020 7601 2222", "--why", "x"), "not a UK mobile number"),
        (("review", "override", robert, "priority", "urgent", "--why", "x"), "is not a priority"),
        (("review", "undo", "D-42", "--why", "x"), "no decision D-42"),
        (("history", "C-NOPE"), "no contact or organisation C-NOPE"),
    ]
    for args, message in cases:
        result = cli(*args)
        assert result.code == 1, args
        assert message in result.err and "Traceback" not in result.err, result.err
        assert len(result.err.strip().splitlines()) == 1, result.err
    assert cli("review", "list", "--decisions").csv_rows() == []  # nothing was recorded

    decide(cli, "reject", "ecd:E1", "ecd:E3", "--why", "different people")
    decide(cli, "undo", "D-1", "--why", "x")
    result = cli("review", "undo", "D-1", "--why", "again")
    assert result.code == 1 and "D-1 was already undone" in result.err


def test_organisations_have_a_history_too(cli: Cli, city: Path, neo4j_driver):
    sync(cli, city)
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (:SourceRecord {ref: 'ecd:E1'})-[:DESCRIBES]->(o:Organisation) RETURN o.id AS id")
    found = history(cli, records[0]["id"])
    assert found["entity_type"] == "organisation" and found["status"] == "active"
    assert [e["kind"] for e in found["events"]] == ["minted"]
    assert set(found["refs"]) == {"ecd:E1", "ct:row-2"}


def test_review_and_history_have_help(capsys):
    from pipelines.cli import main

    for command in (["review"], ["review", "list"], ["review", "accept"], ["review", "reject"],
                    ["review", "override"], ["review", "undo"], ["history"]):
        with pytest.raises(SystemExit) as exit_:
            main([*command, "--help"])
        assert exit_.value.code == 0
        assert "usage: stakeholders" in capsys.readouterr().out
