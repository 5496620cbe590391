"""The `stakeholders` command line (data contract section 7).

Data goes to stdout, progress and messages to stderr. Exit codes: 0 success;
1 the command could not do its work (bad manifest, graph unreachable, unknown
postcode); 2 wrong usage; 3 a sync finished but held back at least one source.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from exports.cells import neutralise_row
from graph.audience import CHANNELS, ROLES, AudienceFilter, audience_columns, parse_polygon
from graph.neo4j_server.launcher import LocalNeo4j
from graph.store import QUERY_REFUSED
from kernel.errors import StakeholdersError
from resolution.decisions import OVERRIDE_FIELDS
from resolution.survivorship import PRIORITY_RANK
from services import audience as audiences
from services import erasure, explanations, subject_access
from services import review as stewardship
from services.command_line_user import CommandLineUser, NotAllowed, command_line_user
from services.installation import Installation
from services.locations import resolve_location
from services.saved_audiences import parse_references
from services.sync import run_sync
from sync.faults import checkpoint_from_env
from sync.shrink import ShrinkPolicy, parse_max_shrink

from . import message_commands, portal_commands, report_commands, web_commands
from .settings import Settings

# What each command needs of the command-line user's role (services.command_line_user), by command and
# action; sync, neo4j and web need nothing (the web app signs its users in itself).
NEEDS = {
    ("audience", None): ("audience", "draw audiences"),
    ("review", None): ("review", "work the review queue"),
    ("history", None): ("review", "read ID lineage"),
    ("explain", None): ("review", "compare source records"),
    ("export", "clusters"): ("review", "export the clusters"),
    ("export", "quarantine"): ("review", "export the quarantine"),
    ("export", "subject"): ("personal_data", "export everything held about a person"),
    ("forget", None): ("personal_data", "erase a contact"),
    ("users", None): ("users", "manage accounts"),
    # the message workflow checks each step's role itself (messages.workflow); these read or record deliveries
    ("message", "list"): ("messages", "list messages"),
    ("message", "show"): ("messages", "see a message's recipients"),
    ("message", "receipts"): ("messages", "record delivery receipts"),
    ("report", None): ("reports", "read the reports"),
    ("portal", None): ("invite", "invite stakeholders to the portal (a steward does)"),
}


class CommandError(StakeholdersError):
    """A failure to report in one line, without a traceback."""


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(args: argparse.Namespace):
    if getattr(args, "quiet", False):
        return lambda message: None
    started = time.monotonic()
    return lambda message: _say(f"· {time.monotonic() - started:6.1f}s {message}")


def cmd_sync(args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    return _sync(Path(args.manifest), args, settings, installation)


def _sync(manifest: Path, args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    if not manifest.is_file():
        raise CommandError(f"manifest not found: {manifest}")
    default, per_source = parse_max_shrink(getattr(args, "max_shrink", None) or ())
    shrink = ShrinkPolicy(default, per_source, frozenset(getattr(args, "accept_shrink", None) or ()),
                          frozenset(getattr(args, "accept_removal", None) or ()))
    report = run_sync(installation, manifest, shrink, _progress(args), checkpoint_from_env(settings.environ),
                      full=getattr(args, "full", False), retrain=getattr(args, "retrain", False))
    for line in report.lines():
        _say(line)
    return report.exit_code


def _write_csv(rows: Sequence[dict], columns: Sequence[str]) -> None:
    """CSV on stdout, every cell spreadsheet-safe: these files end up opened in Excel."""
    writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(neutralise_row(row) for row in rows)


def cmd_export(args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    if (args.what == "subject") != (args.contact_id is not None):
        raise CommandError("export subject takes a CONTACT_ID; export clusters and quarantine take none")
    if args.format and args.what != "subject":
        raise CommandError("--format applies to export subject only (clusters and quarantine are CSV)")
    if args.what == "subject":
        return _export_subject(args, installation)
    store = installation.store
    if args.what == "clusters":
        _write_csv(list(store.clusters()), ("entity_type", "entity_id", "source", "record_id"))
    else:
        _write_csv(store.quarantine(), ("source", "record_id", "reason"))
    return 0


def _export_subject(args: argparse.Namespace, installation: Installation) -> int:
    found = subject_access.subject_export(installation.store, installation.home, args.contact_id)
    if args.format == "csv":
        _write_csv(list(subject_access.csv_rows(found)), subject_access.CSV_COLUMNS)
    else:
        json.dump(found, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    _say(f"everything held about {args.contact_id}: {len(found['source_rows'])} source row(s)")
    return 0


def cmd_forget(args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    done = erasure.forget(installation.store, installation.home, args.contact_id, args.by or installation.user,
                          args.why)
    print(done.contact_id)
    _say(f"forgot {done.contact_id}: {done.records} source row(s) and {done.identifiers} identifier(s) suppressed"
         f" ({done.identifiers_shared} shared with other contacts, not suppressed), {done.review_pairs} review "
         f"pair(s) removed, {done.decisions_redacted} decision(s) redacted, {done.staged_rows_removed} staged "
         "row(s) deleted; later syncs quarantine their rows as suppressed (erasure request)")
    return 0


def cmd_audience(args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    user: CommandLineUser = args.command_line_user
    if args.role == "spoc":
        user.require("restricted", "use --role spoc (only a SPOC sees restricted contacts)")
    if (args.near is None) != (args.radius_m is None):
        raise CommandError("--near and --radius-m go together")
    if args.radius_m is not None and args.radius_m < 0:
        raise CommandError("--radius-m must not be negative")
    store = installation.store
    near = resolve_location(args.near, store, installation.postcode_lookup, _say) if args.near else None
    refs = {side: parse_references(getattr(args, side) or (), f"--{side}")
            for side in ("include", "exclude", "within")}
    audience = AudienceFilter(
        issues=tuple(args.issue or ()), wards=tuple(args.ward or ()), near=near, radius_m=args.radius_m,
        categories=tuple(args.category or ()), min_priority=args.min_priority, channel=args.channel,
        keyholders=args.keyholders, role=args.role, polygon=parse_polygon(args.polygon) if args.polygon else (),
        include_contacts=refs["include"].contact_ids(store, args.role),
        include_organisations=refs["include"].organisations,
        exclude_contacts=refs["exclude"].contact_ids(store, args.role),
        exclude_organisations=refs["exclude"].organisations,
        within_contacts=refs["within"].contact_ids(store, args.role), within_organisations=refs["within"].organisations,
        must_be=bool(args.within), groups=tuple(args.group or ()), priority_stakeholder=args.priority_stakeholder,
        sectors=tuple(args.sector or ()), sector_leads=args.sector_leads,
        mosaic_groups=tuple(args.mosaic_group or ()), mosaic_types=tuple(args.mosaic_type or ()))
    recipients = audiences.draw(store, installation.audit, user.name, audience, args.purpose or "")
    if args.format == "json":
        json.dump(recipients, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _write_csv([{**r, "source_records": ";".join(r["source_records"])} for r in recipients],
                   audience_columns(audience))
    _say(f"{len(recipients)} recipient(s)")
    return 0


def _write_records(rows: Sequence[dict], columns: Sequence[str], form: str) -> None:
    if form == "json":
        json.dump([{c: r.get(c) for c in columns} for r in rows], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _write_csv(rows, columns)


def cmd_review(args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    if args.action == "list":
        if args.decisions:
            rows = [stewardship.decision_row(d) for d in installation.store.decisions()]
            _write_records(rows, stewardship.DECISION_COLUMNS, args.format)
            _say(f"{len(rows)} decision(s)")
        else:
            rows = stewardship.pending_pairs(installation.store, args.command_line_user.may("restricted"))
            _write_records(rows, stewardship.REVIEW_COLUMNS, args.format)
            _say(f"{len(rows)} pair(s) awaiting review")
        return 0
    if args.action == "reject" and len(args.refs) > 2:
        raise CommandError("review reject takes REF_A REF_B (two records apart) or REF (a record leaving its contact)")
    if not args.why.strip():
        raise CommandError("--why must say why: it is kept with the decision")
    who, store, note = args.by or installation.user, installation.store, ""
    if args.action == "accept":
        decision, note = stewardship.decide_match(store, args.ref_a, args.ref_b, who, args.why)
    elif args.action == "reject":
        decision, note = stewardship.decide_no_match(store, args.refs, who, args.why)
    elif args.action == "override":
        decision = stewardship.decide_override(store, args.contact_id, args.field, args.value, who, args.why)
    else:
        decision = stewardship.undo(store, args.decision_id, who, args.why)
    print(decision.decision_id)
    done = "undone" if args.action == "undo" else "recorded"
    _say(f"{done} {decision.decision_id}: {stewardship.describe(decision)}" + (f" ({note})" if note else ""))
    if args.apply_now:
        return _sync(Path(args.apply_now), args, settings, installation)
    _say("takes effect at the next `stakeholders sync`")
    return 0


def cmd_history(args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    found = stewardship.history(installation.store, args.entity_id)
    if args.format == "json":
        json.dump(found, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print("\n".join(stewardship.history_lines(found)))
    return 0


def cmd_explain(args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    explanation = explanations.explain(installation.store, installation.home, args.ref_a, args.ref_b)
    if args.format == "json":
        json.dump(explanation.as_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"{'field':24} {'level':18} {'weight':>7}")
    for item in explanation.fields:
        print(f"{item.field:24} {item.level:18} {item.weight:+7.2f}")
    print(f"{'score':43} {explanation.score:+7.2f}")
    print(f"probability {explanation.probability:.4f}; band: {explanation.band}")
    return 0


def cmd_neo4j(args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    if settings.own_neo4j:
        raise CommandError("NEO4J_URI is set: this command manages only the local server")
    server = LocalNeo4j(settings.home, settings.environ)
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
    sync.add_argument("--max-shrink", action="append", metavar="[SOURCE=]SHARE",
                      help="hold back a source whose usable rows fell by more than SHARE since its last good "
                           "sync (default 0.2; 1 turns the check off); SOURCE=SHARE for one source (repeatable)")
    sync.add_argument("--accept-shrink", action="append", metavar="SOURCE",
                      help="accept this source's new, smaller (even empty) file this run (repeatable)")
    sync.add_argument("--accept-removal", action="append", metavar="SOURCE",
                      help="a source taken out of the manifest: let its data retire this run (repeatable; "
                           "until then it is held back and its last good batch kept)")
    sync.add_argument("--full", action="store_true",
                      help="read every file and resolve afresh, even sources unchanged since the last sync "
                           "(which otherwise come from staging)")
    sync.add_argument("--retrain", action="store_true",
                      help="learn the contact-matching weights again from this data (they are otherwise kept "
                           "and reused while they fit it, for up to 30 days)")
    sync.set_defaults(handler=cmd_sync)

    export = commands.add_parser("export", help="CSV exports on stdout")
    export.add_argument("what", choices=("clusters", "quarantine", "subject"),
                        help="subject: everything held about one contact, with sources (a subject access request)")
    export.add_argument("contact_id", nargs="?", metavar="CONTACT_ID", help="the contact, for export subject")
    export.add_argument("--format", choices=("json", "csv"), help="export subject only (default: json)")
    export.set_defaults(handler=cmd_export)

    forget = commands.add_parser(
        "forget", help="erase a contact (right to erasure) and keep them out of later syncs",
        description="Removes the contact, its source records, review pairs and the personal values in steward "
                    "decisions about it from the graph, deletes its rows from the staged batches, and adds its "
                    "rows and identifiers (hashed) to the suppression list so no later sync brings it back.")
    forget.add_argument("contact_id", metavar="CONTACT_ID")
    forget.add_argument("--why", default="", help="a reference for the request (e.g. a ticket number); kept in "
                                                  "the suppression list, not in the audit log")
    forget.add_argument("--by", help="who erases (default: STAKEHOLDERS_USER, else the OS user)")
    forget.set_defaults(handler=cmd_forget)

    audience = commands.add_parser("audience", help="the recipients of a message",
                                   description="Filters combine with AND; repeated filters match any value.")
    audience.add_argument("--issue", action="append", metavar="ISSUE",
                          help="an issue of the taxonomy or a synonym, any case (repeatable)")
    audience.add_argument("--ward", action="append", metavar="WARD", help="a ward the graph knows (repeatable)")
    audience.add_argument("--near", metavar="POSTCODE|LAT,LON")
    audience.add_argument("--radius-m", type=float, metavar="METRES")
    audience.add_argument("--category", action="append", metavar="CATEGORY",
                          help="business, resident, partner_agency, police, voluntary_group or other "
                               "(or a synonym, any case)")
    audience.add_argument("--min-priority", choices=tuple(PRIORITY_RANK))
    audience.add_argument("--channel", choices=CHANNELS, default="any",
                          help="email: valid email and email consent; sms: mobile and SMS consent; any: either "
                               "(default)")
    audience.add_argument("--keyholders", action="store_true",
                          help="keyholders of premises in the area, reached by phone whatever their consent: "
                               "call_phone and call_mobile, the premises and the call order on each line; email "
                               "and SMS only where they consented")
    audience.add_argument("--role", choices=ROLES, default="messaging",
                          help="spoc may see restricted contacts (default: messaging); with accounts in the "
                               "home, only a SPOC account may use it")
    audience.add_argument("--polygon", metavar="LAT,LON;LAT,LON;LAT,LON[;…]", help="only people in this area")
    audience.add_argument("--group", action="append", metavar="NAME",
                          help="members of a stakeholder group, and the people of member organisations (repeatable)")
    audience.add_argument("--priority-stakeholder", action="store_true",
                          help="only priority stakeholders (flagged so in a group)")
    audience.add_argument("--sector", action="append", metavar="SECTOR",
                          help="people of organisations in a CSSC industry sector, and its leads (repeatable)")
    audience.add_argument("--sector-leads", action="store_true",
                          help="only the leads of the chosen sectors (of every sector when none is chosen): "
                               "the people a CSSC cascade goes through")
    audience.add_argument("--mosaic-group", action="append", metavar="A..O",
                          help="by the Mosaic group of the contact's own address postcode (repeatable)")
    audience.add_argument("--mosaic-type", action="append", metavar="A01..",
                          help="by the Mosaic type of the contact's own address postcode (repeatable)")
    audience.add_argument("--include", action="append", metavar="REF",
                          help="C-… or O-… (its people): joins whatever the other filters say (repeatable)")
    audience.add_argument("--exclude", action="append", metavar="REF", help="C-… or O-…: always left out (repeatable)")
    audience.add_argument("--within", action="append", metavar="REF",
                          help="\"must be\": keep only people who are also C-… or work for O-… (repeatable)")
    audience.add_argument("--purpose", metavar="TEXT", help="why the audience is drawn, kept in the audit log")
    audience.add_argument("--format", choices=("csv", "json"), default="csv")
    audience.set_defaults(handler=cmd_audience)

    _review_parser(commands)
    history = commands.add_parser("history", help="the lineage of a contact or organisation ID",
                                  description="When the ID was minted, what it absorbed or split into, and the "
                                              "steward decisions that touched its records.")
    history.add_argument("entity_id", metavar="CONTACT_ID", help="a contact (C-…) or organisation (O-…) ID")
    history.add_argument("--format", choices=("text", "json"), default="text")
    history.set_defaults(handler=cmd_history)

    explain = commands.add_parser(
        "explain", help="why two source records are, or are not, one contact",
        description="Each field's comparison level and weight, the score, a probability (0.9 at the merge "
                    "threshold) and the band: merge, review or apart. Records as SOURCE:RECORD_ID.")
    explain.add_argument("ref_a", metavar="SOURCE:ID")
    explain.add_argument("ref_b", metavar="SOURCE:ID")
    explain.add_argument("--format", choices=("text", "json"), default="text")
    explain.set_defaults(handler=cmd_explain)

    neo4j = commands.add_parser("neo4j", help="manage the local Neo4j server")
    neo4j.add_argument("action", choices=("start", "stop", "status"))
    neo4j.set_defaults(handler=cmd_neo4j)
    web_commands.add_parsers(commands)
    message_commands.add_parsers(commands)
    report_commands.add_parsers(commands)
    portal_commands.add_parsers(commands)
    return parser


def _review_parser(commands: argparse._SubParsersAction) -> None:
    review = commands.add_parser(
        "review", help="steward decisions: the review queue, match, no-match, overrides, undo",
        description="Decisions are kept in the graph with who, when and why, and applied at every later sync "
                    "before clustering (or at once with --apply-now MANIFEST).")
    actions = review.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="pairs awaiting review from the last sync (or --decisions)")
    listing.add_argument("--decisions", action="store_true", help="list every decision instead, undone ones too")
    listing.add_argument("--format", choices=("csv", "json"), default="csv")

    def decision_parser(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text, description=help_text)
        parser.add_argument("--why", required=True, help="the reason, kept with the decision")
        parser.add_argument("--by", help="who decides (default: STAKEHOLDERS_USER, else the OS user)")
        parser.add_argument("--apply-now", metavar="MANIFEST", help="run a sync with this manifest straight after")
        return parser

    accept = decision_parser("accept", "these two records are one person (match)")
    accept.add_argument("ref_a", metavar="REF_A", help="source:record_id")
    accept.add_argument("ref_b", metavar="REF_B")
    reject = decision_parser("reject", "these two records are different people (no-match); with one REF, "
                                       "that record leaves the contact it is in")
    reject.add_argument("refs", nargs="+", metavar="REF", help="REF_A REF_B, or REF")
    override = decision_parser("override", "set a field of a contact whatever its source rows say")
    override.add_argument("contact_id", metavar="CONTACT_ID")
    override.add_argument("field", metavar="FIELD", choices=OVERRIDE_FIELDS, help=", ".join(OVERRIDE_FIELDS))
    override.add_argument("value", metavar="VALUE", help="lists as a;b, booleans yes/no, empty to clear")
    undo = decision_parser("undo", "revoke a decision (it stays on record as undone)")
    undo.add_argument("decision_id", metavar="DECISION_ID")
    review.set_defaults(handler=cmd_review)


def _allowed(args: argparse.Namespace, installation: Installation) -> CommandLineUser:
    """The user the command line acts as, once their role is found to allow the command. A command that
    needs no role (sync, neo4j, web) does not look the account up."""
    need = NEEDS.get((args.command, getattr(args, "what", None))) or NEEDS.get((args.command, None))
    if need is None:
        return CommandLineUser(installation.user)
    user = command_line_user(installation.accounts, installation.user)
    user.require(*need)
    by = getattr(args, "by", None)
    if user.role is not None and by not in (None, user.name):
        raise NotAllowed(f"--by {by}: with accounts in this home, the command line acts as {user.name} only")
    return user


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        with settings.installation(progress=_progress(args)) as installation:
            args.command_line_user = _allowed(args, installation)
            return args.handler(args, settings, installation)
    except StakeholdersError as error:
        _say(f"stakeholders: {error}")
        return error.exit_code
    except BrokenPipeError:
        return 0
    except QUERY_REFUSED as error:  # a query the server refused: its code, never the query's values or a traceback
        _say(f"stakeholders: Neo4j refused a query ({error.code or type(error).__name__}); see the server's log")
        return 1


if __name__ == "__main__":
    sys.exit(main())
