"""The sync as Dagster assets: each a few lines over one step of services.sync, the steps that
`stakeholders sync` chains, each taking the home's sync lock itself."""

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from kernel.errors import BusyError
from quality.gates import validate_batch
from services import sync
from sync.shrink import ShrinkPolicy, parse_max_shrink

from .resources import InstallationResource


@dg.asset(group_name="ingest", kinds={"pandas"},
          description="Every source of the manifest, read and normalised; unusable rows quarantined.")
def source_batches(context: dg.AssetExecutionContext, stakeholders: InstallationResource) -> sync.SourcesRead:
    with stakeholders.open_installation(context.log.info) as installation:
        read = sync.read(installation, installation.manifest, context.log.info)
    context.add_output_metadata({b.spec.name: f"{b.rows_read} rows, {len(b.quarantine)} quarantined"
                                 + (f", FAILED: {b.failure}" if b.failure else "") for b in read.batches})
    return read


@dg.asset_check(asset=source_batches, description="Great Expectations suite per source; a failing "
                "source is held back by accepted_sources while the others sync.")
def source_quality_gates(source_batches: sync.SourcesRead) -> dg.AssetCheckResult:
    results = [validate_batch(batch) for batch in source_batches.batches]
    return dg.AssetCheckResult(
        passed=all(r.passed for r in results), severity=dg.AssetCheckSeverity.WARN,
        metadata={r.source: dg.MetadataValue.json(r.to_metadata()) for r in results})


class ShrinkConfig(dg.Config):
    """The shrink protection, as `stakeholders sync --max-shrink/--accept-shrink` (sync.shrink)."""

    max_shrink: list[str] = []  # "SHARE" (default 0.2) or "SOURCE=SHARE"
    accept_shrink: list[str] = []  # sources whose new, smaller (even empty) file is accepted this run


@dg.asset(group_name="ingest", description="The batches that passed their gates and the shrink protection, "
          "plus the last good batch of any source held back this run.")
def accepted_sources(context: dg.AssetExecutionContext, stakeholders: InstallationResource,
                     source_batches: sync.SourcesRead, config: ShrinkConfig) -> sync.SourcesAccepted:
    shrink = ShrinkPolicy(*parse_max_shrink(config.max_shrink), frozenset(config.accept_shrink))
    with _one_sync_at_a_time(), stakeholders.open_installation(context.log.info) as installation:
        accepted = sync.gate(installation, source_batches, shrink, context.log.info)
    context.add_output_metadata({o.name: o.status + (f": {o.reason}" if o.reason else "") for o in accepted.outcomes})
    return accepted


@dg.asset(group_name="resolve", description="Contacts and organisations deduplicated, with premises, "
          "postcodes and the merged values of every field.")
def resolved_world(context: dg.AssetExecutionContext, stakeholders: InstallationResource,
                   accepted_sources: sync.SourcesAccepted) -> sync.WorldResolved:
    with _one_sync_at_a_time(), stakeholders.open_installation(context.log.info) as installation:
        resolved = sync.resolve(installation, accepted_sources, context.log.info)
    context.add_output_metadata({"contacts": len(resolved.world.contacts),
                                 "organisations": len(resolved.world.organisations),
                                 "review_pairs": len(resolved.world.review_pairs),
                                 "steward_decisions_applied": len(resolved.world.decisions_applied)})
    return resolved


@dg.asset_check(asset=resolved_world, blocking=True,
                description="Every contact and keyholder row is in exactly one contact or in quarantine.")
def every_row_accounted(resolved_world: sync.WorldResolved) -> dg.AssetCheckResult:
    problems = resolved_world.unaccounted_rows()
    return dg.AssetCheckResult(passed=not problems, severity=dg.AssetCheckSeverity.ERROR,
                               metadata={"problems": len(problems), "examples": problems[:20]})


@dg.asset(group_name="publish", description="The Neo4j graph, loaded idempotently.")
def stakeholder_graph(context: dg.AssetExecutionContext, stakeholders: InstallationResource,
                      resolved_world: sync.WorldResolved) -> dg.MaterializeResult:
    with _one_sync_at_a_time(), stakeholders.open_installation(context.log.info) as installation:
        report = sync.publish(installation, resolved_world, context.log.info, trigger="dagster")
    for line in report.lines():
        context.log.info(line)
    return dg.MaterializeResult(metadata={
        "changed": report.changed, "contacts": report.contacts, "organisations": report.organisations,
        "nodes": report.nodes, "relationships": report.relationships,
        "held_back": ", ".join(o.name for o in report.held_back) or "none"})


@contextmanager
def _one_sync_at_a_time() -> Iterator[None]:
    """A step that finds another sync holding the lock fails with its one-line message, no traceback."""
    try:
        yield
    except BusyError as busy:
        raise dg.Failure(description=str(busy)) from None
