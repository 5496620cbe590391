"""UK postcodes: any case and spacing in, "EC2V 7HH" out (contract section 4)."""

from __future__ import annotations

import re

from sources.normalise.text import Cell, Parsed, as_text, is_blank, quoted

# The Royal Mail pattern: outward code A9, A99, A9A, AA9, AA99 or AA9A, inward code 9AA.
# Letters that never appear in a position are excluded so typos such as "EC2V 7HI" fail.
_POSTCODE = re.compile(
    r"(?P<outward>"
    r"[A-PR-UWYZ][0-9]{1,2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]"
    r")(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})"
)
_SPECIAL = {"GIR0AA": "GIR 0AA"}  # Girobank's historic postcode, still valid


def parse_postcode(raw: Cell) -> Parsed[str]:
    """Return the postcode as "OUTWARD INWARD" in capitals, or None with a problem."""
    if is_blank(raw):
        return None, None
    compact = re.sub(r"\s+", "", as_text(raw)).upper()
    if compact in _SPECIAL:
        return _SPECIAL[compact], None
    match = _POSTCODE.fullmatch(compact)
    if not match:
        return None, f"{quoted(raw)} is not a UK postcode"
    return f"{match['outward']} {match['inward']}", None
