"""No name, email or phone number from the source files reaches a log line or a message on stderr:
a full sync of the sample with every logger at DEBUG, and the messages of bad input."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from sources import load_manifest
from sources.headers import map_headers
from sources.load import load_source
from sources.readers import read_table

from .cli_helpers import Cli, write

pytestmark = pytest.mark.neo4j

SAMPLE = Path(__file__).resolve().parents[2] / "sample" / "manifest.yaml"
# A surname alone can be a word of the program's own ("Ward", "Source"): names are looked for whole
PERSONAL_FIELDS = ("full_name", "email", "phone", "mobile", "keyholder_name", "keyholder_email", "keyholder_phone",
                   "keyholder_mobile")
NORMALISED_FIELDS = ("full_name", "email", "phone", "mobile")


def personal_values(manifest: Path) -> set[str]:
    """Every name, email and number in the manifest's files: as typed, and as the loader normalises them."""
    values: set[str] = set()
    for spec in load_manifest(manifest):
        if spec.kind not in ("contacts", "keyholders"):
            continue
        table = read_table(spec.path, spec.sheet)
        mapping = map_headers(table.headers, spec.kind, spec.columns)
        for row in table.rows:
            for name in PERSONAL_FIELDS:
                if name in mapping.columns and row.cells[mapping.columns[name]] is not None:
                    values.add(str(row.cells[mapping.columns[name]]).strip())
            if "first_name" in mapping.columns and "last_name" in mapping.columns:
                values.add(f"{row.cells[mapping.columns['first_name']]} {row.cells[mapping.columns['last_name']]}")
        rows = load_source(spec).rows
        for name in NORMALISED_FIELDS:
            values.update(v for v in rows[name] if isinstance(v, str))
    return {v for v in values if len(v) >= 4}


def leaks(text: str, values: set[str]) -> list[str]:
    return sorted(v for v in values if re.search(rf"(?<![\w@.+]){re.escape(v)}(?![\w@])", text))


@pytest.fixture
def cli(capsys, monkeypatch, neo4j_connection, neo4j_driver, tmp_path) -> Cli:
    return Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # the root logger: every library's DEBUG records reach the capture
    return caplog


def test_a_sample_sync_logs_no_personal_data(cli: Cli, debug_log: pytest.LogCaptureFixture):
    values = personal_values(SAMPLE)
    assert len(values) > 500  # the sample's people really were read
    result = cli("sync", "--manifest", str(SAMPLE))
    assert result.code in (0, 3), result.err
    logging.getLogger("sync").debug("canary")
    assert "canary" in debug_log.text, "DEBUG records are not captured"
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in debug_log.records)
    assert leaks(logged, values) == []
    assert leaks(result.err, values) == []
    # the commands a steward runs after a sync write only IDs and counts to stderr
    for args in (("review", "list"), ("export", "quarantine")):
        assert leaks(cli(*args).err, values) == []
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in debug_log.records)
    assert leaks(logged, values) == []


BAD = """
Ref,Name,Email,Mobile,Phone,Postcode
B1,Wilhelmina Fotheringay,wilhelmina.at.example.com,07700 900777,,EC2V 7HH
B2,Bartholomew Quist,bart@quist.co.uk,0770 0900 77,not a phone 020 7946 0001,EC2V 7HH
B3,,,,,EC2V 7HH
B4,Cornelius Ashdown,cornelius@ashdown.co.uk;cornelius@old.co.uk,+1 555 0100,,ZZ99 9ZZ
"""
BAD_VALUES = ("Wilhelmina", "wilhelmina@fotheringay.co.uk", "bart@quist.co.uk", "07700 900778", "Fotheringay",
              "wilhelmina.at.example.com", "07700 900777", "+447700900777",
              "Bartholomew", "Quist", "bart@quist.co.uk", "0770 0900 77", "020 7946 0001", "Cornelius",
              "Ashdown", "cornelius@ashdown.co.uk", "cornelius@old.co.uk", "+1 555 0100")
# no header row at all: the first person is where the headers should be
HEADERLESS = ("Wilhelmina Fotheringay,wilhelmina@fotheringay.co.uk,07700 900777\n"
              "Bartholomew Quist,bart@quist.co.uk,07700 900778\n")


def test_bad_input_messages_name_rows_and_fields_not_values(cli: Cli, tmp_path: Path,
                                                            debug_log: pytest.LogCaptureFixture):
    write(tmp_path / "data" / "bad.csv", BAD)
    write(tmp_path / "data" / "headerless.csv", HEADERLESS)
    manifest = write(tmp_path / "data" / "manifest.yaml", """
sources:
  - {name: bad, kind: contacts, directorate: Partnerships, path: bad.csv}
  - {name: headerless, kind: contacts, directorate: Partnerships, path: headerless.csv}
""")
    result = cli("sync", "--manifest", str(manifest))
    assert result.code == 3, result.err
    # the rows and fields are named
    assert "invalid values dropped (row kept): email 2 (rows 2, 5), mobile 2 (rows 3, 5)" in result.err
    assert "headerless.csv: missing required column(s)" in result.err and "is the header row missing?" in result.err
    logged = "\n".join(r.getMessage() for r in debug_log.records)
    quarantine = cli("export", "quarantine")
    for text in (result.err, logged, quarantine.out, quarantine.err):
        assert [v for v in BAD_VALUES if v in text] == []
