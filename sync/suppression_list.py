"""The suppression list on disk: ``suppression.json`` in the stakeholders home, readable by its owner only.

It lives in the home rather than in the graph because it must hold before the graph is consulted and
outlast the graph: a sync rebuilds the graph from the spreadsheets, a graph restored from a backup taken
before an erasure, or a new NEO4J_URI, would otherwise bring the person back. The home already holds the
other state a sync reads first (the staged batches, the audit log).

Each entry is one erasure: the contact ID, when, by whom, the row references and identifier digests
(resolution.suppression) — never a name, email or number. ``key`` is the installation's secret for those
digests, kept in the same file: the digests are useless without it, and a key kept apart could be lost
apart, silently ending the match on identifiers.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from kernel.errors import StakeholdersError
from resolution.suppression import Suppression

FILE_NAME = "suppression.json"
VERSION = 1


class SuppressionListError(StakeholdersError, RuntimeError):
    """The suppression list cannot be read: no sync may run without it (it would resurrect people)."""


@dataclass(frozen=True)
class SuppressionEntry:
    contact_id: str
    at: str
    who: str
    why: str
    refs: tuple[str, ...]
    identifiers: tuple[str, ...]  # identifier digests


class SuppressionList:
    def __init__(self, home: Path) -> None:
        self.path = home / FILE_NAME

    def _read(self) -> dict:
        if not self.path.exists():
            return {"version": VERSION, "key": "", "entries": []}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            bytes.fromhex(data["key"])
            if data.get("version") != VERSION or not isinstance(data["entries"], list):
                raise ValueError
        except (OSError, ValueError, KeyError, TypeError):
            raise SuppressionListError(f"{self.path} is unreadable or not a suppression list; restore it from "
                                       "a backup before syncing (erased people would come back)") from None
        return data

    def entries(self) -> list[SuppressionEntry]:
        return [SuppressionEntry(**{**e, "refs": tuple(e["refs"]), "identifiers": tuple(e["identifiers"])})
                for e in self._read()["entries"]]

    def load(self) -> Suppression:
        """Everything the list keeps out (empty when there is no list yet)."""
        data = self._read()
        return Suppression(key=bytes.fromhex(data["key"]),
                           refs=frozenset(r for e in data["entries"] for r in e["refs"]),
                           identifiers=frozenset(d for e in data["entries"] for d in e["identifiers"]))

    def key(self) -> bytes:
        """The installation's digest key, made (and saved) on first use."""
        with self._locked():
            data = self._read()
            if not data["key"]:
                data["key"] = secrets.token_hex(32)
                self._write(data)
            return bytes.fromhex(data["key"])

    def add(self, entry: SuppressionEntry) -> None:
        """Add an erasure; a second erasure of the same contact ID widens its entry."""
        with self._locked():
            data = self._read()
            if not data["key"]:
                raise SuppressionListError("the suppression list has no key: call key() before hashing identifiers")
            entries = data["entries"]
            existing = next((e for e in entries if e["contact_id"] == entry.contact_id), None)
            if existing is None:
                entries.append(asdict(entry) | {"refs": sorted(entry.refs),
                                                "identifiers": sorted(entry.identifiers)})
            else:
                existing["refs"] = sorted(set(existing["refs"]) | set(entry.refs))
                existing["identifiers"] = sorted(set(existing["identifiers"]) | set(entry.identifiers))
            self._write(data)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)

    def _write(self, data: dict) -> None:
        # mkstemp creates the file 0600, so the list is never readable by others, even for a moment
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".suppression.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1, sort_keys=True)
            out.write("\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, self.path)
