"""Which rows a suppression list keeps out, and how they stay accounted for."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from resolution.suppression import (
    SUPPRESSED_REASON,
    Suppression,
    apply_suppression,
    identifier_digest,
    person_identifiers,
)
from sources.model import COLUMNS_BY_KIND, QUARANTINE_COLUMNS, SourceBatch, SourceSpec
from sync.suppression_list import SuppressionEntry, SuppressionList, SuppressionListError

KEY = b"k" * 32


def batch(kind: str, rows: list[dict]) -> SourceBatch:
    frame = pd.DataFrame([{c: r.get(c) for c in COLUMNS_BY_KIND[kind]} for r in rows],
                         columns=list(COLUMNS_BY_KIND[kind]))
    frame["row_number"] = frame["row_number"].astype("int64")
    quarantine = pd.DataFrame([{"source": "ecd", "record_id": "E9", "row_number": 9, "reason": "no name"}],
                              columns=list(QUARANTINE_COLUMNS))
    return SourceBatch(SourceSpec("ecd", kind, Path("ecd.csv")), frame, quarantine, rows_read=len(rows) + 1)


def row(record_id: str, number: int, **values: object) -> dict:
    return {"ref": f"ecd:{record_id}", "source": "ecd", "record_id": record_id, "row_number": number, "flags": [],
            **values}


ROWS = [row("E1", 2, email="robert@acme.co.uk"), row("E2", 3, mobile="+447700900123"),
        row("E3", 4, phone="+447700900123"), row("E4", 5, email="info@acme.co.uk"), row("E5", 6, email="jo@x.org")]


@pytest.mark.parametrize("suppression, withheld", [
    (Suppression(KEY, refs=frozenset({"ecd:E5"})), {"E5"}),
    (Suppression(KEY, identifiers=frozenset({identifier_digest(KEY, "email", "robert@acme.co.uk")})), {"E1"}),
    # a mobile typed into the landline column is the same number
    (Suppression(KEY, identifiers=frozenset({identifier_digest(KEY, "phone", "+447700900123")})), {"E2", "E3"}),
    # a digest under another key matches nothing
    (Suppression(b"other", identifiers=frozenset({identifier_digest(KEY, "email", "robert@acme.co.uk")})), set()),
    (Suppression(KEY), set()),
])
def test_rows_matching_a_reference_or_an_identifier_are_quarantined(suppression: Suppression, withheld: set[str]):
    original = batch("contacts", ROWS)
    kept, count = apply_suppression(original, suppression)
    assert count == len(withheld)
    assert set(kept.rows["record_id"]) == {r["record_id"] for r in ROWS} - withheld
    moved = kept.quarantine[kept.quarantine["reason"] == SUPPRESSED_REASON]
    assert set(moved["record_id"]) == withheld and list(moved.columns) == list(QUARANTINE_COLUMNS)
    assert len(kept.rows) + len(kept.quarantine) == original.rows_read  # every row still accounted for
    assert len(original.rows) == len(ROWS)  # the batch given is left as it was


def test_places_and_postcodes_are_never_suppressed():
    postcodes = batch("postcodes", [row("row-2", 2, postcode="EC2V 7HH")])
    assert apply_suppression(postcodes, Suppression(KEY, refs=frozenset({"ecd:row-2"})))[1] == 0


def test_shared_mailboxes_are_not_a_persons_identifier():
    assert person_identifiers(["info@acme.co.uk", "robert@acme.co.uk", ""], ["+447700900123", None]) == {
        ("email", "robert@acme.co.uk"), ("phone", "+447700900123")}


def test_the_list_file_is_owner_only_and_holds_no_values(tmp_path: Path):
    listed = SuppressionList(tmp_path)
    assert not listed.load()
    key = listed.key()
    digest = identifier_digest(key, "email", "robert@acme.co.uk")
    listed.add(SuppressionEntry("C-1", "2025-01-01T00:00:00+00:00", "alice", "ticket 1", ("ecd:E1",), (digest,)))
    listed.add(SuppressionEntry("C-1", "2025-01-02T00:00:00+00:00", "alice", "ticket 1", ("ct:row-2",), ()))
    assert stat.S_IMODE(os.stat(listed.path).st_mode) == 0o600
    assert "robert" not in listed.path.read_text()
    loaded = listed.load()
    assert loaded.refs == {"ecd:E1", "ct:row-2"} and loaded.identifiers == {digest} and loaded.key == key
    assert [e.contact_id for e in listed.entries()] == ["C-1"]


def test_an_unreadable_list_stops_the_sync_rather_than_letting_people_back(tmp_path: Path):
    (tmp_path / "suppression.json").write_text("{not json")
    with pytest.raises(SuppressionListError, match="restore it from a backup"):
        SuppressionList(tmp_path).load()
