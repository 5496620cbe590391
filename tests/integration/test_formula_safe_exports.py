"""CSV from the command line is safe to open in a spreadsheet: formula-looking cells are neutralised."""

from __future__ import annotations

import pytest

from .cli_helpers import Cli, write

pytestmark = pytest.mark.neo4j


@pytest.fixture
def cli(capsys, monkeypatch, neo4j_connection, neo4j_driver, tmp_path) -> Cli:
    return Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")


def test_audience_csv_neutralises_a_formula_name_and_keeps_phone_numbers(cli, tmp_path):
    write(tmp_path / "contacts.csv", """
Contact ID,Name,Email,Mobile,Email consent,SMS consent,Issues
F1,=1+2 Smith,f1@example.org,07700 900123,yes,yes,protest
F2,+Ann Jones,f2@example.org,07700 900124,yes,yes,protest
""")
    manifest = write(tmp_path / "manifest.yaml", """
sources:
- name: ops
  kind: contacts
  directorate: Operations
  path: contacts.csv
""")
    assert cli("sync", "--manifest", str(manifest)).code == 0
    rows = cli("audience", "--issue", "protest").csv_rows()
    names = sorted(r["name"] for r in rows)
    assert names == ["'+Ann Jones", "'=1+2 Smith"]
    assert {r["mobile"] for r in rows} == {"+447700900123", "+447700900124"}
    as_json = cli("audience", "--issue", "protest", "--format", "json").json()
    assert sorted(r["name"] for r in as_json) == ["+Ann Jones", "=1+2 Smith"]  # JSON is for programs: values as held
