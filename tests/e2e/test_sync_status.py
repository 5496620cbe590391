"""The sync status page in the real browser: per-source rows, quality results, quarantined rows."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.neo4j


def test_every_role_sees_the_last_sync_per_source_and_can_download_quarantined_rows(sign_in, web_app):
    page = sign_in("messaging")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sync status").click()
    expect(page.get_by_role("status")).to_contain_text("every source synced")
    table = page.get_by_role("table", name="Rows read, loaded, merged with other rows, and quarantined")
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="ct-contacts", exact=True))
    cells = row.locator("td").all_inner_texts()
    assert cells[:4] == ["contacts", "synced", "116", "113"]
    assert int(cells[4]) > 0  # rows merged with others
    expect(row.get_by_text("checks passed")).to_be_visible()
    expect(page.get_by_role("link", name="Open the Dagster UI")).to_have_attribute("href", "http://127.0.0.1:3000")
    screenshot(page, "sync-status")

    with page.expect_download() as download:
        row.get_by_role("link", name="Download the quarantined rows of ct-contacts").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert len(rows) == 3 and {r["source"] for r in rows} == {"ct-contacts"}
    assert {r["reason"] for r in rows} <= {"no name", "no email, phone or mobile"}
    exported = {(r["source"], r["record_id"]) for r in web_app.store.quarantine() if r["source"] == "ct-contacts"}
    assert {(r["source"], r["record_id"]) for r in rows} == exported


def test_a_new_sync_appears_at_the_top_of_the_recent_runs(sign_in, web_app):
    page = sign_in("steward")
    page.goto("/sync")
    before = page.get_by_role("table", name="The last").get_by_role("row").count()
    assert web_app.sync() == 0
    page.reload()
    runs = page.get_by_role("table", name="The last").get_by_role("row")
    expect(runs).to_have_count(before + 1)
    expect(runs.nth(1)).to_contain_text("nothing changed")
