"""The sync as Dagster assets: each a few lines over one step of services.sync_in_steps, the steps that
`stakeholders sync` chains, each taking the home's sync lock itself. What one step hands the next stays
in the home; the assets' values are summaries without a value from any row."""

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from kernel.errors import StakeholdersError
from services import sync_in_steps as steps
from sync.shrink import ShrinkPolicy, parse_max_shrink

from .resources import InstallationResource


@dg.asset(group_name="ingest", kinds={"pandas"},
          description="Every source of the manifest, read and normalised; unusable rows quarantined.")
def source_batches(context: dg.AssetExecutionContext, stakeholders: InstallationResource) -> steps.ReadSummary:
    with _in_one_line(), stakeholders.open_installation(context.log.info) as installation:
        read = steps.read(installation, context.run_id, context.log.info)
    context.add_output_metadata(read.rows)
    return read


@dg.asset_check(asset=source_batches, description="Great Expectations suite per source; a failing "
                "source is held back by accepted_sources while the others sync.")
def source_quality_gates(source_batches: steps.ReadSummary) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=all(r["passed"] for r in source_batches.quality.values()), severity=dg.AssetCheckSeverity.WARN,
        metadata={name: dg.MetadataValue.json(r) for name, r in source_batches.quality.items()})


class ShrinkConfig(dg.Config):
    """The shrink protection, as `stakeholders sync --max-shrink/--accept-shrink` (sync.shrink)."""

    max_shrink: list[str] = []  # "SHARE" (default 0.2) or "SOURCE=SHARE"
    accept_shrink: list[str] = []  # sources whose new, smaller (even empty) file is accepted this run
    accept_removal: list[str] = []  # sources gone from the manifest whose data may retire this run


@dg.asset(group_name="ingest", description="The batches that passed their gates and the shrink protection, "
          "plus the last good batch of any source held back this run.")
def accepted_sources(context: dg.AssetExecutionContext, stakeholders: InstallationResource,
                     source_batches: steps.ReadSummary, config: ShrinkConfig) -> steps.AcceptedSummary:
    shrink = ShrinkPolicy(*parse_max_shrink(config.max_shrink), frozenset(config.accept_shrink),
                          frozenset(config.accept_removal))
    with _in_one_line(), stakeholders.open_installation(context.log.info) as installation:
        accepted = steps.gate(installation, source_batches, shrink, context.log.info)
    context.add_output_metadata({o.name: o.status + (f": {o.reason}" if o.reason else "") for o in accepted.outcomes})
    return accepted


@dg.asset(group_name="resolve", description="Contacts and organisations deduplicated, with premises, "
          "postcodes and the merged values of every field.")
def resolved_world(context: dg.AssetExecutionContext, stakeholders: InstallationResource,
                   accepted_sources: steps.AcceptedSummary) -> steps.ResolvedSummary:
    with _in_one_line(), stakeholders.open_installation(context.log.info) as installation:
        resolved = steps.resolve(installation, accepted_sources, context.log.info)
    context.add_output_metadata(resolved.counts)
    return resolved


@dg.asset_check(asset=resolved_world, blocking=True,
                description="Every contact and keyholder row is in exactly one contact or in quarantine.")
def every_row_accounted(resolved_world: steps.ResolvedSummary) -> dg.AssetCheckResult:
    problems = resolved_world.unaccounted
    return dg.AssetCheckResult(passed=not problems, severity=dg.AssetCheckSeverity.ERROR,
                               metadata={"problems": len(problems), "examples": problems[:20]})


@dg.asset(group_name="publish", description="The Neo4j graph, loaded idempotently.")
def stakeholder_graph(context: dg.AssetExecutionContext, stakeholders: InstallationResource,
                      resolved_world: steps.ResolvedSummary) -> dg.MaterializeResult:
    with _in_one_line(), stakeholders.open_installation(context.log.info) as installation:
        report = steps.publish(installation, resolved_world, context.log.info)
    for line in report.lines():
        context.log.info(line)
    return dg.MaterializeResult(metadata={
        "changed": report.changed, "contacts": report.contacts, "organisations": report.organisations,
        "nodes": report.nodes, "relationships": report.relationships,
        "held_back": ", ".join(o.name for o in report.held_back) or "none"})


@contextmanager
def _in_one_line() -> Iterator[None]:
    """A step that cannot do its work (another sync holds the lock, a manifest is broken) fails with
    the project's one-line message, as the command line would say it, not a traceback."""
    try:
        yield
    except StakeholdersError as error:
        raise dg.Failure(description=str(error)) from None
