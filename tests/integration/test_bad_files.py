"""The real `stakeholders sync` meets each bad file of tests/data/bad next to good sources: a clear message,
never a traceback, the good sources still synced, and every row of the bad file in a record or in quarantine.
Also checks that tests/data/bad/REPORT.md still shows what users see (regenerate: tests/data/bad/make_report.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sources.model import EVIDENCE_KINDS
from tests.data.bad.corpus import (
    CASES,
    GOOD_ROWS,
    GOOD_SOURCES,
    REFUSED,
    REPORT,
    SYNCED,
    BadFile,
    committed_rows,
    prepare,
    report_row,
    user_message,
)

from .cli_helpers import Cli

pytestmark = pytest.mark.neo4j

# Where a used row ends up, per kind: contacts in the clusters export, mosaic rows on their postcode.
USED_ROWS = "MATCH (s:Source {name: $source}) RETURN s.rows_used AS used"
SOURCE_RECORDS = "MATCH (r:SourceRecord {source: $source})-[:DESCRIBES]->(:Postcode) RETURN r.record_id AS id"


@pytest.fixture(scope="module")
def sources_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every case, so the good sources are validated once (see corpus.prepare)."""
    return tmp_path_factory.mktemp("bad-files") / "sources"


def refs(rows: list[dict], source: str) -> list[str]:
    return [row["record_id"] for row in rows if row["source"] == source]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_sync_survives_bad_file(case: BadFile, sources_folder: Path, capsys, monkeypatch, neo4j_connection,
                                neo4j_driver, tmp_path: Path) -> None:
    monkeypatch.delenv("STAKEHOLDERS_POSTCODES_API", raising=False)
    cli = Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")
    manifest = prepare(case, sources_folder)
    monkeypatch.chdir(manifest.parent)  # messages then name paths as the manifest does
    if case.exit_code == REFUSED:  # a refused manifest must leave the last sync's graph as it was
        good_only = manifest.parent / "good-only.yaml"
        good_only.write_text("sources:\n" + GOOD_SOURCES, encoding="utf-8")
        assert cli("sync", "--manifest", good_only.name).code == 0

    result = cli("sync", "--manifest", manifest.name)

    assert result.code == case.exit_code, result.err
    assert "Traceback" not in result.err
    message = user_message(result.err)
    assert message, result.err
    assert report_row(case, result.code, message) == committed_rows().get(case.file), (
        f"{REPORT} is out of date: run python tests/data/bad/make_report.py")
    clusters = cli("export", "clusters").csv_rows()
    quarantine = cli("export", "quarantine").csv_rows()
    good = set(refs(clusters, "good")) | set(refs(quarantine, "good"))
    assert len(good) == GOOD_ROWS, "the good source synced (or, for a refused manifest, stayed) in full"
    if case.exit_code != SYNCED:
        assert not refs(clusters, "bad") and not refs(quarantine, "bad")
        return
    assert "  good (contacts): synced" in result.err
    if case.kind == "mosaic":
        records, _, _ = neo4j_driver.execute_query(SOURCE_RECORDS, source="bad")
        used = [r["id"] for r in records]
    elif case.kind in EVIDENCE_KINDS:  # matched to the good source's people: counted on the source
        records, _, _ = neo4j_driver.execute_query(USED_ROWS, source="bad")
        used = [f"used-{n}" for n in range(records[0]["used"])]
    else:
        used = sorted(set(r["record_id"] for r in clusters if r["source"] == "bad" and r["entity_type"] == "contact"))
    quarantined = refs(quarantine, "bad")
    assert not set(used) & set(quarantined)
    assert len(used) + len(quarantined) == case.data_rows


def test_report_lists_every_bad_file() -> None:
    assert list(committed_rows()) == [case.file for case in CASES]
