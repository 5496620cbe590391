"""The stages of a sync, each a plain function: the CLI chains them, the Dagster assets wrap them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from graph.load_plan import LoadStep, build_load_plan, plan_fingerprint
from graph.store import GraphStore
from kernel.progress import Checkpoint, Progress, no_checkpoint, quiet
from kernel.reasons import HoldBack, RowReason
from quality.gates import validate_batch
from resolution.match_model import MatchModel
from resolution.model import LINEAGE_COLUMNS, ResolvedWorld
from resolution.resolve import resolve
from resolution.self_service import known_person_links
from resolution.suppression import Suppression, apply_suppression
from sources import load_manifest, load_source
from sources.model import QUARANTINE_COLUMNS, SELF_SERVICE, SourceBatch
from sources.postcode_lookup import PostcodeLookup
from sources.readers import DEFAULT_LIMITS, ReadLimits

from .gate_memo import memo_of, remembered
from .journal import LoadJournal, PendingLoad
from .read_cache import read_key, staged_read
from .report import SourceOutcome, SyncReport
from .resolution_memo import Remembered
from .shrink import ShrinkPolicy, emptied
from .staging import Staging


def read_sources(manifest: Path, progress: Progress = quiet, limits: ReadLimits = DEFAULT_LIMITS,
                 staging: Staging | None = None) -> list[SourceBatch]:
    """Read and normalise every source of the manifest; a broken source comes back with ``failure`` set.
    ``limits``: how much one file may hold (sources.readers.ReadLimits). With ``staging``, a source whose
    file is the one its last good batch was read from comes from there instead (sync.read_cache)."""
    batches = []
    for spec in load_manifest(manifest):
        key = read_key(spec, limits)
        staged = staged_read(staging, spec, key) if staging is not None else None
        if staged is not None:
            progress(f"{spec.name}: unchanged since its last good sync, taken from staging")
            batches.append(staged)
            continue
        progress(f"reading {spec.name} ({spec.kind})")
        batches.append(dataclasses.replace(load_source(spec, progress, limits), read_key=key))
    return batches


def gate_sources(batches: list[SourceBatch], staging: Staging, progress: Progress = quiet,
                 shrink: ShrinkPolicy | None = None) -> tuple[list[SourceBatch], list[SourceOutcome]]:
    """Apply the quality gates and the shrink protection: a passing batch becomes the source's last good
    batch; a failing one is held back and the last good batch, if any, is used in its place.

    A source accepted in ``shrink`` may also be empty (its ``has_rows`` gate is waived): emptying a
    source on purpose is the extreme case of a shrink. Once accepted, it stays accepted while empty."""
    shrink = shrink or ShrinkPolicy()
    accepted, outcomes = [], []
    for batch in batches:
        name = batch.spec.name
        if batch.spec.kind == SELF_SERVICE:
            outcomes.append(_self_service_accepted(batch, staging, accepted))
            continue
        staged = bool(batch.read_key) and staging.read_key(name) == batch.read_key
        kept_gate = remembered(batch, staging.gate(name)) if staged else None
        gate = kept_gate or validate_batch(batch)
        outcome = SourceOutcome(name=name, kind=batch.spec.kind, status="synced",
                                rows_read=batch.rows_read, rows_used=len(batch.rows),
                                quarantined=len(batch.quarantine), warnings=_warnings(batch, gate),
                                checks=[dataclasses.asdict(check) for check in gate.checks])
        reasons: list[tuple[HoldBack, str]] = []
        empty, before = emptied(batch), staging.rows_used(name)
        if batch.failure is None or empty:
            shrunk = shrink.held_back_reason(name, before, len(batch.rows))
            reasons += [(HoldBack.SHRANK, shrunk)] if shrunk else []
        # an empty file passes once accepted, and stays accepted while it stays empty
        accepted_empty = ((name in shrink.accepted or before == 0)
                          and (empty or set(gate.failed_blocking) == {"has_rows"}))
        if not gate.passed and not accepted_empty:
            code = HoldBack.UNREADABLE if batch.failure is not None else HoldBack.QUALITY_GATE
            reasons.append((code, gate.held_back_reason or "failed a quality gate"))
        if not reasons:
            if accepted_empty:
                batch = dataclasses.replace(batch, failure=None)  # emptied on purpose: now its good batch
            if not staged or accepted_empty:  # a batch from staging is there already
                staging.save(batch)
            if batch.read_key and kept_gate is None:  # a verdict reused still holds as it was kept
                staging.save_gate(name, memo_of(batch, gate))
            accepted.append(batch)
        else:
            outcome.status, outcome.reason = "held back", "; ".join(text for _, text in reasons)
            outcome.hold_back = [code.value for code, _ in reasons]
            previous = staging.last_good(name)
            if previous is not None:
                accepted.append(previous)
                outcome.kept_previous = True
        progress(f"quality gate {name}: {outcome.status}")
        outcomes.append(outcome)
    read = {batch.spec.name for batch in batches}
    for name in staging.sources():
        if name not in read:
            _removed_from_manifest(name, staging, shrink, accepted, outcomes, progress)
    return accepted, outcomes


def _self_service_accepted(batch: SourceBatch, staging: Staging, accepted: list[SourceBatch]) -> SourceOutcome:
    """The portal's staff lists pass without a quality gate or shrink protection: each value was checked as
    it was typed (portal.forms), and each removal was a stakeholder's deliberate, audited act."""
    staging.save(batch)
    accepted.append(batch)
    return SourceOutcome(name=batch.spec.name, kind=batch.spec.kind, status="synced", rows_read=batch.rows_read,
                         rows_used=len(batch.rows), quarantined=len(batch.quarantine), warnings=[], checks=[])


def _removed_from_manifest(name: str, staging: Staging, shrink: ShrinkPolicy, accepted: list[SourceBatch],
                           outcomes: list[SourceOutcome], progress: Progress) -> None:
    """A source the manifest no longer names is held back like a shrink, its last good batch kept, until
    its removal is accepted: then its batch is dropped and its rows retire at this sync."""
    reason = shrink.removal_reason(name)
    if reason is None:
        staging.remove(name)
        progress(f"{name}: removed from the manifest, and its data retires (--accept-removal)")
        return
    previous = staging.last_good(name)
    if previous is None:
        return
    accepted.append(previous)
    outcomes.append(SourceOutcome(name=name, kind=previous.spec.kind, status="held back",
                                  rows_read=0, rows_used=len(previous.rows), quarantined=len(previous.quarantine),
                                  reason=reason, hold_back=[HoldBack.REMOVED.value], kept_previous=True))
    progress(f"{name}: not in the manifest; held back, its last good batch kept")


def withhold_erased(batches: list[SourceBatch], suppression: Suppression, progress: Progress = quiet
                    ) -> list[SourceBatch]:
    """Quarantine the rows of erased people (resolution.suppression) so they never reach resolution or
    staging. Applied to the batches read, and again to the accepted ones: a held-back source's staged
    batch may predate the erasure."""
    out = []
    for batch in batches:
        kept, withheld = apply_suppression(batch, suppression)
        if withheld:
            progress(f"{batch.spec.name}: {withheld} row(s) withheld (erasure request)")
        out.append(kept)
    return out


def world_notes(world: ResolvedWorld) -> dict[str, dict]:
    """What resolution adds to each source's outcome: its rows withheld for erasure requests, and its evidence
    rows (engagements, groups, sectors, surveys) that matched no known contact or organisation, quarantined
    after the source's own figures were counted. Counts, row numbers and reasons only."""
    notes: dict[str, dict] = {}
    withheld = Counter(world.quarantine.loc[world.quarantine["code"] == RowReason.SUPPRESSED, "source"])
    for source, count in withheld.items():
        notes.setdefault(str(source), {})["suppressed"] = int(count)
    unmatched = world.quarantine[world.quarantine["code"].isin([c.value for c in _UNMATCHED])]
    for source, rows in unmatched.groupby("source", sort=True):
        shown = [f"row {r.row_number} ({r.reason})" for r in rows.head(_SHOWN_ROWS).itertuples()]
        more = f"; and {len(rows) - len(shown)} more" if len(rows) > len(shown) else ""
        notes.setdefault(str(source), {}).update(
            unmatched=len(rows), warning=f"not matched to anyone the graph knows {len(rows)}: " + "; ".join(shown)
            + more + " (see `stakeholders export quarantine`)")
    return notes


def apply_notes(outcomes: list[SourceOutcome], notes: dict[str, dict]) -> None:
    """Count ``world_notes`` into each source's outcome, for the run report."""
    for outcome in outcomes:
        note = notes.get(outcome.name, {})
        outcome.suppressed = note.get("suppressed", 0)
        if note.get("unmatched") and outcome.status == "synced":
            outcome.rows_used -= note["unmatched"]
            outcome.quarantined += note["unmatched"]
            outcome.warnings.append(note["warning"])


_UNMATCHED = (RowReason.NOT_KNOWN, RowReason.AMBIGUOUS)


def _warnings(batch: SourceBatch, gate) -> list[str]:
    """Header names, field names, row numbers and counts only: never a value from a contact's row."""
    warnings = list(batch.read_warnings)
    warnings += [f"quality: {c.description}" for c in gate.checks if not c.success and not c.blocking]
    if batch.unknown_headers:
        warnings.append("headers not recognised, ignored: " + ", ".join(batch.unknown_headers))
    warnings.extend(batch.header_warnings)
    flagged: dict[str, list[int]] = {}
    for number, flags in zip(batch.rows.get("row_number", []), batch.rows.get("flags", []), strict=True):
        for field in dict.fromkeys(flag.split(":", 1)[0] for flag in flags):
            flagged.setdefault(field, []).append(int(number))
    if flagged:
        warnings.append("invalid values dropped (row kept): " + ", ".join(
            f"{field} {len(numbers)} ({_rows(numbers)})" for field, numbers in sorted(flagged.items())))
    if not batch.quarantine.empty:
        # Quarantine reasons name fields and ids (and, for mosaic and postcode rows, codes), never
        # a person's details; the full list is `stakeholders export quarantine`.
        shown = [f"row {r.row_number} ({r.reason})" for r in batch.quarantine.head(_SHOWN_ROWS).itertuples()]
        more = len(batch.quarantine) - len(shown)
        warnings.append(f"quarantined {len(batch.quarantine)}: " + "; ".join(shown)
                        + (f"; and {more} more" if more else "") + " (see `stakeholders export quarantine`)")
    return warnings


_SHOWN_ROWS = 3


def _rows(numbers: list[int]) -> str:
    """ "row 3" or "rows 2, 5, 9 and 4 more": enough to find them in the sheet."""
    if len(numbers) == 1:
        return f"row {numbers[0]}"
    shown = ", ".join(str(n) for n in numbers[:_SHOWN_ROWS])
    more = len(numbers) - _SHOWN_ROWS
    return f"rows {shown} and {more} more" if more > 0 else f"rows {shown}"


def missing_postcodes(batches: list[SourceBatch]) -> list[str]:
    known = {p for b in batches if b.spec.kind == "postcodes" for p in b.rows["postcode"]}
    wanted = {p for b in batches if b.spec.kind in ("contacts", "keyholders", "mosaic")
              for p in b.rows.get("postcode", pd.Series(dtype=object)) if isinstance(p, str) and p}
    return sorted(wanted - known)


def look_up_postcodes(batches: list[SourceBatch], lookup: PostcodeLookup | None,
                      progress: Progress = quiet) -> pd.DataFrame:
    """Centroids and wards of postcodes the postcode directory lacks, from the lookup API if configured."""
    columns = ["postcode", "latitude", "longitude", "ward", "district"]
    missing = missing_postcodes(batches)
    if lookup is None or not missing:
        return pd.DataFrame(columns=columns)
    progress(f"looking up {len(missing)} postcodes missing from the postcode directory")
    found = lookup.lookup(missing)
    rows = [{"postcode": loc.postcode, "latitude": loc.latitude, "longitude": loc.longitude,
             "ward": loc.ward or "", "district": loc.district or ""}
            for loc in found.values() if loc and loc.latitude is not None and loc.longitude is not None]
    return pd.DataFrame(rows, columns=columns)


def resolution_inputs(accepted: list[SourceBatch], store: GraphStore) -> tuple[list, list]:
    """The steward decisions (with the portal's known-person links) and channel events resolution reads."""
    return store.decisions() + known_person_links(accepted), store.channel_events()


def resolve_world(accepted: list[SourceBatch], store: GraphStore, looked_up: pd.DataFrame,
                  progress: Progress = quiet, inputs: tuple[list, list] | None = None,
                  model: MatchModel | None = None) -> ResolvedWorld:
    """Resolve against the IDs and steward decisions the graph holds (``inputs``: resolution_inputs), with
    the contact weights ``model`` holds while they fit (resolution.match_model)."""
    decisions, channel_events = inputs or resolution_inputs(accepted, store)
    return resolve(accepted, previous=store.previous_identities(), extra_postcodes=looked_up,
                   progress=progress, decisions=decisions, channel_events=channel_events, model=model)


@dataclass(frozen=True)
class PreparedLoad:
    """What a resolved world writes to the graph, and the run report's figures about it: everything the
    load needs, so that it can be applied later, in another process (a Dagster step), from the home.

    ``graph_state``: the graph's sync fingerprint the world was resolved against; a load whose graph has
    moved on since (another sync loaded meanwhile) must be resolved again, not applied."""

    graph_state: str | None
    outcomes: list[SourceOutcome]
    plan: list[LoadStep]
    lineage: list[dict]  # resolution.model LINEAGE_COLUMNS, one dict per ID event
    counts: dict[str, int]  # contacts, organisations, premises, postcodes, review_pairs, decisions_applied
    identity_events: dict[str, int]  # event kind -> count (resolution.identity), "registered" left out
    inputs_key: str = ""  # what the world was resolved from (sync.resolution_memo.inputs_key); "" = not known
    # the plan's fingerprint when the plan is left out: the graph holds it already (a remembered resolution)
    fingerprint: str | None = None
    notes: dict[str, dict] = dataclasses.field(default_factory=dict)  # world_notes, applied to outcomes


def held_back_rows(batches: list[SourceBatch], outcomes: list[SourceOutcome]) -> pd.DataFrame:
    """The quarantined rows of the batches read this run but held back (data contract section 5)."""
    held = {o.name for o in outcomes if o.status != "synced"}
    frames = [b.quarantine for b in batches if b.spec.name in held and not b.quarantine.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(QUARANTINE_COLUMNS))


def prepare_load(world: ResolvedWorld, outcomes: list[SourceOutcome], graph_state: str | None,
                 held_back: pd.DataFrame | None = None, inputs_key: str = "") -> PreparedLoad:
    """The load plan of a resolved world, with each source's outcome (its erased rows counted in) and the
    quarantined rows of the batches held back (``held_back_rows``)."""
    notes = world_notes(world)
    apply_notes(outcomes, notes)
    sources = [{"name": o.name, "props": o.as_properties()} for o in outcomes]
    counts = {"contacts": len(world.contacts), "organisations": len(world.organisations),
              "premises": len(world.premises), "postcodes": len(world.postcodes),
              "review_pairs": len(world.review_pairs), "decisions_applied": len(world.decisions_applied)}
    return PreparedLoad(graph_state, outcomes, build_load_plan(world, sources, held_back),
                        world.lineage.to_dict("records"), counts,
                        dict(Counter(e for e in world.lineage["event"] if e != "registered")), inputs_key,
                        notes=notes)


def prepare_unchanged(outcomes: list[SourceOutcome], graph_state: str, remembered: Remembered) -> PreparedLoad:
    """The load of a resolution remembered (sync.resolution_memo): nothing to write, the graph holds it."""
    apply_notes(outcomes, remembered.notes)
    return PreparedLoad(graph_state, outcomes, [], [], dict(remembered.counts), {}, remembered.inputs,
                        fingerprint=graph_state, notes=remembered.notes)


def publish(prepared: PreparedLoad, store: GraphStore, progress: Progress = quiet,
            journal: LoadJournal | None = None, checkpoint: Checkpoint = no_checkpoint) -> SyncReport:
    """Load the prepared world into the graph unless it is exactly what the graph already holds.

    With a ``journal`` the load is written there first, so that a sync killed half-way is finished
    by the next one (``finish_interrupted_load``) exactly as this one would have finished it."""
    store.ensure_schema()
    run = prepared.fingerprint or plan_fingerprint(prepared.plan)
    changed = store.fingerprint() != run
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    lineage = pd.DataFrame(prepared.lineage, columns=LINEAGE_COLUMNS)
    pending = PendingLoad(run=run, plan=prepared.plan if changed else [],
                          lineage=store.lineage_rows(lineage, run, at), at=at)
    if pending.plan or pending.lineage:
        if journal is not None:
            journal.begin(pending)
        complete_load(store, pending, progress, checkpoint)
        if journal is not None:
            journal.done()
    counts = store.counts()
    return SyncReport(outcomes=prepared.outcomes, changed=changed, **prepared.counts,
                      identity_events=prepared.identity_events,
                      nodes=counts["nodes"], relationships=counts["relationships"])


def complete_load(store: GraphStore, pending: PendingLoad, progress: Progress = quiet,
                  checkpoint: Checkpoint = no_checkpoint) -> None:
    """Load, sweep, lineage, and only then the "synced" mark: a crash before it makes the next sync
    redo the load rather than skip it as unchanged."""
    if pending.plan:
        store.apply(pending.plan, pending.run, progress, checkpoint)
    store.write_lineage(pending.lineage, pending.run, pending.at, checkpoint)
    if pending.plan:
        store.mark_synced(pending.run)
        checkpoint()


def finish_interrupted_load(store: GraphStore, journal: LoadJournal, progress: Progress = quiet,
                            checkpoint: Checkpoint = no_checkpoint) -> bool:
    """Apply again the load a killed sync (or a lost server) left half-written; True when there was one."""
    pending = journal.pending()
    if pending is None:
        return False
    progress("finishing the load an interrupted sync left incomplete")
    store.ensure_schema()
    complete_load(store, pending, progress, checkpoint)
    journal.done()
    return True
