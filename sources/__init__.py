"""Reading the source manifest and turning each spreadsheet into a normalised SourceBatch.

A pure library: no Dagster, no Neo4j. ``load_manifest`` validates the manifest;
``load_source`` reads one source and never raises for bad data or bad files.
"""

from sources.load import load_source
from sources.manifest import ManifestError, load_manifest
from sources.model import SourceBatch, SourceSpec

__all__ = ["ManifestError", "SourceBatch", "SourceSpec", "load_manifest", "load_source"]
