"""Ward boundaries for the synthetic City: a GeoJSON FeatureCollection of WGS-84 polygons, one per ward.

Each postcode's Voronoi cell is given to its ward and a ward is the union of its postcodes' cells,
clipped to an outline of the City (the postcodes' convex hull, about 100 m wider). So every postcode
lies inside the boundary of the ward the postcodes file gives it, even the fixed real postcodes
whose ward is not the nearest centroid's. The cells are built with longitude scaled to ground
distance at the City's latitude, as geography.nearest_ward measures, so the shapes are not stretched.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

import shapely
from shapely.geometry import MultiPoint, Point, mapping
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

from synthetic.geography import Postcode

_LON_SCALE = math.cos(math.radians(51.515))
_OUTLINE_MARGIN = 0.0009  # degrees of latitude: about 100 m
_PRECISION = 1e-6  # degrees: about 0.1 m, the postcodes file's precision


def _to_plane(geometry):
    return shapely.transform(geometry, lambda xy: xy * [_LON_SCALE, 1.0])


def _to_degrees(geometry):
    return shapely.transform(geometry, lambda xy: xy / [_LON_SCALE, 1.0])


def ward_boundaries(postcodes: list[Postcode]) -> dict[str, shapely.Geometry]:
    """Ward name -> its boundary (Polygon or MultiPolygon) in longitude/latitude."""
    # Postcodes at the very same spot get one cell, given to the first of them by code.
    points: dict[tuple[float, float], str] = {}
    for postcode in sorted(postcodes, key=lambda p: p.code):
        points.setdefault((postcode.longitude, postcode.latitude), postcode.ward)
    plane_points = _to_plane(MultiPoint([Point(xy) for xy in points]))
    outline = plane_points.convex_hull.buffer(_OUTLINE_MARGIN, quad_segs=2)
    cells = shapely.voronoi_polygons(plane_points, extend_to=outline, ordered=True)
    by_ward: dict[str, list] = {}
    for cell, ward in zip(cells.geoms, points.values(), strict=True):
        by_ward.setdefault(ward, []).append(cell.intersection(outline))
    boundaries = {}
    for ward in sorted(by_ward):
        shape = shapely.set_precision(_to_degrees(unary_union(by_ward[ward])), _PRECISION)
        boundaries[ward] = orient(shape) if shape.geom_type == "Polygon" else shapely.MultiPolygon(
            [orient(part) for part in shape.geoms])
    return boundaries


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def write_ward_boundaries(path: Path, postcodes: list[Postcode], ward_codes: Mapping[str, str]) -> None:
    """reference/wards.geojson: one feature per ward, properties ``name`` and ``code`` (as in the postcodes file).

    One feature per line, so a change to one ward shows as one line in a diff.
    """
    features = []
    for ward, shape in ward_boundaries(postcodes).items():
        geometry = mapping(shape)
        feature = {"type": "Feature", "properties": {"name": ward, "code": ward_codes[ward]},
                   "geometry": {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}}
        features.append(json.dumps(feature, separators=(",", ":")))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n",
                    encoding="utf-8")
