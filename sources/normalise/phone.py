"""UK phone numbers: any common format in, E.164 ("+442076012222") out."""

from __future__ import annotations

import re

from sources.normalise.text import Cell, Parsed, as_text, is_blank, quoted

_LABEL = re.compile(r"^[^\d+]*")  # "Tel:", "M -", "Mobile:" before the number
# The number ends where text starts: "ext 123", "x123", "#2", "(switchboard)".
_NUMBER_PART = re.compile(r"^[\d\s+()\-./]*")
_TRUNK_ZERO = re.compile(r"\(0\)")


def parse_phone(raw: Cell) -> Parsed[str]:
    """Return a UK number in E.164 form, or None with a problem.

    Extensions and labels are dropped. Ten digits starting 1, 2, 3 or 7 are taken to
    have lost their leading 0 (a phone number typed into Excel as a number).
    """
    if is_blank(raw):
        return None, None
    text = _LABEL.sub("", as_text(raw))
    text = _TRUNK_ZERO.sub("", text)
    number = _NUMBER_PART.match(text).group(0)
    # A bracketed remark "(mobile)" leaves an opening bracket behind; only digits matter now.
    digits = re.sub(r"\D", "", number)
    national = _national_number(digits, international=number.strip().startswith("+"))
    if national is None or not _valid_national(national):
        return None, f"{quoted(raw)} is not a UK phone number"
    return "+44" + national, None


def is_mobile(e164: str) -> bool:
    """True for UK mobile numbers (07...), excluding 070 personal and 076 pager numbers."""
    national = e164.removeprefix("+44")
    if not national.startswith("7"):
        return False
    return not national.startswith(("70", "76")) or national.startswith("7624")


def _national_number(digits: str, international: bool) -> str | None:
    """The UK national significant number (no trunk 0), or None if not a UK number."""
    if international or digits.startswith("00"):
        digits = digits.removeprefix("00")
        if not digits.startswith("44"):
            return None
        return digits[2:].removeprefix("0")  # "+44 020..." written without the brackets
    if digits.startswith("0"):
        return digits[1:]
    if len(digits) == 12 and digits.startswith("44"):
        return digits[2:]
    if len(digits) == 10 and digits[0] in "1237":
        return digits
    return None


def _valid_national(national: str) -> bool:
    # 10 digits for almost all UK numbers; a few 01 areas and 0800 numbers have 9.
    if len(national) == 10:
        return national[0] in "1235789"
    return len(national) == 9 and national[0] in "18"
