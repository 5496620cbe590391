"""The real `stakeholders sync` meets the hostile corpus (tests/data/hostile) after a good sync: each case ends
in one clear line naming the file, within bounded time and memory, and the graph keeps what was synced."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from neo4j import Driver

from graph.neo4j_server.launcher import Neo4jConnection
from graph.store import GraphStore
from tests.data.bad.corpus import GOOD_SOURCES, write_good_sources
from tests.data.hostile.corpus import CASES, HostileCase, plant_pickles

from .cli_helpers import neo4j_environ

pytestmark = pytest.mark.neo4j

REPO_ROOT = Path(__file__).resolve().parents[2]
MAX_RSS_MB = 600  # a sync of the small good sources, and whatever the hostile file costs on top
MAX_SECONDS = 60
# The CLI in a child process with its address space capped (so a runaway input fails instead of taking the
# machine with it), reporting its peak memory on the last line of stderr.
_MEASURED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
from pipelines.cli import main
try:
    code = main(sys.argv[1:])
finally:
    print(f"peak-rss-kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
sys.exit(code)
"""


@dataclass
class Run:
    code: int
    err: str
    rss_mb: float
    seconds: float


@dataclass
class Synced:
    folder: Path
    home: Path
    manifest: Path
    graph: list[str]


def sync(connection: Neo4jConnection, home: Path, manifest: Path) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "STAKEHOLDERS_"))}
    env |= neo4j_environ(connection) | {"STAKEHOLDERS_HOME": str(home)}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", _MEASURED, "sync", "--manifest", manifest.name], env=env,
                            cwd=manifest.parent, capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - started
    err, _, peak = result.stderr.rstrip().rpartition("\n")
    return Run(result.returncode, err, int(peak.removeprefix("peak-rss-kb=")) / 1024, seconds)


def graph_of(connection: Neo4jConnection) -> list[str]:
    store = GraphStore(connection)
    try:
        # Source and SyncState nodes record each run (a held-back source shows as such); the rest is the data
        return [line for line in store.canonical_dump(ignore=("sync",))
                if not line.startswith(("(Source ", "(SyncState"))]
    finally:
        store.close()


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory, neo4j_connection: Neo4jConnection,
           neo4j_session_driver: Driver) -> Synced:
    with neo4j_session_driver.session(database=neo4j_connection.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    folder = tmp_path_factory.mktemp("hostile") / "sources"
    write_good_sources(folder)
    manifest = folder / "good.yaml"
    manifest.write_text("sources:\n" + GOOD_SOURCES, encoding="utf-8")
    home = folder.parent / "home"
    run = sync(neo4j_connection, home, manifest)
    assert run.code == 0, run.err
    return Synced(folder, home, manifest, graph_of(neo4j_connection))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_hostile_input_ends_in_one_clear_line(case: HostileCase, synced: Synced,
                                              neo4j_connection: Neo4jConnection) -> None:
    entry = case.write(synced.folder)
    manifest = synced.folder / f"{case.name}.yaml"
    text = case.manifest_text() if case.manifest_text else "sources:\n" + GOOD_SOURCES + entry
    manifest.write_text(text, encoding="utf-8")

    run = sync(neo4j_connection, synced.home, manifest)

    print(f"{case.name}: exit {run.code}, {run.seconds:.1f} s, peak RSS {run.rss_mb:.0f} MB")
    assert run.code == case.exit_code, run.err
    assert "Traceback" not in run.err and "unexpected" not in run.err, run.err
    said = [line for line in run.err.splitlines() if case.shown in line and case.expected in line]
    assert said, run.err
    assert run.rss_mb < MAX_RSS_MB and run.seconds < MAX_SECONDS
    assert graph_of(neo4j_connection) == synced.graph, "what was synced before is kept"


def test_planted_pickles_in_the_home_are_removed_unread(synced: Synced, neo4j_connection: Neo4jConnection) -> None:
    marker = synced.folder.parent / "exploited"
    planted = plant_pickles(synced.home, marker, ("good", "postcodes"))

    run = sync(neo4j_connection, synced.home, synced.manifest)

    assert run.code == 0, run.err
    assert not marker.exists(), "a pickle planted in the home ran its command"
    assert not any(path.exists() for path in planted)
    for path in planted:
        assert re.search(rf"{re.escape(str(path))}: written by an older version", run.err), run.err
    assert graph_of(neo4j_connection) == synced.graph
