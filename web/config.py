"""How the web app is set up: where its state lives and what it links to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WebConfig:
    home: Path  # the stakeholders home: accounts, audit log, staged batches, sync reports
    manifest: Path | None = None  # the manifest "apply now" syncs with; None hides the button
    dagster_url: str | None = None  # where the sync status page links to the Dagster UI
    secure_cookies: bool = False  # set behind HTTPS so the session cookie is never sent in clear
