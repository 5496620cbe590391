"""Engagement coverage: of each group's stakeholders, how many were engaged within 30, 90 and 365 days;
and the priority stakeholders nobody has engaged within a number of days.

A contact counts as engaged on the day of an engagement that engaged it, or engaged an organisation it
works for (its people were reached through it); an organisation on the day of one that engaged it or one
of its people. "Within N days of the as-of date" is from N days before it to the date itself, both
included; engagements after the as-of date do not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .figures import percent
from .satisfaction import group_order

WINDOWS = (30, 90, 365)  # days
NEGLECT_DAYS = 90
NEGLECTED_COLUMNS = ("kind", "id", "name", "organisation", "groups", "last_engaged", "days_since")


def window_starts(as_of: dt.date, windows: Sequence[int] = WINDOWS) -> list[str]:
    """The first day (ISO) of each window ending on ``as_of``, the widest first: the order the graph's
    count of windows met (``graph.reports.coverage_query``) is read in."""
    return [(as_of - dt.timedelta(days=days)).isoformat() for days in sorted(windows, reverse=True)]


@dataclass(frozen=True)
class CoverageRow:
    """A group's stakeholders and, per window of ``WINDOWS``, how many were engaged and their share (whole
    per cent; None for a group of nobody). ``group`` is "" without a grouping."""

    group: str
    stakeholders: int
    engaged: tuple[int, ...]
    shares: tuple[int | None, ...]

    def record(self, group_by: str = "", windows: Sequence[int] = WINDOWS) -> dict:
        values: dict = {"stakeholders": self.stakeholders}
        values |= {f"engaged_{days}d": n for days, n in zip(windows, self.engaged, strict=True)}
        values |= {f"share_{days}d": s for days, s in zip(windows, self.shares, strict=True)}
        return {group_by: self.group, **values} if group_by else values


def coverage_columns(group_by: str = "", windows: Sequence[int] = WINDOWS) -> tuple[str, ...]:
    return ((group_by,) if group_by else ()) + ("stakeholders",) + tuple(f"engaged_{d}d" for d in windows) + \
        tuple(f"share_{d}d" for d in windows)


def coverage_rows(counts: Iterable[Mapping], windows: Sequence[int] = WINDOWS) -> list[CoverageRow]:
    """``counts``: rows of ``grp``, ``windows`` (how many of the windows a contact's last engagement falls
    in: 0 for none, ``len(windows)`` for the narrowest) and ``contacts``."""
    ordered = sorted(windows)
    met: dict[str, dict[int, int]] = {}
    for row in counts:
        per_group = met.setdefault(row["grp"], {})
        per_group[int(row["windows"])] = per_group.get(int(row["windows"]), 0) + int(row["contacts"])
    found = []
    for group in sorted(met, key=group_order):
        total = sum(met[group].values())
        # the narrowest window is met only by those meeting every window; the widest by all who meet any
        engaged = tuple(sum(n for k, n in met[group].items() if k >= len(ordered) - i) for i in range(len(ordered)))
        found.append(CoverageRow(group, total, engaged, tuple(percent(n, total) for n in engaged)))
    return found


@dataclass(frozen=True)
class NeglectedStakeholder:
    """A priority contact or organisation nobody engaged within the days asked: ``last_engaged`` (ISO) and
    ``days_since`` are None when it was never engaged."""

    kind: str  # contact | organisation
    id: str
    name: str
    organisations: tuple[str, ...]
    groups: tuple[str, ...]
    last_engaged: str | None
    days_since: int | None

    def record(self) -> dict:
        """As the JSON gives it: lists as lists, never as null."""
        return {"kind": self.kind, "id": self.id, "name": self.name, "organisation": list(self.organisations),
                "groups": list(self.groups), "last_engaged": self.last_engaged, "days_since": self.days_since}

    def cells(self) -> dict:
        """As the CSV gives it: lists joined with "; ", never engaged as "never"."""
        return {**self.record(), "organisation": "; ".join(self.organisations), "groups": "; ".join(self.groups),
                "last_engaged": self.last_engaged or "never",
                "days_since": "" if self.days_since is None else self.days_since}


def neglected(rows: Iterable[Mapping], as_of: dt.date) -> list[NeglectedStakeholder]:
    """``rows``: ``kind``, ``id``, ``name``, ``last`` (ISO or None), ``organisations``, ``groups``. Never
    engaged first, then the longest unengaged, then by name."""
    found = [NeglectedStakeholder(
        r["kind"], r["id"], r["name"] or "", tuple(r["organisations"] or ()), tuple(sorted(set(r["groups"] or ()))),
        r["last"], None if r["last"] is None else (as_of - dt.date.fromisoformat(r["last"])).days) for r in rows]
    return sorted(found, key=lambda s: (s.last_engaged is not None, s.last_engaged or "", s.name.lower(), s.id))
