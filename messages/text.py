"""A message's words: placeholders filled per recipient, SMS length in segments, durations.

Placeholders are ``{first_name}``, ``{name}``, ``{organisation}``, ``{area}``, ``{next_update}`` and
``{reference}``; any other ``{word}`` is an error before anything is sent, never a literal brace in a
text message.
"""

from __future__ import annotations

import datetime as dt
import re
import string

from kernel.errors import UsageError

PLACEHOLDERS = ("first_name", "name", "organisation", "area", "next_update", "reference")
# GSM 03.38: the characters an SMS carries in 7 bits; the extension table's count twice
_GSM_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
_GSM_EXTENDED = set("^{}\\[~]|€\f")
_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?)\s*$", re.IGNORECASE)


class TemplateError(UsageError):
    """A body that names a placeholder nobody can fill, or that the force's SMS limit cannot carry."""


def placeholders(body: str) -> list[str]:
    """The placeholders a body names, in order; TemplateError for a malformed brace or an unknown name."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(body) if name is not None]
    except ValueError as error:
        raise TemplateError(f"the body has a stray brace ({error}); write {{{{ or }}}} for a literal one") from None
    unknown = sorted({n for n in names if n not in PLACEHOLDERS})
    if unknown:
        raise TemplateError(f"unknown placeholder(s) {', '.join('{' + n + '}' for n in unknown)}: "
                            f"use {', '.join('{' + n + '}' for n in PLACEHOLDERS)}")
    return names


def personalise(body: str, values: dict[str, str]) -> str:
    """The body with each placeholder filled ("" where the recipient has no value)."""
    return body.format_map({name: values.get(name) or "" for name in PLACEHOLDERS})


def sms_segments(text: str) -> tuple[int, int, str]:
    """(characters, segments, encoding) of an SMS: GSM-7 takes 160 characters, or 153 a segment when it
    needs more than one; any other character makes it UCS-2: 70, or 67 a segment."""
    if all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text):
        length = sum(2 if c in _GSM_EXTENDED else 1 for c in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        length = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
        single, multi, encoding = 70, 67, "UCS-2"
    segments = 1 if length <= single else -(-length // multi)
    return length, segments, encoding


def check_sms(body: str, max_segments: int) -> None:
    """TemplateError when the body, before personalisation, needs more segments than the force allows."""
    length, segments, encoding = sms_segments(body)
    if segments > max_segments:
        raise TemplateError(f"the SMS is {length} characters ({encoding}): {segments} segments, more than the "
                            f"{max_segments} allowed (STAKEHOLDERS_SMS_MAX_SEGMENTS)")


def parse_duration(text: str) -> dt.timedelta:
    """``30m``, ``2h``, ``1d`` (and their words) as a time span; UsageError for anything else."""
    found = _DURATION.match(text)
    if not found or int(found[1]) == 0:
        raise UsageError(f"{text!r} is not a duration: give minutes, hours or days, like 30m, 2h or 1d")
    unit = found[2][0].lower()
    return dt.timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[unit]: int(found[1])})
