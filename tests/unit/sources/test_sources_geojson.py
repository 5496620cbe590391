"""Ward boundaries files (kind wards): GeoJSON read, every feature accounted for, clear messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kernel.reasons import RowReason
from sources import SourceSpec, load_manifest, load_source
from sources.model import COLUMNS_BY_KIND, QUARANTINE_COLUMNS
from sync.shrink import emptied

SQUARE = [[-0.095, 51.513], [-0.090, 51.513], [-0.090, 51.516], [-0.095, 51.516], [-0.095, 51.513]]
HOLE = [[-0.094, 51.514], [-0.091, 51.514], [-0.091, 51.515], [-0.094, 51.514]]
EAST = [[-0.085, 51.513], [-0.080, 51.513], [-0.080, 51.516], [-0.085, 51.513]]
BOW_TIE = [[-0.095, 51.513], [-0.090, 51.516], [-0.090, 51.513], [-0.095, 51.516], [-0.095, 51.513]]


def feature(properties: dict | None, coordinates: object = (SQUARE,), kind: str = "Polygon", **extra) -> dict:
    return {"type": "Feature", "properties": properties, **extra,
            "geometry": {"type": kind, "coordinates": json.loads(json.dumps(coordinates))}}


def collection(*features: dict, **extra) -> dict:
    return {"type": "FeatureCollection", **extra, "features": list(features)}


def load(tmp_path: Path, document: object, name: str = "wards.geojson", columns: dict | None = None):
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return load_source(SourceSpec(name="wards", kind="wards", path=path, label=name, columns=columns or {}))


def reasons(batch) -> list[tuple[int, str, str]]:
    return list(batch.quarantine[["row_number", "code", "reason"]].itertuples(index=False, name=None))


def test_every_feature_is_a_row_or_quarantined_and_the_boundary_is_compact_geojson(tmp_path):
    batch = load(tmp_path, collection(
        feature({"WD24NM": "Cheap", "WD24CD": "E05009297"}, id="E05009297"),
        feature({"name": " Bread   Street "}, [[SQUARE, HOLE], [EAST]], "MultiPolygon"),
        feature({"ward": "Tower"}, [[p + [12.5] for p in SQUARE]]),
        feature({"description": "no name"})))
    assert batch.failure is None, batch.failure
    assert batch.rows_read == 4 and len(batch.rows) + len(batch.quarantine) == 4
    assert tuple(batch.rows.columns) == COLUMNS_BY_KIND["wards"]
    assert tuple(batch.quarantine.columns) == QUARANTINE_COLUMNS
    rows = batch.rows.to_dict("records")
    assert [(r["ref"], r["ward"], r["row_number"]) for r in rows] == [
        ("wards:E05009297", "Cheap", 1), ("wards:feature-2", "Bread Street", 2), ("wards:feature-3", "Tower", 3)]
    assert json.loads(rows[0]["boundary"]) == {"type": "Polygon", "coordinates": [SQUARE]}
    assert json.loads(rows[1]["boundary"])["type"] == "MultiPolygon"
    assert json.loads(rows[2]["boundary"])["coordinates"] == [SQUARE]  # heights dropped
    assert " " not in rows[0]["boundary"]
    assert batch.content_hash


def test_a_feature_without_a_name_is_quarantined_naming_the_file_feature_and_field(tmp_path):
    batch = load(tmp_path, collection(feature({"ward": "Cheap"}), feature({"name": "  "}), feature(None)))
    assert reasons(batch) == [
        (2, RowReason.MISSING_FIELD, "wards.geojson, feature 2: no ward name (the property name, ward or WDnnNM "
                                     "(such as WD24NM) is missing or blank)"),
        (3, RowReason.MISSING_FIELD, "wards.geojson, feature 3: no ward name (the property name, ward or WDnnNM "
                                     "(such as WD24NM) is missing or blank)")]
    assert batch.quarantine["record_id"].tolist() == ["feature-2", "feature-3"]


def test_the_manifest_may_name_the_property_that_holds_the_ward(tmp_path):
    batch = load(tmp_path, collection(feature({"WARD_LABEL": "Cheap", "name": "ignored"}), feature({"name": "x"})),
                 columns={"ward": "WARD_LABEL"})
    assert batch.rows["ward"].tolist() == ["Cheap"]
    assert reasons(batch)[0][2].endswith("no ward name (the property 'WARD_LABEL' is missing or blank)")


def test_the_newest_ons_name_wins_and_a_number_is_not_a_name(tmp_path):
    batch = load(tmp_path, collection(feature({"WD19NM": "Old", "WD24NM": "New"}), feature({"name": 7})))
    assert batch.rows["ward"].tolist() == ["New"]
    assert reasons(batch) == [(2, RowReason.INVALID_FIELD, "wards.geojson, feature 2: name: the ward name is not text")]


@pytest.mark.parametrize(("coordinates", "kind", "problem"), [
    ([SQUARE[:-1]], "Polygon", "geometry: ring 1 (the outline) is not closed (its last point is not its first)"),
    ([[SQUARE[0], SQUARE[1], SQUARE[0]]], "Polygon",
     "geometry: ring 1 (the outline) has 3 points; a ring needs at least 4 (its first point repeated as its last)"),
    ([[EAST], [SQUARE[:-1]]], "MultiPolygon",
     "geometry: ring 1 of polygon 2 (the outline) is not closed (its last point is not its first)"),
    ([SQUARE, HOLE[:-1] + [[-0.093, 51.5145]]], "Polygon",
     "geometry: ring 2 (a hole) is not closed (its last point is not its first)"),
    ([BOW_TIE], "Polygon", "geometry: the outline crosses itself or encloses no area near (-0.0925, 51.5145)"),
    ([[["a", "b"], [1, 2], [3, 4], ["a", "b"]]], "Polygon",
     "geometry: ring 1 (the outline) is not a list of [longitude, latitude] positions"),
    ([-0.09, 51.51], "Point", "geometry: type 'Point' is not a Polygon or MultiPolygon"),
    ([], "Polygon", "geometry: has no coordinates"),
])
def test_a_bad_ring_quarantines_its_feature_with_a_reason(tmp_path, coordinates, kind, problem):
    batch = load(tmp_path, collection(feature({"name": "Cheap"}), feature({"name": "Tower"}, coordinates, kind)))
    assert batch.failure is None, batch.failure
    assert batch.rows["ward"].tolist() == ["Cheap"]
    assert reasons(batch) == [(2, RowReason.INVALID_FIELD, f"wards.geojson, feature 2: {problem}")]


def test_a_feature_without_geometry_or_not_a_feature_is_quarantined(tmp_path):
    batch = load(tmp_path, collection({"type": "Feature", "properties": {"name": "Cheap"}, "geometry": None},
                                      {"type": "Polygon", "coordinates": [SQUARE]}, "text"))
    assert [r[2] for r in reasons(batch)] == ["wards.geojson, feature 1: geometry: missing",
                                             "wards.geojson, feature 2: is not a GeoJSON Feature",
                                             "wards.geojson, feature 3: is not a GeoJSON Feature"]


def test_a_ward_or_an_id_given_twice_keeps_the_first(tmp_path):
    batch = load(tmp_path, collection(feature({"name": "Cheap"}, id="A"), feature({"name": "CHEAP"}),
                                      feature({"name": "Tower"}, id="A")))
    assert batch.rows["ward"].tolist() == ["Cheap"]
    assert reasons(batch) == [
        (2, RowReason.DUPLICATE_RECORD_ID, "wards.geojson, feature 2: ward 'CHEAP' is also feature 1 (a ward has "
                                           "one boundary; the first is used)"),
        (3, RowReason.DUPLICATE_RECORD_ID, "wards.geojson, feature 3: id: A is used again (first by feature 1)")]


@pytest.mark.parametrize(("text", "failure"), [
    ("", "wards.geojson: the file is empty"),
    ('{"type": "FeatureCollection", "features": [', "wards.geojson: is not JSON (line 1, column 44: Expecting value)"),
    ("type,name\nPolygon,Cheap\n", "wards.geojson: is not JSON (line 1, column 1: Expecting value)"),
    ('{"type": "FeatureCollection", "features": [NaN]}', "wards.geojson: is not JSON (NaN is not a number JSON "
                                                         "allows)"),
    ("[" * 100_000 + "]" * 100_000, "wards.geojson: is not usable JSON: nested too deeply"),
    ('{"type": "Feature", "geometry": null}', "wards.geojson: is not a GeoJSON FeatureCollection (its type is "
                                              "'Feature'); a wards file is a FeatureCollection of Polygon or "
                                              "MultiPolygon features"),
    ("[1, 2]", "wards.geojson: is not a GeoJSON FeatureCollection (it is a JSON list); a wards file is a "
               "FeatureCollection of Polygon or MultiPolygon features"),
    ('{"type": "FeatureCollection"}', "wards.geojson: the FeatureCollection has no 'features' list"),
    ('{"type": "FeatureCollection", "features": []}', "wards.geojson: the FeatureCollection is empty"),
])
def test_a_file_that_is_not_a_feature_collection_fails_the_source(tmp_path, text, failure):
    batch = load(tmp_path, text)
    assert batch.failure == failure
    assert batch.rows_read == 0 and batch.rows.empty


def test_an_empty_feature_collection_is_an_emptied_source_for_the_shrink_protection(tmp_path):
    assert emptied(load(tmp_path, collection()))
    assert not emptied(load(tmp_path, "not json"))


def test_bytes_that_are_not_utf8_fail_the_source(tmp_path):
    path = tmp_path / "wards.json"
    path.write_bytes(b'{"type": "FeatureCollection", "name": "\xe9"}')
    batch = load_source(SourceSpec(name="wards", kind="wards", path=path, label="wards.json"))
    assert batch.failure == "wards.json: is not UTF-8 text (a GeoJSON file is UTF-8)"


@pytest.mark.parametrize("crs", ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326",
                                 "http://www.opengis.net/def/crs/OGC/1.3/CRS84"])
def test_a_crs_naming_wgs84_is_accepted(tmp_path, crs):
    batch = load(tmp_path, collection(feature({"name": "Cheap"}), crs={"type": "name", "properties": {"name": crs}}))
    assert batch.failure is None and batch.rows["ward"].tolist() == ["Cheap"]


def test_a_crs_naming_the_british_national_grid_fails_the_source(tmp_path):
    batch = load(tmp_path, collection(feature({"name": "Cheap"}), crs={
        "type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}))
    assert batch.failure == ("wards.geojson: its coordinates are in 'urn:ogc:def:crs:EPSG::27700' (British National "
                             "Grid), not WGS-84 longitude and latitude; export the file in WGS-84 (CRS84 / EPSG:4326)")


def test_a_crs_that_names_nothing_fails_the_source(tmp_path):
    batch = load(tmp_path, collection(feature({"name": "Cheap"}), crs={"type": "link", "properties": {"href": "x"}}))
    assert batch.failure.startswith("wards.geojson: its 'crs' does not name a coordinate reference system")


def test_eastings_and_northings_fail_the_source_naming_the_feature(tmp_path):
    grid = [[532000, 181000], [532500, 181000], [532500, 181400], [532000, 181000]]
    batch = load(tmp_path, collection(feature({"name": "Cheap"}), feature({"name": "Tower"}, [grid])))
    assert batch.failure == ("wards.geojson: feature 2: geometry: coordinates (532000, 181000) are not a longitude "
                             "(-180 to 180) and latitude (-90 to 90); they look like British National Grid eastings "
                             "and northings (EPSG:27700); export the file in WGS-84 (CRS84 / EPSG:4326)")
    assert batch.rows_read == 0


def test_a_latitude_beyond_the_pole_fails_the_source(tmp_path):
    batch = load(tmp_path, collection(feature({"name": "Cheap"}, [[[0, 95], [1, 95], [1, 96], [0, 95]]])))
    assert batch.failure.startswith("wards.geojson: feature 1: geometry: coordinates (0, 95) are not a longitude")


def test_the_manifest_takes_geojson_and_json_paths_for_wards_only(tmp_path):
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("sources:\n"
                        "  - {name: wards, kind: wards, path: wards.geojson}\n"
                        "  - {name: wards-json, kind: wards, path: wards.json}\n"
                        "  - {name: wards-csv, kind: wards, path: wards.csv}\n"
                        "  - {name: contacts, kind: contacts, directorate: X, path: c.geojson}\n", encoding="utf-8")
    problems = {spec.name: spec.problem for spec in load_manifest(manifest)}
    assert problems == {"wards": None, "wards-json": None,
                        "wards-csv": "path 'wards.csv' must end in .geojson or .json",
                        "contacts": "path 'c.geojson' must end in .xlsx or .csv"}


def test_a_missing_wards_file_fails_the_source(tmp_path):
    batch = load_source(SourceSpec(name="wards", kind="wards", path=tmp_path / "gone.geojson", label="gone.geojson"))
    assert batch.failure == "gone.geojson: file not found"
