"""Spreadsheet-safe cells: formulas neutralised, phone numbers and plain text untouched."""

from __future__ import annotations

import pytest

from exports.cells import neutralise, neutralise_row


@pytest.mark.parametrize("value, expected", [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("+447700900123", "+447700900123"),  # an E.164 mobile stays a number a reader can use
    ("-3.5", "-3.5"),
    ("Ann O'Neil", "Ann O'Neil"),
    ("a=b", "a=b"),
    ("", ""),
    (None, None),
    (7, 7),
])
def test_formula_text_is_neutralised_and_everything_else_left_alone(value, expected):
    assert neutralise(value) == expected


def test_a_row_is_neutralised_cell_by_cell():
    assert neutralise_row({"name": "=1+1", "mobile": "+447700900123"}) == {"name": "'=1+1", "mobile": "+447700900123"}
