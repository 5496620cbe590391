"""The sync lock: one sync (or erasure) per home at a time, across processes and threads."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kernel.errors import BusyError


class SyncInProgress(BusyError, RuntimeError):
    pass


@contextmanager
def sync_lock(home: Path) -> Iterator[None]:
    """Hold the home's lock, or fail at once with a clear message when another sync holds it."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / "sync.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncInProgress(f"another sync is running for {home}; try again when it has finished") from None
        yield
