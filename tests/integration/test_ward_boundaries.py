"""Ward boundaries through the real sync: a wards GeoJSON file in the manifest ends on the Ward nodes, and the
map read from the graph shows places only, none known only through a restricted contact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.store import GraphStore
from services.map_data import map_features

from .cli_helpers import Cli, write
from .test_sync_and_audience import KEYHOLDERS, MANIFEST, city  # noqa: F401  (fixture)

pytestmark = pytest.mark.neo4j

# Sam Secret (restricted on the ecd list) also holds the keys of an office whose postcode the directory lacks.
SECRET_OFFICE = "K3,100003,Secret Office,9 Lime Street,EC3M 7AA,,Sam Secret,07700900333,,1,2024-01-10\n"


def square(lon: float, lat: float, half: float = 0.002) -> list:
    corners = [(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)]
    return [[[round(lon + x * half, 7), round(lat + y * half, 7)] for x, y in corners]]  # as the reader keeps them


def wards_file(*features: tuple[str, list], crs: str | None = None) -> str:
    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"WD24NM": name}, "geometry": {"type": "Polygon", "coordinates": rings}}
        for name, rings in features]}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(document)


CHEAP, TOWER, PORTSOKEN = square(-0.093, 51.5149), square(-0.0766, 51.5098), square(-0.074, 51.514)
UNCLOSED = [CHEAP[0][:-1]]


@pytest.fixture
def cli(capsys, monkeypatch, neo4j_connection, neo4j_driver, tmp_path) -> Cli:
    return Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")


@pytest.fixture
def manifest(city: Path) -> Path:  # noqa: F811
    write(city.parent / "keyholders.csv", KEYHOLDERS.lstrip("\n") + SECRET_OFFICE)
    write(city.parent / "wards.geojson", wards_file(("Cheap", CHEAP), ("Tower", TOWER), ("Bridge", UNCLOSED),
                                                    ("Portsoken", PORTSOKEN)))
    return write(city, MANIFEST + "  - {name: ons-wards, kind: wards, path: wards.geojson}\n")


def _wards(driver) -> dict[str, dict]:
    with driver.session() as session:
        rows = session.run("MATCH (w:Ward) OPTIONAL MATCH (w)-[:FROM_SOURCE]->(s:Source) "
                           "RETURN w.key AS key, w {.*} AS ward, collect(s.name) AS sources").data()
    return {r["key"]: {**r["ward"], "sources": sorted(r["sources"])} for r in rows}


def test_a_wards_file_puts_each_boundary_on_its_ward_and_a_bad_feature_in_quarantine(cli, manifest, neo4j_driver):
    result = cli("sync", "--manifest", str(manifest))
    assert result.code == 0, result.err
    assert "ons-wards (wards): synced, 4 rows read, 3 used, 1 quarantined" in result.err
    wards = _wards(neo4j_driver)
    assert json.loads(wards["cheap"]["boundary"]) == {"type": "Polygon", "coordinates": CHEAP}
    assert (wards["cheap"]["name"], wards["cheap"]["boundary_source"], wards["cheap"]["sources"]) == (
        "Cheap", "ons-wards", ["ons-wards", "onspd"])  # its boundary's source, and the directory naming it
    assert json.loads(wards["tower"]["boundary"])["coordinates"] == TOWER
    assert wards["portsoken"]["name"] == "Portsoken"  # a ward the postcode directory does not name yet
    assert "boundary" not in wards["cornhill"] and wards["cornhill"]["sources"] == ["onspd"]
    quarantined = [r for r in cli("export", "quarantine").csv_rows() if r["source"] == "ons-wards"]
    assert quarantined == [{"source": "ons-wards", "record_id": "feature-3", "reason":
                            "wards.geojson, feature 3: geometry: ring 1 (the outline) is not closed (its last point "
                            "is not its first)"}]
    assert cli("sync", "--manifest", str(manifest)).err.count("nothing changed") == 1

    # a ward taken out of the file loses its boundary; a file in another coordinate system is held back
    write(manifest.parent / "wards.geojson", wards_file(("Tower", TOWER), ("Portsoken", PORTSOKEN),
                                                        ("Bridge", UNCLOSED)))
    assert cli("sync", "--manifest", str(manifest), "--accept-shrink", "ons-wards").code == 0
    wards = _wards(neo4j_driver)
    assert "boundary" not in wards["cheap"] and "boundary_source" not in wards["cheap"]
    assert wards["tower"]["boundary_source"] == "ons-wards"
    write(manifest.parent / "wards.geojson", wards_file(("Tower", TOWER), crs="urn:ogc:def:crs:EPSG::27700"))
    held = cli("sync", "--manifest", str(manifest))
    assert held.code == 3
    assert "ons-wards (wards): held back" in held.err and "not WGS-84 longitude and latitude" in held.err
    assert "Traceback" not in held.err
    assert _wards(neo4j_driver)["portsoken"]["boundary_source"] == "ons-wards"  # its last good batch stands in


def test_the_map_shows_no_place_known_only_through_a_restricted_contact(cli, manifest, neo4j_connection):
    assert cli("sync", "--manifest", str(manifest)).code == 0
    with GraphStore(neo4j_connection) as store:
        with store.session() as session:
            holder = session.run("MATCH (c:Contact)-[:KEYHOLDER_OF]->(:Premises {name: 'Secret Office'}) "
                                 "RETURN c.restricted AS restricted, c.id AS id").data()
            assert holder and all(h["restricted"] for h in holder), "the office's only keyholder is restricted"
        # a postcode without a centroid (not in the directory, no lookup API) is not on anyone's map
        assert "EC3M 7AA" not in {p["code"] for p in store.map_postcodes(True)}
        assert "Secret Office" not in json.dumps(store.map_premises(True))
        with store.session() as session:
            # as if the postcode lookup API had placed the office's postcode
            session.run("MATCH (p:Postcode {code: 'EC3M 7AA'}) SET p.latitude = 51.5128, p.longitude = -0.0817, "
                        "p.location = point({latitude: 51.5128, longitude: -0.0817})").consume()
        for spoc, shown in ((True, True), (False, False)):
            found = map_features(store, spoc)
            text = json.dumps(found)
            codes = {f["properties"]["code"] for f in found["features"] if f["properties"]["layer"] == "postcode"}
            assert codes >= {"EC2R 8AH", "EC2V 7HH", "EC3N 4AB", "EC4M 7AA"}
            assert ("EC3M 7AA" in codes) is shown and ("Secret Office" in text) is shown
            assert "Sam" not in text and "Secret@" not in text and holder[0]["id"] not in text
            assert {f["properties"]["name"]: f["properties"]["approximate"] for f in found["features"]
                    if f["properties"]["layer"] == "ward"} == {
                "Cheap": False, "Cornhill": True, "Farringdon Within": True, "Portsoken": False, "Tower": False}
