"""The load step that puts each ward's boundary on its Ward node (pure: statement and rows).

Every ward the world knows gets a row: one from a ``wards`` source carries its boundary and the source's
name; any other (a ward only the postcode directory names) carries nulls, so a boundary taken out of the
file does not linger on the node after the next sync. Wards are MERGEd on the key the postcode step uses.
"""

from __future__ import annotations

from resolution.model import ResolvedWorld

WARD_BOUNDARIES = """
UNWIND $rows AS row
MERGE (w:Ward {key: toLower(row.ward)})
SET w.name = coalesce(w.name, row.ward), w.boundary = row.boundary, w.boundary_source = row.source,
    w.sync = $run
WITH w, row WHERE row.source IS NOT NULL
MATCH (s:Source {name: row.source})
MERGE (w)-[f:FROM_SOURCE]->(s) SET f.sync = $run
"""


def ward_boundary_rows(world: ResolvedWorld) -> list[dict]:
    """One row per ward (ward, boundary, source), sorted by key: boundaries where a wards source has one."""
    rows = {ward.lower(): {"ward": ward, "boundary": None, "source": None}
            for ward in world.postcodes["ward"].dropna() if ward}
    for entry in world.ward_boundaries.itertuples(index=False):
        rows[entry.key] = {"ward": entry.ward, "boundary": entry.boundary, "source": entry.source}
    return [rows[key] for key in sorted(rows)]
