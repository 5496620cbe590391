"""Stable identifiers with lineage: an ID stays with its records from run to run.

Each previous ID goes to the cluster holding the largest share of its records
(records it absorbed in a merge, and records a steward took out of it, count
only after its own). A cluster that
receives several IDs keeps the oldest (first minted) and the others are recorded
as merged into it. A cluster that receives none takes back an ID its records had
before a merge or a retirement (so undoing a steward's match restores the old
IDs), or else a new ID, recorded as split from the IDs its records had. An ID
whose records are all gone is retired. A retired or merged ID is never handed to
other records. New IDs are random (``secrets``): an ID says nothing about the
records behind it and cannot be guessed from them, so knowing a person's
source reference never yields their contact ID. Stability comes from the
identity registry, which keeps every ID handed out; a sync journals the IDs it
minted before it loads them, so a killed sync finishes with the same IDs.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field

# Kinds of identity event, in the order a run records them.
EVENT_KINDS = ("registered", "minted", "split", "restored", "merged", "retired")


@dataclass(frozen=True)
class KnownId:
    """An ID from the identity registry: its age, and the records it last had once out of use."""

    seq: int  # order of minting: lower is older
    status: str = "active"  # active | merged | retired
    former_refs: tuple[str, ...] = ()
    ended_at: str = ""  # when it stopped being used (ISO datetime)


@dataclass(frozen=True)
class IdentityEvent:
    """What happened to one ID in a run.

    registered: in use before lineage was kept; minted: new records; split: new ID for records
    that had ``related_ids``; restored: an old ID given back to records that had ``related_ids``;
    merged: absorbed into ``related_ids[0]``; retired: none of its records is left. ``refs`` are
    the records the ID has (or, for merged and retired, had).
    """

    kind: str
    entity_id: str
    related_ids: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()


@dataclass
class Assignment:
    ids: list[str]
    events: list[IdentityEvent] = field(default_factory=list)


ID_HEX_DIGITS = 16  # 64 random bits


def mint_id(prefix: str, taken: Set[str]) -> str:
    """A new random ID (``PREFIX-`` and 16 upper-case hex digits) that is not in ``taken``."""
    while True:
        candidate = f"{prefix}-{secrets.token_hex(ID_HEX_DIGITS // 2).upper()}"
        if candidate not in taken:
            return candidate


def _age(known: Mapping[str, KnownId], entity_id: str) -> tuple[int, str]:
    # an ID missing from the registry was in use before lineage was kept: older than any registered one
    entry = known.get(entity_id)
    return (entry.seq if entry else -1), entity_id


def _former_ids(known: Mapping[str, KnownId], prefix: str) -> dict[str, str]:
    """ref -> the out-of-use ID it last belonged to (the most recently ended, when several)."""
    former: dict[str, str] = {}
    dead = [(k.ended_at, i) for i, k in known.items() if k.status != "active" and i.startswith(f"{prefix}-")]
    for _, entity_id in sorted(dead):
        for ref in known[entity_id].former_refs:
            former[ref] = entity_id
    return former


def assign_ids(clusters: Sequence[Sequence[str]], previous: Mapping[str, str], prefix: str,
               known: Mapping[str, KnownId] | None = None, detached: Set[str] = frozenset()) -> Assignment:
    """One ID per cluster of record references, and the lineage events of this run.

    ``previous``: ref -> ID after the last run; ``known``: the identity registry (ID -> KnownId);
    ``detached``: records a steward moved out of their contact, which should not take its ID along.
    """
    known = known or {}
    former = _former_ids(known, prefix)
    held: dict[str, list[str]] = {}
    for ref, old_id in previous.items():
        held.setdefault(old_id, []).append(ref)

    # each previous ID goes to the cluster with the largest share of its own records
    shares: dict[str, dict[int, list[int]]] = {}
    for position, refs in enumerate(clusters):
        for ref in refs:
            old_id = previous.get(ref)
            if old_id is not None:
                share = shares.setdefault(old_id, {}).setdefault(position, [0, 0])
                share[0] += ref not in former and ref not in detached
                share[1] += 1
    heir_ids: dict[int, list[str]] = {}
    for old_id, by_position in shares.items():
        heir = min(by_position, key=lambda p: (-by_position[p][0], -by_position[p][1], min(clusters[p])))
        heir_ids.setdefault(heir, []).append(old_id)

    ids: list[str | None] = [None] * len(clusters)
    events: list[IdentityEvent] = []
    for position in sorted(heir_ids):
        survivor, *absorbed = sorted(heir_ids[position], key=lambda i: _age(known, i))
        ids[position] = survivor
        if survivor not in known:
            events.append(IdentityEvent("registered", survivor, (), tuple(sorted(clusters[position]))))
        events.extend(IdentityEvent("merged", old_id, (survivor,), tuple(sorted(held[old_id])))
                      for old_id in absorbed)

    in_use = set(previous.values())
    restorable = {i for i, k in known.items() if k.status != "active" and i not in in_use}
    claims = []
    for position, refs in enumerate(clusters):
        if ids[position] is None:
            counts = Counter(former[r] for r in refs if former.get(r) in restorable)
            claims.extend((-n, min(refs), old_id, position) for old_id, n in counts.items())
    restored: set[str] = set()
    for _, _, old_id, position in sorted(claims):
        if ids[position] is None and old_id not in restored:
            ids[position] = old_id
            restored.add(old_id)

    unavailable = in_use | set(known)
    for position, refs in enumerate(clusters):
        parents = tuple(sorted({previous[r] for r in refs if r in previous} - {ids[position]}))
        if ids[position] in restored:
            events.append(IdentityEvent("restored", ids[position], parents, tuple(sorted(refs))))
        elif ids[position] is None:
            ids[position] = mint_id(prefix, unavailable)
            unavailable.add(ids[position])
            events.append(IdentityEvent("split" if parents else "minted", ids[position], parents,
                                        tuple(sorted(refs))))
    # in the order of their records, not of the IDs (random): the same files give the same lineage
    events.extend(IdentityEvent("retired", old_id, (), tuple(sorted(held[old_id])))
                  for old_id in sorted(set(held) - set(shares), key=lambda i: (min(held[i]), i)))
    events.sort(key=lambda e: EVENT_KINDS.index(e.kind))
    return Assignment(ids=ids, events=events)  # type: ignore[arg-type]
