"""Generate a synthetic City of London dataset with known truth.

    python -m synthetic.generate --out DIR --people N --seed S [--directorates 4..6] [--today YYYY-MM-DD]

writes DIR/manifest.yaml (contract section 1), the directorate lists under
DIR/directorates/, the keyholder export, Mosaic, postcode and ward-boundary files
under DIR/reference/, the engagement record (contract section 8: diaries under
DIR/engagements/, groups, CSSC sectors, surveys), and the answers the pipeline
never reads: DIR/truth.csv (who each contact or keyholder row is), DIR/people.csv
(each person's merged values by the section 6 rules), DIR/organisations.csv and
the engagement record's truth (synthetic/record_truth.py). No date is after
--today. The same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from synthetic.dates import DEFAULT_TODAY, list_dates
from synthetic.dialects import Dialect, contact_dialects, keyholder_dialect
from synthetic.geography import Postcode, mosaic_rows
from synthetic.geography import build_postcodes as build_postcode_list
from synthetic.population import build_population
from synthetic.record_sources import WARDS_PATH, EngagementRecord, write_engagement_record
from synthetic.reference import DISTRICT_NAME, WARDS
from synthetic.rows import Layout, contact_rows, keyholder_rows, lay_out
from synthetic.truth import write_truth
from synthetic.writer import write_csv, write_source

MOSAIC_PATH = "reference/mosaic.csv"
POSTCODES_PATH = "reference/postcodes.csv"
# ONS Postcode Directory headers, mapped in the manifest.
POSTCODE_COLUMNS = {"postcode": "pcds", "latitude": "lat", "longitude": "long", "ward": "ward_name",
                    "district": "lad_name"}
_WARD_CODES = {ward: f"E0500{9288 + n}" for n, ward in enumerate(sorted(WARDS))}


@dataclass
class SourceCount:
    source: str
    path: str
    rows: int
    unusable: int
    blank_lines: int


@dataclass
class Summary:
    people: int
    organisations: int
    premises: int
    postcodes: int
    unlisted_postcodes: int
    sources: list[SourceCount]

    def table(self) -> str:
        lines = [f"{'source':<24}{'rows':>7}{'unusable':>10}{'blank':>7}  path"]
        for s in self.sources:
            lines.append(f"{s.source:<24}{s.rows:>7}{s.unusable:>10}{s.blank_lines:>7}  {s.path}")
        total = sum(s.rows for s in self.sources)
        lines.append(f"{'total':<24}{total:>7}{sum(s.unusable for s in self.sources):>10}")
        lines.append(f"people {self.people}, organisations {self.organisations}, premises {self.premises}, "
                     f"postcodes {self.postcodes} ({self.unlisted_postcodes} left out of the postcodes file)")
        return "\n".join(lines)


def _manifest_entry(dialect: Dialect) -> dict:
    entry: dict = {"name": dialect.source, "kind": dialect.kind}
    if dialect.directorate:
        entry["directorate"] = dialect.directorate
    entry["path"] = dialect.path
    if dialect.preceding_sheets:
        entry["sheet"] = dialect.sheet
    if dialect.columns:
        entry["columns"] = dict(dialect.columns)
    return entry


def write_manifest(out_dir: Path, dialects: list[Dialect], record_dialects: list[Dialect], people: int, seed: int,
                   today: date) -> None:
    sources = [_manifest_entry(d) for d in dialects]
    sources.append({"name": "mosaic", "kind": "mosaic", "path": MOSAIC_PATH})
    sources.append({"name": "postcodes", "kind": "postcodes", "path": POSTCODES_PATH, "columns": POSTCODE_COLUMNS})
    sources += [_manifest_entry(d) for d in record_dialects]
    sources.append({"name": "wards", "kind": "wards", "path": WARDS_PATH})
    # The default today is left out, so the sample's first line stays the command that made it.
    when = "" if today == DEFAULT_TODAY else f" --today {today.isoformat()}"
    command = f"python -m synthetic.generate --people {people} --seed {seed}{when}"
    header = (f"# Synthetic City of London sources: {command}\n"
              "# Everyone in these files is fictional; truth.csv and people.csv hold the answers.\n")
    text = yaml.safe_dump({"sources": sources}, sort_keys=False, allow_unicode=True)
    (out_dir / "manifest.yaml").write_text(header + text, encoding="utf-8")


def write_reference_files(out_dir: Path, rng: random.Random, postcodes: list[Postcode]) -> None:
    (out_dir / "reference").mkdir(parents=True, exist_ok=True)
    listed = sorted((p for p in postcodes if p.listed), key=lambda p: p.code)
    write_csv(out_dir / POSTCODES_PATH, ["pcds", "lat", "long", "osward", "ward_name", "oslaua", "lad_name"],
              [[p.code, f"{p.latitude:.6f}", f"{p.longitude:.6f}", _WARD_CODES[p.ward], p.ward, "E09000001",
                DISTRICT_NAME] for p in listed])
    mosaic = sorted(mosaic_rows(rng, postcodes))
    write_csv(out_dir / MOSAIC_PATH, ["Postcode", "Mosaic Type", "Mosaic Group", "Group Name", "Households"],
              [list(row) for row in mosaic])


def _record_counts(record: EngagementRecord) -> list[SourceCount]:
    """The engagement record's files; a diary's unusable rows are those naming nobody the graph knows."""
    nobody = {id(t): sum(r.truth.mention.about == "nobody" for r in t.rows) for t in record.engagements}
    return [SourceCount(t.dialect.source, t.dialect.path, len(t.rows), nobody.get(id(t), 0), t.lines.count(None))
            for t in record.tables]


def generate(out_dir: Path, people: int, seed: int, directorates: int = 6, today: date = DEFAULT_TODAY) -> Summary:
    """Write the whole dataset to ``out_dir``; the same arguments give the same files."""
    if not 4 <= directorates <= 6:
        raise ValueError("directorates must be between 4 and 6")
    if people < 10:
        raise ValueError("people must be at least 10")
    # One random stream per stage, so changing how rows are noised leaves the population as it was.
    streams = {stage: random.Random(f"{seed}:{stage}") for stage in ("places", "people", "rows", "layout")}
    postcodes = build_postcode_list(streams["places"], min(4000, max(80, people // 5)))
    population = build_population(streams["people"], people, postcodes, list_dates(today))
    dialects = contact_dialects()[:directorates]
    keyholders = keyholder_dialect()
    rows = contact_rows(streams["rows"], population, dialects)
    rows[keyholders.source] = keyholder_rows(streams["rows"], population, keyholders)
    layouts: list[Layout] = [lay_out(streams["layout"], d, rows[d.source]) for d in [*dialects, keyholders]]

    out_dir.mkdir(parents=True, exist_ok=True)
    for layout in layouts:
        write_source(out_dir, layout)
    write_reference_files(out_dir, streams["places"], postcodes)
    write_truth(out_dir, population, layouts)
    # The engagement record draws from streams of its own, after everything above is settled.
    record = write_engagement_record(out_dir, seed, population, layouts, today, _WARD_CODES)
    write_manifest(out_dir, [*dialects, keyholders], [t.dialect for t in record.tables], people, seed, today)
    return Summary(
        people=len(population.people), organisations=len(population.organisations),
        premises=len(population.premises), postcodes=sum(p.listed for p in postcodes),
        unlisted_postcodes=sum(not p.listed for p in postcodes),
        sources=[SourceCount(lay.dialect.source, lay.dialect.path, len(lay.rows),
                             sum(not r.truth.usable for r in lay.rows), lay.lines.count(None))
                 for lay in layouts] + _record_counts(record))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synthetic.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    parser.add_argument("--people", type=int, default=300, help="population size (about 2 rows per person)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--directorates", type=int, default=6, help="number of directorate lists, 4 to 6")
    parser.add_argument("--today", type=date.fromisoformat, default=DEFAULT_TODAY, metavar="YYYY-MM-DD",
                        help=f"the day the files are exported: no date falls after it (default {DEFAULT_TODAY})")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        summary = generate(args.out, args.people, args.seed, args.directorates, args.today)
    except ValueError as error:
        parser.error(str(error))
    print(summary.table())
    print(f"written to {args.out} in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
