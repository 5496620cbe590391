"""The sync as Dagster assets: each a thin wrapper over one stage of `sync.steps`."""


import dagster as dg

from quality.gates import validate_batch
from resolution.model import ResolvedWorld
from sources.model import SourceBatch
from sync.history import RunHistory
from sync.journal import LoadJournal
from sync.report import SourceOutcome
from sync.run import SyncInProgress, sync_lock
from sync.shrink import ShrinkPolicy, parse_max_shrink
from sync.staging import Staging
from sync.steps import (
    finish_interrupted_load,
    gate_sources,
    look_up_postcodes,
    note_withheld,
    publish,
    read_sources,
    resolve_world,
    withhold_erased,
)
from sync.suppression_list import SuppressionList

from .resources import StakeholdersResource


@dg.asset(group_name="ingest", kinds={"pandas"},
          description="Every source of the manifest, read and normalised; unusable rows quarantined.")
def source_batches(context: dg.AssetExecutionContext, stakeholders: StakeholdersResource
                   ) -> list[SourceBatch]:
    suppression = SuppressionList(stakeholders.home_path()).load()
    batches = withhold_erased(read_sources(stakeholders.manifest_path(), context.log.info), suppression,
                              context.log.info)
    context.add_output_metadata({b.spec.name: f"{b.rows_read} rows, {len(b.quarantine)} quarantined"
                                 + (f", FAILED: {b.failure}" if b.failure else "") for b in batches})
    return batches


@dg.asset_check(asset=source_batches, description="Great Expectations suite per source; a failing "
                "source is held back by accepted_sources while the others sync.")
def source_quality_gates(source_batches: list[SourceBatch]) -> dg.AssetCheckResult:
    results = [validate_batch(batch) for batch in source_batches]
    return dg.AssetCheckResult(
        passed=all(r.passed for r in results), severity=dg.AssetCheckSeverity.WARN,
        metadata={r.source: dg.MetadataValue.json(r.to_metadata()) for r in results})


class ShrinkConfig(dg.Config):
    """The shrink protection, as `stakeholders sync --max-shrink/--accept-shrink` (sync.shrink)."""

    max_shrink: list[str] = []  # "SHARE" (default 0.2) or "SOURCE=SHARE"
    accept_shrink: list[str] = []  # sources whose new, smaller (even empty) file is accepted this run


@dg.asset(group_name="ingest", description="The batches that passed their gates and the shrink protection, "
          "plus the last good batch of any source held back this run.")
def accepted_sources(context: dg.AssetExecutionContext, stakeholders: StakeholdersResource,
                     source_batches: list[SourceBatch], config: ShrinkConfig
                     ) -> tuple[list[SourceBatch], list[SourceOutcome]]:
    default, per_source = parse_max_shrink(config.max_shrink)
    shrink = ShrinkPolicy(default, per_source, frozenset(config.accept_shrink))
    shrink.check_names(b.spec.name for b in source_batches)
    accepted, outcomes = gate_sources(source_batches, Staging(stakeholders.home_path()), context.log.info,
                                      shrink)
    # a held-back source's staged batch may predate an erasure
    accepted = withhold_erased(accepted, SuppressionList(stakeholders.home_path()).load(), context.log.info)
    context.add_output_metadata({o.name: o.status + (f": {o.reason}" if o.reason else "") for o in outcomes})
    return accepted, outcomes


@dg.asset(group_name="resolve", description="Contacts and organisations deduplicated, with premises, "
          "postcodes and the merged values of every field.")
def resolved_world(context: dg.AssetExecutionContext, stakeholders: StakeholdersResource,
                   accepted_sources: tuple[list[SourceBatch], list[SourceOutcome]]) -> ResolvedWorld:
    accepted, _ = accepted_sources
    with stakeholders.graph_store(context.log) as store:
        # resolve against the graph a finished load left, never a half-written one
        finish_interrupted_load(store, LoadJournal(stakeholders.home_path()), context.log.info)
        looked_up = look_up_postcodes(accepted, stakeholders.postcode_lookup(), context.log.info)
        world = resolve_world(accepted, store, looked_up, context.log.info)
    context.add_output_metadata({"contacts": len(world.contacts), "organisations": len(world.organisations),
                                 "review_pairs": len(world.review_pairs),
                                 "steward_decisions_applied": len(world.decisions_applied)})
    return world


@dg.asset_check(asset=resolved_world, blocking=True,
                additional_ins={"accepted_sources": dg.AssetIn("accepted_sources")},
                description="Every contact and keyholder row is in exactly one contact or in quarantine.")
def every_row_accounted(accepted_sources: tuple[list[SourceBatch], list[SourceOutcome]],
                        resolved_world: ResolvedWorld) -> dg.AssetCheckResult:
    from sync.accounting import unaccounted_rows

    problems = unaccounted_rows(accepted_sources[0], resolved_world)
    return dg.AssetCheckResult(passed=not problems, severity=dg.AssetCheckSeverity.ERROR,
                               metadata={"problems": len(problems), "examples": problems[:20]})


@dg.asset(group_name="publish", description="The Neo4j graph, loaded idempotently.")
def stakeholder_graph(context: dg.AssetExecutionContext, stakeholders: StakeholdersResource,
                      accepted_sources: tuple[list[SourceBatch], list[SourceOutcome]],
                      resolved_world: ResolvedWorld) -> dg.MaterializeResult:
    home = stakeholders.home_path()
    try:
        # The same lock as `stakeholders sync`: a Dagster run and a command-line sync never load at once.
        with sync_lock(home), stakeholders.graph_store(context.log) as store:
            note_withheld(accepted_sources[1], resolved_world)
            report = publish(resolved_world, accepted_sources[1], store, context.log.info, LoadJournal(home))
            RunHistory(home).record(report, "dagster")
    except SyncInProgress as busy:
        raise dg.Failure(description=str(busy)) from None
    for line in report.lines():
        context.log.info(line)
    return dg.MaterializeResult(metadata={
        "changed": report.changed, "contacts": report.contacts, "organisations": report.organisations,
        "nodes": report.nodes, "relationships": report.relationships,
        "held_back": ", ".join(o.name for o in report.held_back) or "none"})
