"""One whole sync, as `stakeholders sync` runs it: read, gate, resolve, publish."""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.store import GraphStore
from sources.postcode_lookup import PostcodeLookup

from .history import RunHistory
from .journal import LoadJournal
from .report import SyncReport
from .shrink import ShrinkPolicy
from .staging import Staging
from .steps import (
    Checkpoint,
    Progress,
    _nothing,
    _quiet,
    finish_interrupted_load,
    gate_sources,
    look_up_postcodes,
    note_withheld,
    publish,
    read_sources,
    resolve_world,
    withhold_erased,
)
from .suppression_list import SuppressionList


class SyncInProgress(RuntimeError):
    pass


@contextmanager
def sync_lock(home: Path) -> Iterator[None]:
    """Only one sync per home at a time; a second one fails at once with a clear message."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / "sync.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncInProgress(f"another sync is running for {home}; try again when it has finished") from None
        yield


def run_sync(manifest: Path, store: GraphStore, home: Path, lookup: PostcodeLookup | None = None,
             progress: Progress = _quiet, shrink: ShrinkPolicy | None = None,
             checkpoint: Checkpoint | None = None, trigger: str = "command line") -> SyncReport:
    """``shrink``: the shrink protection (default: 20% for every source, none accepted);
    ``checkpoint``: fault injection for tests (sync.faults); ``trigger``: what started it, for the run history."""
    started = time.monotonic()
    with sync_lock(home):
        journal, checkpoint = LoadJournal(home), checkpoint or _nothing
        resumed = finish_interrupted_load(store, journal, progress, checkpoint)
        suppression = SuppressionList(home).load()
        batches = withhold_erased(read_sources(manifest, progress), suppression, progress)
        if shrink is not None:
            shrink.check_names(b.spec.name for b in batches)
        accepted, outcomes = gate_sources(batches, Staging(home), progress, shrink)
        # a held-back source's staged batch may predate an erasure
        accepted = withhold_erased(accepted, suppression, progress)
        looked_up = look_up_postcodes(accepted, lookup, progress)
        world = resolve_world(accepted, store, looked_up, progress)
        note_withheld(outcomes, world)
        report = publish(world, outcomes, store, progress, journal, checkpoint)
        report.resumed = resumed
        report.seconds = time.monotonic() - started
        RunHistory(home).record(report, trigger)  # under the lock: one writer at a time
    return report
