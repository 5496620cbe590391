"""What the map shows, read from the graph: wards, postcodes and premises (places, never people).

Mixed into ``store.GraphStore``. For a role that may not see restricted contacts (``$spoc`` false) the
map holds no trace of them: a postcode is shown when the postcode directory or the Mosaic file names it,
or someone the role may see is located in it, and premises when an organisation occupies them or a
keyholder the role may see holds their keys. A postcode or premises known only through restricted
people (a looked-up postcode of a restricted contact's address) does not exist for that role. No count
of people is read.
"""

from __future__ import annotations

_SEEN = "NOT coalesce({c}.restricted, false)"
PREMISES_SHOWN = (f"($spoc OR EXISTS {{ (:Organisation)-[:OCCUPIES]->(pr) }} "
                  f"OR EXISTS {{ (k:Contact)-[:KEYHOLDER_OF]->(pr) WHERE {_SEEN.format(c='k')} }})")
POSTCODE_SHOWN = (f"($spoc OR EXISTS {{ (:SourceRecord)-[:DESCRIBES]->(p) }} "
                  f"OR EXISTS {{ (c:Contact)-[:LOCATED_IN]->(p) WHERE {_SEEN.format(c='c')} }} "
                  f"OR EXISTS {{ (pr:Premises)-[:IN_POSTCODE]->(p) WHERE {PREMISES_SHOWN} }})")

MAP_WARDS = f"""
MATCH (w:Ward)
RETURN w.key AS key, coalesce(w.name, w.key) AS name, w.boundary AS boundary,
       w.boundary_source AS boundary_source,
       [(p:Postcode)-[:IN_WARD]->(w) WHERE p.latitude IS NOT NULL AND {POSTCODE_SHOWN}
        | [p.longitude, p.latitude]] AS points
ORDER BY name, key
"""
MAP_POSTCODES = f"""
MATCH (p:Postcode) WHERE p.latitude IS NOT NULL AND {POSTCODE_SHOWN}
OPTIONAL MATCH (p)-[:IN_WARD]->(w:Ward)
WITH p, min(w.name) AS ward, min(w.key) AS ward_key
RETURN p.code AS code, p.latitude AS latitude, p.longitude AS longitude, coalesce(ward, '') AS ward,
       coalesce(ward_key, '') AS ward_key
ORDER BY code
"""
MAP_PREMISES = f"""
MATCH (pr:Premises)-[:IN_POSTCODE]->(p:Postcode)
WHERE p.latitude IS NOT NULL AND {PREMISES_SHOWN}
RETURN pr.id AS id, coalesce(pr.name, '') AS name, coalesce(pr.address_line_1, '') AS address,
       p.code AS postcode, p.latitude AS latitude, p.longitude AS longitude
ORDER BY postcode, name, id
"""


class MapQueries:
    """The map's read methods of the graph store (``_read`` is the store's)."""

    def map_wards(self, can_see_restricted: bool) -> list[dict]:
        """Every ward: key, name, boundary (GeoJSON geometry text or None), boundary_source, and points:
        the [longitude, latitude] of its postcodes the role may see (for an approximate outline)."""
        return self._read(MAP_WARDS, spoc=can_see_restricted)

    def map_postcodes(self, can_see_restricted: bool) -> list[dict]:
        """The postcodes with a centroid the role may see: code, latitude, longitude, ward, ward_key."""
        return self._read(MAP_POSTCODES, spoc=can_see_restricted)

    def map_premises(self, can_see_restricted: bool) -> list[dict]:
        """The premises the role may see, placed at their postcode: id, name, address, postcode, latitude,
        longitude."""
        return self._read(MAP_PREMISES, spoc=can_see_restricted)
