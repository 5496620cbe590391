"""A Dagster run of the nightly sync keeps no personal data in Dagster's run storage: what one asset hands
the next stays owner-only in the home, and `stakeholders forget` reaches it."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.resources import StakeholdersResource
from sync.run_folder import runs_folder

from .cli_helpers import neo4j_environ
from .test_no_personal_data_in_logs import SAMPLE, personal_values

pytestmark = pytest.mark.neo4j

SYNC_ASSETS = ("source_batches", "accepted_sources", "resolved_world", "stakeholder_graph")


def _materialise(home: Path, dagster_home: Path, selection: tuple[str, ...]) -> dg.ExecuteInProcessResult:
    assets = [a for a in defs.assets if a.key.to_user_string() in selection]
    dagster_home.mkdir(parents=True, exist_ok=True)
    with dg.instance_for_test(temp_dir=str(dagster_home)) as instance:
        return dg.materialize(assets, instance=instance, selection=list(selection), raise_on_error=False,
                              resources={"stakeholders": StakeholdersResource(manifest=str(SAMPLE), home=str(home))})


@pytest.fixture
def neo4j_env(neo4j_connection, clean_graph, monkeypatch):
    for name, value in neo4j_environ(neo4j_connection).items():
        monkeypatch.setenv(name, value)


def test_dagster_storage_holds_no_name_email_or_number(tmp_path: Path, neo4j_env):
    dagster_home = tmp_path / "dagster"
    result = _materialise(tmp_path / "home", dagster_home, SYNC_ASSETS)
    assert result.success
    stored = [p for p in dagster_home.rglob("*") if p.is_file()]
    assert any("storage" in p.parts for p in stored)  # the assets' values were written there
    values = personal_values(SAMPLE)
    leaked = {str(p.relative_to(dagster_home)): sorted(v for v in values if v.encode() in p.read_bytes())[:3]
              for p in stored}
    assert {path: found for path, found in leaked.items() if found} == {}
    assert not any(runs_folder(tmp_path / "home").iterdir())  # the run's folder went once it published


def test_a_run_in_flight_keeps_its_rows_owner_only_and_an_erasure_removes_them(tmp_path: Path, neo4j_env):
    home = tmp_path / "home"
    assert _materialise(home, tmp_path / "dagster", SYNC_ASSETS[:3]).success  # resolved, not yet published
    (run,) = runs_folder(home).iterdir()
    files = [p for p in run.rglob("*") if p.is_file()]
    assert files and all(p.stat().st_mode & 0o077 == 0 for p in files)
    assert run.stat().st_mode & 0o077 == 0
    from services.erasure import remove_every_run

    assert remove_every_run(home) == 1 and not run.exists()
