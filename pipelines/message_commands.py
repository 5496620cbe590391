"""`stakeholders message`: a message's life from the command line (data contract section 10)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from delivery import feeds
from kernel.errors import UsageError
from messages.model import CHANNELS, TYPES
from messages.templates import KINDS, Template
from messages.text import parse_duration
from resolution.survivorship import PRIORITY_RANK
from services import messages, templates
from services.installation import Installation
from services.locations import resolve_location
from services.saved_audiences import parse_references

from .settings import Settings

LIST_COLUMNS = ("message_id", "state", "type", "grade", "title", "author", "channels", "issued_at",
                "next_update_due", "due", "versions")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _body(path: str) -> str:
    try:
        return (sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--body-file {path}: cannot be read ({getattr(error, 'strerror', None) or 'not UTF-8'})"
                         ) from None


def _audience(args: argparse.Namespace, installation: Installation) -> dict:
    if (args.near is None) != (args.radius_m is None):
        raise UsageError("--near and --radius-m go together")
    for side in ("include", "exclude", "within"):  # checked now; drawn when the message is issued
        parse_references(getattr(args, side) or (), f"--{side}")
    spec: dict = {"issues": args.issue or [], "wards": args.ward or [], "categories": args.category or [],
                  "min_priority": args.min_priority, "include": args.include or [], "exclude": args.exclude or [],
                  "within": args.within or []}
    if args.near:
        spec["near"] = list(resolve_location(args.near, installation.store, installation.postcode_lookup, _say))
        spec["radius_m"] = args.radius_m
    return {k: v for k, v in spec.items() if v not in (None, [])}


def cmd_message(args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    delivery = installation.delivery
    if args.action == "list":
        rows = messages.listing(installation, delivery.close_after, args.due, args.state)
        if args.format == "json":
            json.dump(rows, sys.stdout, indent=2)
            sys.stdout.write("\n")
        else:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(LIST_COLUMNS), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        _say(f"{len(rows)} message(s)" + (" due" if args.due else ""))
        return 0
    if args.action == "show":
        found = messages.show(installation, args.message_id)
        if args.format == "json":
            json.dump(found, sys.stdout, indent=2, default=str)
            sys.stdout.write("\n")
        else:
            m = found["message"]
            print(f"{m['message_id']} {m['state']}: {m['title']} (grade {m['grade']}, {m['type']}, "
                  f"{', '.join(m['channels'])}; by {m['author']})")
            for name, count in sorted(found["status"].items()):
                print(f"  {name}: {count}")
        return 0
    if args.action == "receipts":
        found = messages.receipts(installation, delivery.channel("notify", None, ""), _say)
        _say(found.line())
        return 0
    if args.action == "feed":
        everything = installation.store.messages()
        if args.which == "app":
            json.dump(feeds.app_feed(everything), sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            sys.stdout.write(feeds.social_feed(everything) + "\n")
        return 0
    if args.action == "templates":
        for found in templates.templates(installation):
            print(f"{found.name}\t{found.kind}\t{found.body}")
        return 0
    actor = messages.actor_of(installation)
    if args.action == "template":
        saved = templates.save_template(installation, actor, Template(args.name, args.kind, _body(args.body_file)))
        _say(f"template {saved.name} saved")
        return 0
    if args.action == "draft":
        if (args.body_file is None) == (args.template is None):
            raise UsageError("give the words with --body-file FILE or --template NAME (one of them)")
        body = _body(args.body_file) if args.body_file else templates.template(installation, args.template).body
        message = messages.draft(
            installation, actor, title=args.title, body=body, type_=args.type, grade=args.grade,
            channels=tuple(dict.fromkeys(args.channel)), audience=_audience(args, installation), public=args.public,
            max_sms_segments=delivery.sms_max_segments)
        print(message.message_id)
        _say(f"drafted {message.message_id}: submit it with `stakeholders message submit {message.message_id}`")
        return 0
    if args.action in ("submit", "authorise", "reject", "withdraw", "close"):
        message = messages.step(installation, actor, args.message_id, args.action, args.why or "")
        print(message.message_id)
        _say(f"{message.message_id} is {message.state}")
        return 0
    stem = f"{args.message_id.upper()}"
    if args.action == "issue":
        channel = delivery.channel(args.via, Path(args.out) if args.out else None, f"{stem}-v1")
        after = parse_duration(args.next_update_in) if args.next_update_in else None
        report = messages.issue(installation, actor, args.message_id, channel, after, _say)
    else:
        if args.final and args.next_update_in:
            raise UsageError("--final closes the message: it promises no next update")
        current = messages.get(installation, args.message_id)
        channel = delivery.channel(args.via or current.issued_via or "file", Path(args.out) if args.out else None,
                                   f"{stem}-v{current.versions + 1}")
        after = parse_duration(args.next_update_in) if args.next_update_in else None
        if (args.body_file is None) == (args.template is None):
            raise UsageError("give the words with --body-file FILE or --template NAME (one of them)")
        body = _body(args.body_file) if args.body_file else templates.template(installation, args.template).body
        report = messages.update(installation, actor, args.message_id, body, channel,
                                 final=args.final, next_update_in=after, max_sms_segments=delivery.sms_max_segments,
                                 progress=_say)
    print(report.message.message_id)
    _say(report.line())
    return 1 if report.pending else 0


def add_parsers(commands: argparse._SubParsersAction) -> None:
    message = commands.add_parser(
        "message", help="messages: draft, authorise, issue, update, close",
        description="A message is drafted, submitted, authorised (grades 1-2 by an inspector; never by its "
                    "author), issued to its audience as it stands then, updated and closed. The command line "
                    "acts as the account STAKEHOLDERS_USER names (a home without accounts: its one operator).")
    actions = message.add_subparsers(dest="action", required=True, metavar="ACTION")
    draft = actions.add_parser("draft", help="a new message, with its audience")
    draft.add_argument("--title", required=True)
    draft.add_argument("--body-file", metavar="FILE",
                       help="the text ('-' for stdin); placeholders {first_name} {name} {organisation} {area} "
                            "{next_update} {reference}")
    draft.add_argument("--template", metavar="NAME", help="the words of a template (see `message templates`)")
    draft.add_argument("--type", required=True, choices=TYPES)
    draft.add_argument("--grade", required=True, type=int, choices=(1, 2, 3, 4), help="1 critical … 4 routine")
    draft.add_argument("--channel", required=True, action="append", choices=CHANNELS)
    draft.add_argument("--public", action="store_true", help="publish on the App and social feeds too")
    draft.add_argument("--issue", action="append", metavar="ISSUE")
    draft.add_argument("--ward", action="append", metavar="WARD")
    draft.add_argument("--near", metavar="POSTCODE|LAT,LON")
    draft.add_argument("--radius-m", type=float, metavar="METRES")
    draft.add_argument("--category", action="append")
    draft.add_argument("--min-priority", choices=tuple(PRIORITY_RANK))
    draft.add_argument("--include", action="append", metavar="REF",
                       help="C-…, O-… or saved:NAME; alone, the message goes to exactly these people")
    draft.add_argument("--exclude", action="append", metavar="REF")
    draft.add_argument("--within", action="append", metavar="REF", help="must be: only people also in REF")
    for name, text in (("submit", "ask for authorisation"), ("authorise", "authorise (an inspector for grades 1-2)"),
                       ("reject", "send back, with --why"), ("withdraw", "withdraw, with --why"),
                       ("close", "close without a closing message (see update --final)")):
        step = actions.add_parser(name, help=text)
        step.add_argument("message_id", metavar="M-ID")
        step.add_argument("--why", help="the reason, kept with the step")
    issue = actions.add_parser("issue", help="send an authorised message to its audience as it stands now")
    issue.add_argument("message_id", metavar="M-ID")
    issue.add_argument("--via", required=True, choices=("file", "notify", "smtp"))
    issue.add_argument("--out", metavar="DIR", help="--via file: the folder for the messaging platform")
    issue.add_argument("--next-update-in", metavar="DURATION", help="a holding message: when the next update is due "
                                                                  "(30m, 2h, 1d)")
    update = actions.add_parser("update", help="send an update (or, --final, the closure) to the same recipients")
    update.add_argument("message_id", metavar="M-ID")
    update.add_argument("--body-file", metavar="FILE")
    update.add_argument("--template", metavar="NAME", help="the words of a template (e.g. update, closure)")
    update.add_argument("--via", choices=("file", "notify", "smtp"), help="default: as issued")
    update.add_argument("--out", metavar="DIR")
    update.add_argument("--next-update-in", metavar="DURATION")
    update.add_argument("--final", action="store_true", help="the closing message: closes it")
    feed = actions.add_parser("feed", help="the public messages as the App's JSON feed or the social team's Atom feed")
    feed.add_argument("which", choices=("app", "social"))
    actions.add_parser("templates", help="the templates: name, kind and words, tab-separated")
    template = actions.add_parser("template", help="add or change a template (admins)")
    template.add_argument("name")
    template.add_argument("--kind", required=True, choices=KINDS)
    template.add_argument("--body-file", required=True, metavar="FILE")
    listing = actions.add_parser("list", help="messages, open ones first")
    listing.add_argument("--due", action="store_true", help="only those whose update or closure is due")
    listing.add_argument("--state", choices=("draft", "submitted", "authorised", "issued", "closed", "rejected",
                                             "withdrawn"))
    listing.add_argument("--format", choices=("csv", "json"), default="csv")
    show = actions.add_parser("show", help="one message and its recipients' delivery status")
    show.add_argument("message_id", metavar="M-ID")
    show.add_argument("--format", choices=("text", "json"), default="text")
    actions.add_parser("receipts", help="ask the Notify service for delivery statuses and STOP replies",
                       description="Statuses of sent messages (delivered, permanent-failure…) and the replies people "
                                   "sent: a STOP is a dated 'no' to SMS at that number, a permanent failure marks the "
                                   "address undeliverable; both count from the next sync.")
    message.set_defaults(handler=cmd_message)
