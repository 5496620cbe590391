"""Audience selection: filters in, one parameterised Cypher query out (pure; the store runs it).

Filters combine with AND; each list-valued filter matches any of its values.
Restricted contacts are left out unless the role is ``spoc``. Without
``keyholders``, a recipient must have consented on the chosen channel;
with it, the recipients are the keyholders of premises in the area, reached
by phone whatever their marketing consent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from resolution.survivorship import PRIORITY_RANK

CHANNELS = ("email", "sms", "any")
ROLES = ("messaging", "spoc")
EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), the usual great-circle convention


@dataclass(frozen=True)
class AudienceFilter:
    issues: tuple[str, ...] = ()
    wards: tuple[str, ...] = ()
    near: tuple[float, float] | None = None  # (latitude, longitude)
    radius_m: float | None = None
    categories: tuple[str, ...] = ()
    min_priority: str | None = None
    channel: str = "any"
    keyholders: bool = False
    role: str = "messaging"
    postcodes_in_radius: tuple[str, ...] = field(default=())  # filled in by the store


def great_circle_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


# Candidate postcodes from the point index; a small margin because Neo4j's own distance uses a
# slightly different Earth radius. The exact test is great_circle_m in Python.
POSTCODES_NEAR = """
MATCH (p:Postcode)
WHERE point.distance(p.location, point({latitude: $lat, longitude: $lon})) <= $radius * 1.01 + 5
RETURN p.code AS code, p.latitude AS latitude, p.longitude AS longitude
"""


def audience_query(f: AudienceFilter) -> tuple[str, dict]:
    """The Cypher and parameters selecting the recipients for ``f``."""
    params: dict = {"spoc": f.role == "spoc"}
    if f.keyholders:
        match = ["MATCH (c:Contact)-[:KEYHOLDER_OF]->(:Premises)-[:IN_POSTCODE]->(place:Postcode)"]
        where = ["(coalesce(c.phone, '') <> '' OR coalesce(c.mobile, '') <> '')"]
    else:
        match = ["MATCH (c:Contact)-[:LOCATED_IN]->(place:Postcode)" if (f.wards or f.near)
                 else "MATCH (c:Contact)"]
        where = [_channel_condition(f.channel)]
    where.append("($spoc OR NOT c.restricted)")
    if f.wards:
        where.append("EXISTS { (place)-[:IN_WARD]->(w:Ward) WHERE w.key IN $wards }")
        params["wards"] = sorted({w.strip().lower() for w in f.wards})
    if f.near is not None:
        where.append("place.code IN $near_postcodes")
        params["near_postcodes"] = list(f.postcodes_in_radius)
    if f.issues:
        where.append("any(i IN c.issues WHERE i IN $issues)")
        params["issues"] = list(f.issues)
    if f.categories:
        where.append("any(x IN c.categories WHERE x IN $categories)")
        params["categories"] = list(f.categories)
    if f.min_priority:
        where.append("c.priority_rank >= $min_rank")
        params["min_rank"] = PRIORITY_RANK[f.min_priority]
    query = "\n".join(match) + "\nWHERE " + "\n  AND ".join(where) + """
WITH DISTINCT c
OPTIONAL MATCH (r:SourceRecord)-[:DESCRIBES]->(c)
WITH c, collect(r.ref) AS refs
RETURN c.id AS contact_id, c.name AS name, c.email AS email, c.mobile AS mobile, c.phone AS phone,
       c.organisation AS organisation, c.priority AS priority, c.consent_email AS consent_email,
       c.consent_sms AS consent_sms, refs AS source_records
ORDER BY contact_id
"""
    return query, params


def _channel_condition(channel: str) -> str:
    email = "(coalesce(c.email, '') <> '' AND c.consent_email)"
    sms = "(coalesce(c.mobile, '') <> '' AND c.consent_sms)"
    return {"email": email, "sms": sms, "any": f"({email} OR {sms})"}[channel]


def shape_recipient(row: dict, f: AudienceFilter) -> dict:
    """Only the channels the person may be reached on for this message appear in the output."""
    recipient = dict(row)
    if not f.keyholders:
        if not (recipient.pop("consent_email") and f.channel in ("email", "any")):
            recipient["email"] = ""
        if not (recipient.pop("consent_sms") and f.channel in ("sms", "any")):
            recipient["mobile"] = ""
    else:
        recipient.pop("consent_email")
        recipient.pop("consent_sms")
    recipient["source_records"] = sorted(recipient["source_records"])
    return {k: ("" if v is None else v) for k, v in recipient.items()}
