"""Who the graph will know once the contact lists and the keyholder export have synced.

The engagement record never creates a contact (contract section 8): its rows can only name people
and organisations that usable contact or keyholder rows brought in. This is that set, read off the
rows' truth, with who works where by contract section 6 (the organisations named on a person's
own usable contact rows, not the premises they hold keys for).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from synthetic.population import Organisation, Person, Population
from synthetic.rows import Layout


@dataclass
class KnownWorld:
    """The people and organisations usable rows name, in population order."""

    people: list[Person]
    organisations: list[Organisation]
    works_for: dict[str, list[str]]  # person_id -> organisation ids named on their usable contact rows
    staff: dict[str, list[Person]]  # organisation_id -> the known people who work for it
    directorate_lists: dict[str, list[Person]]  # directorate -> people on its list (usable rows)
    # person_id -> the emails (lower case) and mobiles (national digits) their usable rows give
    emails: dict[str, set[str]] = field(default_factory=dict)
    mobiles: dict[str, set[str]] = field(default_factory=dict)

    def person_works_for(self, person: Person, organisation: Organisation) -> bool:
        return organisation.organisation_id in self.works_for.get(person.person_id, [])

    def knows_email(self, person: Person) -> bool:
        return person.email.lower() in self.emails.get(person.person_id, set())

    def knows_mobile(self, person: Person) -> bool:
        return person.mobile is not None and person.mobile in self.mobiles.get(person.person_id, set())


def _national_mobile(text: str) -> str:
    """"+44 (0)7700 900123" -> "07700900123"."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("440"):
        return digits[2:]
    return "0" + digits[2:] if digits.startswith("44") else digits


def known_world(population: Population, layouts: list[Layout]) -> KnownWorld:
    """Read what the graph will know off the laid-out contact and keyholder rows."""
    known_ids: set[str] = set()
    named_orgs: set[str] = set()
    works_for: dict[str, list[str]] = {}
    on_list: dict[str, set[str]] = {}
    emails: dict[str, set[str]] = {}
    mobiles: dict[str, set[str]] = {}
    for layout in layouts:
        for row in layout.rows:
            truth = row.truth
            if not truth.usable:
                continue
            known_ids.add(truth.person_id)
            for name in ("email", "keyholder_email"):
                if truth.email_valid and row.cells.get(name):
                    emails.setdefault(truth.person_id, set()).add(str(row.cells[name]).strip().lower())
            for name in ("mobile", "keyholder_mobile"):
                if truth.mobile_valid and row.cells.get(name):
                    mobiles.setdefault(truth.person_id, set()).add(_national_mobile(str(row.cells[name])))
            if truth.organisation_id:
                named_orgs.add(truth.organisation_id)
            if layout.dialect.kind != "contacts":
                continue
            on_list.setdefault(layout.dialect.directorate or "", set()).add(truth.person_id)
            employers = works_for.setdefault(truth.person_id, [])
            if truth.organisation_id and truth.organisation_id not in employers:
                employers.append(truth.organisation_id)
    people = [p for p in population.people if p.person_id in known_ids]
    organisations = [o for o in population.organisations if o.organisation_id in named_orgs]
    staff = {o.organisation_id: [p for p in o.staff if o.organisation_id in works_for.get(p.person_id, [])]
             for o in organisations}
    lists = {directorate: [p for p in people if p.person_id in ids] for directorate, ids in on_list.items()}
    return KnownWorld(people, organisations, works_for, staff, lists, emails, mobiles)
