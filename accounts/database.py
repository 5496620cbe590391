"""``accounts.sqlite`` in the stakeholders home: users, sessions and sign-in throttling, shared by every
worker of the web app and the command line (SQLite's locking keeps their writes apart); the portal keeps
``portal.sqlite`` the same way."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ACCOUNTS_FILE = "accounts.sqlite"


@contextmanager
def accounts_db(home: Path, schema: str) -> Iterator[sqlite3.Connection]:
    """One transaction on the home's accounts file, created owner-only with ``schema`` if need be."""
    with owner_only_db(home / ACCOUNTS_FILE, schema) as connection:
        yield connection


@contextmanager
def owner_only_db(path: Path, schema: str) -> Iterator[sqlite3.Connection]:
    """One transaction on the SQLite file ``path``, created owner-only with ``schema`` if need be."""
    fresh = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=10)
    try:
        if fresh:
            os.chmod(path, 0o600)  # password hashes: readable by the service account only
        connection.executescript(schema)
        with connection:
            yield connection
    finally:
        connection.close()
