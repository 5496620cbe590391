"""Rows of the contact lists and the keyholder export, each with the truth behind it."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date

from synthetic import noise
from synthetic.dates import DateWindow
from synthetic.dialects import Dialect
from synthetic.population import Person, Population, Premises

APPEARANCE_WEIGHTS = ((1, 45), (2, 30), (3, 17), (4, 8))  # directorate rows per person
UNDATED_RATE = 0.15
EXPLICIT_CONSENT_RATE = 0.70
CONSENT_SLIP_RATE = 0.03  # an explicit answer recorded the wrong way round
SAME_DAY_CONFLICT_RATE = 0.015
SAME_LIST_DUPLICATE_RATE = 0.04
UNUSABLE_CONTACT_RATE = 0.03
UNUSABLE_KEYHOLDER_RATE = 0.02
BROKEN_EMAIL_RATE = 0.015
BROKEN_MOBILE_RATE = 0.01


@dataclass
class RowTruth:
    """What a row really says, as the contract's merge rules read it."""

    person_id: str
    organisation_id: str  # "" when the row names no organisation
    usable: bool = True
    day: date | None = None  # last contacted / last verified
    consent_email: bool | None = None
    consent_sms: bool | None = None
    restricted: bool | None = None
    priority: str | None = None
    issues: tuple[str, ...] = ()
    email_valid: bool = False
    mobile_valid: bool = False
    keyholder: bool = False


@dataclass
class SourceRow:
    """One data row: cell values by field (or by header, for ignored columns)."""

    cells: dict[str, object]
    truth: RowTruth
    record_id: str = ""
    row_number: int = 0
    group: str = ""  # rows of one premises stay together in the keyholder export


@dataclass
class _Reach:
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    email_valid: bool = False
    mobile_valid: bool = False


def _reach(rng: random.Random, person: Person, email_rate: float, phone_rate: float, mobile_rate: float
           ) -> _Reach:
    """Email, phone and mobile as one row has them; at least one is present and valid."""
    reach = _Reach()
    if rng.random() < email_rate:
        reach.email = noise.email(rng, person)
    if person.phone and rng.random() < phone_rate:
        reach.phone = noise.landline(rng, person.phone)
    if person.mobile and rng.random() < mobile_rate:
        reach.mobile = noise.mobile(rng, person.mobile)
    if not (reach.email or reach.phone or reach.mobile):
        reach.email = noise.email(rng, person)
    reach.email_valid, reach.mobile_valid = reach.email is not None, reach.mobile is not None
    if reach.email and (reach.phone or reach.mobile) and rng.random() < BROKEN_EMAIL_RATE:
        reach.email, reach.email_valid = noise.broken_email(rng, reach.email), False
    if reach.mobile and (reach.email_valid or reach.phone) and rng.random() < BROKEN_MOBILE_RATE:
        reach.mobile, reach.mobile_valid = noise.broken_mobile(person.mobile or ""), False
    return reach


def _full_name(rng: random.Random, dialect: Dialect, person: Person, title: str | None, first: str,
               last: str) -> str:
    forms = dialect.name_forms
    form = rng.choices([f for f, _ in forms], [w for _, w in forms])[0]
    if form == "last_first":
        return f"{last.upper() if rng.random() < 0.25 else last}, {first}"
    if form == "title_first_last" and title:
        return f"{title} {first} {last}"
    if form == "initial":
        return f"{title} {first[0]} {last}" if title else f"{first[0]}. {last}"
    initial = noise.middle_initial(person)
    if form == "first_middle_last" and initial:
        return f"{first} {initial}. {last}"
    return f"{first} {last}"


def name_cells(rng: random.Random, dialect: Dialect, person: Person) -> dict[str, object]:
    """The person's name as the list writes it: one full-name cell, or title, first and last name."""
    first = noise.first_name(rng, person, dialect.keep_accents)
    last = noise.last_name(rng, person, dialect.keep_accents)
    title = noise.title(rng, person)
    if "full_name" in dialect.fields or "keyholder_name" in dialect.fields:
        name_field = "keyholder_name" if dialect.kind == "keyholders" else "full_name"
        return {name_field: _full_name(rng, dialect, person, title, first, last)}
    return {"title": title, "first_name": first, "last_name": last}


def _row_priority(rng: random.Random, person: Person) -> str | None:
    if rng.random() < 0.15:
        return None
    if rng.random() < 0.25 and person.priority != "low":
        return {"high": "medium", "medium": "low"}[person.priority]
    return person.priority


def _row_issues(rng: random.Random, person: Person) -> tuple[str, ...]:
    if not person.issues or rng.random() < 0.15:
        return ()
    issues = [i for i in person.issues if rng.random() < 0.7] or [rng.choice(person.issues)]
    return tuple(sorted(set(issues)))


def _row_restricted(rng: random.Random, person: Person) -> bool | None:
    if person.restricted:
        return True if rng.random() < 0.8 else None
    return False if rng.random() < 0.4 else None


def contact_row(rng: random.Random, dialect: Dialect, person: Person, day: date | None,
                consent_email: bool | None, consent_sms: bool | None) -> SourceRow:
    """One appearance of ``person`` in a directorate list, with that list's habits and slips."""
    fields = dialect.fields
    org = person.organisation
    cells = name_cells(rng, dialect, person)
    organisation = noise.organisation(rng, org) if org is not None and rng.random() < 0.95 else None
    reach = _reach(rng, person, email_rate=0.9, phone_rate=0.75, mobile_rate=0.7)
    truth = RowTruth(person.person_id, org.organisation_id if organisation and org else "",
                     email_valid=reach.email_valid, mobile_valid=reach.mobile_valid)
    cells.update(organisation=organisation, email=reach.email, phone=reach.phone, mobile=reach.mobile,
                 job_title=person.job_title if rng.random() < 0.75 else None)
    if rng.random() < 0.6:
        cells["address_line_1"] = person.address_line_1
        if org is not None and person.address_line_1 == org.address_line_1:
            cells["address_line_2"] = org.address_line_2
        cells["town"] = rng.choice(("London", "London", "LONDON", "City of London"))
    if rng.random() < 0.85:
        cells["postcode"] = noise.postcode(rng, person.postcode.code)
    category = person.category if rng.random() < 0.9 else None
    cells["category"] = dialect.category(rng, category)
    truth.priority = _row_priority(rng, person)
    cells["priority"] = dialect.priority(truth.priority)
    truth.issues = _row_issues(rng, person)
    cells["issues"] = dialect.issues(rng, truth.issues)
    if "restricted" in fields:
        truth.restricted = _row_restricted(rng, person)
        cells["restricted"] = dialect.yes_no(rng, truth.restricted)
    truth.consent_email = consent_email if "consent_email" in fields else None
    truth.consent_sms = consent_sms if "consent_sms" in fields else None
    cells["consent_email"] = dialect.yes_no(rng, truth.consent_email)
    cells["consent_sms"] = dialect.yes_no(rng, truth.consent_sms)
    truth.day = day
    cells["last_contacted"] = dialect.day(rng, day)
    if dialect.notes and rng.random() < 0.25:
        cells["notes"] = rng.choice(dialect.notes)
    for header, values in dialect.extras.items():
        cells[header] = rng.choice(values)
    _forget_unwritten(fields, truth)
    return SourceRow(cells, truth)


def _forget_unwritten(fields: frozenset[str], truth: RowTruth) -> None:
    """A value the list has no column for is not in the row."""
    if "last_contacted" not in fields:
        truth.day = None
    if "priority" not in fields:
        truth.priority = None
    if "issues" not in fields:
        truth.issues = ()
    if "email" not in fields:
        truth.email_valid = False
    if "mobile" not in fields:
        truth.mobile_valid = False


def _make_unusable(rng: random.Random, row: SourceRow) -> None:
    """Strip the row of its name, or of every way to reach the person (contract section 5)."""
    if rng.random() < 0.5:
        for name_field in ("title", "first_name", "last_name", "full_name", "keyholder_name"):
            row.cells[name_field] = None
    else:
        for reach_field in ("email", "phone", "mobile", "keyholder_email", "keyholder_phone", "keyholder_mobile"):
            row.cells[reach_field] = None
        row.truth.email_valid = row.truth.mobile_valid = False
    row.truth.usable = False


def _answer(rng: random.Random, explicit: bool, true_answer: bool) -> bool | None:
    if not explicit:
        return None
    return (not true_answer) if rng.random() < CONSENT_SLIP_RATE else true_answer


def _plan_lists(rng: random.Random, person: Person, dialects: list[Dialect]) -> list[Dialect]:
    count = rng.choices([c for c, _ in APPEARANCE_WEIGHTS], [w for _, w in APPEARANCE_WEIGHTS])[0]
    pool = list(dialects)
    chosen: list[Dialect] = []
    for _ in range(min(count, len(pool))):
        pick = rng.choices(pool, [d.affinity[person.category] for d in pool])[0]
        pool.remove(pick)
        chosen.append(pick)
    accent_lists = [d for d in dialects if d.keep_accents]
    if person.accented and accent_lists and not any(d.keep_accents for d in chosen):
        chosen[0] = accent_lists[0]
    if rng.random() < SAME_LIST_DUPLICATE_RATE:
        chosen.append(rng.choice(chosen))
    return chosen


def person_contact_rows(rng: random.Random, person: Person, dialects: list[Dialect], dates: DateWindow
                        ) -> list[tuple[Dialect, SourceRow]]:
    """Every directorate row of one person, with dated consent that may change between rows."""
    chosen = _plan_lists(rng, person, dialects)
    days = [None if rng.random() < UNDATED_RATE else dates.random_day(rng) for _ in chosen]
    dated = sorted(d for d in days if d)
    # A change of mind between the first and last dated rows, so the most recent answer matters.
    for channel in ("consent_email", "consent_sms"):
        history = getattr(person, channel)
        if history.changed_on is not None and len(dated) >= 2 and dated[0] < dated[-1]:
            setattr(person, channel, replace(history, changed_on=dated[-1]))
    answers = [
        (_answer(rng, rng.random() < EXPLICIT_CONSENT_RATE, person.consent_email.on(day)),
         _answer(rng, rng.random() < EXPLICIT_CONSENT_RATE, person.consent_sms.on(day)))
        for day in days
    ]
    if len(chosen) >= 2 and rng.random() < SAME_DAY_CONFLICT_RATE:
        days[0] = days[1] = dates.random_day(rng)
        answers[0], answers[1] = (True, answers[0][1]), (False, answers[1][1])
    return [(dialect, contact_row(rng, dialect, person, day, email, sms))
            for dialect, day, (email, sms) in zip(chosen, days, answers, strict=True)]


def contact_rows(rng: random.Random, population: Population, dialects: list[Dialect]
                 ) -> dict[str, list[SourceRow]]:
    """Rows of every directorate list, including a few unusable ones."""
    rows: dict[str, list[SourceRow]] = {d.source: [] for d in dialects}
    listed = [p for p in population.people if not p.keyholder_only]
    dates = population.list_dates
    for person in listed:
        for dialect, row in person_contact_rows(rng, person, dialects, dates):
            rows[dialect.source].append(row)
    for dialect in dialects:
        if not rows[dialect.source]:  # tiny populations: every list has someone on it
            person = rng.choice(listed)
            rows[dialect.source].append(contact_row(rng, dialect, person, dates.random_day(rng), None, None))
        if dialect.keep_accents:  # the Windows-1252 list always has a character UTF-8 would reject
            if not any("£" in str(r.cells.get("notes") or "") for r in rows[dialect.source]):
                rows[dialect.source][0].cells["notes"] = next(n for n in dialect.notes if "£" in n)
        for _ in range(max(1, round(UNUSABLE_CONTACT_RATE * len(rows[dialect.source])))):
            row = contact_row(rng, dialect, rng.choice(listed), dates.random_day(rng), None, None)
            _make_unusable(rng, row)
            rows[dialect.source].append(row)
    return rows


def keyholder_row(rng: random.Random, dialect: Dialect, place: Premises, premises_cells: dict[str, object],
                  person: Person, order: int, dates: DateWindow) -> SourceRow:
    """One keyholder of one premises as the keyholder database records them."""
    cells = dict(premises_cells)
    cells.update(name_cells(rng, dialect, person))
    reach = _reach(rng, person, email_rate=0.55, phone_rate=0.5, mobile_rate=0.85)
    cells.update(keyholder_email=reach.email, keyholder_phone=reach.phone, keyholder_mobile=reach.mobile,
                 keyholder_order=order)
    day = None if rng.random() < 0.1 else dates.random_day(rng)
    cells["last_verified"] = dialect.day(rng, day)
    for header, values in dialect.extras.items():
        cells[header] = rng.choice(values) or None
    truth = RowTruth(person.person_id, place.occupier.organisation_id, day=day, keyholder=True,
                     email_valid=reach.email_valid, mobile_valid=reach.mobile_valid)
    return SourceRow(cells, truth, group=place.premises_ref)


def keyholder_rows(rng: random.Random, population: Population, dialect: Dialect) -> list[SourceRow]:
    """One row per keyholder per premises, plus a few unusable ones."""
    rows: list[SourceRow] = []
    total = sum(len(p.keyholders) for p in population.premises)
    spoilt = set(rng.sample(range(len(population.premises)),
                            min(len(population.premises), max(1, round(UNUSABLE_KEYHOLDER_RATE * total)))))
    for index, place in enumerate(population.premises):
        premises_cells: dict[str, object] = {
            "premises_ref": place.premises_ref, "premises_name": place.name,
            "address_line_1": place.address_line_1, "address_line_2": place.address_line_2,
            "postcode": noise.postcode(rng, place.postcode.code),
            "occupier": noise.organisation(rng, place.occupier),
        }
        for order, person in enumerate(place.keyholders, start=1):
            rows.append(keyholder_row(rng, dialect, place, premises_cells, person, order, population.list_dates))
        if index in spoilt:
            row = keyholder_row(rng, dialect, place, premises_cells, rng.choice(place.occupier.staff),
                                len(place.keyholders) + 1, population.list_dates)
            _make_unusable(rng, row)
            rows.append(row)
    return rows


@dataclass
class Layout:
    """A source's rows in file order; None is a blank row."""

    dialect: Dialect
    lines: list[SourceRow | None] = field(default_factory=list)

    @property
    def rows(self) -> list[SourceRow]:
        return [r for r in self.lines if r is not None]


def _record_ids(rng: random.Random, dialect: Dialect, rows: list[SourceRow]) -> list[str]:
    numbers = sorted(rng.sample(range(1, 3 * len(rows) + 10), len(rows)))
    if dialect.record_ids == "int":
        start = rng.choice((1000, 10_000, 50_000))
        return [str(start + n) for n in numbers]
    if dialect.record_ids == "yearly":
        seen: dict[int, int] = {}
        ids = []
        for row in rows:
            year = row.truth.day.year if row.truth.day else 2021
            seen[year] = seen.get(year, 0) + rng.randint(1, 3)
            ids.append(f"PP-{year}-{seen[year]:04d}")
        return ids
    return [str(dialect.record_ids).format(n) for n in numbers]


def lay_out(rng: random.Random, dialect: Dialect, rows: list[SourceRow]) -> Layout:
    """Order the rows, give them record ids, scatter blank rows, and number them as Excel shows them."""
    if dialect.kind == "keyholders":
        groups: dict[str, list[SourceRow]] = {}
        for row in rows:
            groups.setdefault(row.group, []).append(row)
        keys = sorted(groups)
        rng.shuffle(keys)
        rows = [row for key in keys for row in groups[key]]
    else:
        rows = list(rows)
        rng.shuffle(rows)
        if dialect.record_ids == "yearly":
            rows.sort(key=lambda r: r.truth.day.year if r.truth.day else 2021)
    if dialect.record_ids:
        for row, record_id in zip(rows, _record_ids(rng, dialect, rows), strict=True):
            row.record_id = record_id
    layout = Layout(dialect)
    for row in rows:
        while layout.lines and rng.random() < dialect.blank_row_rate:
            layout.lines.append(None)
        layout.lines.append(row)
    if dialect.blank_row_rate and None not in layout.lines and len(layout.lines) >= 2:
        layout.lines.insert(rng.randrange(1, len(layout.lines)), None)
    for number, line in enumerate(layout.lines, start=2):  # the header is row 1
        if line is not None:
            line.row_number = number
            line.record_id = line.record_id or f"row-{number}"
    return layout
