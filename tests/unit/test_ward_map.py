"""Ward boundaries from source batch to load rows, the approximate outline, and the map's GeoJSON (pure)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, shape

from graph.load_plan import build_load_plan
from graph.ward_boundaries import ward_boundary_rows
from graph.ward_outline import MARGIN_M, METRES_PER_DEGREE_LATITUDE, approximate_outline
from pipelines.settings import Settings, SettingsError
from resolution.resolve import resolve
from resolution.wards import ward_boundaries
from services.map_data import TileLayer, map_features
from sources.model import COLUMNS_BY_KIND, QUARANTINE_COLUMNS, SourceBatch, SourceSpec
from sync.accounting import unaccounted_rows
from web.config import WebConfig, tile_source

SQUARE = {"type": "Polygon", "coordinates": [[[-0.1, 51.5], [-0.09, 51.5], [-0.09, 51.51], [-0.1, 51.5]]]}


def wards_batch(name: str, wards: list[str], quarantined: int = 0) -> SourceBatch:
    rows = pd.DataFrame([{"ref": f"{name}:feature-{i}", "source": name, "record_id": f"feature-{i}", "row_number": i,
                          "flags": [], "ward": ward, "boundary": json.dumps(SQUARE)}
                         for i, ward in enumerate(wards, start=1)], columns=list(COLUMNS_BY_KIND["wards"]))
    quarantine = pd.DataFrame([(name, f"feature-{100 + i}", 100 + i, "no ward name", "missing_field")
                               for i in range(quarantined)], columns=list(QUARANTINE_COLUMNS))
    return SourceBatch(spec=SourceSpec(name=name, kind="wards", path=Path(f"{name}.geojson")), rows=rows,
                       quarantine=quarantine, rows_read=len(wards) + quarantined)


def test_the_first_source_by_name_gives_a_ward_its_boundary_and_every_row_is_kept_as_a_ref():
    table = ward_boundaries([wards_batch("b-wards", ["Cheap", "Tower"]), wards_batch("a-wards", ["CHEAP"])])
    assert table[["key", "ward", "source"]].values.tolist() == [["cheap", "CHEAP", "a-wards"],
                                                                ["tower", "Tower", "b-wards"]]
    assert table["refs"].tolist() == [["a-wards:feature-1", "b-wards:feature-1"], ["b-wards:feature-2"]]


def test_every_ward_feature_is_accounted_for_once():
    batches = [wards_batch("wards", ["Cheap", "Tower"], quarantined=1)]
    world = resolve(batches)
    assert world.ward_boundaries["key"].tolist() == ["cheap", "tower"]
    assert unaccounted_rows(batches, world) == []
    world.ward_boundaries = world.ward_boundaries.iloc[:1]
    assert unaccounted_rows(batches, world) == ["wards:feature-2: seen 0 times"]


def test_every_known_ward_gets_a_load_row_and_one_without_a_boundary_clears_it():
    world = resolve([wards_batch("wards", ["Cheap"])])
    world.postcodes = pd.DataFrame({"postcode": ["EC2V 7HH", "EC3N 4AB", "EC1A 1BB"], "ward": ["Cheap", "Tower", ""]})
    rows = ward_boundary_rows(world)
    assert [(r["ward"], r["source"], r["boundary"] is None) for r in rows] == [("Cheap", "wards", False),
                                                                               ("Tower", None, True)]
    steps = build_load_plan(resolve([wards_batch("wards", ["Cheap"])]), [])
    assert steps[-1].name == "ward boundaries" and steps[-1].rows[0]["ward"] == "Cheap"
    assert "row.boundary" in steps[-1].statement and "toLower(row.ward)" in steps[-1].statement


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = a, b
    return math.hypot((lon1 - lon2) * math.cos(math.radians(lat1)), lat1 - lat2) * METRES_PER_DEGREE_LATITUDE


def test_the_outline_of_three_or_more_postcodes_is_their_hull_with_a_margin():
    points = [[-0.095, 51.513], [-0.090, 51.513], [-0.0925, 51.516], [-0.0925, 51.514], [-0.095, 51.513]]
    outline = shape(approximate_outline(points))
    assert outline.geom_type == "Polygon" and outline.is_valid
    hull = shapely.MultiPoint([tuple(p) for p in points]).convex_hull
    assert outline.contains(hull)
    for corner in hull.exterior.coords:  # the margin is about as wide in metres whichever way it points
        nearest = outline.exterior.interpolate(outline.exterior.project(Point(corner)))
        assert _metres(corner, (nearest.x, nearest.y)) == pytest.approx(MARGIN_M, rel=0.05)


@pytest.mark.parametrize("points", [[[-0.09, 51.51]], [[-0.09, 51.51], [-0.09, 51.51]],
                                    [[-0.09, 51.51], [-0.091, 51.511]],
                                    [[-0.09, 51.51], [-0.091, 51.511], [-0.092, 51.512]]])
def test_fewer_than_three_distinct_postcodes_or_a_line_get_a_small_circle_or_band_around_them(points):
    outline = shape(approximate_outline(points))
    assert outline.geom_type == "Polygon" and outline.is_valid
    assert all(outline.contains(Point(p)) for p in points)
    middle = outline.centroid
    if len({tuple(p) for p in points}) == 1:
        radii = [_metres((middle.x, middle.y), c) for c in outline.exterior.coords]
        assert min(radii) == pytest.approx(MARGIN_M, rel=0.05) and max(radii) == pytest.approx(MARGIN_M, rel=0.05)


def test_no_postcode_no_outline():
    assert approximate_outline([]) is None


class FakeStore:
    def __init__(self, wards: list[dict], postcodes: list[dict], premises: list[dict]):
        self.wards, self.postcodes, self.premises, self.asked = wards, postcodes, premises, []

    def map_wards(self, spoc):
        self.asked.append(spoc)
        return self.wards

    def map_postcodes(self, spoc):
        return self.postcodes

    def map_premises(self, spoc):
        return self.premises


def test_the_map_is_geojson_with_published_and_approximate_wards_postcodes_and_premises_per_postcode():
    store = FakeStore(
        wards=[{"key": "cheap", "name": "Cheap", "boundary": json.dumps(SQUARE), "boundary_source": "ons-wards",
                "points": []},
               {"key": "tower", "name": "Tower", "boundary": None, "boundary_source": None,
                "points": [[-0.08, 51.51], [-0.079, 51.511], [-0.078, 51.51]]},
               {"key": "empty", "name": "Empty", "boundary": None, "boundary_source": None, "points": []}],
        postcodes=[{"code": "EC2V 7HH", "latitude": 51.51, "longitude": -0.095, "ward": "Cheap", "ward_key": "cheap"},
                   {"code": "EC9Z 9ZZ", "latitude": 51.52, "longitude": -0.09, "ward": "", "ward_key": ""}],
        premises=[{"id": "P-1", "name": "Acme House", "address": "1 Poultry", "postcode": "EC2V 7HH",
                   "latitude": 51.51, "longitude": -0.095},
                  {"id": "P-2", "name": "Beta", "address": "", "postcode": "EC2V 7HH", "latitude": 51.51,
                   "longitude": -0.095}])
    found = map_features(store, False)
    assert store.asked == [False] and found["type"] == "FeatureCollection" and found["tiles"] is None
    layers = [(f["properties"]["layer"], f["geometry"]["type"]) for f in found["features"]]
    assert layers == [("ward", "Polygon"), ("ward", "Polygon"), ("postcode", "Point"), ("postcode", "Point"),
                      ("premises", "Point")]
    cheap, tower = (f["properties"] for f in found["features"][:2])
    assert (cheap["boundary_source"], cheap["approximate"]) == ("ons-wards", False)
    assert (tower["boundary_source"], tower["approximate"]) == ("approximate", True)
    assert found["features"][0]["geometry"] == SQUARE
    assert found["features"][2]["geometry"]["coordinates"] == [-0.095, 51.51]  # longitude first, as GeoJSON is
    assert found["features"][4]["properties"] == {"layer": "premises", "postcode": "EC2V 7HH", "premises": [
        {"name": "Acme House", "address": "1 Poultry"}, {"name": "Beta", "address": ""}]}
    tiles = map_features(store, True, TileLayer("https://tile.example/{z}/{x}/{y}.png", "© Example"))["tiles"]
    assert tiles == {"url": "https://tile.example/{z}/{x}/{y}.png", "attribution": "© Example"}
    json.dumps(found)  # all of it is JSON


def test_the_content_security_policy_allows_images_from_the_tile_host_only_when_one_is_set():
    assert "img-src 'self' data:;" in WebConfig().content_security_policy
    with_tiles = WebConfig(map_tiles="https://{s}.tile.example.org:8443/{z}/{x}/{y}.png").content_security_policy
    assert "img-src 'self' data: https://*.tile.example.org:8443;" in with_tiles
    assert tile_source("http://127.0.0.1:5123/tiles/{z}/{x}/{y}.png") == "http://127.0.0.1:5123"
    assert "default-src 'self'" in with_tiles and "script-src" not in with_tiles


def test_the_tile_settings_come_from_the_environment():
    template = " https://tile.openstreetmap.org/{z}/{x}/{y}.png "
    settings = Settings.from_env({"HOME": "/h", "STAKEHOLDERS_MAP_TILES": template})
    assert settings.map_tiles == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert settings.map_attribution == "© OpenStreetMap contributors"
    assert Settings.from_env({"HOME": "/h"}).map_tiles is None
    assert Settings.from_env({"HOME": "/h", "STAKEHOLDERS_MAP_ATTRIBUTION": "© Ours"}).map_attribution == "© Ours"


@pytest.mark.parametrize("template", ["tile.openstreetmap.org/{z}/{x}/{y}.png", "ftp://tiles.example/{z}/{x}/{y}",
                                      "https://tiles.example/{z}/{x}.png", "https://key:secret@tiles.example/{z}/{x}/{y}",
                                      "https://tiles.example:port/{z}/{x}/{y}", "https://a b/{z}/{x}/{y}",
                                      "https://tiles.example;script-src *;/{z}/{x}/{y}"])
def test_an_unusable_tile_template_is_refused_without_repeating_it(template):
    with pytest.raises(SettingsError, match="^STAKEHOLDERS_MAP_TILES: give a tile URL template") as refused:
        Settings.from_env({"HOME": "/h", "STAKEHOLDERS_MAP_TILES": template})
    assert "secret" not in str(refused.value)
