"""The append-only audit log: who did what, when, with ids and counts but no personal data.

One JSON object per line in ``audit.jsonl`` under the stakeholders home. Each entry carries the
SHA-256 of the entry before it, so an edited or deleted line breaks the chain and `verify` says
where. Entries are only ever appended (under a file lock, so two processes cannot interleave).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    who: str
    action: str
    details: dict
    prev: str
    hash: str


def _digest(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class AuditLog:
    def __init__(self, home: Path) -> None:
        self.path = home / "audit.jsonl"

    def append(self, who: str, action: str, details: dict) -> AuditEntry:
        """Record one action. ``details`` must hold ids, filters, counts and hashes only."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            last = None
            for line in handle:
                if line.strip():
                    last = json.loads(line)
            body = {"seq": (last["seq"] + 1) if last else 1,
                    "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "who": who, "action": action, "details": details,
                    "prev": last["hash"] if last else GENESIS}
            entry = {**body, "hash": _digest(body)}
            handle.seek(0, 2)
            handle.write(json.dumps(entry, sort_keys=True) + "\n")
            handle.flush()
        return AuditEntry(**entry)

    def entries(self) -> list[AuditEntry]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [AuditEntry(**json.loads(line)) for line in handle if line.strip()]

    def verify(self) -> str | None:
        """None when the chain is intact, else a one-line description of the first broken entry."""
        prev = GENESIS
        for number, entry in enumerate(self.entries(), start=1):
            body = {"seq": entry.seq, "at": entry.at, "who": entry.who, "action": entry.action,
                    "details": entry.details, "prev": entry.prev}
            if entry.prev != prev or _digest(body) != entry.hash:
                return f"audit log entry {number} (seq {entry.seq}) does not match the chain: it was altered"
            prev = entry.hash
        return None
