"""The record of past syncs, for the sync status page: one JSON line per run in ``runs.jsonl``.

Counts, statuses, reasons and quality check results per source; never a value from a row.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path

from .report import SyncReport

KEPT_RUNS = 200


class RunHistory:
    def __init__(self, home: Path) -> None:
        self.path = home / "runs.jsonl"

    def record(self, report: SyncReport, trigger: str) -> dict:
        """Append one run; ``trigger`` says what started it (the command line, Dagster, the web app)."""
        entry = {
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "trigger": trigger, "changed": report.changed, "seconds": round(report.seconds, 1),
            "exit_code": report.exit_code, "contacts": report.contacts, "organisations": report.organisations,
            "premises": report.premises, "review_pairs": report.review_pairs,
            "decisions_applied": report.decisions_applied, "nodes": report.nodes,
            "relationships": report.relationships,
            "sources": [asdict(outcome) for outcome in report.outcomes],
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        runs = self.recent(KEPT_RUNS - 1)[::-1] + [entry]
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text("".join(json.dumps(run, sort_keys=True) + "\n" for run in runs), encoding="utf-8")
        temporary.replace(self.path)  # whole file or nothing: a crash never leaves half a line
        return entry

    def recent(self, limit: int = 20) -> list[dict]:
        """The last ``limit`` runs, newest first."""
        if not self.path.exists():
            return []
        lines = [line for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [json.loads(line) for line in reversed(lines[-limit:])] if limit > 0 else []
