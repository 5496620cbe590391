"""A manifest without a postcode directory, or whose directory is unusable on the first run, still syncs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .cli_helpers import Cli, write

pytestmark = pytest.mark.neo4j
SAMPLE = Path(__file__).resolve().parents[2] / "sample"


@pytest.fixture
def cli(capsys, monkeypatch, neo4j_connection, neo4j_driver, tmp_path) -> Cli:
    return Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")


def _manifest(folder: Path, postcodes: str | None) -> Path:
    shutil.copy(SAMPLE / "directorates" / "counter-terrorism.csv", folder / "ct.csv")
    text = "sources:\n- name: ct-contacts\n  kind: contacts\n  directorate: Counter Terrorism\n  path: ct.csv\n"
    if postcodes is not None:
        write(folder / "postcodes.csv", postcodes)
        text += "- name: postcodes\n  kind: postcodes\n  path: postcodes.csv\n"
    return write(folder / "manifest.yaml", text)


def test_contacts_alone_sync_without_a_postcode_directory(cli, tmp_path):
    result = cli("sync", "--manifest", str(_manifest(tmp_path, None)))
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    clusters = cli("export", "clusters").csv_rows()
    quarantined = cli("export", "quarantine").csv_rows()
    contact_rows = {r["record_id"] for r in clusters if r["entity_type"] == "contact"}
    assert len(contact_rows) + len(quarantined) == 116  # every row of the file


def test_a_header_only_postcode_directory_on_the_first_run_is_held_back_and_contacts_still_sync(cli, tmp_path):
    result = cli("sync", "--manifest", str(_manifest(tmp_path, "Postcode,Latitude,Longitude,Ward\n")))
    assert result.code == 3, result.err
    assert "postcodes (postcodes): held back" in result.err
    assert "Traceback" not in result.err
    assert {r["entity_type"] for r in cli("export", "clusters").csv_rows()} >= {"contact"}
