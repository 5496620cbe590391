"""The CSSC model (contract section 8, kind sectors): every known organisation in one industry sector
and regional hub, and one or two industry sector leads (ISLs) per sector, with the odd deputy who is
listed but does not lead. Sector and hub names are sometimes written in another case or spacing
("finance ", "FINANCE"), which the contract says must still match.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from synthetic import noise
from synthetic.dialects import Dialect
from synthetic.known_world import KnownWorld
from synthetic.mentions import employer, own_email
from synthetic.population import Organisation, Person
from synthetic.record_reference import (
    CITY_HUB,
    HUB_OF_PUBLIC_BODY,
    LONDON_HUB,
    SECTOR_ALTERNATIVES,
    SECTOR_OF_CHARITY,
    SECTOR_OF_KIND,
    SECTOR_OF_PUBLIC_BODY,
)
from synthetic.record_tables import RecordRow, RecordTable, lay_out_records
from synthetic.rows import name_cells

SECTOR_SPELLING_RATE = 0.15
HUB_SPELLING_RATE = 0.10
LONDON_WIDE_RATE = 0.15  # City firms that joined through the London hub rather than the City's
DEPUTY_RATE = 0.3


@dataclass(frozen=True)
class SectorRowTruth:
    """The sector and hub a row puts an organisation in, and whether the person on it leads the sector."""

    organisation_id: str
    sector: str  # canonical name
    hub: str
    sector_lead: bool
    person_id: str  # "" on an organisation's own row


def sector_of(rng: random.Random, org: Organisation) -> str:
    """The industry sector an organisation of its kind belongs to."""
    if org.kind in SECTOR_OF_KIND:
        alternative, share = SECTOR_ALTERNATIVES.get(org.kind, ("", 0.0))
        return alternative if rng.random() < share else SECTOR_OF_KIND[org.kind]
    if org.kind == "charity":
        return next((sector for ending, sector in SECTOR_OF_CHARITY if ending in org.name), "Charities")
    return SECTOR_OF_PUBLIC_BODY.get(org.name, "Government")


def hub_of(rng: random.Random, org: Organisation) -> str:
    if org.name in HUB_OF_PUBLIC_BODY:
        return HUB_OF_PUBLIC_BODY[org.name]
    if org.kind in ("partner_agency", "police"):
        return LONDON_HUB
    return LONDON_HUB if rng.random() < LONDON_WIDE_RATE else CITY_HUB


def spelt(rng: random.Random, name: str, rate: float) -> str:
    """The name as typed, now and then in another case or with stray spaces."""
    if rng.random() >= rate:
        return name
    doubled = name.replace(" ", "  ", 1) if " " in name else f"{name}  "
    return rng.choice((name.lower(), name.upper(), f"{name} ", f" {name}", doubled, f"{name.lower()} "))


def _lead_candidates(rng: random.Random, world: KnownWorld, organisations: list[Organisation]) -> list[Person]:
    """Known people at the sector's organisations: those the graph knows work there and has the email of
    first, in random order."""
    members = set(map(id, organisations))
    people = [p for p in world.people if p.organisation is not None and id(p.organisation) in members]
    return sorted(people, key=lambda p: (employer(world, p) is None, not world.knows_email(p), rng.random()))


def _lead_row(rng: random.Random, dialect: Dialect, person: Person, sector: str, hubs: dict[str, str],
              leads: bool) -> RecordRow[SectorRowTruth]:
    org = person.organisation
    assert org is not None  # candidates all work somewhere
    cells = name_cells(rng, dialect, person)
    cells.update(sector=spelt(rng, sector, SECTOR_SPELLING_RATE), hub=spelt(rng, hubs[org.organisation_id],
                 HUB_SPELLING_RATE), organisation=noise.organisation(rng, org), email=own_email(rng, person),
                 sector_lead=dialect.yes_no(rng, leads))
    if person.mobile and rng.random() < 0.4:
        cells["mobile"] = noise.mobile(rng, person.mobile)
    return RecordRow(cells, SectorRowTruth(org.organisation_id, sector, hubs[org.organisation_id], leads,
                                           person.person_id))


def sector_tables(rng: random.Random, world: KnownWorld, dialects: tuple[Dialect, Dialect]
                  ) -> list[RecordTable[SectorRowTruth]]:
    """CSSC's members by sector, and the sector leads' list."""
    members_dialect, leads_dialect = dialects
    sectors = {o.organisation_id: sector_of(rng, o) for o in world.organisations}
    hubs = {o.organisation_id: hub_of(rng, o) for o in world.organisations}
    ordered = sorted(world.organisations, key=lambda o: (sectors[o.organisation_id], o.name))
    member_rows = []
    for org in ordered:
        sector, hub = sectors[org.organisation_id], hubs[org.organisation_id]
        cells = {"organisation": noise.organisation(rng, org), "sector": spelt(rng, sector, SECTOR_SPELLING_RATE),
                 "hub": spelt(rng, hub, HUB_SPELLING_RATE)}
        member_rows.append(RecordRow(cells, SectorRowTruth(org.organisation_id, sector, hub, False, "")))
    lead_rows = []
    for sector in sorted(set(sectors.values())):
        candidates = _lead_candidates(rng, world, [o for o in ordered if sectors[o.organisation_id] == sector])
        leads = candidates[:rng.choice((1, 1, 2))]
        deputies = candidates[len(leads):len(leads) + 1] if rng.random() < DEPUTY_RATE else []
        lead_rows += [_lead_row(rng, leads_dialect, p, sector, hubs, leads=True) for p in leads]
        lead_rows += [_lead_row(rng, leads_dialect, p, sector, hubs, leads=False) for p in deputies]
    return [lay_out_records(rng, members_dialect, member_rows), lay_out_records(rng, leads_dialect, lead_rows)]
