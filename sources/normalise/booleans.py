"""Yes/no cells (consent, restricted): blank means unknown, never no."""

from __future__ import annotations

from sources.normalise.text import Cell, Parsed, as_text, is_blank, quoted

_TRUE = frozenset({"y", "yes", "true", "1", "x"})
_FALSE = frozenset({"n", "no", "false", "0"})


def parse_bool(raw: Cell) -> Parsed[bool]:
    """Return True, False, or None (blank) with a problem for anything else."""
    if is_blank(raw):
        return None, None
    text = as_text(raw).lower()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    return None, f"{quoted(raw)} is not yes or no"
