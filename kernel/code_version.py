"""A fingerprint of the project's own code, for what a sync keeps between runs: a batch read, a gate's
verdict or a resolution remembered by one version is never reused by another (a changed normaliser
would otherwise leave yesterday's values in the graph)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]


@cache
def code_fingerprint(*packages: str) -> str:
    """sha256 over the Python files of ``packages`` (folders of the project), in a fixed order."""
    digest = hashlib.sha256()
    for package in sorted(packages):
        for path in sorted((_ROOT / package).rglob("*.py")):
            digest.update(str(path.relative_to(_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
