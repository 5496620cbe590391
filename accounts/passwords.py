"""Which passwords a new account may not have: short ones, and the common ones an attacker tries first.

The list (``common_passwords.txt``, shipped in this package) holds a few hundred of the most used
passwords; a password is also refused when it is one of them with digits or symbols around it or with
the usual letter-for-digit swaps, so that "Password1234!" goes the way of "password".
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIN_PASSWORD_LENGTH = 12
_LIST = Path(__file__).with_name("common_passwords.txt")
_AROUND = re.compile(r"^[\W\d_]+|[\W\d_]+$")  # digits and symbols put before or after a word
_SWAPS = (str.maketrans("@4310$5!7", "aaeiossit"), str.maketrans("@4310$5!7", "aaelosslt"))


@cache
def common_passwords() -> frozenset[str]:
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _variants(password: str) -> set[str]:
    lowered = password.lower()
    unswapped = {lowered.translate(swap) for swap in _SWAPS}
    return {lowered, *unswapped, _AROUND.sub("", lowered), *(_AROUND.sub("", word) for word in unswapped)}


def password_problem(password: str, username: str = "") -> str | None:
    """Why ``password`` may not be used (one line), or None when it may."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    if len(set(password.lower())) <= 2:
        return "that password repeats one or two characters: choose one that is harder to guess"
    if username and username.lower() in password.lower():
        return "a password may not contain the username"
    if _variants(password) & common_passwords():
        return "that password is one of the most commonly used ones: choose one that is harder to guess"
    return None
