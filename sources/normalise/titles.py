"""Honorifics, ranks and post-nominal letters that are not part of a person's name."""

from __future__ import annotations

# Keys are lower case without dots; values are how the title is displayed.
TITLES = {
    "mr": "Mr", "mrs": "Mrs", "ms": "Ms", "miss": "Miss", "mx": "Mx",
    "dr": "Dr", "doctor": "Dr", "prof": "Prof", "professor": "Prof",
    "sir": "Sir", "dame": "Dame", "lord": "Lord", "lady": "Lady",
    "baron": "Baron", "baroness": "Baroness", "hon": "Hon", "the hon": "Hon",
    "rt hon": "Rt Hon", "the rt hon": "Rt Hon", "right hon": "Rt Hon",
    "rev": "Rev", "revd": "Rev", "reverend": "Rev", "the rev": "Rev", "the revd": "Rev",
    "fr": "Fr", "father": "Fr", "rabbi": "Rabbi", "imam": "Imam",
    "cllr": "Cllr", "councillor": "Cllr",
    "pc": "PC", "dc": "DC", "ps": "PS", "ds": "DS", "di": "DI", "dci": "DCI",
    "dsi": "DSI", "dcs": "DCS", "det": "Det", "detective": "Det",
    "sgt": "Sgt", "sergeant": "Sgt", "det sgt": "Det Sgt", "det con": "DC",
    "insp": "Insp", "inspector": "Insp", "det insp": "Det Insp",
    "ch insp": "Ch Insp", "chief insp": "Ch Insp", "chief inspector": "Ch Insp",
    "det ch insp": "Det Ch Insp",
    "supt": "Supt", "superintendent": "Supt", "det supt": "Det Supt",
    "ch supt": "Ch Supt", "chief supt": "Ch Supt", "chief superintendent": "Ch Supt",
    "det ch supt": "Det Ch Supt",
    "cmdr": "Cmdr", "commander": "Cmdr", "cdr": "Cmdr",
    "capt": "Capt", "captain": "Capt", "major": "Major", "maj": "Major",
    "col": "Col", "colonel": "Col", "lt": "Lt", "lieutenant": "Lt",
}
# Titles that are also given names or surnames ("Di Smith", "John Major"): only a title
# when written in capitals inside a mixed-case name, or when two name words follow.
AMBIGUOUS = frozenset({"di", "ds", "dc", "pc", "ps", "major", "lord", "lady"})
_LONGEST = max(len(key.split()) for key in TITLES)

POST_NOMINALS = frozenset({
    "obe", "mbe", "cbe", "kbe", "dbe", "bem", "qpm", "kpm", "qfsm",
    "jp", "mp", "qc", "kc", "dl", "phd",
})


def title_key(text: str) -> str:
    return " ".join(text.lower().replace(".", " ").split())


def display_title(text: str) -> str:
    """The house form of a title ("DR." -> "Dr"); unknown titles are kept as written."""
    return TITLES.get(title_key(text), text.strip())


def strip_titles(tokens: list[str], mixed_case: bool) -> tuple[list[str], list[str]]:
    """Split leading titles off name tokens: (titles as displayed, remaining tokens)."""
    titles: list[str] = []
    rest = list(tokens)
    while rest:
        found = _leading_title(rest, mixed_case)
        if found == 0:
            break
        titles.append(TITLES[title_key(" ".join(rest[:found]))])
        rest = rest[found:]
    return titles, rest


def is_post_nominal(word: str) -> bool:
    return title_key(word).replace(" ", "") in POST_NOMINALS


def strip_post_nominals(tokens: list[str]) -> list[str]:
    """Drop honours such as OBE or QPM from the end, always keeping one token."""
    rest = list(tokens)
    while len(rest) > 1 and is_post_nominal(rest[-1]):
        rest.pop()
    return rest


def _leading_title(tokens: list[str], mixed_case: bool) -> int:
    """How many tokens the leading title spans (0 when none), keeping a name behind it."""
    for size in range(min(_LONGEST, len(tokens) - 1), 0, -1):
        key = title_key(" ".join(tokens[:size]))
        if key not in TITLES:
            continue
        remaining = len(tokens) - size
        if key in AMBIGUOUS and remaining < 2 and not (mixed_case and tokens[0].isupper()):
            continue
        return size
    return 0
