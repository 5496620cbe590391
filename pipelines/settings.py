"""Configuration from the environment, the one place that reads it, and the installation built from it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from delivery.notify import NotifySettings
from delivery.settings import DeliverySettings
from delivery.smtp import SmtpSettings
from graph.neo4j_server.launcher import connection_from_env, ensure_graph, stakeholders_home
from graph.store import GraphStore
from kernel.errors import StakeholdersError, UsageError
from kernel.progress import Progress, quiet
from messages.text import parse_duration
from services.installation import Installation
from sources.postcode_lookup import PostcodeLookup
from sources.readers import DEFAULT_LIMITS, ReadLimits
from sync.home_files import private_home

SAMPLE_MANIFEST = Path(__file__).resolve().parent.parent / "sample" / "manifest.yaml"
DEFAULT_MAP_ATTRIBUTION = "© OpenStreetMap contributors"
_TILE_HOST = re.compile(r"(?:\{s\}\.)?[a-z0-9.-]+")


@dataclass(frozen=True)
class Settings:
    home: Path
    postcodes_api: str | None  # base URL of a postcodes.io-compatible API; None = no lookups
    steward: str = "unknown"  # who records review decisions: STAKEHOLDERS_USER, else the OS user
    manifest: Path | None = None  # STAKEHOLDERS_MANIFEST: what the Dagster job syncs
    read_limits: ReadLimits = DEFAULT_LIMITS  # STAKEHOLDERS_MAX_FILE_MB, _MAX_ROWS, _MAX_COLUMNS
    delivery: DeliverySettings = field(default_factory=DeliverySettings)  # STAKEHOLDERS_NOTIFY_*, _SMTP_*
    # STAKEHOLDERS_MAP_TILES: a tile URL template for the web app's map (None: no tiles, a plain background);
    # STAKEHOLDERS_MAP_ATTRIBUTION: the credit its provider asks for, as plain text
    map_tiles: str | None = None
    map_attribution: str = DEFAULT_MAP_ATTRIBUTION
    # the environment as read at start-up, for the Neo4j launcher (NEO4J_*, JAVA_HOME, the jar cache)
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        manifest = environ.get("STAKEHOLDERS_MANIFEST")
        return cls(home=stakeholders_home(environ),
                   postcodes_api=environ.get("STAKEHOLDERS_POSTCODES_API") or None,
                   steward=environ.get("STAKEHOLDERS_USER") or _os_user(),
                   manifest=Path(manifest) if manifest else None,
                   read_limits=_read_limits(environ), delivery=_delivery(environ), map_tiles=_map_tiles(environ),
                   map_attribution=environ.get("STAKEHOLDERS_MAP_ATTRIBUTION", "").strip() or DEFAULT_MAP_ATTRIBUTION,
                   environ=dict(environ))

    @property
    def postcode_cache(self) -> Path:
        return self.home / "cache" / "postcodes.json"

    @property
    def own_neo4j(self) -> bool:
        """True when NEO4J_URI names the user's own server (the local one is then not managed)."""
        return connection_from_env(self.environ) is not None

    def installation(self, progress: Progress = quiet, manifest: Path | None = None) -> Installation:
        """The collaborators of this installation, built once: the graph is connected on first use. From
        here on every file the process makes is its owner's only, and so is the home (tightened when an
        older version left it, or a file in it, readable by others)."""
        os.umask(0o077)
        private_home(self.home)
        # without an API the answers cached in the home still count: a postcode once found keeps its ward
        lookup = PostcodeLookup(self.postcodes_api, self.postcode_cache)
        return Installation(home=self.home, connect=lambda: GraphStore(ensure_graph(self.home, self.environ,
                                                                                      progress=progress)),
                            postcode_lookup=lookup, user=self.steward, manifest=manifest or self.manifest,
                            read_limits=self.read_limits, delivery=self.delivery)


class SettingsError(StakeholdersError):
    """An environment variable that cannot be used as set; the message names it and what to set."""


def _map_tiles(environ: Mapping[str, str]) -> str | None:
    """The map's tile URL template, checked (its value is not repeated: a template may hold an API key)."""
    template = environ.get("STAKEHOLDERS_MAP_TILES", "").strip()
    if not template:
        return None
    parts = urlsplit(template)
    try:
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
        usable = (parts.scheme in ("http", "https") and "@" not in parts.netloc
                  and _TILE_HOST.fullmatch(parts.hostname or "") and all(f"{{{n}}}" in template for n in "zxy"))
    except ValueError:
        usable = False
    if not usable:
        raise SettingsError("STAKEHOLDERS_MAP_TILES: give a tile URL template such as "
                            "https://tile.openstreetmap.org/{z}/{x}/{y}.png (http or https, with {z}, {x} and {y}; "
                            "{s} only as the first part of the host name), or unset it for a map without tiles")
    return template


def _read_limits(environ: Mapping[str, str]) -> ReadLimits:
    """The bounds on one source file, from the environment where set (a whole number, above 0)."""
    values = {}
    for name, field_name, scale in (("STAKEHOLDERS_MAX_FILE_MB", "max_bytes", 1_000_000),
                                    ("STAKEHOLDERS_MAX_ROWS", "max_rows", 1),
                                    ("STAKEHOLDERS_MAX_COLUMNS", "max_columns", 1)):
        text = environ.get(name, "").strip()
        if not text:
            continue
        if not text.isdigit() or int(text) == 0:
            raise SettingsError(f"{name}={text!r}: give a whole number above 0 (or unset it for the default)")
        values[field_name] = int(text) * scale
    return dataclasses.replace(DEFAULT_LIMITS, **values)


def _delivery(environ: Mapping[str, str]) -> DeliverySettings:
    """The delivery services the environment configures (secrets only from it, never from a file in git)."""
    notify = smtp = None
    if environ.get("STAKEHOLDERS_NOTIFY_API_KEY"):
        missing = [n for n in ("STAKEHOLDERS_NOTIFY_EMAIL_TEMPLATE", "STAKEHOLDERS_NOTIFY_SMS_TEMPLATE")
                   if not environ.get(n)]
        if missing:
            raise SettingsError(f"STAKEHOLDERS_NOTIFY_API_KEY is set but {', '.join(missing)} is not: give the IDs of "
                                "the service's templates whose text is ((body)) (email: ((subject)) and ((body)))")
        notify = NotifySettings(
            api_key=environ["STAKEHOLDERS_NOTIFY_API_KEY"],
            base_url=environ.get("STAKEHOLDERS_NOTIFY_URL") or "https://api.notifications.service.gov.uk",
            email_template_id=environ["STAKEHOLDERS_NOTIFY_EMAIL_TEMPLATE"],
            sms_template_id=environ["STAKEHOLDERS_NOTIFY_SMS_TEMPLATE"],
            per_minute=_whole(environ, "STAKEHOLDERS_NOTIFY_PER_MINUTE", 3000),
            retries=_whole(environ, "STAKEHOLDERS_NOTIFY_RETRIES", 5))
    if environ.get("STAKEHOLDERS_SMTP_HOST"):
        if not environ.get("STAKEHOLDERS_SMTP_FROM"):
            raise SettingsError("STAKEHOLDERS_SMTP_HOST is set but STAKEHOLDERS_SMTP_FROM is not: give the sender "
                                "address")
        starttls = environ.get("STAKEHOLDERS_SMTP_STARTTLS", "auto")
        if starttls not in ("auto", "required", "off"):
            raise SettingsError(f"STAKEHOLDERS_SMTP_STARTTLS={starttls!r}: auto, required or off")
        smtp = SmtpSettings(host=environ["STAKEHOLDERS_SMTP_HOST"], port=_whole(environ, "STAKEHOLDERS_SMTP_PORT", 587),
                            sender=environ["STAKEHOLDERS_SMTP_FROM"], user=environ.get("STAKEHOLDERS_SMTP_USER", ""),
                            password=environ.get("STAKEHOLDERS_SMTP_PASSWORD", ""), starttls=starttls)
    close_after = environ.get("STAKEHOLDERS_CLOSE_PROMPT_AFTER", "").strip()
    try:
        after = parse_duration(close_after) if close_after else dt.timedelta(hours=24)
    except UsageError as error:
        raise SettingsError(f"STAKEHOLDERS_CLOSE_PROMPT_AFTER: {error}") from None
    outbox = environ.get("STAKEHOLDERS_OUTBOX")
    prompt_via = environ.get("STAKEHOLDERS_PROMPT_VIA", "")
    if prompt_via not in ("", "notify", "smtp", "file"):
        raise SettingsError(f"STAKEHOLDERS_PROMPT_VIA={prompt_via!r}: notify, smtp or file")
    return DeliverySettings(notify=notify, smtp=smtp, close_after=after, outbox=Path(outbox) if outbox else None,
                            sms_max_segments=_whole(environ, "STAKEHOLDERS_SMS_MAX_SEGMENTS", 3), prompt_via=prompt_via,
                            callback_token=environ.get("STAKEHOLDERS_NOTIFY_CALLBACK_TOKEN", ""),
                            public_url=(environ.get("STAKEHOLDERS_PUBLIC_URL") or "").rstrip("/"))


def _whole(environ: Mapping[str, str], name: str, default: int) -> int:
    text = environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) == 0:
        raise SettingsError(f"{name}={text!r}: give a whole number above 0 (or unset it for the default)")
    return int(text)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return "unknown"
