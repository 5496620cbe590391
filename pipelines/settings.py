"""Configuration from the environment: the one place that reads it."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.neo4j_server.launcher import stakeholders_home


@dataclass(frozen=True)
class Settings:
    home: Path
    postcodes_api: str | None  # base URL of a postcodes.io-compatible API; None = no lookups
    steward: str = "unknown"  # who records review decisions: STAKEHOLDERS_USER, else the OS user

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        return cls(home=stakeholders_home(environ),
                   postcodes_api=environ.get("STAKEHOLDERS_POSTCODES_API") or None,
                   steward=environ.get("STAKEHOLDERS_USER") or _os_user())

    @property
    def postcode_cache(self) -> Path:
        return self.home / "cache" / "postcodes.json"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return "unknown"
