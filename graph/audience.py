"""Audience selection: filters in, one parameterised Cypher query out (pure; the store runs it).

Filters combine with AND; each list-valued filter matches any of its values.
Restricted contacts do not exist unless the role is ``spoc``: not in the
audience, not in its counts. Without ``keyholders``, a recipient must have
consented on the chosen channel; with it, the recipients are the keyholders of
premises in the area, reached by phone whatever their marketing consent (their
email and SMS only where they consented), listed with the premises.

Where the resolver doubts (a review pair kept apart that no steward has decided
yet), a non-SPOC audience is precautionary: a recipient whose possible twin is
restricted, or holds a newer explicit "no" on the audience's channel, is held
out until a steward decides the pair (``held_contacts``).

Beyond the command line's filters (used by the web audience builder): a polygon
(a place of the contact's whose postcode centroid lies inside it, like the radius),
named contacts and organisations to include whatever the other filters say (but
still only if they may be reached on the channel and the role may see them), and
contacts and organisations to exclude. With includes and no other filter, the
audience is the included contacts alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import shapely

from kernel.errors import UsageError
from resolution.survivorship import PRIORITY_RANK

CHANNELS = ("email", "sms", "any")
ROLES = ("messaging", "spoc")
# The columns of an audience (contract section 7), and of a keyholder call list: the same, then the numbers to
# ring whatever the marketing consent, the premises and the keyholder's place in its call order.
AUDIENCE_COLUMNS = ("contact_id", "name", "email", "mobile", "phone", "organisation", "priority", "source_records")
KEYHOLDER_COLUMNS = (*AUDIENCE_COLUMNS, "call_phone", "call_mobile", "premises_name", "premises_address",
                     "premises_postcode", "keyholder_order")
HELD_REASON = "held until a steward reviews a possible duplicate"
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
    polygon: tuple[tuple[float, float], ...] = ()  # (latitude, longitude) corners, at least three
    include_contacts: tuple[str, ...] = ()
    include_organisations: tuple[str, ...] = ()  # the contacts working for them
    exclude_contacts: tuple[str, ...] = ()
    exclude_organisations: tuple[str, ...] = ()
    # "must be" (Neighbourhood Alert's term): only people who are also these contacts or work for these
    within_contacts: tuple[str, ...] = ()
    within_organisations: tuple[str, ...] = ()
    must_be: bool = False  # a "must be" list was given: when it names nobody, nobody stays
    postcodes_in_polygon: tuple[str, ...] = field(default=())  # filled in by the store
    held_contacts: tuple[str, ...] = field(default=())  # filled in by the store: see held_contacts
    # the engagement record (contract section 9): group and sector keys, Mosaic codes of the home postcode
    groups: tuple[str, ...] = ()  # members, and the people of member organisations
    priority_stakeholder: bool = False
    sectors: tuple[str, ...] = ()  # the people of organisations in these sectors, and their leads
    sector_leads: bool = False  # only the leads of the chosen sectors (of any sector when none is chosen)
    mosaic_groups: tuple[str, ...] = ()
    mosaic_types: tuple[str, ...] = ()


def audience_columns(f: AudienceFilter) -> tuple[str, ...]:
    """The columns of ``f``'s recipients, in file order."""
    return KEYHOLDER_COLUMNS if f.keyholders else AUDIENCE_COLUMNS


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
# Candidate postcodes for a polygon: its bounding box; the exact test is point_in_polygon.
POSTCODES_IN_BOX = """
MATCH (p:Postcode)
WHERE p.latitude >= $south AND p.latitude <= $north AND p.longitude >= $west AND p.longitude <= $east
RETURN p.code AS code, p.latitude AS latitude, p.longitude AS longitude
"""
_PAIR = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


class PolygonError(UsageError, ValueError):
    """A polygon that cannot be read; the message says which corner and why."""


def parse_polygon(text: str) -> tuple[tuple[float, float], ...]:
    """``"lat,lon; lat,lon; ..."`` as (latitude, longitude) corners: at least three, within range."""
    parts = [part for part in text.split(";") if part.strip()]
    corners = []
    for number, part in enumerate(parts, start=1):
        pair = _PAIR.match(part)
        if not pair:
            raise PolygonError(f"corner {number} ({part.strip()!r}) is not LAT,LON")
        lat, lon = float(pair[1]), float(pair[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise PolygonError(f"corner {number}: latitude must be within ±90 and longitude within ±180")
        corners.append((lat, lon))
    if len(corners) < 3:
        raise PolygonError(f"a polygon needs at least three corners, not {len(corners)}")
    return tuple(corners)


def point_in_polygon(lat: float, lon: float, polygon: Sequence[tuple[float, float]]) -> bool:
    """Whether (lat, lon) lies inside ``polygon`` or on its edge (longitude as x and latitude as y).

    Flat geometry on degrees is exact enough at the scale of the City (a few kilometres, far from the
    poles and the date line): the edges are straight on the map the user drew them on.
    """
    return bool(shapely.intersects_xy(_area(tuple(polygon)), lon, lat))


def bounding_box(polygon: Sequence[tuple[float, float]]) -> dict[str, float]:
    lats, lons = [lat for lat, _ in polygon], [lon for _, lon in polygon]
    return {"south": min(lats), "north": max(lats), "west": min(lons), "east": max(lons)}


@lru_cache(maxsize=64)
def _area(polygon: tuple[tuple[float, float], ...]) -> shapely.MultiPolygon:
    """The area the corners enclose, prepared for testing many postcodes against it.

    Edges that cross (a bow tie drawn on the map) enclose the parts inside an odd number of times, as
    the even-odd rule reads them; corners that enclose nothing (all on one line) give an empty area.
    """
    valid = shapely.make_valid(shapely.Polygon([(lon, lat) for lat, lon in polygon]))
    # make_valid gives a polygon, several, or a collection that also holds the lines that collapsed
    area = shapely.MultiPolygon([part for part in shapely.get_parts(shapely.get_parts(valid))
                                 if isinstance(part, shapely.Polygon)])
    shapely.prepare(area)
    return area


def filter_summary(f: AudienceFilter) -> dict:
    """The filters as set (ids and parameters only, no personal data): for the audit log."""
    summary: dict = {"channel": f.channel, "role": f.role}
    for name in ("issues", "wards", "categories", "include_contacts", "include_organisations",
                 "exclude_contacts", "exclude_organisations", "within_contacts", "within_organisations",
                 "groups", "sectors", "mosaic_groups", "mosaic_types"):
        if getattr(f, name):
            summary[name] = list(getattr(f, name))
    if f.near is not None:
        summary["near"] = list(f.near)
        summary["radius_m"] = f.radius_m
    if f.polygon:
        summary["polygon"] = [list(corner) for corner in f.polygon]
    if f.min_priority:
        summary["min_priority"] = f.min_priority
    for flag in ("keyholders", "priority_stakeholder", "sector_leads"):
        if getattr(f, flag):
            summary[flag] = True
    return summary


RECIPIENT_COLUMNS = """
WITH DISTINCT c
OPTIONAL MATCH (r:SourceRecord)-[:DESCRIBES]->(c)
WITH c, collect(r.ref) AS refs{premises}
RETURN c.id AS contact_id, c.name AS name, c.email AS email, c.mobile AS mobile, c.phone AS phone,
       c.organisation AS organisation, c.priority AS priority, c.consent_email AS consent_email,
       c.consent_sms AS consent_sms, refs AS source_records{premises_column}
ORDER BY {order}
"""
# A keyholder's premises in the area, in name order: what the caller rings about.
KEYHOLDER_PREMISES = """
CALL (c) {{
  MATCH (c)-[k:KEYHOLDER_OF]->(pr:Premises)-[:IN_POSTCODE]->(place:Postcode){where}
  WITH pr, min(k.keyholder_order) AS keyholder_order ORDER BY pr.name, pr.id
  RETURN collect({{name: pr.name, address: [x IN [pr.address_line_1, pr.address_line_2] WHERE coalesce(x, '') <> ''],
                  postcode: pr.postcode, keyholder_order: keyholder_order}}) AS premises
}}"""
# Keyholder lists go premises by premises, each in its call order (an unknown order, -1, last).
KEYHOLDER_ORDER = ("premises[0].name, premises[0].postcode, "
                   "CASE WHEN coalesce(premises[0].keyholder_order, -1) < 0 THEN 1000000 "
                   "ELSE premises[0].keyholder_order END, contact_id")


def audience_query(f: AudienceFilter, limit: int | None = None) -> tuple[str, dict]:
    """The Cypher and parameters selecting the recipients for ``f`` (the first ``limit`` in list order:
    by contact ID, or for keyholders by premises and call order)."""
    params: dict = {"spoc": f.role == "spoc"}
    where = [_reach_condition(f), "($spoc OR NOT c.restricted)"]
    chosen = _chosen(f, params, with_priority=True)
    where += [chosen] if chosen else []
    where += _exclusions(f, params)
    where += [f"NOT {_held_condition(f, params)}"] if f.held_contacts else []
    if f.keyholders:
        place = _place_conditions(f, params)
        columns = RECIPIENT_COLUMNS.format(
            premises=KEYHOLDER_PREMISES.format(where=f" WHERE {' AND '.join(place)}" if place else ""),
            premises_column=", premises", order=KEYHOLDER_ORDER)
    else:
        columns = RECIPIENT_COLUMNS.format(premises="", premises_column="", order="contact_id")
    query = _candidates(f, params) + "WHERE " + "\n  AND ".join(where) + columns
    if limit is not None:
        query += "LIMIT $limit\n"
        params["limit"] = limit
    return query, params


# The count behind the audience and, for the people the filters chose but the audience leaves
# out, how many for each reason (a person may have several). A restricted contact is not among the
# candidates of a role that may not see it: it is not counted, under any reason, whatever the filters.
COUNT_COLUMNS = """
WITH c, coalesce({reach}, false) AS reachable, {held} AS held, {excluded} AS excluded, {below} AS below,
     coalesce(c.email, '') <> '' AS has_email, coalesce(c.mobile, '') <> '' AS has_mobile,
     coalesce(c.phone, '') <> '' AS has_phone,
     coalesce(c.consent_email, false) AS email_ok, coalesce(c.consent_sms, false) AS sms_ok
RETURN count(c) AS candidates,
       count(CASE WHEN reachable AND NOT held AND NOT excluded AND NOT below THEN 1 END) AS selected,
       count(CASE WHEN held THEN 1 END) AS held,
       count(CASE WHEN excluded THEN 1 END) AS excluded,
       count(CASE WHEN below THEN 1 END) AS below_priority,
       count(CASE WHEN NOT has_email THEN 1 END) AS no_email,
       count(CASE WHEN has_email AND NOT email_ok THEN 1 END) AS no_email_consent,
       count(CASE WHEN NOT has_mobile THEN 1 END) AS no_mobile,
       count(CASE WHEN has_mobile AND NOT sms_ok THEN 1 END) AS no_sms_consent,
       count(CASE WHEN NOT has_email AND NOT has_mobile THEN 1 END) AS no_email_or_mobile,
       count(CASE WHEN NOT reachable AND (has_email OR has_mobile) THEN 1 END) AS no_consent,
       count(CASE WHEN NOT has_phone AND NOT has_mobile THEN 1 END) AS no_phone
"""


def audience_count_query(f: AudienceFilter) -> tuple[str, dict]:
    """Cypher counting the audience of ``f`` and why the other people its filters chose are left out.

    The candidates are the people the role may see chosen by everything but the minimum priority (the
    included ones too); each is then in the audience unless unreachable on the channel, held for a
    steward's review, excluded, or below the minimum priority. ``selected`` equals ``len`` of the audience
    query.
    """
    params: dict = {"spoc": f.role == "spoc"}
    visible = "($spoc OR NOT coalesce(c.restricted, false))"
    chosen = " AND ".join(filter(None, [visible, _chosen(f, params, with_priority=False)]))
    exclusions = _exclusions(f, params)
    included = " OR ".join(_includes(f, params)) or "false"
    below = (f"(NOT ({included}) AND NOT coalesce(c.priority_rank >= $min_rank, false))"
             if _priority_condition(f, params) else "false")
    query = (_candidates(f, params) + f"WHERE {chosen}"
             + COUNT_COLUMNS.format(reach=_reach_condition(f),
                                    held=_held_condition(f, params) if f.held_contacts else "false",
                                    excluded=f"NOT ({' AND '.join(exclusions)})" if exclusions else "false",
                                    below=below))
    return query, params


def _candidates(f: AudienceFilter, params: dict) -> str:
    """Where the query finds the contacts it then filters: every contact, or, for sector leads only (and no
    one included whatever the filters say), the few leading a sector, found from the sectors' index. The
    filters still apply to them in full."""
    if f.sector_leads and not (f.include_contacts or f.include_organisations):
        if f.sectors:
            params["sectors"] = list(f.sectors)
            return "MATCH (s:Sector)<-[:LEADS]-(c:Contact) WHERE s.key IN $sectors\nWITH DISTINCT c\n"
        return "MATCH (:Sector)<-[:LEADS]-(c:Contact)\nWITH DISTINCT c\n"
    return "MATCH (c:Contact)\n"


def left_out_reasons(counts: dict[str, int], f: AudienceFilter) -> list[tuple[str, int]]:
    """The reasons people the filters chose are not in the audience, each with how many (non-zero only)."""
    if f.keyholders:
        reach = [("no phone or mobile number", "no_phone")]
    else:
        reach = {"email": [("no email address", "no_email"), ("no consent to email", "no_email_consent")],
                 "sms": [("no mobile number", "no_mobile"), ("no consent to SMS", "no_sms_consent")],
                 "any": [("no email address or mobile number", "no_email_or_mobile"),
                         ("no consent to email or SMS on the ones they have", "no_consent")]}[f.channel]
    reasons = [*reach, (HELD_REASON, "held"), ("in the exclude list", "excluded"),
               (f"priority below {f.min_priority}", "below_priority")]
    return [(label, counts[key]) for label, key in reasons if counts.get(key)]


def _reach_condition(f: AudienceFilter) -> str:
    if f.keyholders:
        return "(coalesce(c.phone, '') <> '' OR coalesce(c.mobile, '') <> '')"
    return channel_condition(f.channel)


def _chosen(f: AudienceFilter, params: dict, with_priority: bool) -> str | None:
    """Who the filters choose, before reachability, the role and the exclude list; None for everyone."""
    core = _core_conditions(f, params)
    priority = _priority_condition(f, params)
    includes = _includes(f, params)
    selection = core + ([priority] if priority and with_priority else [])
    if not includes:
        return " AND ".join(selection) or None
    if not core and not priority:
        return "(" + " OR ".join(includes) + ")"
    if not selection:
        return None
    return "(" + " OR ".join([*includes, "(" + " AND ".join(selection) + ")"]) + ")"


def _place_conditions(f: AudienceFilter, params: dict) -> list[str]:
    """What a place of the contact's (``place``, a Postcode) must meet: every place filter at once."""
    place = []
    if f.wards:
        place.append("EXISTS { (place)-[:IN_WARD]->(w:Ward) WHERE w.key IN $wards }")
        params["wards"] = sorted({w.strip().lower() for w in f.wards})
    if f.near is not None:
        place.append("place.code IN $near_postcodes")
        params["near_postcodes"] = list(f.postcodes_in_radius)
    if f.polygon:
        place.append("place.code IN $polygon_postcodes")
        params["polygon_postcodes"] = list(f.postcodes_in_polygon)
    return place


def _core_conditions(f: AudienceFilter, params: dict) -> list[str]:
    conditions = []
    place = _place_conditions(f, params)
    # One place of the contact's must meet every place filter (as the command line always did).
    places = ("(c)-[:KEYHOLDER_OF]->(:Premises)-[:IN_POSTCODE]->(place:Postcode)" if f.keyholders
              else "(c)-[:LOCATED_IN]->(place:Postcode)")
    if f.keyholders or place:
        conditions.append(f"EXISTS {{ MATCH {places}" + (f" WHERE {' AND '.join(place)}" if place else "") + " }")
    if f.issues:
        conditions.append("any(i IN c.issues WHERE i IN $issues)")
        params["issues"] = list(f.issues)
    if f.categories:
        conditions.append("any(x IN c.categories WHERE x IN $categories)")
        params["categories"] = list(f.categories)
    return conditions + _engagement_record_conditions(f, params)


def _engagement_record_conditions(f: AudienceFilter, params: dict) -> list[str]:
    """Groups, priority stakeholders, CSSC sectors and their leads, and the Mosaic classification of the
    contact's own address (data contract section 9)."""
    conditions = []
    if f.groups:
        conditions.append("(EXISTS { (c)-[:MEMBER_OF]->(g:Group) WHERE g.key IN $groups } OR EXISTS { "
                          "(c)-[:WORKS_FOR]->(:Organisation)-[:MEMBER_OF]->(g:Group) WHERE g.key IN $groups })")
        params["groups"] = list(f.groups)
    if f.priority_stakeholder:
        conditions.append("c.priority_stakeholder = true")
    if f.sector_leads:
        conditions.append("EXISTS { (c)-[:LEADS]->(s:Sector)" + (" WHERE s.key IN $sectors }" if f.sectors else " }"))
    elif f.sectors:
        conditions.append("(EXISTS { (c)-[:WORKS_FOR]->(:Organisation)-[:IN_SECTOR]->(s:Sector) "
                          "WHERE s.key IN $sectors } OR EXISTS { (c)-[:LEADS]->(s:Sector) WHERE s.key IN $sectors })")
    if f.sectors:
        params["sectors"] = list(f.sectors)
    if f.mosaic_types:
        conditions.append("EXISTS { (c)-[:HAS_ADDRESS_IN]->(:Postcode)-[:CLASSIFIED_AS]->(t:MosaicType) "
                          "WHERE t.code IN $mosaic_types }")
        params["mosaic_types"] = list(f.mosaic_types)
    if f.mosaic_groups:
        conditions.append("EXISTS { (c)-[:HAS_ADDRESS_IN]->(:Postcode)-[:CLASSIFIED_AS]->(:MosaicType)"
                          "-[:IN_GROUP]->(mg:MosaicGroup) WHERE mg.code IN $mosaic_groups }")
        params["mosaic_groups"] = list(f.mosaic_groups)
    return conditions


def _priority_condition(f: AudienceFilter, params: dict) -> str | None:
    if not f.min_priority:
        return None
    params["min_rank"] = PRIORITY_RANK[f.min_priority]
    return "c.priority_rank >= $min_rank"


def _includes(f: AudienceFilter, params: dict) -> list[str]:
    includes = []
    if f.include_contacts:
        includes.append("c.id IN $include_contacts")
        params["include_contacts"] = list(f.include_contacts)
    if f.include_organisations:
        includes.append("EXISTS { (c)-[:WORKS_FOR]->(io:Organisation) WHERE io.id IN $include_organisations }")
        params["include_organisations"] = list(f.include_organisations)
    return includes


def _exclusions(f: AudienceFilter, params: dict) -> list[str]:
    exclusions = []
    if f.exclude_contacts:
        exclusions.append("NOT c.id IN $exclude_contacts")
        params["exclude_contacts"] = list(f.exclude_contacts)
    if f.exclude_organisations:
        exclusions.append("NOT EXISTS { (c)-[:WORKS_FOR]->(xo:Organisation) WHERE xo.id IN $exclude_organisations }")
        params["exclude_organisations"] = list(f.exclude_organisations)
    if f.must_be or f.within_contacts or f.within_organisations:  # not in the "must be" list: left out too
        exclusions.append("(c.id IN $within_contacts OR EXISTS { (c)-[:WORKS_FOR]->(wo:Organisation) "
                          "WHERE wo.id IN $within_organisations })")
        params["within_contacts"] = list(f.within_contacts)
        params["within_organisations"] = list(f.within_organisations)
    return exclusions


def _held_condition(f: AudienceFilter, params: dict) -> str:
    params["held_contacts"] = list(f.held_contacts)
    return "c.id IN $held_contacts"


def channel_condition(channel: str) -> str:
    """Cypher true when the contact ``c`` may be reached on ``channel`` (email, sms or any): an address, and
    consent to it."""
    email = "(coalesce(c.email, '') <> '' AND c.consent_email)"
    sms = "(coalesce(c.mobile, '') <> '' AND c.consent_sms)"
    return {"email": email, "sms": sms, "any": f"({email} OR {sms})"}[channel]


def shape_recipient(row: dict, f: AudienceFilter) -> dict:
    """Only the channels the person may be reached on for this message appear in the output.

    A keyholder's phone and mobile are given for calls (``call_phone``, ``call_mobile``) whatever their
    marketing consent; their email and mobile (for SMS) only where they consented. Several premises in
    the area are listed in the same order in each premises column, separated by "; ".
    """
    recipient = dict(row)
    email_ok, sms_ok = recipient.pop("consent_email"), recipient.pop("consent_sms")
    if not (email_ok and (f.keyholders or f.channel in ("email", "any"))):
        recipient["email"] = ""
    if f.keyholders:
        recipient["call_phone"], recipient["call_mobile"] = recipient["phone"], recipient["mobile"]
        premises = recipient.pop("premises")
        recipient["premises_name"] = "; ".join(p["name"] or "" for p in premises)
        recipient["premises_address"] = "; ".join(", ".join(p["address"]) for p in premises)
        recipient["premises_postcode"] = "; ".join(p["postcode"] or "" for p in premises)
        recipient["keyholder_order"] = "; ".join(
            "" if p["keyholder_order"] is None or p["keyholder_order"] < 0 else str(p["keyholder_order"])
            for p in premises)
    if not (sms_ok and (f.keyholders or f.channel in ("sms", "any"))):
        recipient["mobile"] = ""
    recipient["source_records"] = sorted(recipient["source_records"])
    return {k: ("" if v is None else v) for k, v in recipient.items()}


# Every review pair of the last sync with the contacts its two records are in now (when those differ).
REVIEW_TWINS = """
MATCH (p:ReviewPair)
MATCH (:SourceRecord {ref: p.ref_a})-[:DESCRIBES]->(a:Contact)
MATCH (:SourceRecord {ref: p.ref_b})-[:DESCRIBES]->(b:Contact)
WHERE a <> b
RETURN p.ref_a AS ref_a, p.ref_b AS ref_b,
       a {.id, .restricted, .consent_email, .consent_email_source, .consent_email_at,
          .consent_sms, .consent_sms_source, .consent_sms_at} AS a,
       b {.id, .restricted, .consent_email, .consent_email_source, .consent_email_at,
          .consent_sms, .consent_sms_source, .consent_sms_at} AS b
"""
_CHANNELS_OF = {"email": ("email",), "sms": ("sms",), "any": ("email", "sms")}


def twin_holds(mine: Mapping, twin: Mapping, channels: Sequence[str]) -> bool:
    """Whether ``twin``, possibly the same person as ``mine``, should keep ``mine`` out of an audience on
    ``channels``: the twin is restricted (restricted if any row says so), or it holds an explicit "no" on a
    channel ``mine`` consented to, no older than that consent (the most recent value wins; on the same
    date, no wins; an undated value counts as oldest)."""
    if twin.get("restricted"):
        return True
    for channel in channels:
        key = f"consent_{channel}"
        explicit_no = twin.get(key) is False and bool(twin.get(f"{key}_source"))
        if mine.get(key) and explicit_no and (twin.get(f"{key}_at") or "") >= (mine.get(f"{key}_at") or ""):
            return True
    return False


def held_contacts(twins: Iterable[Mapping], decided: Collection[frozenset[str]], f: AudienceFilter
                  ) -> tuple[str, ...]:
    """The contacts ``f``'s audience holds back: those with a review twin (a ``REVIEW_TWINS`` row whose pair
    of refs is not in ``decided``) that holds them (``twin_holds``). None for a SPOC; for a keyholder list,
    which rings whatever the consent, only a restricted twin holds."""
    if f.role == "spoc":
        return ()
    channels = () if f.keyholders else _CHANNELS_OF[f.channel]
    held = {mine["id"] for row in twins if frozenset((row["ref_a"], row["ref_b"])) not in decided
            for mine, twin in ((row["a"], row["b"]), (row["b"], row["a"])) if twin_holds(mine, twin, channels)}
    return tuple(sorted(held))


def pair_holds(row: Mapping) -> bool:
    """Whether a ``REVIEW_TWINS`` row holds either of its contacts out of some audience."""
    return any(twin_holds(mine, twin, ("email", "sms"))
               for mine, twin in ((row["a"], row["b"]), (row["b"], row["a"])))
