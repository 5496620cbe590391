"""Means and shares, from exact counts, rounded half up (2/3 is 67%, 11/3 is 3.7), as people round."""

from __future__ import annotations

import math
from fractions import Fraction


def mean(total: int, count: int, places: int = 1) -> float | None:
    """``total / count`` to ``places`` decimals; None for no count."""
    if count <= 0:
        return None
    scale = 10**places
    return math.floor(Fraction(total, count) * scale + Fraction(1, 2)) / scale


def percent(part: int, whole: int) -> int | None:
    """``part`` as a whole percentage of ``whole``; None when there is no whole."""
    if whole <= 0:
        return None
    return math.floor(Fraction(100 * part, whole) + Fraction(1, 2))
