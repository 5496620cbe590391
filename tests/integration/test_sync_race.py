"""A Dagster run and a command-line sync on one home never interleave their writes: whichever comes
second waits its turn or resolves again, and the graph is the one a single clean sync gives (in another
home, so up to the names of the random IDs each minted: graph_dumps.dump_up_to_ids)."""

from __future__ import annotations

import threading
from pathlib import Path

import dagster as dg
import pytest

from graph.store import GraphStore
from pipelines.definitions import defs
from pipelines.resources import StakeholdersResource
from services import sync
from services.installation import Installation
from sync.journal import LoadJournal

from .cli_helpers import neo4j_environ, write
from .graph_dumps import dump_up_to_ids
from .test_sync_and_audience import city  # noqa: F401  (fixture)

pytestmark = pytest.mark.neo4j


def _installation(home: Path, connection) -> Installation:
    return Installation(home=home, connect=lambda: GraphStore(connection))


def _clean_dump(manifest: Path, tmp_path: Path, connection, driver) -> list[str]:
    driver.execute_query("MATCH (n) DETACH DELETE n")
    with _installation(tmp_path / "clean-home", connection) as clean:
        sync.run_sync(clean, manifest)
    return dump_up_to_ids(connection)


def test_a_dagster_run_never_touches_a_load_the_command_line_is_making(
        city: Path, tmp_path: Path, neo4j_connection, neo4j_driver, clean_graph, monkeypatch):  # noqa: F811
    for name, value in neo4j_environ(neo4j_connection).items():
        monkeypatch.setenv(name, value)
    home = tmp_path / "home"
    halfway, resume = threading.Event(), threading.Event()
    writes = 0

    def pause_after_the_third_write() -> None:
        nonlocal writes
        writes += 1
        if writes == 3:
            halfway.set()
            resume.wait(60)

    def command_line_sync() -> None:
        with _installation(home, neo4j_connection) as installation:
            sync.run_sync(installation, city, checkpoint=pause_after_the_third_write)

    loader = threading.Thread(target=command_line_sync)
    loader.start()
    assert halfway.wait(60), "the command-line sync never reached its third write"
    job = defs.resolve_job_def("nightly_sync")
    resource = StakeholdersResource(manifest=str(city), home=str(home))
    with dg.instance_for_test() as instance:
        busy = job.execute_in_process(instance=instance, resources={"stakeholders": resource}, raise_on_error=False)
        assert not busy.success
        failure = next(e for e in busy.all_events if e.event_type_value == "STEP_FAILURE")
        assert "another sync is running" in failure.event_specific_data.error.message
        assert LoadJournal(home).path.exists()  # the journal of the load in flight is intact
        resume.set()
        loader.join(60)
        after_both = job.execute_in_process(instance=instance, resources={"stakeholders": resource})
    assert after_both.success
    raced = dump_up_to_ids(neo4j_connection)
    assert raced == _clean_dump(city, tmp_path, neo4j_connection, neo4j_driver)


def test_a_world_resolved_before_another_sync_loaded_is_not_loaded_stale(
        city: Path, tmp_path: Path, neo4j_connection, clean_graph):  # noqa: F811
    home = tmp_path / "home"
    with _installation(home, neo4j_connection) as dagster_side, _installation(home, neo4j_connection) as cli_side:
        sync.run_sync(cli_side, city)
        # the Dagster run resolves ...
        resolved = sync.resolve(dagster_side, sync.gate(dagster_side, sync.read(dagster_side, city)))
        # ... then a command-line sync loads a changed file before the Dagster run publishes
        ecd = city.parent / "ecd.csv"
        write(ecd, ecd.read_text() + "E9,Ann,Other,,ann.other@example.co.uk\n")
        sync.run_sync(cli_side, city)
        after_cli = cli_side.store.canonical_dump()
        report = sync.publish(dagster_side, resolved, trigger="dagster")
        after_dagster = dagster_side.store.canonical_dump()
    assert not report.changed  # synced again from the files, which the other sync had loaded: nothing to write
    assert after_dagster == after_cli  # the newer sync's graph stands, with its IDs
