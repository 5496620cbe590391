"""A source held back, or taken out of the manifest, keeps what it gave; the user is told everything:
its rows' reasons, and how to accept the change. Wards found through the lookup API stay found."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..postcodes_api import running_postcodes_api
from .cli_helpers import Cli, write
from .test_sync_and_audience import MANIFEST, city  # noqa: F401  (fixture)

pytestmark = pytest.mark.neo4j


@pytest.fixture
def cli(capsys, monkeypatch, neo4j_connection, clean_graph, tmp_path) -> Cli:
    return Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")


def _contacts_of(cli: Cli, source: str) -> set[str]:
    return {r["record_id"] for r in cli("export", "clusters").csv_rows() if r["source"] == source}


def test_a_source_left_out_of_the_manifest_is_held_back_until_its_removal_is_accepted(
        cli: Cli, city: Path):  # noqa: F811
    assert cli("sync", "--manifest", str(city)).code == 0
    before = _contacts_of(cli, "ct")
    assert before
    write(city, MANIFEST.replace("  - {name: ct, kind: contacts, directorate: Counter Terrorism, path: ct.csv}\n", ""))
    held = cli("sync", "--manifest", str(city))
    assert held.code == 3
    assert "ct (contacts): held back" in held.err and "--accept-removal ct" in held.err
    assert _contacts_of(cli, "ct") == before  # nothing retired

    refused = cli("sync", "--manifest", str(city), "--accept-removal", "ecd")
    assert refused.code == 1 and "the manifest still has: ecd" in refused.err

    accepted = cli("sync", "--manifest", str(city), "--accept-removal", "ct")
    assert accepted.code == 0, accepted.err
    assert _contacts_of(cli, "ct") == set()  # its rows retired at last
    assert cli("sync", "--manifest", str(city)).code == 0  # and it is not asked about again


def test_a_held_back_sources_row_reasons_are_in_the_quarantine_export(cli: Cli, city: Path):  # noqa: F811
    assert cli("sync", "--manifest", str(city)).code == 0
    postcodes = city.parent / "postcodes.csv"
    write(postcodes, postcodes.read_text() + "".join(f"EC1A {i}BB,91.0,-0.1,Aldersgate,City of London\n"
                                                     for i in range(1, 9)))
    assert cli("sync", "--manifest", str(city)).code == 3  # most rows unusable: the gate holds it back
    rows = [r for r in cli("export", "quarantine").csv_rows() if r["source"] == "onspd"]
    held = [r for r in rows if r["reason"].startswith("held back, not loaded: ")]
    assert len(held) == 8 and all("latitude" in r["reason"] for r in held)


def test_wards_found_through_the_lookup_api_stay_when_it_is_not_configured(
        cli: Cli, city: Path, monkeypatch, neo4j_driver):  # noqa: F811
    ecd = city.parent / "ecd.csv"
    write(ecd, ecd.read_text() + "E7,Ann,Lookup,,ann.lookup@example.co.uk,,EC2Y 8DS,resident,low,protest,y,,,\n")
    known = {"EC2Y 8DS": {"postcode": "EC2Y 8DS", "latitude": 51.5196, "longitude": -0.0936,
                          "admin_ward": "Cripplegate", "admin_district": "City of London"}}
    with running_postcodes_api(known) as api:
        monkeypatch.setenv("STAKEHOLDERS_POSTCODES_API", api.base_url)
        assert cli("sync", "--manifest", str(city)).code == 0
    monkeypatch.delenv("STAKEHOLDERS_POSTCODES_API")
    write(ecd, ecd.read_text() + "E8,Bo,Other,,bo.other@example.co.uk,,EC2R 8AH,resident,low,protest,y,,,\n")
    assert cli("sync", "--manifest", str(city)).code == 0  # a changed sync, with no API configured
    assert cli.audience_ids("--ward", "Cripplegate") == {"Ann Lookup"}
