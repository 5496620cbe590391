"""Dates: UK day-first order always, ISO, month names, real cells; impossible dates flagged."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sources.normalise.dates import parse_date

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03/04/2024", date(2024, 4, 3)),  # 3 April, never 4 March
        ("3/4/2024", date(2024, 4, 3)),
        ("12/01/2024", date(2024, 1, 12)),
        ("25/12/2023", date(2023, 12, 25)),
        ("3/4/24", date(2024, 4, 3)),
        ("31/12/99", date(1999, 12, 31)),
        ("01/01/26", date(2026, 1, 1)),  # next year is still this century
        ("03-04-2024", date(2024, 4, 3)),
        ("03.04.2024", date(2024, 4, 3)),
        ("03/04/2024 14:30", date(2024, 4, 3)),
        ("2024-04-03", date(2024, 4, 3)),
        ("2024-4-3", date(2024, 4, 3)),
        ("2024-04-03 00:00:00", date(2024, 4, 3)),
        ("2024-04-03T09:15:00", date(2024, 4, 3)),
        ("3 Mar 2024", date(2024, 3, 3)),
        ("3 March 2024", date(2024, 3, 3)),
        ("03 march 2024", date(2024, 3, 3)),
        ("3rd March 2024", date(2024, 3, 3)),
        ("3-Mar-2024", date(2024, 3, 3)),
        ("3 Sept 2024", date(2024, 9, 3)),
        ("3 Mar. 2024", date(2024, 3, 3)),
        ("March 3, 2024", date(2024, 3, 3)),
        (" 3 Mar 2024 ", date(2024, 3, 3)),
        (date(2024, 4, 3), date(2024, 4, 3)),
        (datetime(2024, 4, 3, 17, 45), date(2024, 4, 3)),
    ],
)
def test_dates(raw: object, expected: date) -> None:
    value, problem = parse_date(raw, today=TODAY)
    assert (value, problem) == (expected, None)
    assert type(value) is date


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("31/02/2024", "'31/02/2024' is not a real date"),
        ("29/02/2023", "'29/02/2023' is not a real date"),
        ("13/13/2024", "'13/13/2024' is not a real date"),
        ("2024-02-30", "'2024-02-30' is not a real date"),
        ("32 Mar 2024", "'32 Mar 2024' is not a real date"),
        ("01/01/1850", "'01/01/1850' is outside 1900-2026"),
        ("01/01/2027", "'01/01/2027' is outside 1900-2026 (in the future)"),
        (date(1899, 12, 31), "'1899-12-31' is outside 1900-2026"),
        ("3 Smarch 2024", "'3 Smarch 2024' is not a date (expected dd/mm/yyyy, yyyy-mm-dd or 3 Mar 2024)"),
        ("last week", "'last week' is not a date (expected dd/mm/yyyy, yyyy-mm-dd or 3 Mar 2024)"),
        ("45123", "'45123' is not a date (expected dd/mm/yyyy, yyyy-mm-dd or 3 Mar 2024)"),
    ],
)
def test_bad_dates_are_flagged(raw: object, problem: str) -> None:
    assert parse_date(raw, today=TODAY) == (None, problem)


@pytest.mark.parametrize("raw", [None, "", "n/a", "tbc"])
def test_blank_dates(raw: str | None) -> None:
    assert parse_date(raw, today=TODAY) == (None, None)
