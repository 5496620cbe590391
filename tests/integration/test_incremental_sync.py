"""A sync that skips what has not changed gives exactly the graph a full sync gives: through the real CLI on
a copy of the sample and a real Neo4j.

Each change is made to a synced home; the graph and home are copied; the ordinary sync runs on one, then
the graph is put back as it was and ``sync --full`` (every file read, resolution worked out afresh) runs
on the copy. The two graphs must be equal up to the names of the IDs each minted for new records."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sources import load_manifest
from tests.synced_graph import WIPE, read_graph, write_graph

from .cli_helpers import Cli
from .graph_dumps import dump_up_to_ids
from .test_shrink_protection import cli, sample  # noqa: F401  (fixtures: a synced home's CLI, a copy of the sample)

pytestmark = pytest.mark.neo4j

ROADS = "directorates/roads-policing.csv"


def _rewrite(path: Path, change: Callable[[list[list[str]]], list[list[str]]]) -> None:
    with path.open(newline="", encoding="utf-8-sig") as stream:
        rows = list(csv.reader(stream))
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([rows[0], *change(rows[1:])])


def _one_row_changed(manifest: Path, command: Cli) -> str:
    def change(rows):
        rows[3][1] = rows[3][1] + " Jnr"  # a new name for one person
        return rows
    _rewrite(manifest.parent / ROADS, change)
    return "roads-contacts"


def _one_row_added(manifest: Path, command: Cli) -> str:
    _rewrite(manifest.parent / ROADS, lambda rows: [*rows, [f"{cell}9" if i == 0 else cell
                                                        for i, cell in enumerate(rows[0])]])
    return "roads-contacts"


def _one_row_removed(manifest: Path, command: Cli) -> str:
    _rewrite(manifest.parent / ROADS, lambda rows: rows[1:])
    return "roads-contacts"


def _file_replaced(manifest: Path, command: Cli) -> str:
    shutil.copy(manifest.parent / "directorates/partnerships.csv", manifest.parent / ROADS)
    return "roads-contacts"


def _steward_decision(manifest: Path, command: Cli) -> str:
    clusters: dict[str, list[str]] = {}
    for row in command("export", "clusters").csv_rows():
        if row["entity_type"] == "contact":
            clusters.setdefault(row["entity_id"], []).append(f"{row['source']}:{row['record_id']}")
    refs = min(sorted(r) for r in clusters.values() if len(r) >= 2)
    assert command("review", "reject", refs[-1], "--why", "not the same person", "--by", "steward").code == 0
    return ""


CHANGES = {"one row changed": _one_row_changed, "one row added": _one_row_added,
           "one row removed": _one_row_removed, "a file replaced": _file_replaced,
           "a steward decision": _steward_decision}


def test_an_unchanged_sync_reads_nothing_and_a_changed_one_gives_what_a_full_sync_gives(
        cli: Cli, capsys, monkeypatch, neo4j_connection, neo4j_driver, sample: Path, tmp_path: Path):  # noqa: F811
    assert cli("sync", "--manifest", str(sample)).code == 0
    before = dump_up_to_ids(neo4j_connection)
    again = cli("sync", "--manifest", str(sample))
    assert again.code == 0, again.err
    assert "reading " not in again.err
    assert again.err.count("unchanged since its last good sync, taken from staging") == len(load_manifest(sample))
    assert "the graph holds its result" in again.err and "graph unchanged" in again.err
    assert dump_up_to_ids(neo4j_connection) == before

    # every change in turn, each sync'd both ways from the graph and home the previous full sync left
    home = tmp_path / "home"
    for step, (what, change) in enumerate(CHANGES.items()):
        full_home = tmp_path / f"full-home-{step}"
        cli = Cli(capsys, monkeypatch, neo4j_connection, home)
        changed_source = change(sample, cli)
        before_graph = read_graph(neo4j_driver, neo4j_connection.database)
        shutil.copytree(home, full_home)

        quick = cli("sync", "--manifest", str(sample))
        assert quick.code == 0, (what, quick.err)
        read = [line.split("reading ", 1)[1].split(" (")[0] for line in quick.err.splitlines() if "reading " in line]
        assert read == ([changed_source] if changed_source else []), what
        incremental = dump_up_to_ids(neo4j_connection, shared_history=True)

        with neo4j_driver.session(database=neo4j_connection.database) as session:
            session.run(WIPE).consume()
        write_graph(neo4j_driver, neo4j_connection.database, before_graph)
        full = Cli(capsys, monkeypatch, neo4j_connection, full_home)("sync", "--manifest", str(sample), "--full")
        assert full.code == 0, (what, full.err)
        assert "taken from staging" not in full.err and "the graph holds its result" not in full.err
        assert dump_up_to_ids(neo4j_connection, shared_history=True) == incremental, what
        home = full_home
