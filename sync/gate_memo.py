"""The quality gate's verdict on a staged batch, remembered beside it: a source whose batch came from
staging unchanged (sync.read_cache) passes or fails exactly as it did, without running the suites again.

The one check that depends on the day is "no date is in the future" (quality.suites): a verdict stays
true on a later day when no date in the batch was after the day it was given, so it is reused then and
otherwise worked out again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from kernel.code_version import code_fingerprint
from quality.gates import CheckOutcome, GateResult
from quality.suites import DATE_COLUMNS
from sources.model import SourceBatch

GATE_CODE = ("quality", "sources", "kernel")


def remembered(batch: SourceBatch, memo: dict | None, today: dt.date | None = None) -> GateResult | None:
    """The verdict ``memo`` holds for ``batch``, when it still holds today."""
    today = today or dt.date.today()
    if not batch.read_key or not memo or memo.get("read_key") != batch.read_key:
        return None
    if memo.get("code") != code_fingerprint(*GATE_CODE) or memo.get("rows") != [len(batch.rows), len(batch.quarantine)]:
        return None
    given, latest = memo.get("day", ""), memo.get("latest_date", "")
    if given != today.isoformat() and (not given or given > today.isoformat() or latest > given):
        return None
    try:
        result = memo["result"]
        return GateResult(result["source"], result["passed"], tuple(CheckOutcome(**c) for c in result["checks"]),
                          result["held_back_reason"], dict(result["statistics"]))
    except (KeyError, TypeError):
        return None


def memo_of(batch: SourceBatch, result: GateResult, today: dt.date | None = None) -> dict:
    """What to keep beside the staged batch (Staging.save_gate)."""
    return {"read_key": batch.read_key, "code": code_fingerprint(*GATE_CODE),
            "rows": [len(batch.rows), len(batch.quarantine)], "day": (today or dt.date.today()).isoformat(),
            "latest_date": _latest_date(batch), "result": dataclasses.asdict(result)}


def _latest_date(batch: SourceBatch) -> str:
    found = ""
    for column in DATE_COLUMNS:
        if column in batch.rows:
            values = [v for v in batch.rows[column] if isinstance(v, dt.date)]
            if values:
                found = max(found, max(values).isoformat()[:10])
    return found
