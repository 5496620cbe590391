"""The Dagster definitions: assets, the nightly job, its schedule and the source-file sensor."""

from __future__ import annotations

import dagster as dg

from assets.message_prompts import message_prompts, messages_due
from assets.sync_assets import (
    accepted_sources,
    every_row_accounted,
    resolved_world,
    source_batches,
    source_quality_gates,
    stakeholder_graph,
)

from .file_sensor import source_files_changed
from .resources import StakeholdersResource

nightly_sync = dg.define_asset_job(
    "nightly_sync", selection=dg.AssetSelection.assets(source_batches, accepted_sources, resolved_world,
                                                        stakeholder_graph),
    description="Ingest every source, gate, resolve and load the graph.")

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_sync_0200", job=nightly_sync, cron_schedule="0 2 * * *",
    execution_timezone="Europe/London", default_status=dg.DefaultScheduleStatus.RUNNING)

defs = dg.Definitions(
    assets=[source_batches, accepted_sources, resolved_world, stakeholder_graph],
    asset_checks=[source_quality_gates, every_row_accounted],
    jobs=[nightly_sync, message_prompts],
    schedules=[nightly_schedule],
    sensors=[source_files_changed, messages_due],
    resources={"stakeholders": StakeholdersResource()},
)
