"""Email addresses: trimmed, lower-cased, "mailto:" removed, then validated."""

from __future__ import annotations

import re
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from sources.normalise.text import Cell, Parsed, as_text, is_blank, quoted

_ANGLE = re.compile(r"<([^<>]*)>")  # "Bob Smith <bob@example.com>" as Outlook copies it
_SEPARATORS = re.compile(r"[;,\n]")
# Every top-level domain is letters, or an internationalised one in its ASCII form; "example.c" and
# "example.c0m" are typos that the syntax alone allows.
_TOP_LEVEL_DOMAIN = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")
# Enough for every distinct address in a large sync: validating is slow per call, and an address
# recurs across sources and rows.
_CACHE_SIZE = 1 << 17


@lru_cache(maxsize=_CACHE_SIZE)
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
    valid = [address for address in map(_address, candidates) if address]
    if not valid:
        return None, f"{quoted(raw)} is not an email address"
    if len(candidates) > 1:
        return valid[0], f"{quoted(raw)} holds more than one address; kept the first valid one"
    return valid[0], None


@lru_cache(maxsize=_CACHE_SIZE)
def _address(candidate: str) -> str | None:
    """The address as we store it, or None when it is not one.

    The syntax is email-validator's, without DNS lookups (a sync must not depend on the network).
    Only addresses every mail system can deliver to: the part before the "@" in ASCII (no SMTPUTF8),
    an internationalised domain in its ASCII form, which both spellings of it share.
    """
    try:
        checked = validate_email(candidate, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return None
    if not _TOP_LEVEL_DOMAIN.fullmatch(checked.ascii_domain.rsplit(".", 1)[-1]):
        return None
    return checked.ascii_email


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
