"""The sync use case: read, gate, resolve, publish.

`stakeholders sync` (and the web app's "apply now") runs the whole chain under the home's sync lock;
the Dagster assets run the same steps one at a time, each taking the lock itself, so that neither
ever stages, finishes an interrupted load or writes the graph while the other does. Each step hands
the next a named dataclass.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kernel.progress import Checkpoint, Progress, no_checkpoint, quiet
from kernel.stage_meter import measured
from resolution.match_model import MatchModel
from resolution.model import ResolvedWorld
from sources.model import SourceBatch
from sync.accounting import unaccounted_rows
from sync.match_model_file import model_key
from sync.report import SourceOutcome, SyncReport
from sync.resolution_memo import Remembered, inputs_key
from sync.shrink import ShrinkPolicy
from sync.steps import (
    PreparedLoad,
    finish_interrupted_load,
    gate_sources,
    held_back_rows,
    look_up_postcodes,
    prepare_load,
    prepare_unchanged,
    read_sources,
    resolution_inputs,
    resolve_world,
    withhold_erased,
)
from sync.steps import publish as load_into_graph

from .installation import Installation
from .portal import self_service_sources


@dataclass(frozen=True)
class SourcesRead:
    """Every source of the manifest as read and normalised, erased people's rows already withheld."""

    manifest: Path
    batches: list[SourceBatch]


@dataclass(frozen=True)
class SourcesAccepted:
    """What resolution uses: each source's batch that passed its gates, or its last good batch when it
    was held back (both are then the source's staged batch), with every source's outcome."""

    manifest: Path
    shrink: ShrinkPolicy | None
    batches: list[SourceBatch]
    outcomes: list[SourceOutcome]
    held_back: pd.DataFrame | None = None  # the quarantined rows of the batches held back (sync.steps.held_back_rows)


@dataclass(frozen=True)
class WorldResolved:
    """The deduplicated world and the load it makes, resolved against the graph as it then stood."""

    accepted: SourcesAccepted
    world: ResolvedWorld | None  # None when the resolution was remembered (sync.resolution_memo)
    prepared: PreparedLoad

    def unaccounted_rows(self) -> list[str]:
        """Refs of rows not in exactly one contact or quarantine (data contract section 5); a remembered
        resolution had them all accounted for when it was worked out (it is kept only once loaded)."""
        return [] if self.world is None else unaccounted_rows(self.accepted.batches, self.world)


def read(installation: Installation, manifest: Path, progress: Progress = quiet, full: bool = False) -> SourcesRead:
    """Read every source, and the portal's staff lists (kind self_service); needs no lock (it writes nothing).
    A source whose file its last good batch was read from comes from staging, unless ``full``."""
    suppression = installation.suppression.load()
    staging = None if full else installation.staging
    batches = read_sources(manifest, progress, installation.read_limits, staging) + self_service_sources(installation)
    return SourcesRead(manifest, withhold_erased(batches, suppression, progress))


def gate(installation: Installation, sources: SourcesRead, shrink: ShrinkPolicy | None = None,
         progress: Progress = quiet) -> SourcesAccepted:
    """Quality gates and shrink protection; a passing batch becomes its source's last good batch."""
    if shrink is not None:
        shrink.check_names(b.spec.name for b in sources.batches)
    with installation.sync_lock():
        accepted, outcomes = gate_sources(sources.batches, installation.staging, progress, shrink)
    return SourcesAccepted(sources.manifest, shrink, accepted, outcomes, held_back_rows(sources.batches, outcomes))


def resolve(installation: Installation, accepted: SourcesAccepted, progress: Progress = quiet,
            full: bool = False, retrain: bool = False) -> WorldResolved:
    """Resolve against the graph a finished load left, never a half-written one: an interrupted load is
    finished first, under the lock. When nothing resolution reads has changed since the last load
    (sync.resolution_memo), its result is the graph's already and is not worked out again, unless ``full``.
    The contact weights kept in the home are used while they fit (sync.match_model_file); ``retrain``:
    learn them again from this data."""
    with installation.sync_lock():
        store = installation.store
        finish_interrupted_load(store, installation.journal, progress)
        # a held-back source's staged batch may predate an erasure
        suppression = installation.suppression.load()
        batches = withhold_erased(accepted.batches, suppression, progress)
        looked_up = look_up_postcodes(batches, installation.postcode_lookup, progress)
        state = store.fingerprint()
        inputs = resolution_inputs(batches, store)
        today = dt.date.today()
        model, why_not = (None, "") if retrain else installation.match_model.load(today)
        if why_not:
            progress(why_not)

        def key(weights: MatchModel | None) -> str:
            return inputs_key(batches, accepted.outcomes, accepted.held_back, looked_up, *inputs, suppression,
                              model_key(weights))

        current = dataclasses.replace(accepted, batches=batches)
        remembered = None if full or retrain else installation.resolution_memo.recall(key(model), state)
        if remembered is not None:
            progress("nothing resolution reads has changed since the last sync: the graph holds its result")
            return WorldResolved(current, None, prepare_unchanged(accepted.outcomes, state, remembered))
        world = resolve_world(batches, store, looked_up, progress, inputs, model)
        used = world.match_model
        if used is not None and used is not model:
            used = installation.match_model.keep(used, today)
        # the key the next sync works out: with the weights kept now
        return WorldResolved(current, world, prepare_load(world, accepted.outcomes, state, accepted.held_back,
                                                          key(used)))


def publish(installation: Installation, resolved: WorldResolved, progress: Progress = quiet,
            checkpoint: Checkpoint | None = None, trigger: str = "command line",
            started: float | None = None) -> SyncReport:
    """Load the resolved world and record the run (see ``publish_prepared``)."""
    return publish_prepared(installation, resolved.prepared, resolved.accepted.manifest, resolved.accepted.shrink,
                            progress, checkpoint, trigger, started)


def publish_prepared(installation: Installation, prepared: PreparedLoad, manifest: Path,
                     shrink: ShrinkPolicy | None, progress: Progress = quiet, checkpoint: Checkpoint | None = None,
                     trigger: str = "command line", started: float | None = None) -> SyncReport:
    """Load a prepared world and record the run. When another sync loaded the graph since the world was
    resolved, the whole sync of ``manifest`` runs again from the files, under the lock: loading the older
    world would hand out IDs from a state the graph has left, and undo what the other sync wrote."""
    started = time.monotonic() if started is None else started
    with installation.sync_lock():
        store = installation.store
        resumed = finish_interrupted_load(store, installation.journal, progress, checkpoint or no_checkpoint)
        if resumed or store.fingerprint() != prepared.graph_state:
            progress("another sync loaded the graph since this one resolved it: syncing again from the files")
            return run_sync(installation, manifest, shrink, progress, checkpoint, trigger)
        report = load_into_graph(prepared, store, progress, installation.journal, checkpoint or no_checkpoint)
        if prepared.inputs_key:
            installation.resolution_memo.keep(Remembered(prepared.inputs_key, store.fingerprint() or "",
                                                         dict(prepared.counts), prepared.notes))
        report.resumed = resumed
        report.seconds = time.monotonic() - started
        installation.runs.record(report, trigger)  # under the lock: one writer at a time
    return report


def run_sync(installation: Installation, manifest: Path, shrink: ShrinkPolicy | None = None,
             progress: Progress = quiet, checkpoint: Checkpoint | None = None,
             trigger: str = "command line", full: bool = False, retrain: bool = False) -> SyncReport:
    """One whole sync, as `stakeholders sync` runs it. ``shrink``: the shrink protection (default: 20%
    for every source, none accepted); ``checkpoint``: fault injection for tests (sync.faults);
    ``trigger``: what started it, for the run history; ``full``: read every file and resolve afresh, even
    what is unchanged since the last sync; ``retrain``: learn the contact weights again from this data."""
    started = time.monotonic()
    with installation.sync_lock():
        resumed = finish_interrupted_load(installation.store, installation.journal, progress,
                                          checkpoint or no_checkpoint)
        with measured("read", progress):
            read_in = read(installation, manifest, progress, full)
        with measured("gate", progress):
            accepted = gate(installation, read_in, shrink, progress)
        with measured("resolve", progress):
            resolved = resolve(installation, accepted, progress, full, retrain)
        with measured("load", progress):
            report = publish(installation, resolved, progress, checkpoint, trigger, started)
        report.resumed = report.resumed or resumed
    return report
