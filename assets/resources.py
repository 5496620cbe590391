"""The settings and services the assets need, as a Dagster resource (config, not globals)."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from graph.neo4j_server.launcher import ensure_graph, stakeholders_home
from graph.store import GraphStore
from sources.postcode_lookup import PostcodeLookup

SAMPLE_MANIFEST = Path(__file__).resolve().parent.parent / "sample" / "manifest.yaml"


class StakeholdersResource(dg.ConfigurableResource):
    """Where the manifest and local state are, and how to reach the graph.

    Empty ``home`` means STAKEHOLDERS_HOME (default ~/.stakeholders); the graph is
    NEO4J_URI when set, else the local Neo4j of that home, started on demand.
    """

    manifest: str = ""  # empty: STAKEHOLDERS_MANIFEST, else the built-in sample
    home: str = ""
    postcodes_api: str = ""

    def home_path(self) -> Path:
        return Path(self.home) if self.home else stakeholders_home(os.environ)

    def manifest_path(self) -> Path:
        chosen = self.manifest or os.environ.get("STAKEHOLDERS_MANIFEST") or str(SAMPLE_MANIFEST)
        return Path(chosen).resolve()

    def graph_store(self, log: object = None) -> GraphStore:
        say = getattr(log, "info", None) or (lambda message: None)
        return GraphStore(ensure_graph(self.home_path(), os.environ, progress=say))

    def postcode_lookup(self) -> PostcodeLookup | None:
        if not self.postcodes_api:
            return None
        return PostcodeLookup(self.postcodes_api, self.home_path() / "cache" / "postcodes.json")
