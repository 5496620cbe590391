"""The append-only audit log: who did what, when, with ids and counts but no personal data.

One JSON object per line in ``audit.jsonl`` under the stakeholders home. Each entry carries the
SHA-256 of the entry before it, so an edited or deleted line breaks the chain and `verify` says
where. Entries are only ever appended (under a file lock, so two processes cannot interleave).

The chain alone cannot show that its last entries were cut off: ``audit.head`` beside it (readable by
its owner only) keeps the seq and hash of the last entry appended, rewritten under the same lock, so
`verify` reports a log that ends before its head.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
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
        self.head_path = home / "audit.head"

    def _write_head(self, entry: dict) -> None:
        """Replace the head atomically (a new file renamed over the old), owner-only from the start."""
        fresh = self.head_path.with_name(f".{self.head_path.name}.{os.getpid()}")
        descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump({"seq": entry["seq"], "hash": entry["hash"]}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(fresh, self.head_path)

    def head(self) -> dict | None:
        """The seq and hash of the last entry appended, as kept beside the log; None before the first."""
        if not self.head_path.exists():
            return None
        return json.loads(self.head_path.read_text(encoding="utf-8"))

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
            os.fsync(handle.fileno())
            self._write_head(entry)
        return AuditEntry(**entry)

    def entries(self) -> list[AuditEntry]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [AuditEntry(**json.loads(line)) for line in handle if line.strip()]

    def verify(self) -> str | None:
        """None when the chain is intact and ends at the head, else a one-line description of what is wrong:
        the first broken entry, or a log cut short (its last entries, or all of them, deleted)."""
        prev, hashes = GENESIS, {}
        for number, entry in enumerate(self.entries(), start=1):
            body = {"seq": entry.seq, "at": entry.at, "who": entry.who, "action": entry.action,
                    "details": entry.details, "prev": entry.prev}
            if entry.prev != prev or _digest(body) != entry.hash:
                return f"audit log entry {number} (seq {entry.seq}) does not match the chain: it was altered"
            prev, hashes[entry.seq] = entry.hash, entry.hash
        head = self.head()
        # Entries after the head are allowed: a crash between writing an entry and its head leaves one.
        if head is not None and hashes.get(head["seq"]) != head["hash"]:
            ends = f"ends at seq {max(hashes)}" if hashes else "is empty"
            return (f"the audit log {ends} but its head records seq {head['seq']}: entries were removed "
                    "from its end")
        return None
