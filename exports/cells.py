"""Spreadsheet-safe cell values: text that Excel or LibreOffice would run as a formula is neutralised.

A cell starting with ``= + - @`` (or a tab or carriage return, which some importers strip before
that check) is a formula to a spreadsheet, so ``=HYPERLINK(...)`` in a name could leak data when
a messaging officer opens the download. Such text gets a leading apostrophe, which spreadsheets
show as plain text. A signed number (an E.164 phone number such as ``+447700900123``, ``-3``) is
not a formula risk and is left alone, so machine readers of the CSV still get the real value.
"""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[+-][0-9][0-9 ]*(\.[0-9]+)?")


def neutralise(value: object) -> object:
    """``value`` made safe for a spreadsheet cell; non-text values pass through unchanged."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if _SIGNED_NUMBER.fullmatch(value):
        return value
    return "'" + value


def neutralise_row(row: dict) -> dict:
    return {key: neutralise(value) for key, value in row.items()}
