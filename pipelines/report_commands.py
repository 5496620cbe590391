"""`stakeholders report`: satisfaction and engagement coverage from the engagement record (issue 12)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections.abc import Sequence

from exports.cells import neutralise_row
from graph.audience import ROLES
from kernel.errors import UsageError
from reports.coverage import NEGLECT_DAYS
from reports.periods import PERIODS
from services import reports
from services.installation import Installation

from .settings import Settings

RESTRICTED_HELP = ("spoc also counts restricted contacts (default: messaging, for whom they do not exist, not even "
                   "in a count); with accounts in the home, only a SPOC account may use it")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from None


def _write(records: Sequence[dict], columns: Sequence[str], form: str) -> None:
    if form == "json":
        json.dump([{c: r.get(c) for c in columns} for r in records], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    # spreadsheet-safe: these files are opened in Excel, and a name may start with "="
    writer.writerows(neutralise_row({k: "" if v is None else v for k, v in r.items()}) for r in records)


def cmd_report(args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    user = args.command_line_user
    if args.role == "spoc":
        user.require("restricted", "use --role spoc (only a SPOC sees restricted contacts)")
    restricted_ok = args.role == "spoc"
    store, left_out = installation.store, "" if restricted_ok else "; restricted contacts left out"
    if args.report == "satisfaction":
        asked = reports.SatisfactionAsked(args.period, args.group_by or "", args.since, args.until)
        found = reports.satisfaction_report(store, asked, restricted_ok)
        records, columns = found.records(), found.columns
        options = {"by": args.period, "group_by": asked.group_by, "since": str(args.since or ""),
                   "until": str(args.until or "")}
        periods = len({row.period for row in found.rows})
        summary = f"{len(found.rows)} row(s), {periods} {args.period}(s) with responses"
        ids = None
    elif args.neglected_priority:
        if args.group_by:
            raise UsageError("--neglected-priority lists stakeholders one by one: it takes no --group-by")
        neglect = reports.neglected_priority(store, reports.NeglectAsked(args.days or NEGLECT_DAYS, args.as_of),
                                             restricted_ok)
        records, columns = [s.cells() if args.format == "csv" else s.record() for s in neglect.rows], neglect.columns
        options = {"neglected_priority": True, "days": neglect.days, "as_of": neglect.as_of.isoformat()}
        never = sum(1 for s in neglect.rows if s.last_engaged is None)
        summary = (f"{len(neglect.rows)} priority stakeholder(s) nobody engaged in the {neglect.days} days to "
                   f"{neglect.as_of} ({never} never engaged)")
        ids = [s.id for s in neglect.rows]
    else:
        if args.days is not None:
            raise UsageError("--days goes with --neglected-priority (coverage counts 30, 90 and 365 days)")
        coverage = reports.coverage_report(store, reports.CoverageAsked(args.group_by or "", args.as_of),
                                           restricted_ok)
        records, columns = coverage.records(), coverage.columns
        options = {"group_by": coverage.group_by, "as_of": coverage.as_of.isoformat()}
        summary = f"{len(coverage.rows)} row(s), engagement as of {coverage.as_of}"
        ids = None
    _write(records, columns, args.format)
    reports.record(installation.audit, user.name, args.report, options, len(records), "command line", args.role, ids)
    _say(summary + left_out)
    return 0


def add_parsers(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report", help="reports from the engagement record: satisfaction, engagement coverage",
        description="Data on stdout (CSV or JSON), a summary on stderr. Restricted contacts are left out "
                    "entirely unless --role spoc: a restricted contact is not counted as a stakeholder, nor are "
                    "a restricted respondent's survey responses. Each report drawn is recorded in the audit log.")
    kinds = report.add_subparsers(dest="report", required=True, metavar="REPORT")

    satisfaction = kinds.add_parser(
        "satisfaction", help="survey responses per week or month: mean score, share satisfied",
        description="Per period (and group): responses, mean score (1 decimal), satisfied (a score of 4 or 5) "
                    "and their share (whole per cent), anonymous responses. With --group-by a respondent counts "
                    "in each of their groups (a contact known to two directorates counts in both, so groups can "
                    "add up to more than the period's responses); anonymous responses fall in the group "
                    "'(anonymous)', respondents with no value for the grouping in '(none)'.")
    # not args.by: that names who acts, for the commands that take it (cli._allowed)
    satisfaction.add_argument("--by", dest="period", choices=PERIODS, default="month",
                              help="the period: ISO weeks (2026-W09, from Monday) or months (default)")
    satisfaction.add_argument("--group-by", choices=reports.SATISFACTION_GROUPINGS,
                              help="directorate: the directorates that know the respondent; category: theirs; "
                                   "ward: of the postcodes they are located in; sector: of the organisations "
                                   "they work for")
    satisfaction.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="responses from this day on")
    satisfaction.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="responses up to this day")
    satisfaction.add_argument("--format", choices=("csv", "json"), default="csv")
    satisfaction.add_argument("--role", choices=ROLES, default="messaging", help=RESTRICTED_HELP)

    engagement = kinds.add_parser(
        "engagement", help="how many stakeholders were engaged in the last 30, 90 and 365 days",
        description="Per group: the stakeholders (contacts) and how many were engaged within 30, 90 and 365 "
                    "days of the as-of date (that day and the N days before it), with their share. A contact "
                    "counts as engaged by an engagement that engaged it or an organisation it works for (its "
                    "people were reached through it), by any directorate. With --neglected-priority: the "
                    "priority stakeholders (contacts and organisations) nobody engaged within --days days, the "
                    "never-engaged first, with their last engagement, organisation and groups; an organisation "
                    "counts as engaged through its people too.")
    engagement.add_argument("--group-by", choices=reports.COVERAGE_GROUPINGS,
                            help="directorate: the directorates that know the contact (a contact in two counts in "
                                 "both); ward: of its postcodes; category: its categories; group: the groups it "
                                 "or an organisation it works for belongs to")
    engagement.add_argument("--as-of", type=_day, metavar="YYYY-MM-DD",
                            help="count back from this day (default: today); later engagements do not count")
    engagement.add_argument("--neglected-priority", action="store_true",
                            help="list the priority stakeholders nobody engaged lately instead")
    engagement.add_argument("--days", type=int, metavar="N",
                            help=f"with --neglected-priority: engaged within N days (default {NEGLECT_DAYS})")
    engagement.add_argument("--format", choices=("csv", "json"), default="csv")
    engagement.add_argument("--role", choices=ROLES, default="messaging", help=RESTRICTED_HELP)
    report.set_defaults(handler=cmd_report)
