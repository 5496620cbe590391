"""Satisfaction survey responses (contract section 8, kind surveys): dated, scored 1..5 or in words,
some from a named contact, most of the rest anonymous, and one or two from someone no source has
(a response that identifies nobody is kept as anonymous, not quarantined).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from synthetic.dates import DateWindow
from synthetic.dialects import Dialect
from synthetic.known_world import KnownWorld
from synthetic.mentions import Strangers, identifiable, person_cells
from synthetic.population import Person
from synthetic.record_reference import COMMENTS, SCORE_WEIGHTS, SURVEY_QUESTIONS
from synthetic.record_tables import RecordRow, RecordTable, lay_out_records

RESPONSES_PER_PERSON = 0.3
NAMED_RATE = 0.6
COMMENT_RATE = 0.6
SHARE_OF_FIRST_FILE = 0.6


@dataclass(frozen=True)
class SurveyTruth:
    """Who truly answered, and the score as a number."""

    day: date
    score: int  # 1..5, 5 best
    question: str
    respondent: str  # contact | anonymous (names nobody) | unknown (names someone no source has)
    person_id: str  # the contact's, else ""


def _comment(rng: random.Random, score: int) -> str | None:
    if rng.random() >= COMMENT_RATE:
        return None
    band = "low" if score <= 2 else "middle" if score == 3 else "high"
    return rng.choice(COMMENTS[band])


def _response(rng: random.Random, dialect: Dialect, world: KnownWorld, strangers: Strangers, dates: DateWindow,
              respondent: str, contacts: list[Person]) -> RecordRow[SurveyTruth]:
    person_id = ""
    if respondent == "contact":
        person = rng.choice(contacts)
        cells, mention = person_cells(rng, dialect, world, person, organisation_rate=0.3)
        person_id = mention.person_id
    elif respondent == "unknown":
        cells = strangers.cells(rng, dialect)
    else:
        cells = {}
    day = dates.random_day(rng)
    score = rng.choices(range(1, 6), SCORE_WEIGHTS)[0]
    question = rng.choice(SURVEY_QUESTIONS)
    # message_id stays blank: no message the sample's graph holds could be named.
    cells.update(date=dialect.day(rng, day), score=dialect.spell(rng, str(score)), question=question,
                 comment=_comment(rng, score))
    return RecordRow(cells, SurveyTruth(day, score, question, respondent, person_id))


def survey_tables(rng: random.Random, world: KnownWorld, strangers: Strangers, dialects: tuple[Dialect, Dialect],
                  dates: DateWindow) -> list[RecordTable[SurveyTruth]]:
    """Both survey files, responses in the order they came in, each with one stranger's response."""
    wanted = max(10, round(RESPONSES_PER_PERSON * len(world.people)))
    tables = []
    for dialect, share in zip(dialects, (SHARE_OF_FIRST_FILE, 1 - SHARE_OF_FIRST_FILE), strict=True):
        contacts = [p for p in world.people if identifiable(world, dialect, p)] or world.people
        respondents = ["contact" if rng.random() < NAMED_RATE else "anonymous" for _ in range(round(wanted * share))]
        respondents[:2] = ["contact", "anonymous"]  # however few responses, both kinds are there
        rows = [_response(rng, dialect, world, strangers, dates, r, contacts) for r in [*respondents, "unknown"]]
        rows.sort(key=lambda row: row.truth.day)
        tables.append(lay_out_records(rng, dialect, rows))
    return tables
