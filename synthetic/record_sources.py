"""The engagement record as a whole: diaries, groups, sectors, surveys and ward boundaries, drawn from
the population after the contact lists are laid out, each from its own random stream so that adding
or changing one leaves every other file as it was.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from synthetic.dates import record_dates
from synthetic.engagement_record import EngagementTruth, engagement_tables
from synthetic.known_world import known_world
from synthetic.mentions import Strangers
from synthetic.population import Population
from synthetic.record_dialects import engagement_dialects, group_dialects, sector_dialects, survey_dialects
from synthetic.record_tables import RecordTable
from synthetic.record_truth import write_engagement_truth, write_group_truth, write_sector_truth, write_survey_truth
from synthetic.rows import Layout
from synthetic.sectors import SectorRowTruth, sector_tables
from synthetic.stakeholder_groups import GroupRowTruth, group_tables
from synthetic.surveys import SurveyTruth, survey_tables
from synthetic.ward_shapes import write_ward_boundaries

WARDS_PATH = "reference/wards.geojson"


@dataclass
class EngagementRecord:
    """Every engagement-record file's table, rows with their truth, by kind."""

    engagements: list[RecordTable[EngagementTruth]]
    groups: list[RecordTable[GroupRowTruth]]
    sectors: list[RecordTable[SectorRowTruth]]
    surveys: list[RecordTable[SurveyTruth]]

    @property
    def tables(self) -> list[RecordTable]:
        return [*self.engagements, *self.groups, *self.sectors, *self.surveys]


def write_engagement_record(out_dir: Path, seed: int, population: Population, layouts: list[Layout],
                            today: date, ward_codes: Mapping[str, str]) -> EngagementRecord:
    """Write the engagement-record files, their truth and reference/wards.geojson under ``out_dir``."""
    streams = {stage: random.Random(f"{seed}:{stage}") for stage in ("engagements", "groups", "sectors", "surveys")}
    world = known_world(population, layouts)
    strangers = Strangers(population)
    directorates = [lay.dialect.directorate for lay in layouts
                    if lay.dialect.kind == "contacts" and lay.dialect.directorate]
    dates = record_dates(today)
    record = EngagementRecord(
        engagements=engagement_tables(streams["engagements"], world, strangers,
                                      engagement_dialects(directorates), directorates, dates),
        groups=group_tables(streams["groups"], world, population, group_dialects()),
        sectors=sector_tables(streams["sectors"], world, sector_dialects()),
        surveys=survey_tables(streams["surveys"], world, strangers, survey_dialects(), dates),
    )
    for table in record.tables:
        table.write(out_dir)
    write_engagement_truth(out_dir, record.engagements)
    write_group_truth(out_dir, record.groups, world)
    write_sector_truth(out_dir, record.sectors)
    write_survey_truth(out_dir, record.surveys)
    write_ward_boundaries(out_dir / WARDS_PATH, population.postcodes, ward_codes)
    return record
