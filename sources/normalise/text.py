"""Blank detection and plain-text cleaning shared by every normaliser."""

from __future__ import annotations

import re
from datetime import date
from typing import TypeVar

T = TypeVar("T")

# A cell as the readers hand it over: text, a real date/datetime from .xlsx, or nothing.
Cell = str | date | None
# What every parser returns: the normalised value (or None) and a problem text (or None).
Parsed = tuple[T | None, str | None]

# Spreadsheet authors type these to mean "nothing here"; Excel error values mean the
# same once a formula has broken. Compared after trimming and lower-casing.
PLACEHOLDERS = frozenset({
    "n/a", "na", "n.a.", "n.a", "none", "nil", "null", "-", "--", "---", ".", "?", "??",
    "unknown", "not known", "tbc", "tba", "tbd", "not applicable",
    "#n/a", "#value!", "#ref!", "#name?", "#div/0!", "#null!", "#num!",
})

_SPACE = re.compile(r"\s+")
_INTEGRAL_FLOAT = re.compile(r"(-?\d+)\.0+")
_MAX_QUOTED = 60


def is_blank(raw: Cell) -> bool:
    """True for None, whitespace and placeholders such as "n/a" or "tbc"."""
    if raw is None:
        return True
    if isinstance(raw, date):
        return False
    text = raw.strip()
    return not text or text.lower() in PLACEHOLDERS


def as_text(raw: Cell) -> str:
    """The cell as trimmed text with inner whitespace collapsed; dates as yyyy-mm-dd."""
    if raw is None:
        return ""
    if isinstance(raw, date):
        return raw.isoformat()[:10]
    return _SPACE.sub(" ", raw).strip()


def clean_text(raw: Cell) -> str | None:
    """Free text (organisation, address, ward...): trimmed, whitespace collapsed, blank -> None."""
    return None if is_blank(raw) else as_text(raw)


def clean_notes(raw: Cell) -> str | None:
    """Notes keep their line breaks; only the ends are trimmed."""
    if is_blank(raw):
        return None
    return raw.strip() if isinstance(raw, str) else as_text(raw)


def clean_id(raw: Cell) -> str | None:
    """An identifier: trimmed; "12.0" (a number that went through a float) becomes "12"."""
    text = clean_text(raw)
    if text is None:
        return None
    whole = _INTEGRAL_FLOAT.fullmatch(text)
    return whole.group(1) if whole else text


def quoted(raw: Cell) -> str:
    """The raw value quoted for a problem text, shortened so reports stay readable."""
    text = as_text(raw)
    if len(text) > _MAX_QUOTED:
        text = text[: _MAX_QUOTED - 3] + "..."
    return repr(text)
