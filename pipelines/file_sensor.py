"""Start a sync when the manifest or any source file it names changes, or a stakeholder changes their staff
list or profile in the portal (content hash as run key)."""


import dagster as dg

from portal.store import PortalStore
from sources import ManifestError
from sync.fingerprint import source_files_fingerprint

from .resources import StakeholdersResource


@dg.sensor(job_name="nightly_sync", minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Runs nightly_sync when a source file named in the manifest, or a staff list kept in the "
                       "stakeholder portal, changes.")
def source_files_changed(context: dg.SensorEvaluationContext, stakeholders: StakeholdersResource):
    manifest = stakeholders.manifest_path()
    if not manifest.is_file():
        return dg.SkipReason(f"manifest not found: {manifest}")
    try:
        fingerprint = source_files_fingerprint(manifest, PortalStore(stakeholders.settings().home).change_stamp())
    except ManifestError as error:
        return dg.SkipReason(f"manifest is invalid: {error}")
    if fingerprint == context.cursor:
        return dg.SkipReason("no source file changed")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)
