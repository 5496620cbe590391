"""Where the graph's reference nodes came from: for each ward, issue, directorate, Mosaic type and group,
engagement group, sector, hub and postcode, the manifest sources that name it (contacts already say
theirs through their source records). A postcode or ward that only the postcode lookup API supplied has
no source: the load marks it as the API's. Pure."""

from __future__ import annotations

import pandas as pd

from sources.model import SourceBatch

from .engagement_record import EngagementRecord

PROVENANCE_COLUMNS = ["label", "key", "source"]
LOOKUP_API = "postcode lookup API"  # the origin of a postcode or ward no source names


def provenance(batches: list[SourceBatch], record: EngagementRecord) -> pd.DataFrame:
    """(label, key, source) rows, one per node and source naming it; keys as the graph's load writes them."""
    found: set[tuple[str, str, str]] = set()
    for batch in batches:
        name, rows = batch.spec.name, batch.rows
        if rows.empty:
            continue
        kind = batch.spec.kind
        if kind == "postcodes":
            found |= {("Postcode", p, name) for p in rows["postcode"]}
            found |= {("Ward", w.lower(), name) for w in rows["ward"] if isinstance(w, str) and w}
        elif kind == "mosaic":
            found |= {("Postcode", p, name) for p in rows["postcode"]}
            found |= {("MosaicType", t, name) for t in rows["mosaic_type"] if t}
            found |= {("MosaicGroup", g, name) for g in rows["mosaic_group"] if g}
        if "issues" in rows:
            found |= {("Issue", issue, name) for issues in rows["issues"] for issue in (issues or [])}
        if kind in ("contacts", "engagements") and "directorate" in rows:
            found |= {("Directorate", d, name) for d in rows["directorate"] if isinstance(d, str) and d}
    for frame, label, column in ((record.members, "Group", "group_key"), (record.sectors, "Sector", "sector_key"),
                                 (record.sectors, "Hub", "hub_key")):
        found |= {(label, key, ref.split(":", 1)[0]) for key, ref in zip(frame[column], frame["ref"], strict=True)
                  if key}
    return pd.DataFrame(sorted(found), columns=PROVENANCE_COLUMNS)

