"""The directorates' engagement diaries (contract section 8, kind engagements): dated meetings, calls,
briefings and visits by named officers, each naming a contact, an organisation or both, with a few
rows naming someone no source has (the sync quarantines those: "names nobody the graph knows").
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from synthetic.dates import DateWindow
from synthetic.dialects import Dialect
from synthetic.known_world import KnownWorld
from synthetic.mentions import Mention, Strangers, employer, organisation_cells, person_cells
from synthetic.population import Organisation, Person
from synthetic.record_dialects import shared_log_directorates
from synthetic.record_reference import ENGAGEMENT_TYPES, GENERAL_SUBJECTS, OFFICERS, OUTCOMES, SUBJECTS
from synthetic.record_tables import RecordRow, RecordTable, lay_out_records

ENGAGEMENTS_PER_PERSON = 0.8
ORGANISATION_ONLY_RATE = 0.12  # engagements with a firm rather than anyone in it: a newsletter, a site visit
NOBODY_RATE = 0.02  # rows naming a stranger, at least one per diary
NOTES_RATE = 0.5


@dataclass(frozen=True)
class EngagementTruth:
    """What an engagement row truly records."""

    directorate: str
    day: date
    engagement_type: str  # contract vocabulary: meeting, call, ...
    issues: tuple[str, ...]  # canonical issue names
    mention: Mention


def _issues(rng: random.Random, people: list[Person]) -> tuple[str, ...]:
    pool = sorted({i for p in people for i in p.issues})
    if not pool or rng.random() < 0.2:
        return ()
    return tuple(sorted(rng.sample(pool, min(len(pool), rng.choice((1, 1, 2))))))


def _subject(rng: random.Random, issues: tuple[str, ...]) -> str:
    return rng.choice(SUBJECTS[rng.choice(issues)]) if issues else rng.choice(GENERAL_SUBJECTS)


@dataclass
class _Directorate:
    """A directorate and whom it engages: the people on its list and the organisations they work for."""

    name: str
    people: list[Person]
    organisations: list[Organisation]

    @classmethod
    def of(cls, world: KnownWorld, name: str) -> _Directorate:
        people = world.directorate_lists.get(name) or world.people
        return cls(name, people, [o for o in (employer(world, p) for p in people) if o is not None])


def _engagement(rng: random.Random, dialect: Dialect, world: KnownWorld, directorate: _Directorate,
                dates: DateWindow, strangers: Strangers, stranger: bool) -> RecordRow[EngagementTruth]:
    """One diary entry by one of the directorate's officers."""
    on_list, employers = directorate.people, directorate.organisations
    if stranger:
        cells, mention, engaged = strangers.cells(rng, dialect, with_organisation=rng.random() < 0.3), Mention(), []
    elif employers and rng.random() < ORGANISATION_ONLY_RATE:
        org = rng.choice(employers)
        cells, mention = organisation_cells(rng, org)
        engaged = world.staff.get(org.organisation_id) or list(org.staff)
    else:
        person = rng.choice(on_list)
        cells, mention = person_cells(rng, dialect, world, person)
        engaged = [person]
    day = dates.random_day(rng)
    engagement_type = rng.choices([t for t, _ in ENGAGEMENT_TYPES], [w for _, w in ENGAGEMENT_TYPES])[0]
    issues = _issues(rng, engaged)
    cells.update(
        date=dialect.day(rng, day), engagement_type=dialect.spell(rng, engagement_type),
        officer=rng.choice(OFFICERS[directorate.name]), directorate=directorate.name,
        subject=_subject(rng, issues), issues=dialect.issues(rng, issues),
        notes=rng.choice(OUTCOMES) if rng.random() < NOTES_RATE else None)
    return RecordRow(cells, EngagementTruth(directorate.name, day, engagement_type, issues, mention))


def engagement_tables(rng: random.Random, world: KnownWorld, strangers: Strangers, dialects: list[Dialect],
                      directorates: list[str], dates: DateWindow) -> list[RecordTable[EngagementTruth]]:
    """Each diary's rows in date order, as officers add them; the shared log covers the directorates
    without a diary of their own."""
    listed = sum(len(world.directorate_lists.get(d, [])) for d in directorates) or 1
    wanted = max(12, round(ENGAGEMENTS_PER_PERSON * len(world.people)))
    tables = []
    for dialect in dialects:
        names = [dialect.directorate] if dialect.directorate else shared_log_directorates(directorates)
        covers = [_Directorate.of(world, name) for name in names]
        rows = []
        for directorate in covers:
            share = len(world.directorate_lists.get(directorate.name, [])) / listed
            rows += [_engagement(rng, dialect, world, directorate, dates, strangers, stranger=False)
                     for _ in range(max(3, round(wanted * share)))]
        for _ in range(max(1, round(NOBODY_RATE * len(rows)))):
            rows.append(_engagement(rng, dialect, world, rng.choice(covers), dates, strangers, stranger=True))
        rows.sort(key=lambda row: row.truth.day)
        tables.append(lay_out_records(rng, dialect, rows))
    return tables
