"""The quality gate over SourceBatch objects built directly, one rule at a time."""

from __future__ import annotations

import datetime as dt
import json
import logging
import warnings
from pathlib import Path

import pandas as pd
import pytest

from quality.gates import GateResult, clear_memo, validate_batch
from quality.suites import checks_for
from sources.model import COLUMNS_BY_KIND, KINDS, QUARANTINE_COLUMNS, SourceBatch, SourceSpec


def _postcode(i: int) -> str:
    return f"N{i // 10 + 1} {i % 10}AA"


def _defaults(kind: str, n: int) -> dict[str, list]:
    if kind == "contacts":
        return {
            "directorate": ["Economic Crime"] * n,
            "first_name": ["Alex"] * n,
            "last_name": [f"Smith{i}" for i in range(n)],
            "full_name": [f"Alex Smith{i}" for i in range(n)],
            "email": [f"alex.smith{i}@example.org" for i in range(n)],
            "mobile": [f"+447700900{i:03d}" for i in range(n)],
            "postcode": ["EC2V 7HH"] * n,
            "category": ["business"] * n,
            "priority": ["medium"] * n,
            "issues": [["protest", "crime"] for _ in range(n)],
            "consent_email": [True] * n,
            "last_contacted": [dt.date(2024, 3, 3)] * n,
        }
    if kind == "keyholders":
        return {
            "premises_ref": [f"P{i}" for i in range(n)],
            "postcode": ["EC2R 8AH"] * n,
            "occupier": ["Acme Ltd"] * n,
            "full_name": [f"Sam Jones{i}" for i in range(n)],
            "phone": ["+442076012222"] * n,
            "keyholder_order": [1] * n,
            "last_verified": [dt.date(2025, 1, 31)] * n,
        }
    if kind == "wards":
        return {
            "ward": [f"Ward {i}" for i in range(n)],
            "boundary": ['{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}'] * n,
        }
    if kind == "mosaic":
        return {
            "postcode": [_postcode(i) for i in range(n)],
            "mosaic_type": ["A01"] * n,
            "mosaic_group": ["A"] * n,
            "households": [12] * n,
        }
    person = {"full_name": [f"Sam Jones{i}" for i in range(n)], "email": [f"sam{i}@example.org" for i in range(n)]}
    if kind == "engagements":
        return {**person, "date": [dt.date(2025, 1, 31)] * n, "engagement_type": ["meeting"] * n,
                "issues": [["protest"] for _ in range(n)]}
    if kind == "surveys":
        return {**person, "date": [dt.date(2025, 1, 31)] * n, "score": [4] * n}
    if kind == "groups":
        return {**person, "group": ["Sister banks"] * n, "priority_stakeholder": [True] * n}
    if kind == "sectors":
        return {"organisation": [f"Firm {i}" for i in range(n)], "sector": ["Finance"] * n, "hub": ["London"] * n,
                "sector_lead": [False] * n}
    return {
        "postcode": [_postcode(i) for i in range(n)],
        "latitude": [51.5] * n,
        "longitude": [-0.09] * n,
        "ward": ["Cheap"] * n,
        "district": ["City of London"] * n,
    }


def _rows(kind: str, n: int = 10, **columns: list) -> pd.DataFrame:
    """n usable rows of this kind with every model column; keyword arguments replace columns."""
    source = f"test-{kind}"
    data: dict[str, list] = {column: [None] * n for column in COLUMNS_BY_KIND[kind]}
    data |= {
        "ref": [f"{source}:row-{i + 2}" for i in range(n)],
        "source": [source] * n,
        "record_id": [f"row-{i + 2}" for i in range(n)],
        "row_number": [i + 2 for i in range(n)],
        "flags": [[] for _ in range(n)],
    }
    data |= _defaults(kind, n) | columns
    return pd.DataFrame(data)


def _batch(kind: str, rows: pd.DataFrame, *, quarantined: int = 0, rows_read: int | None = None,
           content_hash: str = "", failure: str | None = None) -> SourceBatch:
    quarantine = pd.DataFrame(
        [(f"test-{kind}", f"row-{900 + i}", 900 + i, "no name", "no_name") for i in range(quarantined)],
        columns=list(QUARANTINE_COLUMNS),
    )
    return SourceBatch(
        spec=SourceSpec(name=f"test-{kind}", kind=kind, path=Path(f"{kind}.csv"),
                        directorate="Economic Crime" if kind == "contacts" else None),
        rows=rows,
        quarantine=quarantine,
        rows_read=len(rows) + quarantined if rows_read is None else rows_read,
        content_hash=content_hash,
        failure=failure,
    )


def _check(result: GateResult, name: str):
    return next(c for c in result.checks if c.name == name)


@pytest.fixture(autouse=True)
def _fresh_memo():
    clear_memo()
    yield
    clear_memo()


@pytest.mark.parametrize("kind", KINDS)
def test_a_clean_batch_of_each_kind_passes(kind: str) -> None:
    result = validate_batch(_batch(kind, _rows(kind)))
    assert result.passed, result.held_back_reason
    assert result.held_back_reason is None
    assert all(c.success for c in result.checks), [c for c in result.checks if not c.success]
    expected = {"has_rows", "rows_accounted", "usable_share"} | {c.name for c in checks_for(kind)}
    assert {c.name for c in result.checks} == expected


def test_a_wards_batch_without_a_ward_or_a_boundary_is_held_back() -> None:
    result = validate_batch(_batch("wards", _rows("wards", ward=[None] + [f"W{i}" for i in range(9)],
                                                  boundary=[None, None] + ["{}"] * 8)))
    assert not result.passed
    assert result.failed_blocking == ["ward_not_null", "boundary_not_null"]
    assert "ward_not_null (1 of 10 rows)" in result.held_back_reason


def test_nullable_pandas_dtypes_are_accepted() -> None:
    rows = _rows("contacts").convert_dtypes()
    rows["last_contacted"] = [dt.date(2024, 3, 3), None] * 5
    assert validate_batch(_batch("contacts", rows)).passed


def test_duplicate_refs_block() -> None:
    rows = _rows("contacts")
    rows.loc[3, "ref"] = rows.loc[4, "ref"]
    result = validate_batch(_batch("contacts", rows))
    assert not result.passed
    assert result.failed_blocking == ["ref_unique"]
    assert _check(result, "ref_unique").unexpected_count == 2
    assert result.held_back_reason == "failed blocking quality checks: ref_unique (2 of 10 rows)"


def test_a_row_without_a_name_blocks() -> None:
    result = validate_batch(_batch("keyholders", _rows("keyholders", full_name=[None] + ["Sam"] * 9)))
    assert result.failed_blocking == ["full_name_not_null"]


def test_postcodes_with_a_latitude_outside_the_uk_block() -> None:
    rows = _rows("postcodes", latitude=[40.0] + [51.5] * 9)
    result = validate_batch(_batch("postcodes", rows))
    assert not result.passed
    assert result.failed_blocking == ["latitude_in_uk"]
    assert "latitude_in_uk (1 of 10 rows)" in result.held_back_reason


def test_one_stray_coordinate_in_two_hundred_is_tolerated() -> None:
    rows = _rows("postcodes", 200, longitude=[5.0] + [-0.09] * 199)
    result = validate_batch(_batch("postcodes", rows))
    assert result.passed
    assert _check(result, "longitude_in_uk").unexpected_count == 1


@pytest.mark.parametrize(
    ("column", "bad_value", "check"),
    [
        ("mosaic_type", "P01", "mosaic_type_format"),
        ("mosaic_type", "A67", "mosaic_type_format"),
        ("households", -3, "households_non_negative"),
    ],
)
def test_mosaic_with_an_impossible_value_blocks(column: str, bad_value: object, check: str) -> None:
    rows = _rows("mosaic")
    rows[column] = rows[column].astype(object)
    rows.loc[0, column] = bad_value
    result = validate_batch(_batch("mosaic", rows))
    assert not result.passed
    assert check in result.failed_blocking


def test_more_than_half_quarantined_holds_the_source_back() -> None:
    result = validate_batch(_batch("contacts", _rows("contacts", 4), quarantined=6))
    assert not result.passed
    assert result.failed_blocking == ["usable_share"]
    assert result.held_back_reason == (
        "failed blocking quality checks: usable_share (6 of 10 rows quarantined)"
    )
    assert result.statistics["quarantine_share"] == 0.6


def test_the_quarantine_limit_is_configurable() -> None:
    batch = _batch("contacts", _rows("contacts", 7), quarantined=3)
    assert validate_batch(batch).passed
    assert not validate_batch(batch, max_quarantine_share=0.2).passed


def test_a_batch_that_could_not_be_read_is_held_back_with_its_failure() -> None:
    failure = "missing fields: full_name or first_name+last_name"
    batch = _batch("contacts", _rows("contacts", 0), rows_read=0, failure=failure)
    result = validate_batch(batch)
    assert not result.passed
    assert result.held_back_reason == failure
    assert result.checks == ()


def test_an_empty_file_is_held_back() -> None:
    result = validate_batch(_batch("postcodes", _rows("postcodes", 0)))
    assert result.failed_blocking == ["has_rows"]


def test_rows_that_were_neither_kept_nor_quarantined_block() -> None:
    result = validate_batch(_batch("mosaic", _rows("mosaic"), rows_read=12))
    assert result.failed_blocking == ["rows_accounted"]
    assert "10 kept + 0 quarantined of 12 read" in result.held_back_reason


def test_a_missing_column_blocks_without_crashing() -> None:
    rows = _rows("contacts").drop(columns=["full_name", "priority"])
    result = validate_batch(_batch("contacts", rows))
    assert not result.passed
    assert "columns_present (missing: full_name, priority)" in result.held_back_reason
    assert _check(result, "full_name_not_null").detail == "could not be evaluated"


def test_warnings_do_not_block_but_are_reported() -> None:
    emails = ["not-an-email", "also bad"] + [f"p{i}@example.org" for i in range(8)]
    rows = _rows("contacts", email=emails, priority=["urgent"] + ["high"] * 9,
                 last_contacted=[dt.date(2999, 1, 1)] + [None] * 9)
    result = validate_batch(_batch("contacts", rows))
    assert result.passed and result.held_back_reason is None
    assert result.failed_warnings == ["email_format", "last_contacted_not_future", "priority_vocabulary"]
    email = _check(result, "email_format")
    assert (email.blocking, email.unexpected_count, email.detail) == (False, 2, "2 of 10 rows")


def test_a_row_with_no_way_to_reach_the_person_is_a_warning() -> None:
    rows = _rows("keyholders", phone=[None] + ["+442076012222"] * 9)
    result = validate_batch(_batch("keyholders", rows))
    assert result.passed
    assert result.failed_warnings == ["reachable"]


def test_mosaic_group_that_disagrees_with_the_type_is_a_warning() -> None:
    result = validate_batch(_batch("mosaic", _rows("mosaic", mosaic_group=["B"] + ["A"] * 9)))
    assert result.passed
    assert result.failed_warnings == ["mosaic_group_matches_type"]


def test_metadata_is_json_and_carries_no_personal_values() -> None:
    rows = _rows("contacts", email=["bad-address"] * 10)
    rows.loc[1, "ref"] = rows.loc[0, "ref"]
    result = validate_batch(_batch("contacts", rows, quarantined=11))
    text = json.dumps(result.to_metadata())
    metadata = json.loads(text)
    assert metadata["passed"] is False
    assert metadata["failed_blocking"] == ["usable_share", "ref_unique"]
    assert {"rows_read", "quarantine_share", "checks"} <= set(metadata)
    for personal in ("bad-address", "Alex Smith", "+4477", "test-contacts:row-2"):
        assert personal not in text
        assert personal not in result.held_back_reason


def test_validation_is_quiet(capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", DeprecationWarning)  # GX imports sre_constants
        for kind in KINDS:
            validate_batch(_batch(kind, _rows(kind, ref=[f"r{i // 2}" for i in range(10)])))
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("great_expectations")] == []


def test_results_are_remembered_by_content_hash() -> None:
    batch = _batch("postcodes", _rows("postcodes"), content_hash="sha256:abc")
    first = validate_batch(batch)
    assert validate_batch(batch) is first
    assert validate_batch(batch, max_quarantine_share=0.1) is not first
    unhashed = _batch("postcodes", _rows("postcodes"))
    assert validate_batch(unhashed) is not validate_batch(unhashed)


def test_a_crash_inside_gx_holds_back_only_that_source(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("quality.gates._gx_results", broken)
    result = validate_batch(_batch("contacts", _rows("contacts")))
    assert not result.passed
    assert result.held_back_reason == "failed blocking quality checks: suite_ran (GX raised RuntimeError)"
