"""Named stakeholder groups (contract section 8, kind groups): the force's priority groups (CoLCPA,
the sister banks, the Police Committee) and the forums (CCTV owners, licensed premises, residents).

A row names either an organisation (every contact working for it is a member) or one person. A
person's row never names their organisation as well, so what a row makes a member is never in doubt.
Every row of a priority group says so, and no row of another group does, so a contact's
priority_stakeholder flag reads the same whether taken row by row or group by group.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from synthetic.dialects import Dialect
from synthetic.known_world import KnownWorld
from synthetic.mentions import Mention, identifiable, organisation_cells, person_cells
from synthetic.population import Organisation, Person, Population
from synthetic.record_reference import GROUP_SPELLINGS, GROUPS
from synthetic.record_tables import RecordRow, RecordTable, lay_out_records
from synthetic.reference import KINDS_WITH_PREMISES

MAX_ORGANISATIONS = 15
# Groups kept in the forums' list; the others are in the priority groups' workbook.
FORUMS = ("CCTV owners", "Licensed premises forum")


@dataclass(frozen=True)
class GroupRowTruth:
    """The group a row puts someone in, and whom (a person, or an organisation's staff)."""

    group: str  # canonical name
    priority_stakeholder: bool
    mention: Mention


@dataclass
class _Members:
    organisations: list[Organisation]
    people: list[Person]


def _sample(rng: random.Random, items: list, share: float, cap: int) -> list:
    if not items:
        return []
    return rng.sample(items, min(cap, len(items), max(1, round(share * len(items)))))


def _members(rng: random.Random, who: str, world: KnownWorld, population: Population, dialect: Dialect) -> _Members:
    """Who belongs to a group of kind ``who`` (record_reference.GROUPS)."""
    orgs = world.organisations
    people = [p for p in world.people if identifiable(world, dialect, p)]
    by_kind = {kind: [o for o in orgs if o.kind == kind] for kind in {o.kind for o in orgs}}
    if who == "crime_prevention":
        eligible = [o for o in orgs if o.kind in (*KINDS_WITH_PREMISES, "security")]
        members = _sample(rng, eligible, 0.3, MAX_ORGANISATIONS)
        loners = [p for p in people if p.category in ("business", "other") and p.organisation not in members]
        return _Members(members, _sample(rng, loners, 0.02, 2))
    if who == "banks":  # the sister banks are the banks; a City without banks has only insurers to ask
        banks = by_kind.get("bank") or by_kind.get("insurer") or [o for o in orgs if o.category == "business"]
        return _Members(banks[:MAX_ORGANISATIONS], [])
    if who == "police_committee":
        corporation = [p for p in people if p.organisation is not None
                       and p.organisation.name == "City of London Corporation"]
        others = [p for p in people if p.category in ("partner_agency", "police") and p not in corporation]
        chosen = _sample(rng, corporation, 0.5, 6) + _sample(rng, others, 0.05, 2)
        return _Members([], chosen or _sample(rng, people, 0.02, 3))
    if who == "cctv":
        occupiers = {place.occupier.organisation_id for place in population.premises}
        return _Members(_sample(rng, [o for o in orgs if o.organisation_id in occupiers], 0.5, MAX_ORGANISATIONS),
                        _sample(rng, [p for p in people if p.organisation is not None
                                      and p.organisation.kind == "security"], 0.2, 2))
    if who == "licensed":
        venues = [o for o in orgs if o.kind in ("pub", "restaurant", "hotel")]
        licensees = [p for p in people if p.job_title in ("Licensee", "Landlord", "General Manager")]
        return _Members(venues[:MAX_ORGANISATIONS], _sample(rng, licensees, 0.5, 3))
    associations = [o for o in orgs if o.kind == "charity" and "Residents" in o.name]
    residents = [p for p in people if p.category == "resident"]
    return _Members(associations, _sample(rng, residents, 0.1, 5))


def _row(rng: random.Random, dialect: Dialect, world: KnownWorld, group: str, priority: bool,
         member: Organisation | Person) -> RecordRow[GroupRowTruth]:
    if isinstance(member, Organisation):
        cells, mention = organisation_cells(rng, member)
    else:
        cells, mention = person_cells(rng, dialect, world, member, organisation_rate=0)
    cells["group"] = rng.choice(GROUP_SPELLINGS.get(group, (group,)))
    # A priority group says so on every row; another group says no, or leaves it blank.
    cells["priority_stakeholder"] = dialect.yes_no(rng, True if priority else (False if rng.random() < 0.5 else None))
    return RecordRow(cells, GroupRowTruth(group, priority, mention))


def group_tables(rng: random.Random, world: KnownWorld, population: Population,
                 dialects: tuple[Dialect, Dialect]) -> list[RecordTable[GroupRowTruth]]:
    """The priority groups' workbook and the forums' list, each group's rows together."""
    workbook, forums = dialects
    rows: dict[str, list[RecordRow[GroupRowTruth]]] = {workbook.source: [], forums.source: []}
    for group, priority, who in GROUPS:
        dialect = forums if group in FORUMS else workbook
        members = _members(rng, who, world, population, dialect)
        listed: list[Organisation | Person] = [*members.organisations, *members.people]
        if not listed and priority:  # a tiny City still has the groups the force names
            listed = [rng.choice(world.organisations)]
        rng.shuffle(listed)
        rows[dialect.source] += [_row(rng, dialect, world, group, priority, m) for m in listed]
    return [lay_out_records(rng, d, rows[d.source]) for d in dialects]
