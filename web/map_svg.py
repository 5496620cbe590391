"""The City map of the audience builder, drawn from our own postcode directory (no tiles, no CDN).

Pure: postcode centroids in, an SVG model out (the markup is templates/audience_map.html). The
projection is equirectangular with longitude shrunk by the cosine of the middle latitude, which
keeps shapes and distances true to within a fraction of a per cent across a few kilometres.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

METRES_PER_DEGREE_LATITUDE = 111_195.0  # great-circle metres per degree on the mean Earth radius
# Twelve colours that stay apart from each other and from the white background.
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#ff7f0e", "#393b79", "#637939")


@dataclass(frozen=True)
class Projection:
    """Latitude and longitude to SVG user units and back: x grows east, y grows south."""

    west: float
    north: float
    px_per_degree_lat: float
    px_per_degree_lon: float
    margin: float

    def to_xy(self, lat: float, lon: float) -> tuple[float, float]:
        return (self.margin + (lon - self.west) * self.px_per_degree_lon,
                self.margin + (self.north - lat) * self.px_per_degree_lat)

    def to_lat_lon(self, x: float, y: float) -> tuple[float, float]:
        return (self.north - (y - self.margin) / self.px_per_degree_lat,
                self.west + (x - self.margin) / self.px_per_degree_lon)

    @property
    def metres_per_px(self) -> float:
        return METRES_PER_DEGREE_LATITUDE / self.px_per_degree_lat


@dataclass(frozen=True)
class MapPoint:
    code: str
    ward: str
    x: float
    y: float
    colour: str


@dataclass(frozen=True)
class WardLabel:
    name: str
    x: float
    y: float
    colour: str


@dataclass(frozen=True)
class CityMap:
    width: int
    height: int
    projection: Projection
    points: tuple[MapPoint, ...]
    labels: tuple[WardLabel, ...]


def fit_projection(points: Sequence[tuple[float, float]], width: int = 800,
                   margin: float = 40) -> tuple[Projection, int]:
    """The projection fitting ``points`` (lat, lon) into ``width`` user units, and the height it needs."""
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    shrink = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * shrink, 1e-4)
    span_y = max(north - south, 1e-4)
    px_per_degree_lat = (width - 2 * margin) / span_x  # fit the width; the height follows the shape
    projection = Projection(west=west, north=north, px_per_degree_lat=px_per_degree_lat,
                            px_per_degree_lon=px_per_degree_lat * shrink, margin=margin)
    return projection, math.ceil(span_y * px_per_degree_lat + 2 * margin)


def city_map(postcodes: Sequence[dict], width: int = 800) -> CityMap | None:
    """Postcodes (``code``, ``latitude``, ``longitude``, ``ward``) as coloured points, one label per ward
    at the middle of its postcodes; None when no postcode has a centroid."""
    located = [p for p in postcodes if p.get("latitude") is not None and p.get("longitude") is not None]
    if not located:
        return None
    projection, height = fit_projection([(p["latitude"], p["longitude"]) for p in located], width)
    wards = sorted({p["ward"] for p in located if p["ward"]})
    colours = {ward: PALETTE[i % len(PALETTE)] for i, ward in enumerate(wards)}
    points = []
    for p in located:
        x, y = projection.to_xy(p["latitude"], p["longitude"])
        points.append(MapPoint(p["code"], p["ward"], round(x, 1), round(y, 1), colours.get(p["ward"], "#444444")))
    labels = []
    for ward in wards:
        inside = [point for point in points if point.ward == ward]
        labels.append(WardLabel(ward, round(sum(p.x for p in inside) / len(inside), 1),
                                round(sum(p.y for p in inside) / len(inside), 1), colours[ward]))
    return CityMap(width, height, projection, tuple(points), tuple(labels))
