"""Build small SourceBatch objects by hand for resolution tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sources.model import COLUMNS_BY_KIND, QUARANTINE_COLUMNS, SourceBatch, SourceSpec


def batch(name: str, kind: str, rows: list[dict], directorate: str | None = "Economic Crime") -> SourceBatch:
    spec = SourceSpec(name=name, kind=kind, path=Path(f"{name}.csv"),
                      directorate=directorate if kind == "contacts" else None)
    filled = []
    for number, row in enumerate(rows, start=2):
        record_id = row.pop("record_id", f"row-{number}")
        base = {c: None for c in COLUMNS_BY_KIND[kind]}
        base.update(ref=f"{name}:{record_id}", source=name, record_id=record_id, row_number=number, flags=[])
        if kind == "contacts":
            base.update(directorate=directorate, issues=[])
        base.update(row)
        if kind in ("contacts", "keyholders") and base.get("full_name") is None:
            base["full_name"] = " ".join(p for p in (base.get("first_name"), base.get("last_name")) if p)
        filled.append(base)
    frame = pd.DataFrame(filled, columns=list(COLUMNS_BY_KIND[kind])).astype(object)
    return SourceBatch(spec=spec, rows=frame, quarantine=pd.DataFrame(columns=list(QUARANTINE_COLUMNS)),
                       rows_read=len(rows))
