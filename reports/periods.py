"""Reporting periods: a day's ISO week (``2026-W09``, weeks start on Monday) or month (``2026-03``)."""

from __future__ import annotations

import datetime as dt

PERIODS = ("week", "month")


def period_of(day: str | dt.date, by: str) -> str:
    """The period holding ``day`` (an ISO date, or a date)."""
    date = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
    if by == "month":
        return f"{date.year:04d}-{date.month:02d}"
    if by == "week":
        year, week, _ = date.isocalendar()
        return f"{year:04d}-W{week:02d}"
    raise ValueError(f"unknown period {by!r}; the periods are: {', '.join(PERIODS)}")


def first_day(period: str) -> dt.date:
    """The first day of a period as ``period_of`` names it."""
    if "-W" in period:
        year, week = period.split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1)
    year, month = period.split("-")
    return dt.date(int(year), int(month), 1)


def periods_between(first: str, last: str, by: str) -> list[str]:
    """Every period from ``first`` to ``last`` (both included), those without data too: a chart's axis."""
    found, day, end = [], first_day(first), first_day(last)
    while day <= end:
        found.append(period_of(day, by))
        if by == "week":
            day += dt.timedelta(days=7)
        else:
            day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return found


def day_periods(first: dt.date, last: dt.date, by: str) -> dict[str, str]:
    """Every day (ISO) from ``first`` to ``last`` with the period holding it: what the graph groups by."""
    return {(first + dt.timedelta(days=n)).isoformat(): period_of(first + dt.timedelta(days=n), by)
            for n in range((last - first).days + 1)}
