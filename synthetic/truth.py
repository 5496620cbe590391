"""The answers: who each row really is, and what the merged contact should say (contract section 6)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from synthetic.population import Population
from synthetic.rows import Layout, RowTruth
from synthetic.writer import write_csv

TRUTH_HEADER = ["source", "record_id", "person_id", "organisation_id", "usable"]
PEOPLE_HEADER = [
    "person_id", "title", "first_name", "last_name", "organisation_id", "category", "email",
    "consent_email", "consent_sms", "restricted", "issues", "priority", "has_valid_email", "has_mobile",
    "is_keyholder", "usable_rows",
]
ORGANISATION_HEADER = ["organisation_id", "name", "category", "domain", "staff"]
_PRIORITY_RANK = {"low": 1, "medium": 2, "high": 3}


def merged_consent(answers: Iterable[tuple[date | None, bool | None]]) -> bool:
    """Contract section 6: the most recent explicit answer wins; undated is oldest; a same-day
    yes and no is no; no explicit answer at all is no consent."""
    explicit = [(day or date.min, value) for day, value in answers if value is not None]
    if not explicit:
        return False
    latest = max(day for day, _ in explicit)
    return all(value for day, value in explicit if day == latest)


@dataclass
class PersonTruth:
    """A person's merged values over their usable rows."""

    rows: list[RowTruth] = field(default_factory=list)

    @property
    def consent_email(self) -> bool:
        return merged_consent((r.day, r.consent_email) for r in self.rows)

    @property
    def consent_sms(self) -> bool:
        return merged_consent((r.day, r.consent_sms) for r in self.rows)

    @property
    def restricted(self) -> bool:
        return any(r.restricted for r in self.rows)

    @property
    def issues(self) -> list[str]:
        return sorted({i for r in self.rows for i in r.issues})

    @property
    def priority(self) -> str:
        ranked = [r.priority for r in self.rows if r.priority]
        return max(ranked, key=_PRIORITY_RANK.__getitem__) if ranked else ""


def _flag(value: bool) -> str:
    return "true" if value else "false"


def write_truth(out_dir: Path, population: Population, layouts: list[Layout]) -> None:
    """truth.csv (one line per data row), people.csv and organisations.csv."""
    truth_lines: list[list[object] | None] = []
    merged: dict[str, PersonTruth] = {}
    for layout in layouts:
        for row in layout.rows:
            t = row.truth
            truth_lines.append([layout.dialect.source, row.record_id, t.person_id, t.organisation_id,
                                _flag(t.usable)])
            if t.usable:
                merged.setdefault(t.person_id, PersonTruth()).rows.append(t)
    write_csv(out_dir / "truth.csv", TRUTH_HEADER, truth_lines)

    people_lines: list[list[object] | None] = []
    for person in population.people:
        truth = merged.get(person.person_id)
        if truth is None:
            continue
        org = person.organisation
        people_lines.append([
            person.person_id, person.title, person.first_name, person.last_name,
            org.organisation_id if org else "", person.category, person.email,
            _flag(truth.consent_email), _flag(truth.consent_sms), _flag(truth.restricted),
            ";".join(truth.issues), truth.priority, _flag(any(r.email_valid for r in truth.rows)),
            _flag(any(r.mobile_valid for r in truth.rows)), _flag(any(r.keyholder for r in truth.rows)),
            len(truth.rows),
        ])
    write_csv(out_dir / "people.csv", PEOPLE_HEADER, people_lines)

    org_lines: list[list[object] | None] = [
        [o.organisation_id, o.name, o.category, o.domain or "", len(o.staff)] for o in population.organisations
    ]
    write_csv(out_dir / "organisations.csv", ORGANISATION_HEADER, org_lines)
