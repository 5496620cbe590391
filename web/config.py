"""How the web app is set up: where its state lives and what it links to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WebConfig:
    """How the app presents itself; where its state lives is the Installation's (its home and manifest)."""

    dagster_url: str | None = None  # where the sync status page links to the Dagster UI
    secure_cookies: bool = False  # set behind HTTPS so the session cookie is never sent in clear
