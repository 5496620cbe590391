"""Dates in UK order (never US), ISO, "3 Mar 2024" and real .xlsx date cells."""

from __future__ import annotations

import re
from datetime import date, datetime

from sources.normalise.text import Cell, Parsed, as_text, is_blank, quoted

# Matched against lower-cased text, so the ISO "T" separator appears as "t".
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DAY_FIRST = re.compile(rf"(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-](\d{{4}}|\d{{2}}){_TIME}")
_ISO = re.compile(rf"(\d{{4}})[-/](\d{{1,2}})[-/](\d{{1,2}}){_TIME}")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([a-z]+)\.?,?[\s\-]+(\d{4}|\d{2})")
_MONTH_NAME_DAY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_EARLIEST_YEAR = 1900


def parse_date(raw: Cell, today: date | None = None) -> Parsed[date]:
    """Return a ``datetime.date``, or None with a problem.

    Dates before 1900 or after next year are treated as typos. ``today`` is for tests.
    """
    if is_blank(raw):
        return None, None
    today = today or date.today()
    if isinstance(raw, datetime):
        return _in_range(raw.date(), raw, today)
    if isinstance(raw, date):
        return _in_range(raw, raw, today)
    text = as_text(raw).lower()
    parts = _split(text, today)
    if parts is None:
        return None, f"{quoted(raw)} is not a date (expected dd/mm/yyyy, yyyy-mm-dd or 3 Mar 2024)"
    year, month, day = parts
    try:
        value = date(year, month, day)
    except ValueError:
        return None, f"{quoted(raw)} is not a real date"
    return _in_range(value, raw, today)


def _split(text: str, today: date) -> tuple[int, int, int] | None:
    """(year, month, day) from the first pattern that matches, or None."""
    if m := _ISO.fullmatch(text):
        return int(m[1]), int(m[2]), int(m[3])
    if m := _DAY_FIRST.fullmatch(text):
        return _year(m[3], today), int(m[2]), int(m[1])
    if (m := _DAY_MONTH_NAME.fullmatch(text)) and m[2] in _MONTHS:
        return _year(m[3], today), _MONTHS[m[2]], int(m[1])
    if (m := _MONTH_NAME_DAY.fullmatch(text)) and m[1] in _MONTHS:
        return int(m[3]), _MONTHS[m[1]], int(m[2])
    return None


def _year(text: str, today: date) -> int:
    """Two-digit years mean this century unless that would be beyond next year."""
    if len(text) == 4:
        return int(text)
    year = 2000 + int(text)
    return year if year <= today.year + 1 else year - 100


def _in_range(value: date, raw: Cell, today: date) -> Parsed[date]:
    latest = today.year + 1
    if not _EARLIEST_YEAR <= value.year <= latest:
        future = " (in the future)" if value.year > latest else ""
        return None, f"{quoted(raw)} is outside {_EARLIEST_YEAR}-{latest}{future}"
    return value, None
