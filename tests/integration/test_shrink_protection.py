"""Shrink protection and vanishing records, through the real CLI on a copy of the sample and a real Neo4j."""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from graph.store import GraphStore

from .cli_helpers import Cli

pytestmark = pytest.mark.neo4j

SAMPLE = Path(__file__).resolve().parents[2] / "sample"
ROADS = "directorates/roads-policing.csv"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "sample")
    return tmp_path / "sample" / "manifest.yaml"


@pytest.fixture
def cli(capsys, monkeypatch, neo4j_connection, neo4j_driver, tmp_path: Path) -> Cli:
    monkeypatch.delenv("STAKEHOLDERS_POSTCODES_API", raising=False)
    return Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")


def content(connection) -> list[str]:
    """The graph without run stamps, the sync state and the Source nodes (which record each run's status)."""
    with GraphStore(connection) as store:
        return [line for line in store.canonical_dump(ignore=("sync",))
                if not line.startswith(("(Source ", "(SyncState "))]


def contacts_by_id(cli: Cli) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in cli("export", "clusters").csv_rows():
        if row["entity_type"] == "contact":
            found[row["entity_id"]].add(f"{row['source']}:{row['record_id']}")
    return found


def keep_rows(path: Path, keep) -> int:
    """Rewrite a CSV source keeping the header and the data rows ``keep(row)`` accepts; returns how many went."""
    with path.open(newline="", encoding="utf-8-sig") as stream:
        header, *rows = list(csv.reader(stream))
    kept = [row for row in rows if keep(row)]
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([header, *kept])
    return len(rows) - len(kept)


def test_a_source_emptied_by_mistake_is_held_back_until_accepted(cli: Cli, sample: Path, neo4j_connection):
    assert cli("sync", "--manifest", str(sample)).code == 0
    before = content(neo4j_connection)
    roads_contacts = {i for i, refs in contacts_by_id(cli).items() if refs and all(
        r.startswith("roads-contacts:") for r in refs)}
    assert roads_contacts

    keep_rows(sample.parent / ROADS, lambda row: False)  # header only
    held = cli("sync", "--manifest", str(sample))
    assert held.code == 3, held.err
    line = next(line for line in held.err.splitlines() if line.startswith("  roads-contacts"))
    assert "held back" in line and "usable rows fell from 80 to 0" in line
    assert "--accept-shrink roads-contacts" in line and "(its previous data is kept)" in line
    assert content(neo4j_connection) == before, "a held-back source changes nothing in the graph"

    accepted = cli("sync", "--manifest", str(sample), "--accept-shrink", "roads-contacts")
    assert accepted.code == 0, accepted.err
    assert "roads-contacts (contacts): synced, 0 rows read" in accepted.err
    assert not roads_contacts & set(contacts_by_id(cli)), "contacts only roads knew of are gone once accepted"
    # the empty file is now the last good one: the next sync has nothing to accept
    assert cli("sync", "--manifest", str(sample)).code == 0


def test_unknown_source_in_shrink_options_is_a_one_line_error(cli: Cli, sample: Path):
    result = cli("sync", "--manifest", str(sample), "--accept-shrink", "no-such-source")
    assert result.code == 1
    assert result.err.strip().splitlines()[-1] == (
        "stakeholders: --max-shrink/--accept-shrink name source(s) not in the manifest: no-such-source")
    bad = cli("sync", "--manifest", str(sample), "--max-shrink", "lots")
    assert bad.code == 1 and "--max-shrink 'lots'" in bad.err and "Traceback" not in bad.err


def test_a_modest_shrink_applies_and_vanished_rows_lose_only_their_provenance(cli: Cli, sample: Path,
                                                                           neo4j_connection, neo4j_driver):
    assert cli("sync", "--manifest", str(sample)).code == 0
    contacts = contacts_by_id(cli)
    shared_id, shared_refs = next((i, refs) for i, refs in sorted(contacts.items())
                                  if any(r.startswith("roads-contacts:") for r in refs)
                                  and any(not r.startswith("roads-contacts:") for r in refs))
    gone_ref = next(r for r in shared_refs if r.startswith("roads-contacts:"))
    lone_id = next(i for i, refs in sorted(contacts.items()) if len(refs) == 1
                   and next(iter(refs)).startswith("roads-contacts:"))
    lone_ref = next(iter(contacts[lone_id]))
    # a steward decision on the shared contact, which must survive losing one of its rows
    override = cli("review", "override", shared_id, "priority", "high", "--why", "named SPOC for the area")
    assert override.code == 0, override.err

    dropped = {gone_ref.split(":", 1)[1], lone_ref.split(":", 1)[1]}
    # four more rows of contacts from other sources too: 6 of 80 rows (-8%) is under the 20% allowed
    for ref in sorted(r for i, refs in contacts.items() if i not in (shared_id, lone_id) for r in refs
                      if r.startswith("roads-contacts:"))[:4]:
        dropped.add(ref.split(":", 1)[1])
    assert keep_rows(sample.parent / ROADS, lambda row: row[0] not in dropped) == 6
    result = cli("sync", "--manifest", str(sample))
    assert result.code == 0, result.err
    assert "roads-contacts (contacts): synced, 76 rows read, 74 used" in result.err

    after = contacts_by_id(cli)
    assert after[shared_id] == shared_refs - {gone_ref}, "the contact stays, less the vanished row"
    assert lone_id not in after, "a contact no source holds any more is gone"
    with GraphStore(neo4j_connection) as store:
        assert gone_ref not in store.contact(shared_id)["refs"]
        assert store.identity(lone_id)["status"] == "retired"
    records = neo4j_driver.execute_query("MATCH (r:SourceRecord {ref: $ref}) RETURN count(r) AS n", ref=gone_ref)
    assert records.records[0]["n"] == 0, "its SourceRecord went with it"
    contact = neo4j_driver.execute_query("MATCH (c:Contact {id: $id}) RETURN c.priority AS p", id=shared_id)
    assert contact.records[0]["p"] == "high", "the steward's override still applies"


def test_a_shrink_over_a_sources_own_limit_is_held_back(cli: Cli, sample: Path):
    assert cli("sync", "--manifest", str(sample)).code == 0
    rows = iter(range(10**6))
    keep_rows(sample.parent / ROADS, lambda row: next(rows) >= 6)  # 6 of 80 rows go: -8%
    held = cli("sync", "--manifest", str(sample), "--max-shrink", "roads-contacts=5%")
    assert held.code == 3
    assert "usable rows fell from 80 to 74 (-8%, more than the 5% allowed)" in held.err
    assert cli("sync", "--manifest", str(sample), "--max-shrink", "0.05", "--max-shrink",
               "roads-contacts=0.1").code == 0
