"""Turn the audience command's --near value into a latitude and longitude."""

from __future__ import annotations

import re
from collections.abc import Callable

from graph.store import GraphStore
from kernel.errors import StakeholdersError
from sources.normalise.postcode import parse_postcode
from sources.postcode_lookup import PostcodeLookup

_LAT_LON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


class LocationError(StakeholdersError, ValueError):
    pass


def resolve_location(text: str, store: GraphStore, lookup: PostcodeLookup | None,
                     warn: Callable[[str], None] = lambda message: None) -> tuple[float, float]:
    """A "LAT,LON" pair, or a postcode found in the graph or, failing that, through the lookup API."""
    pair = _LAT_LON.match(text)
    if pair:
        lat, lon = float(pair[1]), float(pair[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise LocationError(f"--near {text}: latitude must be within ±90 and longitude within ±180")
        return lat, lon
    postcode, problem = parse_postcode(text)
    if postcode is None:
        raise LocationError(f"--near {text}: {problem or 'give a postcode or LAT,LON'}")
    location = store.postcode_location(postcode)
    if location is None and lookup is not None:
        found = lookup.lookup([postcode]).get(postcode)
        location = (found.latitude, found.longitude) if found and found.latitude is not None else None
    if location is None:
        location = _area_centre(postcode, store, warn)
    if location is None:
        hint = "" if lookup is not None and lookup.online else " (set STAKEHOLDERS_POSTCODES_API to look it up)"
        raise LocationError(f"--near {postcode}: neither the postcode nor its sector or district is in the "
                            f"postcode directory{hint}")
    return location


def _area_centre(postcode: str, store: GraphStore, warn: Callable[[str], None]) -> tuple[float, float] | None:
    # A new or mistyped postcode still has a sector ("EC2R 8") or district ("EC2R") we know:
    # its centre answers the question approximately, and the user is told so.
    outward, inward = postcode.split(" ")
    for prefix, area in ((f"{outward} {inward[0]}", "sector"), (f"{outward} ", "district")):
        found = store.postcode_area_centre(prefix)
        if found:
            (lat, lon), count = found
            warn(f"--near {postcode}: not in the postcode directory; using the centre of {area} "
                 f"{prefix.strip()} ({count} known postcodes)")
            return lat, lon
    return None
