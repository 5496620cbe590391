"""String keys used for comparing names: folded to plain lower-case letters."""

from __future__ import annotations

import re
import unicodedata

_NON_LETTERS = re.compile(r"[^a-z]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(value: object) -> str:
    """Lower-case ASCII with diacritics removed ("Zoë" -> "zoe"); "" for missing values."""
    if not isinstance(value, str) or not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def name_key(value: object) -> str:
    """Letters only, so "O'Neill", "ONeill" and "O Neill" compare equal."""
    return _NON_LETTERS.sub("", fold(value))


def word_key(value: object) -> str:
    """Words of letters and digits separated by single spaces."""
    return _NON_WORD.sub(" ", fold(value)).strip()
