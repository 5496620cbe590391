"""Person names: "First Last", "Title First Last", "First M. Last", "Last, First"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sources.normalise.text import Cell, Parsed, as_text, is_blank, quoted
from sources.normalise.titles import (
    TITLES,
    display_title,
    is_post_nominal,
    strip_post_nominals,
    strip_titles,
    title_key,
)

# Surname prefixes: a middle word in this set belongs to the surname ("van Gogh").
_SURNAME_PREFIXES = frozenset({
    "van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "la", "le",
    "dos", "das", "ter", "ten", "bin", "st", "st.",
})
_LOWER_PREFIXES = _SURNAME_PREFIXES - {"st", "st."}  # "St John" keeps its capital
_ASIDE = re.compile(r"\(([^)]*)\)|\"[^\"]*\"|“[^”]*”")  # "(Dr)", nicknames in quotes
_INITIALS = re.compile(r"(?:\w\.)+")
_PIECES = re.compile(r"([-'’])")


@dataclass(frozen=True)
class PersonName:
    """A parsed name; ``full_name`` is the display form without the title."""

    title: str | None
    first_name: str | None
    middle_name: str | None
    last_name: str | None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)


def parse_full_name(raw: Cell) -> Parsed[PersonName]:
    """Parse a one-cell name; None (and no problem) when there is no name at all."""
    if is_blank(raw):
        return None, None
    text = as_text(raw)
    if not _looks_like_name(text):
        return None, f"{quoted(raw)} is not a name"
    aside_title, text = _remove_asides(text)
    surname_part, given_part = _split_comma(text)
    if surname_part is not None:
        # "LAST, First M": each side keeps or gets its case on its own.
        titles, given = strip_titles(_words(given_part), _mixed(given_part))
        given = [w for w in given if not is_post_nominal(w)]
        if not _mixed(given_part):
            given = _tidy_words(given)
        first, middle = (given[0], given[1:]) if given else (None, [])
        last = _tidy_if_uniform(" ".join(strip_post_nominals(_words(surname_part))))
        return _build(titles, aside_title, first, middle, last), None
    uniform = not _mixed(text)
    titles, words = strip_titles(_words(text), not uniform)
    words = strip_post_nominals(words)
    if uniform:
        words = _tidy_words(words)
    if not words or (len(words) == 1 and title_key(words[0]) in TITLES and not titles):
        return None, None  # nothing, or only a title such as "Dr"
    if len(words) == 1:
        return _build(titles, aside_title, None, [], words[0]), None
    first, middle, last = words[0], words[1:-1], words[-1]
    while middle and middle[-1].lower() in _SURNAME_PREFIXES:
        last = f"{middle.pop()} {last}"
    return _build(titles, aside_title, first, middle, last), None


def parse_name_parts(title: Cell, first: Cell, last: Cell) -> tuple[PersonName | None, list[str]]:
    """Build a name from separate title / first name / last name cells.

    Returns the name (None when both names are blank) and "field: problem" texts.
    A title typed into the first-name cell is moved out; extra given names become
    the middle name so "John P" matches "John P. Smith".
    """
    problems: list[str] = []
    given: list[str] = []
    titles: list[str] = []
    if not is_blank(first):
        text = as_text(first)
        if _looks_like_name(text):
            titles, given = strip_titles(_words(text), _mixed(text))
            if not _mixed(text):
                given = _tidy_words(given)
        else:
            problems.append(f"first_name: {quoted(first)} is not a name")
    surname = None
    if not is_blank(last):
        text = as_text(last)
        if _looks_like_name(text):
            surname = _tidy_if_uniform(" ".join(strip_post_nominals(_words(text)))) or None
        else:
            problems.append(f"last_name: {quoted(last)} is not a name")
    if not given and not surname:
        return None, problems
    title_text = parse_title(title)
    first_name, middle = (given[0], given[1:]) if given else (None, [])
    # An explicit title cell wins over a title found in the first-name cell.
    return _build([] if title_text else titles, title_text, first_name, middle, surname), problems


def parse_title(raw: Cell) -> str | None:
    """A title cell in its house form ("DR." -> "Dr"); unknown titles are kept as written."""
    return None if is_blank(raw) else display_title(_tidy_if_uniform(as_text(raw)))


def tidy_case(text: str) -> str:
    """Capitalise each part of a name: "o'neill" -> "O'Neill", "mcdonald" -> "McDonald"."""
    return " ".join(_tidy_words(text.split()))


def _build(
    titles: list[str], extra_title: str | None, first: str | None, middle: list[str], last: str | None
) -> PersonName:
    title = " ".join(titles) or extra_title
    middle_name = " ".join(_undot(w) for w in middle) or None
    return PersonName(title or None, _undot(first) if first else None, middle_name, last or None)


def _looks_like_name(text: str) -> bool:
    # An email or a phone number pasted into the name column is not a name.
    return "@" not in text and any(c.isalpha() for c in text)


def _remove_asides(text: str) -> tuple[str | None, str]:
    """Drop bracketed or quoted asides, keeping a bracketed title such as "(Dr)"."""
    title = None
    for match in _ASIDE.finditer(text):
        inner = match.group(1)
        if inner and title_key(inner) in TITLES:
            title = display_title(inner)
    return title, " ".join(_ASIDE.sub(" ", text).split())


def _split_comma(text: str) -> tuple[str | None, str]:
    """("Last", "First M") for "Last, First M"; (None, text) when the comma only adds honours."""
    if "," not in text:
        return None, text
    surname, given = (part.strip() for part in text.split(",", 1))
    given_words = _words(given)
    if not surname or all(is_post_nominal(w) for w in given_words):
        return None, surname or given
    return surname, given


def _words(text: str) -> list[str]:
    return text.replace(",", " ").split()


def _mixed(text: str) -> bool:
    """True when the writer chose the case (neither all capitals nor all lower case)."""
    return not (text.isupper() or text.islower())


def _tidy_if_uniform(text: str) -> str:
    return text if _mixed(text) else tidy_case(text)


def _tidy_words(words: list[str]) -> list[str]:
    return [
        word.lower() if index and word.lower() in _LOWER_PREFIXES else _capitalise(word)
        for index, word in enumerate(words)
    ]


def _capitalise(word: str) -> str:
    pieces = _PIECES.split(word)
    return "".join(p if _PIECES.fullmatch(p) else _capitalise_piece(p) for p in pieces)


def _capitalise_piece(piece: str) -> str:
    lower = piece.lower()
    if lower.startswith("mc") and len(lower) > 2:
        return "Mc" + lower[2].upper() + lower[3:]
    return lower[:1].upper() + lower[1:]


def _undot(word: str) -> str:
    """Initials lose their dots ("M." -> "M") so "John M. Smith" equals "John M Smith"."""
    return word.replace(".", "") if _INITIALS.fullmatch(word) else word
