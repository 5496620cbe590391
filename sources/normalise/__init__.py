"""Pure value normalisers, one module per vocabulary of contract section 4.

Each parser takes a raw cell (``str``, ``datetime.date`` or ``None``) and returns
``(value, problem)``: ``value`` is the normalised value or ``None``; ``problem`` is
``None`` or a short text for the steward such as ``"'bob@' is not an email address"``.
Blank cells and placeholders ("n/a", "tbc", "-", ...) give ``(None, None)``.
"""

from sources.normalise.text import Cell, Parsed

__all__ = ["Cell", "Parsed"]
