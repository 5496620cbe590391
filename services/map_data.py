"""The map of the audience builder and the profile pages, as one GeoJSON FeatureCollection.

Features carry ``properties.layer``: ``ward`` (Polygon or MultiPolygon: the published boundary, or an
approximate outline of its postcodes, ``approximate: true``, ``boundary_source: "approximate"``),
``postcode`` (Point: code, ward, ward_key) and ``premises`` (Point at a postcode: the premises there,
name and first address line). Places only: nothing about people, and nothing the role may not see
(graph.map_data). ``tiles``, a foreign member, says which tile layer to draw, or null for none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from graph.store import GraphStore
from graph.ward_outline import approximate_outline

APPROXIMATE = "approximate"  # boundary_source of an outline computed from the ward's postcodes


@dataclass(frozen=True)
class TileLayer:
    """A tile URL template (``{z}/{x}/{y}``) and the attribution its provider asks for, as plain text."""

    url: str
    attribution: str


def map_features(store: GraphStore, can_see_restricted: bool, tiles: TileLayer | None = None) -> dict:
    """Wards, postcodes and premises as the role may see them, with the tile layer to draw under them."""
    features = [*_wards(store.map_wards(can_see_restricted)),
                *(_point(p["longitude"], p["latitude"], {"layer": "postcode", "code": p["code"], "ward": p["ward"],
                                                         "ward_key": p["ward_key"]})
                  for p in store.map_postcodes(can_see_restricted)),
                *_premises(store.map_premises(can_see_restricted))]
    return {"type": "FeatureCollection", "features": features,
            "tiles": {"url": tiles.url, "attribution": tiles.attribution} if tiles else None}


def _wards(rows: list[dict]) -> list[dict]:
    features = []
    for row in rows:
        geometry = _published(row["boundary"])
        source = row["boundary_source"]
        if geometry is None:
            geometry, source = approximate_outline(row["points"]), APPROXIMATE
        if geometry is None:  # no boundary and no postcode the role may see: nothing to draw
            continue
        features.append({"type": "Feature", "geometry": geometry,
                         "properties": {"layer": "ward", "key": row["key"], "name": row["name"],
                                        "boundary_source": source, "approximate": source == APPROXIMATE}})
    return features


def _published(boundary: str | None) -> dict | None:
    if not boundary:
        return None
    try:
        geometry = json.loads(boundary)
    except ValueError:  # written by sources.geojson, so never; an outline is better than no ward
        return None
    return geometry if isinstance(geometry, dict) and geometry.get("type") in ("Polygon", "MultiPolygon") else None


def _premises(rows: list[dict]) -> list[dict]:
    """One point per postcode that has premises, listing them (they share its centroid)."""
    by_postcode: dict[str, dict] = {}
    for row in rows:
        feature = by_postcode.setdefault(row["postcode"], _point(
            row["longitude"], row["latitude"], {"layer": "premises", "postcode": row["postcode"], "premises": []}))
        feature["properties"]["premises"].append({"name": row["name"], "address": row["address"]})
    return list(by_postcode.values())


def _point(lon: float, lat: float, properties: dict) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}
