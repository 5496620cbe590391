"""An approximate outline for a ward no boundaries file describes, from its postcodes (pure).

Computed when the map is read, never stored: it follows the postcodes of the last sync by itself, and the
graph keeps only boundaries someone published. The outline is the convex hull of the ward's distinct
postcode centroids, widened by a margin so that the postcodes on its edge sit inside it. With fewer than
three distinct postcodes, or all on one line, there is no hull to widen: a ward of one postcode gets a small
circle (the margin) around it, and one of two, or of a line of them, a band that wide around the line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import shapely
from shapely import affinity
from shapely.geometry import MultiPoint, mapping

MARGIN_M = 40.0  # how far the outline keeps from the outermost postcodes
METRES_PER_DEGREE_LATITUDE = 111_195.0  # on the mean Earth radius
_DECIMALS = 6  # about 10 cm


def approximate_outline(points: Sequence[Sequence[float]], margin_m: float = MARGIN_M) -> dict | None:
    """A GeoJSON Polygon around ``points`` ([longitude, latitude] pairs); None without any point."""
    distinct = sorted({(float(lon), float(lat)) for lon, lat in points})
    if not distinct:
        return None
    # Degrees of longitude are shorter than degrees of latitude away from the equator: work in a plane
    # where both are as long, so that the margin is as wide east-west as north-south.
    middle = sum(lat for _, lat in distinct) / len(distinct)
    squeeze = math.cos(math.radians(middle))
    plane = affinity.scale(MultiPoint(distinct), xfact=squeeze, yfact=1.0, origin=(0, 0))
    area = plane.convex_hull.buffer(margin_m / METRES_PER_DEGREE_LATITUDE, quad_segs=8)
    outline = affinity.scale(area, xfact=1 / squeeze, yfact=1.0, origin=(0, 0))
    return mapping(shapely.set_precision(outline, 10 ** -_DECIMALS))
