"""Experian Mosaic UK codes: 15 groups A..O and types such as "A01"."""

from __future__ import annotations

import re

from sources.normalise.text import Cell, Parsed, as_text, is_blank, quoted

# Types are a group letter and a two-digit number 01..66. Which numbers belong to which
# group is Experian's licensed detail; we only check the shape and the ranges.
_TYPE = re.compile(r"([A-O])\s*(0[1-9]|[1-5][0-9]|6[0-6])")
_GROUP = re.compile(r"[A-O]")


def parse_mosaic_type(raw: Cell) -> Parsed[str]:
    """Return a type code such as "A01" (upper case, no spaces), or None with a problem."""
    if is_blank(raw):
        return None, None
    match = _TYPE.fullmatch(as_text(raw).upper())
    if not match:
        return None, f"{quoted(raw)} is not a Mosaic type (A01 to O66)"
    return match[1] + match[2], None


def parse_mosaic_group(raw: Cell) -> Parsed[str]:
    """Return a group letter "A".."O", or None with a problem."""
    if is_blank(raw):
        return None, None
    text = as_text(raw).upper()
    if not _GROUP.fullmatch(text):
        return None, f"{quoted(raw)} is not a Mosaic group (A to O)"
    return text, None
