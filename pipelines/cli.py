"""The `stakeholders` command line (data contract section 7).

Data goes to stdout, progress and messages to stderr. Exit codes: 0 success;
1 the command could not do its work (bad manifest, graph unreachable, unknown
postcode); 2 wrong usage; 3 a sync finished but held back at least one source.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from graph.audience import CHANNELS, ROLES, AudienceFilter
from graph.neo4j_server.launcher import LocalNeo4j, Neo4jSetupError, connection_from_env, ensure_graph
from graph.store import GraphStore, GraphUnavailable
from resolution.survivorship import PRIORITY_RANK
from sources import ManifestError
from sources.postcode_lookup import PostcodeLookup, PostcodeLookupError

from .locations import LocationError, resolve_location
from .settings import Settings

CATEGORIES = ("business", "resident", "partner_agency", "police", "voluntary_group", "other")
AUDIENCE_COLUMNS = ("contact_id", "name", "email", "mobile", "phone", "organisation", "priority",
                    "source_records")


class CommandError(Exception):
    """A failure to report in one line, without a traceback."""


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(args: argparse.Namespace):
    if getattr(args, "quiet", False):
        return lambda message: None
    started = time.monotonic()
    return lambda message: _say(f"· {time.monotonic() - started:6.1f}s {message}")


def _store(settings: Settings, args: argparse.Namespace) -> GraphStore:
    return GraphStore(ensure_graph(settings.home, os.environ, progress=_progress(args)))


def _lookup(settings: Settings) -> PostcodeLookup | None:
    if not settings.postcodes_api:
        return None
    return PostcodeLookup(settings.postcodes_api, settings.postcode_cache)


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from sync.run import run_sync

    manifest = Path(args.manifest)
    if not manifest.is_file():
        raise CommandError(f"manifest not found: {manifest}")
    with _store(settings, args) as store:
        report = run_sync(manifest, store, settings.home, _lookup(settings), _progress(args))
    for line in report.lines():
        _say(line)
    return report.exit_code


def _write_csv(rows: Sequence[dict], columns: Sequence[str]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    with _store(settings, args) as store:
        if args.what == "clusters":
            _write_csv(list(store.clusters()), ("entity_type", "entity_id", "source", "record_id"))
        else:
            _write_csv(store.quarantine(), ("source", "record_id", "reason"))
    return 0


def cmd_audience(args: argparse.Namespace, settings: Settings) -> int:
    if (args.near is None) != (args.radius_m is None):
        raise CommandError("--near and --radius-m go together")
    if args.radius_m is not None and args.radius_m < 0:
        raise CommandError("--radius-m must not be negative")
    with _store(settings, args) as store:
        near = resolve_location(args.near, store, _lookup(settings), _say) if args.near else None
        audience = AudienceFilter(
            issues=tuple(args.issue or ()), wards=tuple(args.ward or ()), near=near, radius_m=args.radius_m,
            categories=tuple(args.category or ()), min_priority=args.min_priority, channel=args.channel,
            keyholders=args.keyholders, role=args.role)
        recipients = store.audience(audience)
    if args.format == "json":
        json.dump(recipients, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _write_csv([{**r, "source_records": ";".join(r["source_records"])} for r in recipients],
                   AUDIENCE_COLUMNS)
    _say(f"{len(recipients)} recipient(s)")
    return 0


def cmd_neo4j(args: argparse.Namespace, settings: Settings) -> int:
    if connection_from_env(os.environ) is not None:
        raise CommandError("NEO4J_URI is set: this command manages only the local server")
    server = LocalNeo4j(settings.home)
    if args.action == "start":
        connection = server.start(progress=_progress(args))
        print(connection.uri)
    elif args.action == "stop":
        server.stop()
        _say("stopped")
    else:
        status = server.status()
        print(json.dumps(status, indent=2, default=str))
        return 0 if status.get("running") else 1
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stakeholders", description="Ingest, deduplicate and query the stakeholder graph.",
        epilog="Exit codes: 0 ok, 1 error, 2 usage, 3 sync finished with a source held back. "
               "Local state lives in STAKEHOLDERS_HOME (default ~/.stakeholders); set NEO4J_URI, "
               "NEO4J_USER, NEO4J_PASSWORD to use your own Neo4j.")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sync = commands.add_parser("sync", help="ingest, validate, resolve and load the graph")
    sync.add_argument("--manifest", required=True, help="the source manifest (YAML)")
    sync.set_defaults(handler=cmd_sync)

    export = commands.add_parser("export", help="CSV exports on stdout")
    export.add_argument("what", choices=("clusters", "quarantine"))
    export.set_defaults(handler=cmd_export)

    audience = commands.add_parser("audience", help="the recipients of a message",
                                   description="Filters combine with AND; repeated filters match any value.")
    audience.add_argument("--issue", action="append", metavar="ISSUE")
    audience.add_argument("--ward", action="append", metavar="WARD")
    audience.add_argument("--near", metavar="POSTCODE|LAT,LON")
    audience.add_argument("--radius-m", type=float, metavar="METRES")
    audience.add_argument("--category", action="append", choices=CATEGORIES)
    audience.add_argument("--min-priority", choices=tuple(PRIORITY_RANK))
    audience.add_argument("--channel", choices=CHANNELS, default="any",
                          help="email: valid email and email consent; sms: mobile and SMS consent; any: either "
                               "(default)")
    audience.add_argument("--keyholders", action="store_true",
                          help="keyholders of premises in the area, reached by phone whatever their consent")
    audience.add_argument("--role", choices=ROLES, default="messaging",
                          help="spoc may see restricted contacts (default: messaging)")
    audience.add_argument("--format", choices=("csv", "json"), default="csv")
    audience.set_defaults(handler=cmd_audience)

    neo4j = commands.add_parser("neo4j", help="manage the local Neo4j server")
    neo4j.add_argument("action", choices=("start", "stop", "status"))
    neo4j.set_defaults(handler=cmd_neo4j)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        return args.handler(args, settings)
    except (CommandError, ManifestError, Neo4jSetupError, PostcodeLookupError, LocationError,
            GraphUnavailable) as error:
        _say(f"stakeholders: {error}")
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
