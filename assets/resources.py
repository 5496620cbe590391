"""What the assets need from the installation, as a Dagster resource: the composition root
(pipelines.resources) supplies the implementation, built from the settings."""

from __future__ import annotations

import dagster as dg

from kernel.progress import Progress, quiet
from services.installation import Installation


class InstallationResource(dg.ConfigurableResource):
    """Where the manifest and local state are, and which postcode lookup to use; empty means the
    installation's settings (STAKEHOLDERS_MANIFEST, else the built-in sample; STAKEHOLDERS_HOME)."""

    manifest: str = ""
    home: str = ""
    postcodes_api: str = ""

    def open_installation(self, progress: Progress = quiet) -> Installation:
        """The installation this resource describes, with its manifest; close it when done."""
        raise NotImplementedError("the composition root supplies the installation (pipelines.resources)")
