"""Quarantine and hold-back reasons travel as codes beside their text: programs compare the codes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kernel.reasons import HoldBack, RowReason
from resolution.suppression import Suppression, apply_suppression
from sources import load_source
from sources.model import SourceSpec
from sync.shrink import ShrinkPolicy
from sync.staging import Staging
from sync.steps import gate_sources

from .resolution_helpers import batch


def _contacts(tmp_path: Path, text: str) -> SourceSpec:
    path = tmp_path / "ecd.csv"
    path.write_text(text, encoding="utf-8")
    return SourceSpec(name="ecd", kind="contacts", path=path, directorate="Economic Crime")


def test_each_unusable_row_carries_the_code_of_its_first_reason(tmp_path: Path):
    spec = _contacts(tmp_path, "record id,name,email,phone\nE1,,a@b.co.uk,\nE2,Ann Lee,,\nE3,Bo Ray,b@c.co.uk,\n"
                               "E3,Bo Ray,b@c.co.uk,\n")
    quarantined = load_source(spec).quarantine.set_index("record_id")
    assert quarantined.loc["E1", "code"] == RowReason.NO_NAME
    assert quarantined.loc["E2", "code"] == RowReason.NO_CONTACT_DETAILS
    assert quarantined["code"].tolist().count(RowReason.DUPLICATE_RECORD_ID) == 1
    assert quarantined.loc["E1", "reason"] == "no name"  # the words stay beside the code


def test_an_erased_persons_row_is_coded_suppressed():
    people = batch("ecd", "contacts", [{"record_id": "E1", "first_name": "Ann", "last_name": "Lee",
                                        "email": "ann@lee.co.uk"}])
    kept, moved = apply_suppression(people, Suppression(refs=frozenset({"ecd:E1"})))
    assert moved == 1 and kept.quarantine["code"].tolist() == [RowReason.SUPPRESSED]


def test_a_held_back_source_says_why_as_codes(tmp_path: Path):
    staging = Staging(tmp_path / "home")
    ten = batch("ecd", "contacts", [{"first_name": f"A{i}", "last_name": "Lee", "email": f"a{i}@lee.co.uk"}
                                    for i in range(10)])
    gate_sources([ten], staging)
    two = dataclasses.replace(ten, rows=ten.rows.head(2), rows_read=2)
    broken = dataclasses.replace(batch("roads", "contacts", []), failure="roads.csv: cannot be read")
    _, outcomes = gate_sources([two, broken], staging, shrink=ShrinkPolicy())
    by_name = {o.name: o for o in outcomes}
    assert by_name["ecd"].hold_back == [HoldBack.SHRANK]
    assert by_name["roads"].hold_back == [HoldBack.UNREADABLE]
