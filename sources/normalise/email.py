"""Email addresses: trimmed, lower-cased, "mailto:" removed, then validated."""

from __future__ import annotations

import re

from sources.normalise.text import Cell, Parsed, as_text, is_blank, quoted

# Deliberately practical rather than RFC 5322 complete: ASCII local part without
# leading, trailing or doubled dots; a domain of valid labels with an alphabetic TLD.
_LOCAL = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_EMAIL = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})")
_ANGLE = re.compile(r"<([^<>]*)>")  # "Bob Smith <bob@example.com>" as Outlook copies it
_SEPARATORS = re.compile(r"[;,\n]")


def parse_email(raw: Cell) -> Parsed[str]:
    """Return the address in lower case, or None with a problem.

    A cell holding several addresses keeps the first valid one and reports the rest.
    """
    if is_blank(raw):
        return None, None
    text = as_text(raw)
    angled = _ANGLE.search(text)
    if angled:
        text = angled.group(1)
    candidates = [_tidy(c) for part in _SEPARATORS.split(text) for c in _candidates(part)]
    valid = [c for c in candidates if _EMAIL.fullmatch(c)]
    if not valid:
        return None, f"{quoted(raw)} is not an email address"
    if len(candidates) > 1:
        return valid[0], f"{quoted(raw)} holds more than one address; kept the first valid one"
    return valid[0], None


def _candidates(part: str) -> list[str]:
    """Addresses in one separated part: "a@x.com (work)" is one, "bob smith@x.com" is broken."""
    words = part.split()
    with_at = [w for w in words if "@" in w]
    if not with_at:
        return []  # a remark such as "(work)" on its own
    if len(with_at) == len(words):
        return words  # addresses separated by spaces only
    if "@" in words[0] and len(with_at) == 1:
        return [words[0]]  # an address followed by a remark
    return [part]


def _tidy(part: str) -> str:
    part = part.strip().strip("'\"<>()[]").lower()
    if part.startswith("mailto:"):
        part = part[len("mailto:"):]
    return part.rstrip(".")
