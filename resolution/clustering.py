"""Turn scored pairs into people without chaining strangers together.

Pairs above the merge threshold are joined strongest first. A join resting on
anything less than a personal identifier (an e-mail address or mobile that is
not shared) is refused when the two groups would then hold records that cannot
be one person: two different organisations, two different personal mobiles, or
wholly different names. Steward decisions (must-link, cannot-link) come first
and always win.

A row an organisation keeps itself (its staff list in the stakeholder portal: ``fenced``) joins, whatever
its evidence, only people the other records place in that organisation, or place nowhere: an e-mail
address of another organisation's person typed into a staff list must not bring that person's records
(and their channels) into the list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz.distance import JaroWinkler

from .features import PersonFeatures, first_names_compatible
from .union_find import UnionFind


@dataclass
class _Group:
    organisations: set[int] = field(default_factory=set)
    mobiles: set[str] = field(default_factory=set)
    names: set[tuple[str, str]] = field(default_factory=set)
    members: set[int] = field(default_factory=set)
    affiliations: set[int] = field(default_factory=set)  # the occupiers of premises a keyholder row names
    fenced: set[int] = field(default_factory=set)  # the organisations of its fenced rows

    def absorb(self, other: _Group) -> None:
        self.organisations |= other.organisations
        self.affiliations |= other.affiliations
        self.fenced |= other.fenced
        self.mobiles |= other.mobiles
        self.names |= other.names
        self.members |= other.members


def _conflict(a: _Group, b: _Group) -> bool:
    if a.organisations and b.organisations and not (a.organisations & b.organisations):
        return True
    if a.mobiles and b.mobiles and not (a.mobiles & b.mobiles):
        return True
    return any(_different_people(fa, la, fb, lb) for fa, la in a.names for fb, lb in b.names)


def _fenced_off(a: _Group, b: _Group) -> bool:
    return _outside(a, b) or _outside(b, a)


def _outside(fenced: _Group, other: _Group) -> bool:
    """True when ``other`` is placed (by its contact rows, else by its keyholder rows) only in organisations
    none of ``fenced``'s own rows are of."""
    places = other.organisations or other.affiliations
    return bool(fenced.fenced and places) and not (fenced.fenced & places)


def _different_people(first_a: str, last_a: str, first_b: str, last_b: str) -> bool:
    # Both parts must disagree: a typo'd surname with the same given name is still one person.
    if not (last_a and last_b) or JaroWinkler.normalized_similarity(last_a, last_b) >= 0.75:
        return False
    return not first_names_compatible(first_a, first_b)


def cluster_people(features: PersonFeatures, scored: pd.DataFrame, merge_threshold: float,
                   must_link: Iterable[tuple[int, int]] = (),
                   cannot_link: Iterable[tuple[int, int]] = (), fenced: np.ndarray | None = None) -> np.ndarray:
    """Cluster label (the smallest member position) for every record. ``fenced``: True for a row that an
    organisation keeps itself (it joins only people the other rows place in it, or nowhere; a steward's
    must-link still joins it)."""
    n = len(features.first)
    sets = UnionFind(n)
    fenced = np.zeros(n, dtype=bool) if fenced is None else fenced

    def organisation(i: int) -> set[int]:
        return {int(features.organisation[i])} if features.organisation[i] >= 0 else set()

    groups = {
        i: _Group(
            organisations=organisation(i),
            mobiles={features.mobile[i]} if features.mobile[i] and not features.mobile_shared[i] else set(),
            names={(features.first[i], features.last[i])},
            members={i},
            affiliations={int(features.affiliation[i])} if features.affiliation[i] >= 0 else set(),
            fenced=organisation(i) if fenced[i] else set(),
        )
        for i in range(n)
    }
    apart: dict[int, set[int]] = {}
    for a, b in cannot_link:
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)

    def kept_apart(ra: int, rb: int) -> bool:
        small, big = sorted((groups[ra], groups[rb]), key=lambda g: len(g.members))
        return any(apart.get(m, set()) & big.members for m in small.members)

    def join(a: int, b: int, check: bool, decided: bool = False) -> None:
        ra, rb = sets.find(a), sets.find(b)
        if ra == rb or kept_apart(ra, rb) or (check and _conflict(groups[ra], groups[rb])):
            return
        if not decided and _fenced_off(groups[ra], groups[rb]):
            return
        root = sets.union(ra, rb)
        other = rb if root == ra else ra
        groups[root].absorb(groups.pop(other))

    for a, b in must_link:
        join(a, b, check=False, decided=True)
    strong = scored[scored["score"] >= merge_threshold].sort_values(
        ["score", "i", "j"], ascending=[False, True, True], kind="stable")
    personal = ((strong["email_level"] == "exact") | (strong["mobile_level"] == "exact")).to_numpy()
    for a, b, identified in zip(strong["i"].to_numpy(), strong["j"].to_numpy(), personal, strict=True):
        join(int(a), int(b), check=not identified)
    return np.array([sets.find(i) for i in range(n)], dtype=np.int64)
