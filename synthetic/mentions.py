"""How an engagement-record row names who it is about: a known person, a known organisation, or a
stranger the graph has never heard of, in the same noisy spellings the contact lists use.

A person is always named with something that tells them apart (contract section 8 matches the row
with the resolver): an email or mobile, or for someone whose name is theirs alone at their
organisation, the organisation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from synthetic import noise
from synthetic.dialects import Dialect
from synthetic.known_world import KnownWorld
from synthetic.population import Organisation, Person, Population
from synthetic.record_reference import (
    STRANGER_FIRST_NAMES,
    STRANGER_MAIL_DOMAINS,
    STRANGER_ORGANISATIONS,
    STRANGER_SURNAMES,
)
from synthetic.rows import name_cells


@dataclass(frozen=True)
class Mention:
    """Who a row truly names: ids from the population, blank when it names no such one."""

    person_id: str = ""
    organisation_id: str = ""

    @property
    def about(self) -> str:
        """person, organisation, person_and_organisation, or nobody (a row to quarantine)."""
        if self.person_id and self.organisation_id:
            return "person_and_organisation"
        return "person" if self.person_id else "organisation" if self.organisation_id else "nobody"


def own_email(rng: random.Random, person: Person) -> str:
    """The person's own mailbox, never a shared one, with the odd capitalised form lists have."""
    if rng.random() >= noise.EMAIL_CASE_RATE:
        return person.email
    local, domain = person.email.split("@")
    return ".".join(part.capitalize() for part in local.split(".")) + "@" + domain


def employer(world: KnownWorld, person: Person) -> Organisation | None:
    """The person's organisation when the graph knows they work there (contract section 6)."""
    org = person.organisation
    return org if org is not None and world.person_works_for(person, org) else None


def person_cells(rng: random.Random, dialect: Dialect, world: KnownWorld, person: Person,
                 organisation_rate: float = 0.4) -> tuple[dict[str, object], Mention]:
    """Cells naming ``person``; the organisation too at ``organisation_rate`` (0 never names it).

    The email or mobile written is one the person's usable rows gave, so the graph holds it.
    """
    fields = dialect.fields
    cells = name_cells(rng, dialect, person)
    org = employer(world, person) if "organisation" in fields else None
    named_org = org is not None and rng.random() < organisation_rate
    ways = [way for way, known in (("email", world.knows_email(person)), ("mobile", world.knows_mobile(person)))
            if known and way in fields]
    # Name and organisation alone tell a person apart only when nobody else has that name.
    name_is_theirs = not (person.namesake or person.colleague_namesake)
    by_organisation_alone = named_org and name_is_theirs and rng.random() < 0.35
    if ways and not by_organisation_alone:
        if rng.choice(ways) == "email":
            cells["email"] = own_email(rng, person)
        else:
            cells["mobile"] = noise.mobile(rng, person.mobile or "")
    elif org is not None and organisation_rate > 0:
        named_org = True
    elif "email" in fields:  # nothing the graph holds but the name: their own mailbox is the best clue
        cells["email"] = own_email(rng, person)
    if "phone" in fields and person.phone and rng.random() < 0.3:
        cells["phone"] = noise.landline(rng, person.phone)
    if named_org and org is not None:
        cells["organisation"] = noise.organisation(rng, org)
    return cells, Mention(person.person_id, org.organisation_id if named_org and org is not None else "")


def identifiable(world: KnownWorld, dialect: Dialect, person: Person) -> bool:
    """Whether a row in ``dialect`` can name the person by an email or mobile the graph holds."""
    fields = dialect.fields
    return ("email" in fields and world.knows_email(person)) or ("mobile" in fields and world.knows_mobile(person))


def organisation_cells(rng: random.Random, org: Organisation) -> tuple[dict[str, object], Mention]:
    return {"organisation": noise.organisation(rng, org)}, Mention(organisation_id=org.organisation_id)


class Strangers:
    """Made-up people (and firms) no source has: each a new name, mailbox and number."""

    def __init__(self, population: Population) -> None:
        self._taken_mobiles = {p.mobile for p in population.people if p.mobile}
        self._used: set[tuple[str, str]] = set()
        self._count = 0

    def cells(self, rng: random.Random, dialect: Dialect, with_organisation: bool = False) -> dict[str, object]:
        """Cells naming a stranger the way ``dialect`` names people, with an email or mobile."""
        fields = dialect.fields
        names = len(STRANGER_FIRST_NAMES) * len(STRANGER_SURNAMES)
        while True:  # a new name while there are any; a big City's strangers then share names, not mailboxes
            first, last = rng.choice(STRANGER_FIRST_NAMES), rng.choice(STRANGER_SURNAMES)
            if (first, last) not in self._used or len(self._used) >= names:
                break
        self._used.add((first, last))
        self._count += 1
        cells: dict[str, object]
        if "full_name" in fields:
            cells = {"full_name": f"{first} {last}"}
        else:
            cells = {"first_name": first, "last_name": last}
        local = f"{first}.{last}".lower().replace("-", "")
        if "email" in fields:
            cells["email"] = f"{local}{self._count}@{rng.choice(STRANGER_MAIL_DOMAINS)}"
        if "mobile" in fields and ("email" not in fields or rng.random() < 0.5):
            cells["mobile"] = noise.mobile(rng, self._mobile(rng))
        if with_organisation and "organisation" in fields:
            cells["organisation"] = rng.choice(STRANGER_ORGANISATIONS)
        return cells

    def _mobile(self, rng: random.Random) -> str:
        """A drama-range mobile nobody in the population has."""
        free = [f"07700900{n:03d}" for n in range(1000) if f"07700900{n:03d}" not in self._taken_mobiles]
        number = rng.choice(free) if free else ""
        while not number or number in self._taken_mobiles:  # the drama range is used up in a big City
            number = f"07700{rng.randint(0, 999_999):06d}"
        self._taken_mobiles.add(number)
        return number
