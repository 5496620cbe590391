"""Crash safety: a sync killed at any point of its load, or a Neo4j server killed under it, then synced again,
gives exactly the graph a clean run gives (same nodes, relationships, properties and ID numbers), with the
IDs the killed sync minted and journalled before its load.

IDs are random, so a clean run in another home names the same contacts differently: the graphs are compared
up to those names (graph_dumps.dump_up_to_ids), and the IDs themselves against the killed sync's journal.

The kills are injected with the test-only hook of sync/faults.py: the sync runs as a real subprocess and
SIGKILLs itself (and, for the server test, the server first) right after its N-th committed write.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from graph.neo4j_server.launcher import LocalNeo4j, Neo4jConnection
from graph.store import GraphStore
from pipelines.cli import main
from sync.journal import LoadJournal
from sync.lock import sync_lock

from .cli_helpers import Cli, neo4j_environ
from .graph_dumps import dump_up_to_ids

pytestmark = pytest.mark.neo4j

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE = REPO_ROOT / "sample"
# a smaller manifest keeps each sync to a few seconds; still every kind of source and every load step
SOURCES = ("ecd-contacts", "ct-contacts", "roads-contacts", "city-keyholders", "mosaic", "postcodes")
# Writes of one sync of these files (sync/faults.py): 11 load batches, the sweep (12), the lineage (13) and the
# "synced" mark (14). Kill points: early and late in the load, before the lineage, before the mark, after it.
FIRST_SYNC_KILLS = (3, 14)
SECOND_SYNC_KILLS = (6, 12)


def _version(folder: Path, drop_roads_rows: int) -> Path:
    """The sample cut to SOURCES; the second version loses a few roads rows (under the shrink limit)."""
    shutil.copytree(SAMPLE, folder)
    manifest = folder / "manifest.yaml"
    document = yaml.safe_load(manifest.read_text())
    document["sources"] = [s for s in document["sources"] if s["name"] in SOURCES]
    manifest.write_text(yaml.safe_dump(document))
    roads = folder / "directorates" / "roads-policing.csv"
    with roads.open(newline="", encoding="utf-8-sig") as stream:
        header, *rows = list(csv.reader(stream))
    with roads.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([header, *rows[drop_roads_rows:]])
    return manifest


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("crash")
    return _version(root / "a", 0), _version(root / "b", 5)


def _wipe(connection: Neo4jConnection) -> None:
    with GraphStore(connection) as store, store.driver.session(database=store.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def _dump(connection: Neo4jConnection) -> list[str]:
    return dump_up_to_ids(connection)


def _journalled_ids(home: Path) -> set[str]:
    """The contact and organisation IDs of the load in flight, as its sync minted them."""
    pending = LoadJournal(home).pending()
    assert pending is not None
    rows = [row for step in pending.plan if step.name in ("contacts", "organisations") for row in step.rows]
    return {row.get("contact_id") or row["organisation_id"] for row in rows}


def _graph_ids(connection: Neo4jConnection) -> set[str]:
    with GraphStore(connection) as store, store.session() as session:
        return {row["id"] for row in session.run("MATCH (n) WHERE n:Contact OR n:Organisation RETURN n.id AS id")}


def _sync(connection: Neo4jConnection, home: Path, manifest: Path) -> int:
    """The CLI in-process; its report goes to the captured stderr."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("NEO4J_PASSWORD_FILE", raising=False)
        for name, value in neo4j_environ(connection).items():
            patch.setenv(name, value)
        patch.setenv("STAKEHOLDERS_HOME", str(home))
        patch.delenv("STAKEHOLDERS_POSTCODES_API", raising=False)
        return main(["-q", "sync", "--manifest", str(manifest)])


def _killed_sync(connection: Neo4jConnection, home: Path, manifest: Path, after: int,
                 kill_pid: int | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_PASSWORD_FILE", "STAKEHOLDERS_POSTCODES_API")}
    env.update(neo4j_environ(connection))
    env.update(STAKEHOLDERS_HOME=str(home), STAKEHOLDERS_FAULT_AFTER_BATCHES=str(after))
    if kill_pid is not None:
        env["STAKEHOLDERS_FAULT_KILL_PID"] = str(kill_pid)
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "-q", "sync", "--manifest", str(manifest)],
                          env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def clean_dumps(versions, neo4j_connection, tmp_path_factory) -> tuple[list[str], list[str]]:
    """The graph after a clean sync of version a, and after a clean sync of b following it."""
    first, second = versions
    home = tmp_path_factory.mktemp("clean-home")
    _wipe(neo4j_connection)
    assert _sync(neo4j_connection, home, first) == 0
    after_first = _dump(neo4j_connection)
    assert _sync(neo4j_connection, home, second) == 0
    after_second = _dump(neo4j_connection)
    assert after_first != after_second
    assert len(set(after_second)) == len(after_second), "a clean load holds no duplicate"
    return after_first, after_second


@pytest.mark.parametrize("after", FIRST_SYNC_KILLS)
def test_first_sync_killed_then_run_again_gives_the_clean_graph(after, versions, clean_dumps, neo4j_connection,
                                                                neo4j_driver, tmp_path):
    first, _ = versions
    killed = _killed_sync(neo4j_connection, tmp_path / "home", first, after)
    assert killed.returncode == -9, killed.stderr
    assert LoadJournal(tmp_path / "home").pending() is not None, "the load in flight is on record"
    minted = _journalled_ids(tmp_path / "home")
    if after < 14:
        assert _dump(neo4j_connection) != clean_dumps[0], "killed part-way through"

    assert _sync(neo4j_connection, tmp_path / "home", first) == 0
    assert _dump(neo4j_connection) == clean_dumps[0]
    assert _graph_ids(neo4j_connection) == minted, "the IDs the killed sync minted, not new ones"
    assert LoadJournal(tmp_path / "home").pending() is None


@pytest.mark.parametrize("after", SECOND_SYNC_KILLS)
def test_changed_sync_killed_then_run_again_gives_the_clean_graph(after, versions, clean_dumps, neo4j_connection,
                                                                  neo4j_driver, tmp_path):
    first, second = versions
    home = tmp_path / "home"
    assert _sync(neo4j_connection, home, first) == 0
    killed = _killed_sync(neo4j_connection, home, second, after)
    assert killed.returncode == -9, killed.stderr
    assert _dump(neo4j_connection) not in clean_dumps, "killed part-way through"
    minted = _journalled_ids(home)

    assert _sync(neo4j_connection, home, second) == 0
    assert _dump(neo4j_connection) == clean_dumps[1], "same lineage, nothing left over, no duplicate"
    assert _graph_ids(neo4j_connection) == minted, "the IDs the killed sync journalled"
    assert _sync(neo4j_connection, home, second) == 0
    assert _dump(neo4j_connection) == clean_dumps[1], "and the next sync finds nothing to change"


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[LocalNeo4j]:
    """A Neo4j of this test alone, so killing it leaves the shared test server alone."""
    server = LocalNeo4j(tmp_path / "server-home")
    try:
        yield server
    finally:
        server.stop(progress=lambda message: None)


def test_neo4j_killed_mid_load_then_restarted_gives_the_clean_graph(versions, clean_dumps, own_server, tmp_path):
    first, second = versions
    connection = own_server.start(progress=lambda message: None)
    home = tmp_path / "home"
    assert _sync(connection, home, first) == 0
    for after in (5, 12):  # mid-load, and after the sweep before the lineage
        killed = _killed_sync(connection, home, second, after, kill_pid=own_server.status()["pid"])
        assert killed.returncode == -9, killed.stderr
        deadline = time.monotonic() + 30  # SIGKILL is immediate; the JVM's exit takes a moment
        while own_server.status()["running"] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not own_server.status()["running"]
        connection = own_server.start(progress=lambda message: None)  # recovers from its transaction log
    assert _sync(connection, home, second) == 0
    assert _dump(connection) == clean_dumps[1]


def test_a_second_sync_at_the_same_time_is_refused_in_one_line(capsys, monkeypatch, neo4j_connection, versions,
                                                               tmp_path):
    cli = Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")
    with sync_lock(tmp_path / "home"):  # as a sync in another process holds it
        result = cli("sync", "--manifest", str(versions[0]))
    assert result.code == 1
    assert result.err.strip().splitlines()[-1] == (
        f"stakeholders: another sync is running for {tmp_path / 'home'}; try again when it has finished")
