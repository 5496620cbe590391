"""The surviving values of a merged contact, following the data contract's section 6.

Each function takes the merged rows as plain dicts (one per source row), which is
much faster than slicing a DataFrame per contact.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence

PRIORITY_RANK = {"low": 1, "medium": 2, "high": 3}
_UNDATED = dt.date.min  # an undated row counts as the oldest

Row = dict


def row_date(row: Row) -> dt.date:
    value = row.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else _UNDATED


def decide_consent(rows: Sequence[Row], column: str) -> tuple[bool, str]:
    """Most recent explicit value wins; a yes and a no of the same date give no; none at all is no.

    Returns the decision and the ref of the row that decided it ("" when no row did).
    """
    explicit = [(row_date(r), bool(r[column]), r["ref"]) for r in rows if isinstance(r.get(column), bool)]
    if not explicit:
        return False, ""
    latest = max(date for date, _, _ in explicit)
    on_latest = [(value, ref) for date, value, ref in explicit if date == latest]
    refusals = sorted(ref for value, ref in on_latest if not value)
    if refusals:
        return False, refusals[0]
    return True, sorted(ref for _, ref in on_latest)[0]


def highest_priority(rows: Sequence[Row]) -> str:
    ranked = [r.get("priority") for r in rows if r.get("priority") in PRIORITY_RANK]
    return max(ranked, key=PRIORITY_RANK.__getitem__) if ranked else ""


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def most_recent_value(rows: Sequence[Row], column: str, prefer: Callable[[str], bool] | None = None) -> str:
    """The value on the most recent row that has one; ties go to the more frequent value."""
    present = [r for r in rows if _text(r.get(column))]
    if not present:
        return ""
    if prefer is not None:
        present = [r for r in present if prefer(r[column])] or present
    counts = Counter(r[column] for r in present)
    best = max(present, key=lambda r: (row_date(r), counts[r[column]], r[column]))
    return best[column]


def display_name(rows: Sequence[Row]) -> tuple[str, str, str, str]:
    """(full name, title, first, last): the most common spelling, formal given names first."""
    names = [(r["full_name"], _text(r.get("title")), _text(r.get("first_name")), _text(r.get("last_name")))
             for r in rows if _text(r.get("full_name"))]
    if not names:
        return "", "", "", ""
    counts = Counter(n[0] for n in names)
    best = max(names, key=lambda n: (counts[n[0]], len(n[2]), n[0]))
    title = next((t for _, t, _, _ in names if t), "")
    return best[0], title, best[2], best[3]


def distinct(rows: Sequence[Row], column: str) -> list[str]:
    return sorted({r[column] for r in rows if _text(r.get(column))})


def union_of_lists(rows: Sequence[Row], column: str) -> list[str]:
    return sorted({item for r in rows if isinstance(r.get(column), list | tuple) for item in r[column]})
