"""How the web app is set up: where its state lives and what it links to."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from accounts.sign_in_throttle import ThrottlePolicy

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class WebConfig:
    """How the app presents itself; where its state lives is the Installation's (its home and manifest)."""

    dagster_url: str | None = None  # where the sync status page links to the Dagster UI
    secure_cookies: bool = False  # set behind HTTPS so the session cookie is never sent in clear
    # the names the app answers to (the Host header); anything else is refused with 400
    allowed_hosts: tuple[str, ...] = LOOPBACK_NAMES
    # sign-ins checked at once: each Argon2 check costs ~64 MiB and a core's worth of time
    concurrent_sign_ins: int = 4
    sign_in_throttle: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    # the map's tile layer (a URL template with {z}/{x}/{y}, checked by pipelines.settings) and its credit;
    # without one the map is drawn on a plain background and no request leaves the app
    map_tiles: str | None = None
    map_attribution: str = "© OpenStreetMap contributors"
    # how often the control room's page asks whether a new event report came in
    control_room_poll_seconds: float = 10.0

    @property
    def content_security_policy(self) -> str:
        """No inline script or style, everything from the app itself; images also from the tile host."""
        images = "'self' data:" + (f" {tile_source(self.map_tiles)}" if self.map_tiles else "")
        return (f"default-src 'self'; img-src {images}; frame-ancestors 'none'; form-action 'self'; "
                "base-uri 'none'")


def tile_source(template: str) -> str:
    """The CSP source of a tile URL template's host: ``https://{s}.tile.example`` -> ``https://*.tile.example``."""
    parts = urlsplit(template)
    host = (parts.hostname or "").replace("{s}", "*")
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")
