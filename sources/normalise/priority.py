"""Priority vocabulary: high/medium/low, H/M/L or 1/2/3 where 1 is high."""

from __future__ import annotations

from sources.normalise.text import Cell, Parsed, as_text, is_blank, quoted

PRIORITIES = ("high", "medium", "low")

_SYNONYMS = {
    "high": "high", "h": "high", "1": "high",
    "medium": "medium", "med": "medium", "m": "medium", "2": "medium",
    "low": "low", "l": "low", "3": "low",
}


def parse_priority(raw: Cell) -> Parsed[str]:
    """Return "high", "medium" or "low", or None with a problem."""
    if is_blank(raw):
        return None, None
    text = as_text(raw).lower()
    if text in _SYNONYMS:
        return _SYNONYMS[text], None
    return None, f"{quoted(raw)} is not a priority (high, medium, low, H/M/L or 1/2/3)"
