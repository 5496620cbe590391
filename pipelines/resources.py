"""The Dagster resource the assets run with: the installation built from the settings, as the CLI
builds it, with the resource's config (manifest, home, postcode API) in place of the defaults."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from assets.resources import InstallationResource
from kernel.progress import Progress, quiet
from services.installation import Installation

from .settings import SAMPLE_MANIFEST, Settings


class StakeholdersResource(InstallationResource):
    def settings(self) -> Settings:
        settings = Settings.from_env()
        return dataclasses.replace(
            settings, home=Path(self.home) if self.home else settings.home,
            postcodes_api=self.postcodes_api or settings.postcodes_api,
            manifest=Path(self.manifest or settings.manifest or SAMPLE_MANIFEST).resolve())

    def manifest_path(self) -> Path:
        manifest = self.settings().manifest
        assert manifest is not None  # settings() always names one
        return manifest

    def open_installation(self, progress: Progress = quiet) -> Installation:
        return self.settings().installation(progress)
