"""Whole numbers (households, keyholder order) and UK coordinates."""

from __future__ import annotations

import re

from sources.normalise.text import Cell, Parsed, as_text, is_blank, quoted

_WHOLE = re.compile(r"\d+(?:\.0+)?")  # "12.0" is a whole number that went through a float
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")

# Generous bounds around the UK, Channel Islands and Isle of Man; ONSPD marks postcodes
# without a grid reference with latitude 99.999999, which falls outside on purpose.
UK_LATITUDE = (49.0, 61.0)
UK_LONGITUDE = (-8.7, 2.0)


def parse_count(raw: Cell) -> Parsed[int]:
    """A whole number of 0 or more ("1,234" allowed), or None with a problem."""
    if is_blank(raw):
        return None, None
    text = as_text(raw).replace(",", "")
    if not _WHOLE.fullmatch(text):
        return None, f"{quoted(raw)} is not a whole number of 0 or more"
    return int(float(text)), None


def parse_order(raw: Cell) -> Parsed[int]:
    """A keyholder's call order: "1", "1.0" or "1st"."""
    if is_blank(raw):
        return None, None
    text = as_text(raw).lower()
    ordinal = _ORDINAL.fullmatch(text)
    value, _ = parse_count(ordinal[1] if ordinal else text)
    if value is None:
        return None, f"{quoted(raw)} is not a position such as 1 or 2"
    return value, None


def parse_latitude(raw: Cell) -> Parsed[float]:
    """A latitude in decimal degrees inside the UK, or None with a problem."""
    return _coordinate(raw, UK_LATITUDE)


def parse_longitude(raw: Cell) -> Parsed[float]:
    """A longitude in decimal degrees inside the UK, or None with a problem."""
    return _coordinate(raw, UK_LONGITUDE)


def _coordinate(raw: Cell, bounds: tuple[float, float]) -> Parsed[float]:
    if is_blank(raw):
        return None, None
    try:
        value = float(as_text(raw))
    except ValueError:
        return None, f"{quoted(raw)} is not a number"
    low, high = bounds
    if not low <= value <= high:
        return None, f"{quoted(raw)} is outside the UK ({low} to {high})"
    return value, None

