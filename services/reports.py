"""The satisfaction and engagement reports, for the command line and the web pages alike.

Each takes what was asked, checks it, has the store count (``graph.reports``, where restricted contacts
are left out for a role that may not see them) and works the figures out (``reports``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from accounts.audit import AuditLog
from graph.store import GraphStore
from kernel.errors import UsageError
from reports import coverage, satisfaction
from reports.coverage import WINDOWS, CoverageRow, NeglectedStakeholder
from reports.periods import PERIODS, day_periods
from reports.satisfaction import SatisfactionRow

SATISFACTION_GROUPINGS = ("directorate", "category", "ward", "sector")
COVERAGE_GROUPINGS = ("directorate", "ward", "category", "group")


@dataclass(frozen=True)
class SatisfactionAsked:
    by: str = "month"  # week | month
    group_by: str = ""  # "" or one of SATISFACTION_GROUPINGS
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class SatisfactionReport:
    asked: SatisfactionAsked
    rows: list[SatisfactionRow]

    @property
    def columns(self) -> tuple[str, ...]:
        return satisfaction.columns(self.asked.group_by)

    def records(self) -> list[dict]:
        return [row.record(self.asked.group_by) for row in self.rows]


@dataclass(frozen=True)
class CoverageAsked:
    group_by: str = ""  # "" or one of COVERAGE_GROUPINGS
    as_of: dt.date | None = None  # None: today


@dataclass(frozen=True)
class CoverageReport:
    group_by: str
    as_of: dt.date
    rows: list[CoverageRow]
    windows: tuple[int, ...] = WINDOWS

    @property
    def columns(self) -> tuple[str, ...]:
        return coverage.coverage_columns(self.group_by, self.windows)

    def records(self) -> list[dict]:
        return [row.record(self.group_by, self.windows) for row in self.rows]


@dataclass(frozen=True)
class NeglectAsked:
    days: int = coverage.NEGLECT_DAYS
    as_of: dt.date | None = None  # None: today


@dataclass(frozen=True)
class NeglectReport:
    days: int
    as_of: dt.date
    rows: list[NeglectedStakeholder] = field(default_factory=list)
    columns: tuple[str, ...] = coverage.NEGLECTED_COLUMNS


def _check(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value and value not in allowed:
        raise UsageError(f"unknown {what} {value!r}; choose from: {', '.join(allowed)}")


def satisfaction_report(store: GraphStore, asked: SatisfactionAsked, can_see_restricted: bool) -> SatisfactionReport:
    """Survey responses per period (and group): responses, mean score, the share satisfied (a score of
    4 or 5), anonymous ones. A restricted respondent's responses are left out unless ``can_see_restricted``."""
    if asked.by not in PERIODS:
        raise UsageError(f"unknown period {asked.by!r}; choose from: {', '.join(PERIODS)}")
    _check(asked.group_by, SATISFACTION_GROUPINGS, "grouping")
    if asked.since and asked.until and asked.since > asked.until:
        raise UsageError(f"--since {asked.since} is after --until {asked.until}")
    span = store.survey_span()
    if span is None:
        return SatisfactionReport(asked, [])
    # only the days a response can be dated: the graph is told which period each of them is in
    first = max(asked.since or dt.date.min, dt.date.fromisoformat(span[0]))
    last = min(asked.until or dt.date.max, dt.date.fromisoformat(span[1]))
    periods = day_periods(first, last, asked.by) if first <= last else {}
    counts = store.satisfaction_counts(asked.group_by, periods, can_see_restricted)
    return SatisfactionReport(asked, satisfaction.satisfaction_rows(counts))


def coverage_report(store: GraphStore, asked: CoverageAsked, can_see_restricted: bool) -> CoverageReport:
    """Per group, the contacts and how many of them were engaged within each of ``WINDOWS`` days of the
    as-of date (directly, or through an organisation they work for)."""
    _check(asked.group_by, COVERAGE_GROUPINGS, "grouping")
    as_of = asked.as_of or dt.date.today()
    counts = store.coverage_counts(asked.group_by, as_of.isoformat(), coverage.window_starts(as_of),
                                   can_see_restricted)
    return CoverageReport(asked.group_by, as_of, coverage.coverage_rows(counts))


def neglected_priority(store: GraphStore, asked: NeglectAsked, can_see_restricted: bool) -> NeglectReport:
    """The priority stakeholders (contacts and organisations) nobody engaged within ``asked.days`` days of
    the as-of date, the never-engaged first, then the longest unengaged."""
    if asked.days < 1:
        raise UsageError("--days must be 1 or more")
    as_of = asked.as_of or dt.date.today()
    since = coverage.window_starts(as_of, (asked.days,))[0]
    rows = store.unengaged_priority_stakeholders(as_of.isoformat(), since, can_see_restricted)
    return NeglectReport(asked.days, as_of, coverage.neglected(rows, as_of))


def record(audit: AuditLog, who: str, report: str, options: dict, rows: int, interface: str, role: str,
           ids: list[str] | None = None) -> None:
    """The audit entry of a report drawn: the options (dates and grouping names), the role, the number of
    rows and, for a list of stakeholders, their IDs; never a name."""
    details: dict = {"interface": interface, "report": report, "options": options, "role": role, "rows": rows}
    if ids is not None:
        details["ids"] = sorted(ids)
    audit.append(who, "report drawn", details)
