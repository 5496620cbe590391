"""UK phone numbers: any common format in, E.164 ("+442076012222") out.

Google's libphonenumber (the ``phonenumbers`` package) decides which numbers are real UK numbers and
which are mobiles; around it we undo what spreadsheets do to numbers (labels, extensions, a leading 0
lost when a number was typed into Excel as a number, a ".0" left by a float).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberType

from sources.normalise.text import Cell, Parsed, as_text, is_blank, quoted

_UK = 44
_LABEL = re.compile(r"^[^\d+]*")  # "Tel:", "M -", "Mobile:" before the number
# The number ends where text starts: "ext 123", "x123", "#2", "(switchboard)".
_NUMBER_PART = re.compile(r"^[\d\s+()\-./]*")
_TRUNK_ZERO = re.compile(r"\(0\)")
_UK_DIGITS = re.compile(r"\+440?([1-9]\d{0,14})")  # "+44 020 ..." has a trunk 0 it should not have
_FLOAT = re.compile(r"(\d+)\.0+")  # "7700900123.0": the number went through a float
# Ofcom keeps these ranges of a thousand numbers for drama and examples, never to be allocated, so
# libphonenumber does not know them; our sample and synthetic data use them. Prefix -> mobile?
_DRAMA_RANGES = {"+447700900": True, "+441632960": False}
# Enough for every distinct number in a large sync: the library is slow per call, and a number
# recurs across sources and rows in many spellings.
_CACHE_SIZE = 1 << 17


@lru_cache(maxsize=_CACHE_SIZE)
def parse_phone(raw: Cell) -> Parsed[str]:
    """Return a UK number in E.164 form, or None with a problem.

    Extensions and labels are dropped. Ten digits starting 1, 2, 3 or 7 are taken to
    have lost their leading 0 (a phone number typed into Excel as a number), and a trailing
    ".0" to be left by a float. The number must be in a range allocated for use (as libphonenumber
    records Ofcom's plan) or in one of Ofcom's drama ranges.
    """
    if is_blank(raw):
        return None, None
    text = _LABEL.sub("", as_text(raw))
    text = _TRUNK_ZERO.sub("", text)
    number = _NUMBER_PART.match(text).group(0).strip()
    whole = _FLOAT.fullmatch(number)
    if whole:
        number = whole.group(1)
    # A bracketed remark "(mobile)" leaves an opening bracket behind; only digits matter now.
    digits = re.sub(r"\D", "", number)
    dialable = _dialable(digits, international=number.startswith("+"))
    uk_number = _uk_number(dialable) if dialable else None
    if uk_number is None:
        return None, f"{quoted(raw)} is not a UK phone number"
    return uk_number.e164, None


def is_mobile(e164: str) -> bool:
    """True for UK mobile numbers (07...), excluding 070 personal and 076 pager numbers."""
    uk_number = _uk_number(e164)
    return uk_number is not None and uk_number.mobile


class _UKNumber(NamedTuple):
    """A valid UK number: its E.164 form and whether it is a mobile."""

    e164: str
    mobile: bool


def _dialable(digits: str, international: bool) -> str | None:
    """The digits as the library is to read them, UK numbers as +44; None for digits of no known shape.

    Every spelling of one UK number comes out the same (the E.164 form), so each is looked up once.
    """
    if international or digits.startswith("00"):
        return "+" + digits.removeprefix("00")
    if digits.startswith("0"):
        return "+44" + digits[1:]  # the UK's trunk prefix
    if len(digits) == 12 and digits.startswith("44"):
        return "+" + digits
    if len(digits) == 10 and digits[0] in "1237":
        return "+44" + digits  # a number typed into Excel as a number: the 0 was lost
    return None


@lru_cache(maxsize=_CACHE_SIZE)
def _uk_number(text: str) -> _UKNumber | None:
    """``text`` parsed with the UK as its region, or None unless it is a valid +44 number."""
    uk_digits = _UK_DIGITS.fullmatch(text)
    if uk_digits:  # already split into country code and national number: spare the parser
        parsed = PhoneNumber(country_code=_UK, national_number=int(uk_digits.group(1)))
    else:
        try:
            parsed = phonenumbers.parse(text, "GB")
        except NumberParseException:
            return None
    if parsed.country_code != _UK:
        return None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    drama_mobile = next((mobile for prefix, mobile in _DRAMA_RANGES.items()
                         if e164.startswith(prefix) and len(e164) == len(prefix) + 3), None)
    if drama_mobile is not None:
        return _UKNumber(e164, drama_mobile)
    # One type lookup answers both questions: a number of no known type is not a valid number.
    kind = phonenumbers.number_type(parsed)
    if kind == PhoneNumberType.UNKNOWN:
        return None
    return _UKNumber(e164, kind == PhoneNumberType.MOBILE)
