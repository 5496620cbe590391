"""Sync status: the last runs, each source's rows and quality results, and its quarantined rows."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from fastapi import APIRouter, Request
from fastapi.responses import Response

from exports.cells import neutralise_row

from .pages import SyncWatcher, render

router = APIRouter()
QUARANTINE_COLUMNS = ("source", "record_id", "row_number", "reason")


@router.get("/sync")
def sync_status(request: Request, session: SyncWatcher):
    store, config = request.app.state.store, request.app.state.config
    runs = request.app.state.installation.runs.recent(20)
    merged = store.merged_rows_per_source()
    reasons: dict[str, Counter] = {}
    for row in store.quarantined_rows():
        reasons.setdefault(row["source"], Counter())[row["reason"]] += 1
    # Before the first recorded run, show what the graph says of each source's last sync.
    sources = runs[0]["sources"] if runs else [
        {**s["source"], "rows_used": s["source"].get("rows_used", 0), "warnings": [], "checks": []}
        for s in store.sources()]
    return render(request, "sync_status.html", runs=runs, sources=sources, merged=merged,
                  reasons={name: counts.most_common() for name, counts in reasons.items()},
                  dagster_url=config.dagster_url)


@router.get("/sync/quarantine.csv")
def quarantine_download(request: Request, session: SyncWatcher, source: str = ""):
    """The quarantined rows as ids, row numbers and reasons (no values from the rows)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(QUARANTINE_COLUMNS), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(neutralise_row(row) for row in request.app.state.store.quarantined_rows(source))
    # Only safe characters in a header: a source name is typed by people and may hold anything.
    name = "quarantine-" + (re.sub(r"[^A-Za-z0-9._-]+", "_", source)[:80] or "all") + ".csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
