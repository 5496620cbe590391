"""One row per postcode: its centroid and ward, and its Mosaic classification."""

from __future__ import annotations

import pandas as pd

from sources.model import SourceBatch

POSTCODE_TABLE_COLUMNS = ["postcode", "latitude", "longitude", "ward", "district", "mosaic_type",
                          "mosaic_group", "households", "refs", "mosaic_refs"]


def postcode_table(batches: list[SourceBatch], looked_up: pd.DataFrame | None = None) -> pd.DataFrame:
    """Postcode directory rows (first source wins on a repeat), then looked-up centroids for
    postcodes the directory lacks, with Mosaic columns joined on."""
    table: dict[str, dict] = {}
    for batch in sorted(batches, key=lambda b: b.spec.name):
        if batch.spec.kind != "postcodes":
            continue
        for row in batch.rows.itertuples(index=False):
            entry = table.setdefault(row.postcode, {
                "postcode": row.postcode, "latitude": float(row.latitude), "longitude": float(row.longitude),
                "ward": row.ward or "", "district": row.district or "", "refs": []})
            entry["refs"].append(row.ref)
    if looked_up is not None:
        for row in looked_up.itertuples(index=False):
            table.setdefault(row.postcode, {
                "postcode": row.postcode, "latitude": float(row.latitude), "longitude": float(row.longitude),
                "ward": row.ward or "", "district": row.district or "", "refs": []})
    for batch in sorted(batches, key=lambda b: b.spec.name):
        if batch.spec.kind != "mosaic":
            continue
        for row in batch.rows.itertuples(index=False):
            entry = table.setdefault(row.postcode, {"postcode": row.postcode, "latitude": None,
                                                    "longitude": None, "ward": "", "district": "",
                                                    "refs": []})
            if "mosaic_type" not in entry:
                entry.update(mosaic_type=row.mosaic_type, mosaic_group=row.mosaic_group,
                             households=row.households)
            entry.setdefault("mosaic_refs", []).append(row.ref)
    for entry in table.values():
        entry.setdefault("mosaic_refs", [])
    frame = pd.DataFrame(list(table.values()), columns=POSTCODE_TABLE_COLUMNS)
    return frame.sort_values("postcode", ignore_index=True)
