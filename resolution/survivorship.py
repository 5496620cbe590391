"""The surviving values of a merged contact, following the data contract's section 6."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd

PRIORITY_RANK = {"low": 1, "medium": 2, "high": 3}
_UNDATED = dt.date.min  # an undated row counts as the oldest


def row_date(row: pd.Series) -> dt.date:
    value = row.get("date")
    return value if isinstance(value, dt.date) else _UNDATED


def decide_consent(rows: pd.DataFrame, column: str) -> tuple[bool, str]:
    """Most recent explicit value wins; a yes and a no of the same date give no; none at all is no.

    Returns the decision and the ref of the row that decided it ("" when no row did).
    """
    explicit = [(row_date(r), bool(r[column]), r["ref"]) for _, r in rows.iterrows()
                if isinstance(r[column], bool)]
    if not explicit:
        return False, ""
    latest = max(date for date, _, _ in explicit)
    on_latest = [(value, ref) for date, value, ref in explicit if date == latest]
    refusals = sorted(ref for value, ref in on_latest if not value)
    if refusals:
        return False, refusals[0]
    return True, sorted(ref for _, ref in on_latest)[0]


def highest_priority(values: pd.Series) -> str:
    ranked = [v for v in values if v in PRIORITY_RANK]
    return max(ranked, key=PRIORITY_RANK.__getitem__) if ranked else ""


def most_recent_value(rows: pd.DataFrame, column: str, prefer: callable = None) -> str:
    """The value on the most recent row that has one; ties go to the more frequent value."""
    present = rows[rows[column].map(lambda v: isinstance(v, str) and v != "")]
    if present.empty:
        return ""
    if prefer is not None:
        preferred = present[present[column].map(prefer)]
        present = preferred if not preferred.empty else present
    counts = Counter(present[column])
    best = max(present.itertuples(index=False),
               key=lambda r: (row_date(r._asdict()), counts[getattr(r, column)], getattr(r, column)))
    return getattr(best, column)


def display_name(rows: pd.DataFrame) -> tuple[str, str, str, str]:
    """(full name, title, first, last): the most common spelling, formal given names first."""
    names = [(r.full_name, r.title if isinstance(r.title, str) else "", r.first_name or "", r.last_name or "")
             for r in rows.itertuples(index=False) if isinstance(r.full_name, str) and r.full_name]
    if not names:
        return "", "", "", ""
    counts = Counter(n[0] for n in names)
    best = max(names, key=lambda n: (counts[n[0]], len(n[2]), n[0]))
    title = next((t for _, t, _, _ in names if t), "")
    return best[0], title, best[2], best[3]


def distinct(values: pd.Series) -> list[str]:
    return sorted({v for v in values if isinstance(v, str) and v})


def union_of_lists(values: pd.Series) -> list[str]:
    return sorted({item for items in values if isinstance(items, list | tuple) for item in items})
