"""The Dagster side: definitions load, the schedule and sensor fire as users expect, the job syncs."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dagster as dg
import pytest

from pipelines.definitions import defs, nightly_schedule
from pipelines.file_sensor import source_files_changed
from pipelines.resources import StakeholdersResource

from .cli_helpers import neo4j_environ, write
from .test_sync_and_audience import city  # noqa: F401  (fixture)


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)
    job = defs.resolve_job_def("nightly_sync")
    assert {k.to_user_string() for k in job.asset_layer.selected_asset_keys} == {
        "source_batches", "accepted_sources", "resolved_world", "stakeholder_graph"}


def test_schedule_runs_nightly_at_two_london_time():
    assert nightly_schedule.cron_schedule == "0 2 * * *"
    assert nightly_schedule.execution_timezone == "Europe/London"
    context = dg.build_schedule_context(scheduled_execution_time=dt.datetime(2026, 7, 1, 1, 0, tzinfo=dt.UTC))
    result = nightly_schedule.evaluate_tick(context)
    assert len(result.run_requests) == 1


def test_sensor_starts_a_sync_when_a_source_file_changes(city: Path, tmp_path: Path):  # noqa: F811
    resource = StakeholdersResource(manifest=str(city), home=str(tmp_path / "home"))
    with dg.build_sensor_context(resources={"stakeholders": resource}) as context:
        first = source_files_changed(context)
        assert isinstance(first, dg.RunRequest)
        assert isinstance(source_files_changed(context), dg.SkipReason)  # nothing changed since
        write(city.parent / "ecd.csv", (city.parent / "ecd.csv").read_text() + "E9,Ann,Other,,a@b.co.uk\n")
        second = source_files_changed(context)
        assert isinstance(second, dg.RunRequest) and second.run_key != first.run_key


@pytest.mark.neo4j
def test_nightly_job_syncs_the_graph(city: Path, tmp_path: Path, neo4j_connection, neo4j_driver,  # noqa: F811
                                     monkeypatch):
    for name, value in neo4j_environ(neo4j_connection).items():
        monkeypatch.setenv(name, value)
    resource = StakeholdersResource(manifest=str(city), home=str(tmp_path / "home"))
    job = defs.resolve_job_def("nightly_sync")
    with dg.instance_for_test() as instance:
        result = job.execute_in_process(instance=instance, resources={"stakeholders": resource})
    assert result.success
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks == {"source_quality_gates": True, "every_row_accounted": True}
    records, _, _ = neo4j_driver.execute_query("MATCH (c:Contact) RETURN count(c) AS n")
    assert records[0]["n"] >= 5


def test_nightly_job_waits_its_turn_while_a_command_line_sync_holds_the_lock(
        city: Path, tmp_path: Path, neo4j_connection, neo4j_driver, monkeypatch):  # noqa: F811
    from sync.lock import sync_lock

    for name, value in neo4j_environ(neo4j_connection).items():
        monkeypatch.setenv(name, value)
    home = tmp_path / "home"
    resource = StakeholdersResource(manifest=str(city), home=str(home))
    job = defs.resolve_job_def("nightly_sync")
    with sync_lock(home), dg.instance_for_test() as instance:
        result = job.execute_in_process(instance=instance, resources={"stakeholders": resource},
                                        raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "another sync is running" in failure.event_specific_data.error.message
    records, _, _ = neo4j_driver.execute_query("MATCH (c:Contact) RETURN count(c) AS n")
    assert records[0]["n"] == 0  # nothing was loaded


def test_workspace_file_loads_with_the_dagster_cli(tmp_path: Path):
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    dagster = Path(sys.executable).parent / "dagster"
    result = subprocess.run([str(dagster), "definitions", "validate", "-w", "workspace.yaml"], cwd=repo,
                            env={**os.environ, "DAGSTER_HOME": str(tmp_path)},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "All code locations passed validation" in result.stdout + result.stderr
