"""The bad-input corpus: each file, what is wrong with it, and how a sync must end with it.

Shared by the unit tests, the CLI integration test and the report (tests/data/bad/make_report.py),
so that all three speak of the same cases. A case's sync runs on a manifest with one good source
(the first rows of a sample directorate file) and the bad file as source ``bad``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
GOOD_SAMPLE = REPO / "sample" / "directorates" / "roads-policing.csv"
GOOD_ROWS = 12  # data rows of the sample file the good source keeps: enough to resolve, quick to sync
POSTCODES_SAMPLE = REPO / "sample" / "reference" / "postcodes.csv"
GOOD_SOURCES = (
    "  - {name: good, kind: contacts, directorate: Roads Policing, path: good.csv}\n"
    "  - name: postcodes\n    kind: postcodes\n    path: postcodes.csv\n"
    "    columns: {postcode: pcds, latitude: lat, longitude: long, ward: ward_name, district: lad_name}\n"
)
REPORT = HERE / "REPORT.md"
REPORT_HEADER = ("| file | what is wrong with it | exit code | the message a user sees |\n"
                 "|---|---|---|---|\n")

SYNCED, HELD_BACK, REFUSED = 0, 3, 1  # `stakeholders sync` exit codes


@dataclass(frozen=True)
class BadFile:
    file: str  # under tests/data/bad/ (a manifest case: under manifests/)
    wrong: str
    exit_code: int
    kind: str = "contacts"
    data_rows: int = 0  # data rows in the file: each ends in a record or in quarantine

    @property
    def is_manifest(self) -> bool:
        return self.file.startswith("manifests/")


CASES = (
    BadFile("empty.csv", "an empty file (0 bytes)", HELD_BACK),
    BadFile("header-only.csv", "a header row and no data", HELD_BACK),
    BadFile("truncated.xlsx", "a workbook cut off half way", HELD_BACK),
    BadFile("xlsx-named.csv", "an .xlsx workbook named .csv", SYNCED, data_rows=3),
    BadFile("csv-named.xlsx", "CSV text named .xlsx", SYNCED, data_rows=3),
    BadFile("semicolon.csv", "columns separated by `;`", SYNCED, data_rows=3),
    BadFile("tab.csv", "columns separated by tabs", SYNCED, data_rows=3),
    BadFile("duplicate-headers.csv", "`Email` and `Notes` headers twice", SYNCED, data_rows=2),
    BadFile("merged-and-formulas.xlsx", "an organisation merged down two rows; a formula with a saved result "
            "and one (the name) without", SYNCED, data_rows=4),
    BadFile("hidden-sheet.xlsx", "the first sheet is hidden (an old list); the contacts are on the second",
            SYNCED, data_rows=3),
    BadFile("long-cells.csv", "cells of 100,000 characters in name, organisation, email and notes", SYNCED,
            data_rows=3),
    BadFile("control-emoji-rtl.csv", "control characters, emoji, Arabic text and bidirectional override marks",
            SYNCED, data_rows=4),
    BadFile("injection.csv", "`' OR 1=1 //`, `}) DETACH DELETE n //` and `=HYPERLINK(\"http://x\",\"y\")` in "
            "every field", SYNCED, data_rows=4),
    BadFile("bad-dates.csv", "dates 31/02/2024, 1899-12-31, 01/01/1899 and US-order 02/13/2024", SYNCED,
            data_rows=4),
    BadFile("ragged-rows.csv", "rows with more cells than the header, one with values only beyond it", SYNCED,
            data_rows=6),
    BadFile("unclosed-quote.csv", "a quote mark opened in a name and never closed", HELD_BACK),
    BadFile("blank-header-row.csv", "a blank first row, then one row of data and no header", HELD_BACK),
    BadFile("title-above-header.xlsx", "a title and a note above the header row", SYNCED, data_rows=3),
    BadFile("utf16.csv", "CSV saved as UTF-16 (Excel's \"Unicode text\")", SYNCED, data_rows=3),
    BadFile("mosaic-negative-households.csv", "negative household counts", SYNCED, kind="mosaic", data_rows=3),
    BadFile("mosaic-unknown-codes.csv", "Mosaic types Z99 and A67 (there are A01 to O66)", SYNCED, kind="mosaic",
            data_rows=5),
    BadFile("engagement-future-date.csv", "an engagement dated 01/01/2099", SYNCED, kind="engagements", data_rows=3),
    BadFile("survey-score-out-of-range.csv", "survey scores `7`, `excellent` and `0` (scores are 1 to 5)", SYNCED,
            kind="surveys", data_rows=8),
    BadFile("group-blank-group.csv", "group member rows naming no group (blank, and spaces only)", SYNCED,
            kind="groups", data_rows=4),
    BadFile("sector-lead-no-sector.csv", "a sector lead (ISL yes) of no sector", SYNCED, kind="sectors",
            data_rows=3),
    BadFile("wards-not-json.geojson", "a ward boundary file cut off part way: not valid JSON", HELD_BACK,
            kind="wards"),
    BadFile("wards-british-national-grid.geojson", "ward boundaries in British National Grid (EPSG:27700), not "
            "WGS-84", HELD_BACK, kind="wards"),
    BadFile("manifests/missing-file.yaml", "a manifest naming a file that is not there", HELD_BACK),
    BadFile("manifests/unknown-kind.yaml", "a manifest entry of kind `people`", HELD_BACK),
    BadFile("manifests/duplicate-names.yaml", "two manifest entries named `good`", REFUSED),
    BadFile("manifests/path-escape.yaml", "a manifest path `../../etc/passwd`", HELD_BACK),
)


def write_good_sources(folder: Path) -> None:
    """The files GOOD_SOURCES names, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = GOOD_SAMPLE.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    (folder / "good.csv").write_text("".join(lines[:GOOD_ROWS + 1]), encoding="utf-8")
    postcodes = POSTCODES_SAMPLE.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    (folder / "postcodes.csv").write_text("".join(postcodes[:GOOD_ROWS + 1]), encoding="utf-8")


def prepare(case: BadFile, folder: Path) -> Path:
    """Lay out the case's manifest, good sources and bad file in ``folder``; return the manifest.

    Reusing one folder for every case keeps the good sources' specs and bytes the same, so the
    quality gate's memo validates them once per process.
    """
    shutil.rmtree(folder / "bad", ignore_errors=True)
    write_good_sources(folder)
    manifest = folder / "manifest.yaml"
    if case.is_manifest:
        shutil.copyfile(HERE / case.file, manifest)
        return manifest
    (folder / "bad").mkdir(exist_ok=True)
    shutil.copyfile(HERE / case.file, folder / "bad" / case.file)
    directorate = "    directorate: Testing\n" if case.kind == "contacts" else ""
    manifest.write_text(
        "sources:\n" + GOOD_SOURCES +
        f"  - name: bad\n    kind: {case.kind}\n{directorate}    path: bad/{case.file}\n", encoding="utf-8")
    return manifest


def user_message(stderr: str) -> list[str]:
    """What `stakeholders sync` said about the bad source (its report line and warnings), or why it
    could not run at all."""
    lines = stderr.splitlines()
    refused = [line for line in lines if line.startswith("stakeholders: ")]
    if refused:
        return refused
    said: list[str] = []
    for line in lines:
        if line.startswith("  bad ("):
            said.append(line.strip())
        elif said and line.startswith("    warning: ") and len(said) < 20:
            said.append(line.strip())
        elif said:
            break
    return said


def report_row(case: BadFile, exit_code: int, message: list[str]) -> str:
    cells = [f"`{case.file}`", case.wrong, str(exit_code), "<br>".join(message)]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def committed_rows() -> dict[str, str]:
    """REPORT.md's table rows by file."""
    rows = {}
    for line in REPORT.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            rows[line[3:line.index("`", 3)]] = line
    return rows
