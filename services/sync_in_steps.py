"""The sync one step at a time, each step perhaps in its own process (the Dagster assets).

Each step keeps what it hands the next in the run's folder in the home (sync.run_folder) and returns
only a summary: names, counts, statuses and reasons, never a value from a row, so that nothing
personal reaches Dagster's run storage. The steps are those of services.sync, under the same lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kernel.errors import StakeholdersError
from kernel.progress import Progress, quiet
from kernel.stage_meter import measured
from quality.gates import validate_batch
from sync.report import SourceOutcome, SyncReport
from sync.run_folder import RunFolder
from sync.shrink import ShrinkPolicy
from sync.steps import held_back_rows

from . import sync
from .installation import Installation


@dataclass(frozen=True)
class ReadSummary:
    run: str
    manifest: Path
    sources: list[str]
    rows: dict[str, str]  # source -> "N rows, M quarantined[, FAILED: why]"
    quality: dict[str, dict]  # source -> its quality gate's results (quality.gates.GateResult.to_metadata)


@dataclass(frozen=True)
class AcceptedSummary:
    run: str
    manifest: Path
    shrink: ShrinkPolicy | None
    sources: list[str]  # the sources resolution uses (passed, or held back with a last good batch)
    outcomes: list[SourceOutcome]


@dataclass(frozen=True)
class ResolvedSummary:
    run: str
    manifest: Path
    shrink: ShrinkPolicy | None
    counts: dict[str, int]  # contacts, organisations, premises, postcodes, review_pairs, decisions_applied
    unaccounted: list[str]  # refs of rows in no contact and no quarantine, or in more than one


def read(installation: Installation, run: str, progress: Progress = quiet) -> ReadSummary:
    """Read the installation's manifest into the run's folder."""
    with measured("read", progress):
        manifest = installation.manifest
        if manifest is None:
            raise StakeholdersError("no manifest to sync: set STAKEHOLDERS_MANIFEST or the resource's manifest")
        found = sync.read(installation, manifest, progress)
        folder = RunFolder(installation.home, run).create()
        for batch in found.batches:
            folder.read.save(batch)
        return ReadSummary(run, manifest, [b.spec.name for b in found.batches],
                           {b.spec.name: f"{b.rows_read} rows, {len(b.quarantine)} quarantined"
                            + (f", FAILED: {b.failure}" if b.failure else "") for b in found.batches},
                           {b.spec.name: validate_batch(b).to_metadata() for b in found.batches})


def gate(installation: Installation, read: ReadSummary, shrink: ShrinkPolicy | None = None,
         progress: Progress = quiet) -> AcceptedSummary:
    with measured("gate", progress):
        folder = RunFolder(installation.home, read.run)
        batches = folder.batches(folder.read, read.sources)
        accepted = sync.gate(installation, sync.SourcesRead(read.manifest, batches), shrink, progress)
        for batch in accepted.batches:
            folder.accepted.save(batch)
        return AcceptedSummary(read.run, read.manifest, shrink, [b.spec.name for b in accepted.batches],
                               accepted.outcomes)


def resolve(installation: Installation, accepted: AcceptedSummary, progress: Progress = quiet) -> ResolvedSummary:
    with measured("resolve", progress):
        folder = RunFolder(installation.home, accepted.run)
        batches = folder.batches(folder.accepted, accepted.sources)
        read = folder.batches(folder.read, [o.name for o in accepted.outcomes if o.name in folder.read.sources()])
        resolved = sync.resolve(installation, sync.SourcesAccepted(
            accepted.manifest, accepted.shrink, batches, accepted.outcomes, held_back_rows(read, accepted.outcomes)),
            progress)
        folder.save_prepared(resolved.prepared)
        return ResolvedSummary(accepted.run, accepted.manifest, accepted.shrink, dict(resolved.prepared.counts),
                               resolved.unaccounted_rows())


def publish(installation: Installation, resolved: ResolvedSummary, progress: Progress = quiet,
            trigger: str = "dagster") -> SyncReport:
    """Load the run's resolved world, then remove the run's folder."""
    with measured("load", progress):
        folder = RunFolder(installation.home, resolved.run)
        prepared = folder.prepared()
        report = sync.publish_prepared(installation, prepared, resolved.manifest, resolved.shrink,
                                       progress, trigger=trigger)
        folder.remove()
        return report
