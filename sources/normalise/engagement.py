"""Vocabularies of the engagement record (data contract section 8): engagement types, survey scores,
and the names of groups, sectors and hubs, which match case- and spacing-insensitively."""

from __future__ import annotations

import re
from datetime import date

from sources.normalise.dates import parse_date
from sources.normalise.text import Cell, Parsed, as_text, is_blank, quoted

ENGAGEMENT_TYPES = ("meeting", "call", "briefing", "visit", "email", "newsletter", "event", "other")
_TYPE_SYNONYMS = {
    "phone call": "call", "telephone": "call", "phone": "call", "teams call": "call", "video call": "call",
    "meet": "meeting", "face to face": "meeting", "f2f": "meeting", "presentation": "briefing",
    "site visit": "visit", "patrol visit": "visit", "e-mail": "email", "mail": "email",
    "bulletin": "newsletter", "seminar": "event", "conference": "event", "workshop": "event",
}
SCORE_WORDS = {"very dissatisfied": 1, "dissatisfied": 2, "neutral": 3, "satisfied": 4, "very satisfied": 5}
_SPACES = re.compile(r"\s+")


def parse_engagement_type(raw: Cell) -> Parsed[str]:
    """One of ENGAGEMENT_TYPES; blank is "other"; an unknown word is "other" with a problem."""
    if is_blank(raw):
        return "other", None
    text = _SPACES.sub(" ", as_text(raw).lower())
    if text in ENGAGEMENT_TYPES:
        return text, None
    if text.rstrip("s") in ENGAGEMENT_TYPES:  # "meetings", "calls"
        return text.rstrip("s"), None
    if text in _TYPE_SYNONYMS:
        return _TYPE_SYNONYMS[text], None
    return "other", f"{quoted(raw)} is not an engagement type ({', '.join(ENGAGEMENT_TYPES)}); kept as other"


def parse_score(raw: Cell) -> Parsed[int]:
    """A satisfaction score 1..5 (5 best), from the number or the words of the contract."""
    if is_blank(raw):
        return None, None
    text = _SPACES.sub(" ", as_text(raw).lower())
    if text in SCORE_WORDS:
        return SCORE_WORDS[text], None
    try:
        number = float(text)
    except ValueError:
        return None, f"{quoted(raw)} is not a score (1 to 5, or {', '.join(SCORE_WORDS)})"
    if number != int(number) or not 1 <= number <= 5:
        return None, f"{quoted(raw)} is out of range (scores run from 1 to 5, 5 best)"
    return int(number), None


def parse_past_date(raw: Cell, today: date | None = None) -> Parsed[date]:
    """A date that has happened: an engagement or a response dated after today is a typo."""
    value, problem = parse_date(raw, today)
    if value is not None and value > (today or date.today()):
        return None, f"{quoted(raw)} is in the future (after {(today or date.today()).isoformat()})"
    return value, problem


def name_key(name: str | None) -> str:
    """The key a group, sector or hub name matches on: lower case, spaces collapsed."""
    return _SPACES.sub(" ", name or "").strip().lower()
