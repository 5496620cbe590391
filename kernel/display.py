"""A value as people read it, the one rule for every page, report and command that prints values."""

from __future__ import annotations

import datetime as dt
import math


def shown(value: object, blank: str = "", separator: str = "; ") -> str:
    """Booleans yes/no, dates in ISO, lists joined by ``separator``; ``blank`` for none, "", NaN or []."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return blank
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return separator.join(shown(v, blank, separator) for v in value) or blank
    return str(value)
