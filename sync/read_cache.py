"""Which sources need reading this run: a source whose file, manifest entry, read limits and reading
code are those its last good batch was read from gives the same batch again, so that batch comes from
staging instead of the file (an unchanged source is hashed, not parsed and normalised).

The key also holds the year: how a two-digit year reads, and which dates count as typos, depend on it
(sources.normalise.dates). An empty batch is always read again: it may be an emptied file accepted on
purpose, whose staged batch differs from what reading gives.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json

from kernel.code_version import code_fingerprint
from sources.model import SourceBatch, SourceSpec
from sources.readers import ReadLimits

from .fingerprint import hash_file_into
from .staging import Staging

READING_CODE = ("sources", "kernel")  # the packages whose code decides what a file reads as


def read_key(spec: SourceSpec, limits: ReadLimits, today: dt.date | None = None) -> str:
    """The key of reading ``spec``'s file now; "" when the entry cannot be read (nothing to remember)."""
    if spec.problem is not None or not spec.path.is_file():
        return ""
    digest = hashlib.sha256()
    entry = {"name": spec.name, "kind": spec.kind, "path": str(spec.path), "directorate": spec.directorate,
             "sheet": spec.sheet, "columns": spec.columns, "limits": dataclasses.asdict(limits),
             "year": (today or dt.date.today()).year, "code": code_fingerprint(*READING_CODE)}
    digest.update(json.dumps(entry, sort_keys=True).encode())
    hash_file_into(digest, spec.path)
    return digest.hexdigest()


def staged_read(staging: Staging, spec: SourceSpec, key: str) -> SourceBatch | None:
    """The source's staged batch when it was read with ``key``; None when it must be read again."""
    if not key or staging.read_key(spec.name) != key:
        return None
    staged = staging.last_good(spec.name)
    if staged is None or staged.read_key != key or (staged.rows.empty and staged.quarantine.empty):
        return None
    return dataclasses.replace(staged, spec=spec)
