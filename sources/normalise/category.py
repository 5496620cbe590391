"""Stakeholder category vocabulary of contract section 4."""

from __future__ import annotations

import re

from sources.normalise.text import Cell, Parsed, as_text, is_blank, quoted

CATEGORIES = ("business", "resident", "partner_agency", "police", "voluntary_group", "other")

# Keys are compared with everything but letters removed, so "Partner-Agency",
# "partner_agency" and "PARTNER AGENCY" all match.
_SYNONYMS = {
    "business": "business", "businesses": "business",
    "resident": "resident", "residents": "resident",
    "partneragency": "partner_agency", "partner": "partner_agency", "agency": "partner_agency",
    "partneragencies": "partner_agency",
    "police": "police", "policeforce": "police", "lawenforcement": "police",
    "voluntarygroup": "voluntary_group", "charity": "voluntary_group",
    "voluntary": "voluntary_group", "communitygroup": "voluntary_group",
    "other": "other",
}


def parse_category(raw: Cell) -> Parsed[str]:
    """Return one of CATEGORIES, or None with a problem for an unknown term."""
    if is_blank(raw):
        return None, None
    key = re.sub(r"[^a-z]", "", as_text(raw).lower())
    if key in _SYNONYMS:
        return _SYNONYMS[key], None
    return None, f"{quoted(raw)} is not a known category ({', '.join(CATEGORIES)})"
