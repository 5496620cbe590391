"""Issue lists: split on ; , / | (and line breaks), each term mapped to the taxonomy."""

from __future__ import annotations

import re

from sources.normalise.text import Cell, as_text, is_blank, quoted

ISSUES = (
    "anti_social_behaviour", "crime", "protest", "terrorism", "security",
    "fraud", "cyber_crime", "road_closures", "public_events",
)

_TERMS = {
    "anti_social_behaviour": (
        "asb", "anti-social behaviour", "antisocial behaviour", "anti-social behavior",
    ),
    "crime": ("crime", "acquisitive crime"),
    "protest": ("protest", "protests", "demonstration", "demonstrations", "demo"),
    "terrorism": ("terrorism", "counter terrorism", "ct"),
    "security": ("security", "business security"),
    "fraud": ("fraud", "economic crime"),
    "cyber_crime": ("cyber", "cyber crime", "cybercrime"),
    "road_closures": ("roads", "road closures", "traffic"),
    "public_events": ("events", "public events"),
}


def _key(term: str) -> str:
    # Letters only, so spacing, hyphens and underscores never matter.
    return re.sub(r"[^a-z]", "", term.lower())


_LOOKUP = {_key(term): issue for issue, terms in _TERMS.items() for term in (issue, *terms)}
_SPLIT = re.compile(r"[;,/|\n]")


def parse_issues(raw: Cell) -> tuple[list[str], list[str]]:
    """Return (issues in first-seen order without repeats, problems for unknown terms)."""
    if is_blank(raw):
        return [], []
    found: list[str] = []
    problems: list[str] = []
    text = raw if isinstance(raw, str) else as_text(raw)  # a stray date cell is just text here
    for term in _SPLIT.split(text):
        if is_blank(term):
            continue
        issue = _LOOKUP.get(_key(term))
        if issue is None:
            problems.append(f"{quoted(term)} is not a known issue")
        elif issue not in found:
            found.append(issue)
    return found, problems
