"""The committed sample, synced exactly as `make run` does, checked against its known truth."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest

from ..postcodes_api import running_postcodes_api
from .cli_helpers import Cli

pytestmark = pytest.mark.neo4j

SAMPLE = Path(__file__).resolve().parents[2] / "sample"
# Postcodes the sample's contacts use but its postcode directory leaves out.
NOT_IN_DIRECTORY = {
    "EC1A 7BE": {"postcode": "EC1A 7BE", "latitude": 51.5178, "longitude": -0.0999, "admin_ward": "Farringdon Without",
                 "admin_district": "City of London"},
    "EC2Y 8DS": {"postcode": "EC2Y 8DS", "latitude": 51.5196, "longitude": -0.0936, "admin_ward": "Cripplegate",
                 "admin_district": "City of London"},
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("sample") / "sample"
    shutil.copytree(SAMPLE, copy)
    return copy / "manifest.yaml"


def truth_rows() -> list[dict]:
    with (SAMPLE / "truth.csv").open(newline="") as stream:
        return list(csv.DictReader(stream))


def test_every_sample_row_is_exactly_once_in_clusters_or_quarantine(capsys, monkeypatch, neo4j_connection,
                                                                     neo4j_driver, tmp_path, sample: Path):
    cli = Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")
    with running_postcodes_api(NOT_IN_DIRECTORY) as api:
        monkeypatch.setenv("STAKEHOLDERS_POSTCODES_API", api.base_url)
        result = cli("sync", "--manifest", str(sample))
        assert result.code == 0, result.err
        assert api.calls, "postcodes missing from the directory were looked up"

    contacts = Counter((r["source"], r["record_id"]) for r in cli("export", "clusters").csv_rows()
                       if r["entity_type"] == "contact")
    # truth.csv covers the contact lists and keyholders (the engagement record has truth files of its own)
    listed = {row["source"] for row in truth_rows()}
    quarantined = Counter((r["source"], r["record_id"]) for r in cli("export", "quarantine").csv_rows()
                          if r["source"] in listed)
    for row in truth_rows():
        ref = (row["source"], row["record_id"])
        where = (contacts[ref], quarantined[ref])
        assert where == ((1, 0) if row["usable"] == "true" else (0, 1)), f"{ref} is in {where}"
    assert sum(contacts.values()) + sum(quarantined.values()) == len(truth_rows())

    # a looked-up postcode places its contacts in their ward
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (p:Postcode {code: 'EC2Y 8DS'})-[:IN_WARD]->(w:Ward) RETURN w.name AS ward")
    assert [r["ward"] for r in records] == ["Cripplegate"]
    # and says where it came from: the lookup API, not a source; a directory postcode names its source
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (p:Postcode) WHERE p.code IN ['EC2Y 8DS', 'EC2R 8AH'] "
        "RETURN p.code AS code, p.origin AS origin, [(p)-[:FROM_SOURCE]->(s) | s.name] AS sources ORDER BY code")
    assert [(r["code"], r["origin"], sorted(r["sources"])) for r in records] == [
        ("EC2R 8AH", "sources", ["mosaic", "postcodes"]), ("EC2Y 8DS", "postcode lookup API", [])]
