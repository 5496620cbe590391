"""Right to erasure and subject access through the real command line and a real Neo4j."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from accounts.audit import AuditLog

from .cli_helpers import Cli, write
from .test_stewardship_cli import CT_HEADER, ECD, MANIFEST, OKAFOR, POSTCODES, contact_ids, decide, sync

pytestmark = pytest.mark.neo4j

SUPPRESSED = "suppressed (erasure request)"
# Robert Okafor (ecd:E1 and ct:row-2, one contact through his mobile) typed again in a third list
ROADS = """
Name,Company,Email,Mobile,Postcode,Issues
R. Okafor,Acme,ROBERT.OKAFOR@ACME.CO.UK,,EC2R 8AH,road closures
Sam Webb,Webb Couriers,sam@webb.co.uk,,EC2V 7HH,road closures
Rob Okafor,,,+44 (0)7700 900123,EC2R 8AH,road closures
"""
PERSONAL = ("Okafor", "okafor", "robert.okafor@acme.co.uk", "+447700900123", "07700 900123", "7700900123")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def cli(capsys, monkeypatch, neo4j_connection, neo4j_driver, home: Path) -> Cli:
    monkeypatch.setenv("STAKEHOLDERS_USER", "alice")
    return Cli(capsys, monkeypatch, neo4j_connection, home)


@pytest.fixture
def city(tmp_path: Path) -> Path:
    write(tmp_path / "data" / "postcodes.csv", POSTCODES)
    write(tmp_path / "data" / "ecd.csv", ECD)
    write(tmp_path / "data" / "ct.csv", CT_HEADER + OKAFOR)
    return write(tmp_path / "data" / "manifest.yaml", MANIFEST)


def quarantine(cli: Cli) -> dict[str, str]:
    return {f"{r['source']}:{r['record_id']}": r["reason"] for r in cli("export", "quarantine").csv_rows()}


def graph_text(neo4j_driver) -> str:
    """Every property of every node, as text: what the graph could still disclose."""
    records, _, _ = neo4j_driver.execute_query("MATCH (n) RETURN properties(n) AS p")
    return json.dumps([r["p"] for r in records], default=str)


def test_forget_removes_the_person_and_later_syncs_keep_them_out(cli: Cli, city: Path, home: Path, neo4j_driver):
    sync(cli, city)
    robert = contact_ids(cli)["ecd:E1"]
    decide(cli, "override", robert, "mobile", "07700 900 999", "--why", "Robert rang from his new mobile")

    result = cli("forget", robert, "--why", "ticket 4711")
    assert result.code == 0, result.err
    assert result.out.strip() == robert
    assert "2 source row(s)" in result.err and "1 decision(s) redacted" in result.err

    ids = contact_ids(cli)
    assert "ecd:E1" not in ids and "ct:row-2" not in ids and robert not in ids.values()
    text = graph_text(neo4j_driver)
    assert not any(value in text for value in PERSONAL + ("+447700900999", "Robert rang"))
    decisions = cli("review", "list", "--decisions", "--format", "json").json()
    assert [(d["status"], d["value"], d["why"], d["revoked_why"]) for d in decisions] == [
        ("undone", "", "(erased)", "erasure request")]

    # the suppression list: the owner's only, row references and digests, no values
    listed = home / "suppression.json"
    assert stat.S_IMODE(listed.stat().st_mode) == 0o600
    assert not any(value in listed.read_text() for value in PERSONAL + ("+447700900999",))
    entry = json.loads(listed.read_text())["entries"][0]
    assert entry["refs"] == ["ct:row-2", "ecd:E1"] and len(entry["identifiers"]) == 3
    assert entry["why"] == "ticket 4711"
    # the staged batches no longer hold the rows
    staged = b"".join(path.read_bytes() for path in (home / "staging").glob("*.jsonl"))
    assert b"okafor" not in staged.lower() and b"7700900123" not in staged

    # audit: IDs and counts only, and the chain intact
    audit = AuditLog(home)
    (forgotten,) = [e for e in audit.entries() if e.action == "forget"]
    assert forgotten.who == "alice" and forgotten.details["contact_id"] == robert
    assert forgotten.details["records"] == 2 and audit.verify() is None
    assert not any(value in json.dumps(forgotten.details) for value in PERSONAL + ("ticket",))

    # the same rows, and the same person re-typed in another list, stay out
    write(city.parent / "roads.csv", ROADS)
    write(city, MANIFEST + "  - {name: roads, kind: contacts, directorate: Roads Policing, path: roads.csv}\n")
    err = sync(cli, city)
    assert "(1 suppressed: erasure requests)" in err and "(2 suppressed: erasure requests)" in err
    held = quarantine(cli)
    assert {ref: held[ref] for ref in ("ecd:E1", "ct:row-2", "roads:row-2", "roads:row-4")} == {
        ref: SUPPRESSED for ref in ("ecd:E1", "ct:row-2", "roads:row-2", "roads:row-4")}
    ids = contact_ids(cli)
    assert "roads:row-3" in ids and not {"ecd:E1", "ct:row-2", "roads:row-2", "roads:row-4"} & set(ids)
    assert not any(value in graph_text(neo4j_driver) for value in PERSONAL)


def test_a_held_back_source_cannot_bring_an_erased_person_back(cli: Cli, city: Path, home: Path):
    sync(cli, city)
    robert = contact_ids(cli)["ecd:E1"]
    assert cli("forget", robert).code == 0
    (city.parent / "ecd.csv").unlink()  # ecd is held back: its staged batch stands in for it
    result = cli("sync", "--manifest", str(city))
    assert result.code == 3, result.err
    assert "ecd:E1" not in contact_ids(cli) and "ecd:E2" in contact_ids(cli)
    assert quarantine(cli)["ecd:E1"] == SUPPRESSED


def test_forget_refuses_unknown_merged_and_erased_ids(cli: Cli, city: Path):
    write(city.parent / "ct.csv", CT_HEADER + OKAFOR + "Jo Bloggs,,,07700 900555,EC4M 7AA,low,protest,,y,\n")
    sync(cli, city)
    ids = contact_ids(cli)
    decide(cli, "accept", "ecd:E2", "ct:row-3", "--why", "same person", "--apply-now", str(city))
    joanna = contact_ids(cli)["ecd:E2"]
    jo = ({ids["ecd:E2"], ids["ct:row-3"]} - {joanna}).pop()  # the ID merged away

    for args, message in ((("forget", "C-NOSUCH"), "stakeholders: no contact C-NOSUCH"),
                          (("forget", jo), f"stakeholders: {jo} was merged into {joanna}; use that ID"),
                          (("export", "subject", jo), f"{jo} was merged into {joanna}")):
        result = cli(*args)
        assert (result.code, result.out) == (1, ""), result.err
        assert message in result.err and len(result.err.strip().splitlines()) == 1

    assert cli("forget", joanna).code == 0
    again = cli("forget", joanna)
    assert again.code == 1 and f"{joanna} was erased on " in again.err
    assert "ct:row-3" not in contact_ids(cli)


def test_export_subject_lists_everything_held_with_its_sources(cli: Cli, city: Path, home: Path):
    sync(cli, city)
    ids = contact_ids(cli)
    robert, joanna = ids["ecd:E1"], ids["ecd:E2"]
    decide(cli, "override", robert, "job_title", "Head of Security", "--why", "from his signature")
    AuditLog(home).append("alice", "audience", {"filters": {"issue": ["fraud"]}, "recipients": [robert, joanna]})
    AuditLog(home).append("alice", "audience", {"filters": {"issue": ["protest"]}, "recipients": [joanna]})

    result = cli("export", "subject", robert)
    assert result.code == 0, result.err
    found = result.json()
    assert found["contact_id"] == robert and found["contact"]["name"] == "Robert Okafor"
    assert found["field_provenance"]["mobile"]["value"] == "+447700900123"
    rows = {r["ref"]: r for r in found["source_rows"]}
    assert set(rows) == {"ecd:E1", "ct:row-2"}
    assert rows["ecd:E1"]["values"]["email"] == "robert.okafor@acme.co.uk"
    assert rows["ct:row-2"]["values"]["last_contacted"] == "2024-05-01"
    assert len(found["organisations"]) == 1 and found["organisations"][0]["id"].startswith("O-")
    assert found["issues"] == ["fraud", "protest", "terrorism"]
    email = next(c for c in found["consents"] if c["channel"] == "email")
    assert (email["value"], email["source"], email["date"]) == (False, "ct:row-2", "2024-05-01")
    assert {(s["ref"], s["value"]) for s in email["stated_on_rows"]} == {("ecd:E1", True), ("ct:row-2", False)}
    assert [d["decision_id"] for d in found["decisions"]] == ["D-1"]
    assert [e["kind"] for e in found["lineage"]["events"]] == ["minted"]
    # only the audience it was in, and no other contact's ID
    assert [a["details"] for a in found["audiences"]] == [{"filters": {"issue": ["fraud"]}, "recipients": [robert]}]

    table = cli("export", "subject", robert, "--format", "csv")
    assert table.code == 0, table.err
    lines = table.csv_rows()
    assert {"section", "item", "field", "value", "source"} == set(lines[0])
    assert {"section": "source_rows", "item": "ecd:E1", "field": "email", "value": "robert.okafor@acme.co.uk",
            "source": "ecd:E1"} in lines
    assert cli("export", "subject").code == 1
    assert cli("export", "clusters", "--format", "json").code == 1
