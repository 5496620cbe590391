"""Configuration from the environment, the one place that reads it, and the installation built from it."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from graph.neo4j_server.launcher import connection_from_env, ensure_graph, stakeholders_home
from graph.store import GraphStore
from kernel.progress import Progress, quiet
from services.installation import Installation
from sources.postcode_lookup import PostcodeLookup

SAMPLE_MANIFEST = Path(__file__).resolve().parent.parent / "sample" / "manifest.yaml"


@dataclass(frozen=True)
class Settings:
    home: Path
    postcodes_api: str | None  # base URL of a postcodes.io-compatible API; None = no lookups
    steward: str = "unknown"  # who records review decisions: STAKEHOLDERS_USER, else the OS user
    manifest: Path | None = None  # STAKEHOLDERS_MANIFEST: what the Dagster job syncs
    # the environment as read at start-up, for the Neo4j launcher (NEO4J_*, JAVA_HOME, the jar cache)
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        manifest = environ.get("STAKEHOLDERS_MANIFEST")
        return cls(home=stakeholders_home(environ),
                   postcodes_api=environ.get("STAKEHOLDERS_POSTCODES_API") or None,
                   steward=environ.get("STAKEHOLDERS_USER") or _os_user(),
                   manifest=Path(manifest) if manifest else None,
                   environ=dict(environ))

    @property
    def postcode_cache(self) -> Path:
        return self.home / "cache" / "postcodes.json"

    @property
    def own_neo4j(self) -> bool:
        """True when NEO4J_URI names the user's own server (the local one is then not managed)."""
        return connection_from_env(self.environ) is not None

    def installation(self, progress: Progress = quiet, manifest: Path | None = None) -> Installation:
        """The collaborators of this installation, built once: the graph is connected on first use."""
        lookup = PostcodeLookup(self.postcodes_api, self.postcode_cache) if self.postcodes_api else None
        return Installation(home=self.home, connect=lambda: GraphStore(ensure_graph(self.home, self.environ,
                                                                                      progress=progress)),
                            postcode_lookup=lookup, user=self.steward, manifest=manifest or self.manifest)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return "unknown"
