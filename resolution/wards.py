"""Ward boundaries from the ``wards`` sources: one row per ward, for the load (graph.ward_boundaries)."""

from __future__ import annotations

import pandas as pd

from sources.model import SourceBatch

# ward: the name as the first source writes it; key: its lower-case form (Ward.key); boundary: GeoJSON
# geometry text; source: the source it came from; refs: every row naming the ward (the first one's is used)
WARD_BOUNDARY_COLUMNS = ["key", "ward", "boundary", "source", "refs"]


def ward_boundaries(batches: list[SourceBatch]) -> pd.DataFrame:
    """Each ward's boundary: on a ward in several sources, the first source by name wins (as for postcodes)."""
    table: dict[str, dict] = {}
    for batch in sorted(batches, key=lambda b: b.spec.name):
        if batch.spec.kind != "wards":
            continue
        for row in batch.rows.itertuples(index=False):
            entry = table.setdefault(row.ward.lower(), {"key": row.ward.lower(), "ward": row.ward,
                                                        "boundary": row.boundary, "source": row.source,
                                                        "refs": []})
            entry["refs"].append(row.ref)
    return pd.DataFrame([table[key] for key in sorted(table)], columns=WARD_BOUNDARY_COLUMNS)
