"""Reading a ward boundaries file (manifest kind ``wards``): a GeoJSON FeatureCollection of ward polygons.

Like the spreadsheet readers it never raises for bad data. A file that cannot be used as a whole (not JSON,
not a FeatureCollection, not in WGS-84 longitude/latitude) fails the source with a message naming the file.
A feature that cannot be used (no ward name, a geometry that is not a valid polygon, a ward given twice)
is quarantined with a reason naming the file, the feature ("feature N", counted from 1) and the field.
Every feature ends as a row or in quarantine, as every row of a spreadsheet does (contract section 5).

Rows: ``ward`` (the name as written, whitespace collapsed) and ``boundary`` (the geometry as compact
GeoJSON text, positions as [longitude, latitude] rounded to 7 decimals, about a centimetre).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator

import shapely
from shapely.geometry import shape

from kernel.reasons import RowReason
from sources.model import COLUMNS_BY_KIND, QUARANTINE_COLUMNS, SourceBatch, SourceSpec, batch_frame
from sources.normalise.text import clean_id, clean_text, quoted
from sources.readers import DEFAULT_LIMITS, ReadLimits, SourceReadError, read_bytes

NAME_PROPERTIES = ("name", "ward")  # then any ONS-style WDnnNM (WD24NM), the newest year first
_ONS_NAME = re.compile(r"^WD\d\dNM$", re.IGNORECASE)
_WGS84 = (re.compile(r"(?:urn:ogc:def:crs:)?(?:ogc:(?:[\d.]*:)?)?crs84"),
          re.compile(r"(?:urn:ogc:def:crs:)?epsg:(?:[\d.]*:)?4326"),
          re.compile(r"https?://www\.opengis\.net/def/crs/(?:ogc/1\.3/crs84|epsg/\d+/4326)"))
_DECIMALS = 7
# Eastings and northings of the British National Grid: metres, far outside any longitude and latitude.
_BNG_HINT = "they look like British National Grid eastings and northings (EPSG:27700)"


class _Quarantined(Exception):
    def __init__(self, code: RowReason, text: str) -> None:
        super().__init__(text)
        self.code, self.text = code, text


def read_wards(spec: SourceSpec, limits: ReadLimits = DEFAULT_LIMITS) -> SourceBatch:
    """The ward boundaries of one ``wards`` source; raises SourceReadError when the file cannot be used."""
    shown = spec.shown_path
    data = read_bytes(spec.path, shown, limits)
    features = _features(shown, _document(shown, data), limits)
    _check_coordinates(shown, features)
    rows, quarantine = [], []
    first_id: dict[str, int] = {}
    first_ward: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        record_id = _record_id(feature, number)
        try:
            if record_id in first_id:
                raise _Quarantined(RowReason.DUPLICATE_RECORD_ID,
                                   f"id: {record_id} is used again (first by feature {first_id[record_id]})")
            first_id[record_id] = number
            ward, boundary = _ward(feature, spec.columns.get("ward"))
            key = ward.lower()
            if key in first_ward:
                raise _Quarantined(RowReason.DUPLICATE_RECORD_ID,
                                   f"ward {quoted(ward)} is also feature {first_ward[key]} (a ward has one "
                                   "boundary; the first is used)")
            first_ward[key] = number
        except _Quarantined as problem:
            quarantine.append({"source": spec.name, "record_id": record_id, "row_number": number,
                               "reason": f"{shown}, feature {number}: {problem.text}", "code": problem.code.value})
            continue
        rows.append({"ref": f"{spec.name}:{record_id}", "source": spec.name, "record_id": record_id,
                     "row_number": number, "flags": [], "ward": ward, "boundary": boundary})
    return SourceBatch(spec=spec, rows=batch_frame(rows, COLUMNS_BY_KIND["wards"]),
                       quarantine=batch_frame(quarantine, QUARANTINE_COLUMNS), rows_read=len(features),
                       content_hash=hashlib.sha256(data).hexdigest())


def _document(shown: str, data: bytes) -> object:
    if not data.strip():
        raise SourceReadError(f"{shown}: the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceReadError(f"{shown}: is not UTF-8 text (a GeoJSON file is UTF-8)") from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise SourceReadError(f"{shown}: is not JSON (line {error.lineno}, column {error.colno}: "
                              f"{error.msg})") from None
    except ValueError as error:
        raise SourceReadError(f"{shown}: is not JSON ({error})") from None
    except RecursionError:
        raise SourceReadError(f"{shown}: is not usable JSON: nested too deeply") from None


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _features(shown: str, document: object, limits: ReadLimits) -> list:
    kind = document.get("type") if isinstance(document, dict) else None
    if kind != "FeatureCollection":
        what = f"its type is {quoted(str(kind))}" if kind is not None else (
            "it has no 'type'" if isinstance(document, dict) else f"it is a JSON {_json_kind(document)}")
        raise SourceReadError(f"{shown}: is not a GeoJSON FeatureCollection ({what}); a wards file is a "
                              "FeatureCollection of Polygon or MultiPolygon features")
    _check_crs(shown, document.get("crs"))
    features = document.get("features")
    if not isinstance(features, list):
        raise SourceReadError(f"{shown}: the FeatureCollection has no 'features' list")
    if not features:
        raise SourceReadError(f"{shown}: the FeatureCollection is empty")
    if len(features) > limits.max_rows:
        raise SourceReadError(f"{shown}: has more than {limits.max_rows:,} features, more than a source may hold")
    return features


def _json_kind(value: object) -> str:
    return {list: "list", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")


def _check_crs(shown: str, crs: object) -> None:
    """A ``crs`` member (GeoJSON 2008; RFC 7946 dropped it) may only name WGS-84 longitude/latitude."""
    if crs is None:
        return
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) and isinstance(
        crs.get("properties"), dict) else None
    if not isinstance(name, str):
        raise SourceReadError(f"{shown}: its 'crs' does not name a coordinate reference system; remove it, or "
                              "export the file in WGS-84 (CRS84 / EPSG:4326)")
    if not any(pattern.fullmatch(name.strip().lower()) for pattern in _WGS84):
        hint = " (British National Grid)" if "27700" in name else ""
        raise SourceReadError(f"{shown}: its coordinates are in {quoted(name)}{hint}, not WGS-84 longitude and "
                              "latitude; export the file in WGS-84 (CRS84 / EPSG:4326)")


def _check_coordinates(shown: str, features: list) -> None:
    """Coordinates outside longitude/latitude ranges mean the whole file is in another system: the source fails."""
    for number, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
        for x, y in _numbers(coordinates):
            if not (-180 <= x <= 180 and -90 <= y <= 90):
                hint = f"; {_BNG_HINT}" if 0 <= x <= 800_000 and 0 <= y <= 1_400_000 else ""
                raise SourceReadError(
                    f"{shown}: feature {number}: geometry: coordinates ({x:g}, {y:g}) are not a longitude "
                    f"(-180 to 180) and latitude (-90 to 90){hint}; export the file in WGS-84 (CRS84 / "
                    "EPSG:4326)")


def _numbers(value: object, depth: int = 0) -> Iterator[tuple[float, float]]:
    """Every position of nested coordinate lists whose first two values are numbers."""
    if not isinstance(value, list) or depth > 4:
        return
    if len(value) >= 2 and all(_is_number(v) for v in value[:2]):
        yield float(value[0]), float(value[1])
        return
    for item in value:
        yield from _numbers(item, depth + 1)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _record_id(feature: object, number: int) -> str:
    """The feature's ``id`` member when it has one, else ``feature-<n>``."""
    raw = feature.get("id") if isinstance(feature, dict) else None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    found = clean_id(raw) if isinstance(raw, str) else None
    return found or f"feature-{number}"


def _ward(feature: object, chosen: str | None) -> tuple[str, str]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _Quarantined(RowReason.INVALID_FIELD, "is not a GeoJSON Feature")
    properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
    ward = _ward_name(properties, chosen)
    return ward, _boundary(feature.get("geometry"))


def _ward_name(properties: dict, chosen: str | None) -> str:
    by_lower = {str(key).lower(): key for key in properties}
    if chosen:
        keys = [chosen]
    else:
        keys = [by_lower[k] for k in NAME_PROPERTIES if k in by_lower]
        keys += sorted((key for key in properties if _ONS_NAME.match(str(key))), reverse=True)
    for key in keys:
        value = properties.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise _Quarantined(RowReason.INVALID_FIELD, f"{key}: the ward name is not text")
        name = clean_text(value)
        if name:
            return name
    wanted = repr(chosen) if chosen else "name, ward or WDnnNM (such as WD24NM)"
    raise _Quarantined(RowReason.MISSING_FIELD, f"no ward name (the property {wanted} is missing or blank)")


def _boundary(geometry: object) -> str:
    """The geometry as compact GeoJSON text, once it is a valid Polygon or MultiPolygon."""
    if geometry is None:
        raise _Quarantined(RowReason.MISSING_FIELD, "geometry: missing")
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        raise _Quarantined(RowReason.INVALID_FIELD, f"geometry: type {quoted(str(kind))} is not a Polygon or "
                                                    "MultiPolygon")
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise _Quarantined(RowReason.INVALID_FIELD, "geometry: has no coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    cleaned = [_polygon(polygon, number if kind == "MultiPolygon" else None)
               for number, polygon in enumerate(polygons, start=1)]
    result = {"type": kind, "coordinates": cleaned[0] if kind == "Polygon" else cleaned}
    area = shape(result)
    if not area.is_valid:
        raise _Quarantined(RowReason.INVALID_FIELD, f"geometry: {_invalid(shapely.is_valid_reason(area))}")
    return json.dumps(result, separators=(",", ":"))


def _polygon(polygon: object, number: int | None) -> list:
    of = f" of polygon {number}" if number is not None else ""
    if not isinstance(polygon, list) or not polygon:
        raise _Quarantined(RowReason.INVALID_FIELD, f"geometry: polygon {number or 1} has no rings")
    rings = []
    for index, ring in enumerate(polygon, start=1):
        where = f"ring {index}{of} ({'the outline' if index == 1 else 'a hole'})"
        if not isinstance(ring, list) or not all(isinstance(p, list) and len(p) >= 2 and _is_number(p[0])
                                                 and _is_number(p[1]) for p in ring):
            raise _Quarantined(RowReason.INVALID_FIELD, f"geometry: {where} is not a list of [longitude, "
                                                        "latitude] positions")
        if len(ring) < 4:
            raise _Quarantined(RowReason.INVALID_FIELD, f"geometry: {where} has {len(ring)} points; a ring needs "
                                                        "at least 4 (its first point repeated as its last)")
        if ring[0][:2] != ring[-1][:2]:
            raise _Quarantined(RowReason.INVALID_FIELD, f"geometry: {where} is not closed (its last point is "
                                                        "not its first)")
        rings.append([[round(float(p[0]), _DECIMALS), round(float(p[1]), _DECIMALS)] for p in ring])
    return rings


def _invalid(reason: str) -> str:
    """shapely's reason ("Self-intersection[-0.09 51.51]") in a steward's words."""
    found = re.match(r"^(.*?)\[(\S+) (\S+)\]$", reason)
    text, where = (found[1], f" near ({found[2]}, {found[3]})") if found else (reason, "")
    if "self-intersection" in text.lower():
        return f"the outline crosses itself or encloses no area{where}"
    return f"not a valid polygon: {text.lower()}{where}"


