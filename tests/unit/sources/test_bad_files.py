"""Every file of the bad-input corpus (tests/data/bad) through load_source / load_manifest: the message a
user sees names the file, row and field, and every data row is used or quarantined (contract section 5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sources import ManifestError, SourceBatch, SourceSpec, load_manifest, load_source
from tests.data.bad.corpus import CASES, HERE, SYNCED, BadFile

FILE_CASES = [c for c in CASES if not c.is_manifest]

# file -> what the user must be told: (where, text); where is failure, warning, flag (row:field text)
# or quarantine (row: reason text)
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "empty.csv": [("failure", "bad/empty.csv: the file is empty")],
    "header-only.csv": [("failure", "bad/header-only.csv: the file has a header row but no data rows")],
    "truncated.xlsx": [("failure", "bad/truncated.xlsx: is corrupt or not a valid .xlsx workbook")],
    "xlsx-named.csv": [("warning", "an Excel workbook though named .csv; read it as .xlsx")],
    "csv-named.xlsx": [("warning", "CSV text though named .xlsx; read it as CSV")],
    "semicolon.csv": [("warning", "separated by semicolons, not commas")],
    "tab.csv": [("warning", "separated by tabs, not commas")],
    "duplicate-headers.csv": [("warning", "header 'Email' also matches email; using 'Email' and ignoring it"),
                              ("warning", "header 'Notes' also matches notes")],
    "merged-and-formulas.xlsx": [
        ("warning", "sheet 'Contacts' has merged cells (C2:C3)"),
        ("quarantine", "5: no name; full_name: a formula with no saved result"),
    ],
    "hidden-sheet.xlsx": [("warning", "hidden sheet(s) 'Old list' skipped; read 'Contacts'")],
    "long-cells.csv": [
        ("quarantine", "2: no name; full_name: 100,000 characters, longer than a spreadsheet cell holds"),
        ("flag", "3: organisation: 100,000 characters"), ("flag", "3: notes: 100,000 characters"),
        ("flag", "4: email: 100,012 characters"),
    ],
    "control-emoji-rtl.csv": [("warning", "invisible control characters removed on rows 2 and 5")],
    "injection.csv": [("flag", "2: postcode: \"' OR 1=1 //\" is not a UK postcode"),
                      ("flag", "3: email: '}) DETACH DELETE n //' is not an email address")],
    "bad-dates.csv": [("flag", "2: last_contacted: '31/02/2024' is not a real date"),
                      ("flag", "3: last_contacted: '1899-12-31' is outside 1900-"),
                      ("flag", "4: last_contacted: '01/01/1899' is outside 1900-"),
                      ("flag", "5: last_contacted: '02/13/2024' is not a real date")],
    "ragged-rows.csv": [("warning", "rows 2 and 7: more cells than the header has columns; the values beyond "
                                    "column 8 have no header and were ignored"),
                        ("quarantine", "6: no email, phone or mobile"), ("quarantine", "7: no name")],
    "unclosed-quote.csv": [("failure", "bad/unclosed-quote.csv: a quote mark opened on line 3 is never closed")],
    "blank-header-row.csv": [("failure", "has a header row but no data rows (row 3 was taken as the header: the "
                                         "rows above it are blank)")],
    "title-above-header.xlsx": [("warning", "rows 1 and 3 above the header (a title, not data) skipped; the "
                                            "header is row 4")],
    "utf16.csv": [],
    "mosaic-negative-households.csv": [("flag", "3: households: '-5' is not a whole number of 0 or more"),
                                       ("flag", "4: households: '-1,200' is not a whole number")],
    "mosaic-unknown-codes.csv": [("quarantine", "5: mosaic_type: 'Z99' is not a Mosaic type (A01 to O66)"),
                                 ("quarantine", "6: mosaic_type: 'A67' is not a Mosaic type")],
    "engagement-future-date.csv": [("quarantine", "3: date: '01/01/2099' is outside 1900-")],
    "survey-score-out-of-range.csv": [("quarantine", "3: score: '7' is out of range (scores run from 1 to 5"),
                                      ("quarantine", "4: score: 'excellent' is not a score (1 to 5, or very "),
                                      ("quarantine", "5: score: '0' is out of range")],
    "group-blank-group.csv": [("quarantine", "3: no group"), ("quarantine", "5: no group")],
    "wards-not-json.geojson": [("failure", "bad/wards-not-json.geojson: is not JSON (line 1, column 194")],
    "wards-british-national-grid.geojson": [
        ("failure", "bad/wards-british-national-grid.geojson: its coordinates are in 'urn:ogc:def:crs:EPSG::27700' "
                    "(British National Grid), not WGS-84")],
    "sector-lead-no-sector.csv": [("quarantine", "3: no sector: a sector lead row needs the sector led")],
}


def load_bad(case: BadFile, tmp_path: Path) -> SourceBatch:
    """The file as the manifest would give it: under bad/, named relative to the manifest folder."""
    (tmp_path / "bad").mkdir()
    path = tmp_path / "bad" / case.file
    shutil.copyfile(HERE / case.file, path)
    directorate = "Testing" if case.kind == "contacts" else None
    return load_source(SourceSpec("bad", case.kind, path, directorate, label=f"bad/{case.file}"))


def said(batch: SourceBatch) -> dict[str, list[str]]:
    return {
        "failure": [batch.failure] if batch.failure else [],
        "warning": batch.read_warnings + batch.header_warnings,
        "flag": [f"{r.row_number}: {flag}" for r in batch.rows.itertuples() for flag in r.flags],
        "quarantine": [f"{r.row_number}: {r.reason}" for r in batch.quarantine.itertuples()],
    }


def test_every_corpus_file_has_expectations() -> None:
    assert set(EXPECTED) == {c.file for c in FILE_CASES}
    committed = {p.name for p in HERE.iterdir() if p.suffix in (".csv", ".xlsx", ".geojson")}
    assert committed == {c.file for c in FILE_CASES}


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.file)
def test_bad_file_is_explained_and_every_row_accounted_for(case: BadFile, tmp_path: Path) -> None:
    batch = load_bad(case, tmp_path)
    messages = said(batch)
    for where, text in EXPECTED[case.file]:
        assert any(text in message for message in messages[where]), (where, text, messages[where])
    if case.exit_code == SYNCED:
        assert batch.ok
        assert batch.rows_read == len(batch.rows) + len(batch.quarantine) == case.data_rows
        refs = list(batch.rows["record_id"]) + list(batch.quarantine["record_id"])
        assert len(set(refs)) == len(refs)
    else:
        assert batch.failure.startswith(f"bad/{case.file}: ")
        assert batch.rows.empty and batch.quarantine.empty and batch.rows_read == 0


def test_cleaned_text_keeps_emoji_and_right_to_left_but_not_controls(tmp_path: Path) -> None:
    batch = load_bad(next(c for c in CASES if c.file == "control-emoji-rtl.csv"), tmp_path)
    names = dict(zip(batch.rows["record_id"], batch.rows["full_name"], strict=True))
    organisations = dict(zip(batch.rows["record_id"], batch.rows["organisation"], strict=True))
    assert names["U1"] == "Ada Lovelace" and organisations["U1"] == "Bell Ltd"
    assert names["U2"] == "Zoë 🙂 Smith" and organisations["U2"] == "Café ☕ Co"
    assert names["U3"] == "محمد علي"
    assert names["U4"] == "evil Name" and organisations["U4"] == "Isolated Org"


def test_merged_cells_and_saved_formula_results(tmp_path: Path) -> None:
    batch = load_bad(next(c for c in CASES if c.file == "merged-and-formulas.xlsx"), tmp_path)
    rows = batch.rows.set_index("record_id")
    assert rows.loc["M2", "organisation"] == "Analytical Engines Ltd"  # the merged range's value
    assert rows.loc["M3", "email"] == "grace@example.com"  # the result Excel saved with the formula


def test_injection_strings_are_kept_as_plain_text(tmp_path: Path) -> None:
    batch = load_bad(next(c for c in CASES if c.file == "injection.csv"), tmp_path)
    assert set(batch.rows["record_id"]) == {"' OR 1=1 //", "}) DETACH DELETE n //", "I3", "I4"}
    assert batch.rows.set_index("record_id").loc["I3", "organisation"] == '=HYPERLINK("http://x","y")'


def copy_manifest(case: BadFile, tmp_path: Path) -> Path:
    manifest = tmp_path / "data" / "manifest.yaml"
    manifest.parent.mkdir()
    shutil.copyfile(HERE / case.file, manifest)
    return manifest


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("manifests/missing-file.yaml", "bad/not-there.csv: file not found"),
        ("manifests/unknown-kind.yaml",
         "manifest entry not used: unknown kind 'people' (expected one of contacts, keyholders, mosaic, postcodes, "
         "wards, engagements, groups, sectors, surveys)"),
        ("manifests/path-escape.yaml", "manifest entry not used: path '../../etc/passwd' is outside the manifest "
                                       "folder"),
    ],
)
def test_manifest_entry_problems_hold_back_only_that_source(file: str, message: str, tmp_path: Path) -> None:
    case = next(c for c in CASES if c.file == file)
    specs = {spec.name: spec for spec in load_manifest(copy_manifest(case, tmp_path))}
    assert specs["good"].problem is None and specs["postcodes"].problem is None
    batch = load_source(specs["bad"])
    assert batch.failure is not None and batch.failure.startswith(message)
    assert batch.rows_read == 0


def test_path_escaping_the_folder_is_never_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = next(c for c in CASES if c.file == "manifests/path-escape.yaml")
    (spec,) = [s for s in load_manifest(copy_manifest(case, tmp_path)) if s.name == "bad"]
    opened = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: opened.append(self))
    load_source(spec)
    assert opened == []


def test_duplicate_names_refuse_the_manifest_in_one_line(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.file == "manifests/duplicate-names.yaml")
    manifest = copy_manifest(case, tmp_path)
    with pytest.raises(ManifestError) as caught:
        load_manifest(manifest)
    assert str(caught.value) == (f"manifest refused: {manifest}: source 3 ('good'): "
                                 "duplicate name 'good' (also source 1)")
