"""The audience builder in the real browser: filters, the live count, downloads and the audit log (the map:
test_map.py)."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from accounts.audit import AuditLog
from exports.audience_files import AUDIENCE_COLUMNS
from exports.cells import neutralise
from graph.audience import KEYHOLDER_COLUMNS, AudienceFilter

from .conftest import screenshot

pytestmark = pytest.mark.neo4j


def _read(web_app, query: str, **params) -> list[dict]:
    with web_app.store.session() as session:
        return [record.data() for record in session.run(query, params)]


def _restricted_ids(web_app) -> set[str]:
    return {row["id"] for row in _read(web_app, "MATCH (c:Contact) WHERE c.restricted RETURN c.id AS id")}


def _wait_for_count(page: Page, count: int) -> None:
    expect(page.locator("#audience-count")).to_have_text(str(count))


def _download(page: Page, button: str, tmp_path: Path) -> Path:
    with page.expect_download() as done:
        page.get_by_role("button", name=button).click()
    path = tmp_path / done.value.suggested_filename
    done.value.save_as(path)
    return path


def _csv_rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _xlsx_rows(path: Path) -> list[dict]:
    sheet = openpyxl.load_workbook(path).active
    header, *rows = [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert tuple(header) == AUDIENCE_COLUMNS
    return [dict(zip(header, row, strict=True)) for row in rows]


def _cli_rows(web_app, capsys, *args: str) -> list[dict]:
    capsys.readouterr()
    assert web_app.cli("audience", *args) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def _in_cheap(sign_in, role: str) -> Page:
    """The audience builder, signed in as ``role``, with the ward Cheap ticked."""
    page = sign_in(role)
    page.goto("/audience")
    page.get_by_label("Cheap", exact=True).check()
    return page


def _cheap_postcode(web_app) -> str:
    return min(p["code"] for p in web_app.store.postcode_map() if p["ward"] == "Cheap")


def test_messaging_builds_an_audience_downloads_it_and_the_audit_log_records_it(sign_in, web_app, capsys,
                                                                                 tmp_path):
    near = _cheap_postcode(web_app)
    cli = _cli_rows(web_app, capsys, "--ward", "Cheap", "--near", near, "--radius-m", "400", "--role", "messaging")
    assert len(cli) >= 3
    excluded = cli[1]["contact_id"]
    expected = [{k: neutralise(v) for k, v in row.items()} for row in cli if row["contact_id"] != excluded]

    page = sign_in("messaging")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audience builder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audience builder")
    page.get_by_label("Cheap", exact=True).check()
    page.get_by_label("Near (a postcode or LAT,LON)").fill(near)
    page.get_by_label("Radius in metres").fill("400")
    _wait_for_count(page, len(cli))
    page.get_by_label("Exclude contacts (IDs)").fill(excluded)
    _wait_for_count(page, len(expected))
    expect(page.locator("#left-out")).to_contain_text("in the exclude list")
    expect(page.locator("#drawn-circle")).to_have_count(1)
    screenshot(page, "audience-builder")

    as_csv = _csv_rows(_download(page, "Download CSV", tmp_path))
    as_xlsx = _xlsx_rows(_download(page, "Download Excel (.xlsx)", tmp_path))
    assert as_csv == expected
    assert as_xlsx == expected
    assert not {r["contact_id"] for r in as_csv} & _restricted_ids(web_app)

    entries = [e for e in AuditLog(web_app.home).entries() if e.action == "audience downloaded"][-2:]
    ids = sorted(r["contact_id"] for r in expected)
    digest = hashlib.sha256("".join(f"{i}\n" for i in ids).encode()).hexdigest()
    assert [e.details["format"] for e in entries] == ["csv", "xlsx"]
    for entry in entries:
        assert entry.who == "messaging-user"
        assert entry.details["count"] == len(expected)
        assert entry.details["sha256"] == digest
        assert entry.details["contact_ids"] == ids
        assert entry.details["filters"]["exclude_contacts"] == [excluded]
        assert entry.details["filters"]["wards"] == ["cheap"]
        assert entry.details["filters"]["role"] == "messaging"
    assert AuditLog(web_app.home).verify() is None


def test_a_messaging_user_never_gets_a_restricted_contact_and_a_spoc_does(sign_in, web_app, tmp_path):
    spoc_everyone = {r["contact_id"] for r in web_app.store.audience(AudienceFilter(role="spoc"))}
    in_a_ward = {row["id"]: row["ward"] for row in _read(
        web_app, "MATCH (c:Contact)-[:LOCATED_IN]->(:Postcode)-[:IN_WARD]->(w:Ward) WHERE c.restricted "
                 "RETURN c.id AS id, min(w.name) AS ward")}
    hidden = sorted(set(in_a_ward) & spoc_everyone)  # IDs are random: any of them will do
    assert hidden, "the sample has reachable restricted contacts in a ward"
    ward = in_a_ward[hidden[0]]

    def build(page: Page) -> None:
        page.goto("/audience")
        page.get_by_label(ward, exact=True).check()
        page.get_by_label("Include contacts (IDs)").fill(hidden[0])  # naming them does not help either
        page.get_by_role("button", name="Preview").click()

    messaging = sign_in("messaging")
    build(messaging)
    expect(messaging.locator("#audience-result")).not_to_contain_text("restricted")
    assert hidden[0] not in messaging.locator("#audience-result").inner_html()
    screenshot(messaging, "audience-restricted-messaging")
    rows = _csv_rows(_download(messaging, "Download CSV", tmp_path))
    assert not {r["contact_id"] for r in rows} & _restricted_ids(web_app)
    # Not even a count gives them away: naming a restricted ID answers exactly as naming one that does not
    # exist, whatever the other filters ask about the person.
    for narrowing in ("", "&channel=sms", "&channel=email", "&issues=protest", f"&wards={quote(ward.lower())}",
                      "&categories=business", "&keyholders=on"):
        named = messaging.request.get(f"/audience/count?include_contacts={hidden[0]}{narrowing}")
        unknown = messaging.request.get(f"/audience/count?include_contacts=C-0000000000000000{narrowing}")
        assert named.ok and named.text() == unknown.text(), narrowing

    spoc = sign_in("spoc")
    build(spoc)
    expect(spoc.locator("#audience-preview")).to_contain_text(hidden[0])
    spoc_rows = _csv_rows(_download(spoc, "Download CSV", tmp_path))
    assert hidden[0] in {r["contact_id"] for r in spoc_rows}
    assert {r["contact_id"] for r in rows} | {hidden[0]} <= {r["contact_id"] for r in spoc_rows}


def test_an_organisation_page_says_nothing_of_its_restricted_people(sign_in, web_app):
    found = _read(web_app, "MATCH (c:Contact)-[:WORKS_FOR]->(o:Organisation) WHERE c.restricted "
                           "RETURN o.id AS org, [(r:SourceRecord)-[:DESCRIBES]->(c) WHERE (r)-[:DESCRIBES]->(o) "
                           "| r.ref] AS refs, "
                           "COUNT { (v:Contact)-[:WORKS_FOR]->(o) WHERE NOT coalesce(v.restricted, false) } AS visible "
                           "ORDER BY o.name, refs LIMIT 1")
    assert found, "the sample has a restricted contact working for an organisation"
    org, refs, visible = found[0]["org"], found[0]["refs"], found[0]["visible"]
    assert refs, "its rows name the organisation"
    messaging = sign_in("messaging")
    messaging.goto(f"/organisations/{org}")
    page = messaging.content()
    assert "restricted" not in page and not any(f"<li>{ref} " in page for ref in refs)
    messaging.goto(f"/organisations?q={org}")
    expect(messaging.locator(f"tr:has(a[href='/organisations/{org}']) td").nth(2)).to_have_text(str(visible))
    spoc = sign_in("spoc")
    spoc.goto(f"/organisations/{org}")
    assert all(f"<li>{ref} " in spoc.content() for ref in refs)


def test_a_saved_audience_belongs_to_its_author_and_shows_others_no_restricted_id(sign_in, web_app):
    hidden = sorted(_restricted_ids(web_app))[0]
    spoc = sign_in("spoc")
    spoc.goto("/audience")
    spoc.get_by_label("Include contacts (IDs)").fill(hidden)
    spoc.get_by_label("Save these filters as").fill("spoc briefing")
    spoc.get_by_role("button", name="Save audience").click()
    expect(spoc.locator(".flash")).to_contain_text("Saved the audience 'spoc briefing'")

    messaging = sign_in("messaging")
    messaging.goto("/audience?load=spoc%20briefing")
    expect(messaging.get_by_label("Include contacts (IDs)")).to_have_value("")
    assert hidden not in messaging.content()
    messaging.get_by_label("Cheap", exact=True).check()
    messaging.get_by_label("Save these filters as").fill("spoc briefing")
    messaging.get_by_role("button", name="Save audience").click()
    expect(messaging.locator("[role=alert]").first).to_contain_text(
        "the saved audience 'spoc briefing' belongs to spoc-user; you may use it, not change it")
    assert hidden not in messaging.content()

    spoc.goto("/audience?load=spoc%20briefing")
    expect(spoc.get_by_label("Include contacts (IDs)")).to_have_value(hidden)
    expect(spoc.get_by_label("Cheap", exact=True)).not_to_be_checked()
    saves = [e for e in AuditLog(web_app.home).entries() if e.action == "audience saved"]
    assert [e.who for e in saves if e.details["name"] == "spoc briefing"] == ["spoc-user"]


def test_a_preview_is_audited_with_its_purpose_and_so_is_reading_a_restricted_profile(sign_in, web_app):
    messaging = _in_cheap(sign_in, "messaging")
    messaging.get_by_label("Purpose (why this audience is drawn; kept in the audit log)").fill("water main burst")
    messaging.get_by_role("button", name="Preview").click()
    count = int(messaging.locator("#audience-count").inner_text())
    entry = AuditLog(web_app.home).entries()[-1]
    assert (entry.who, entry.action, entry.details["interface"]) == ("messaging-user", "audience drawn", "web")
    assert entry.details["purpose"] == "water main burst" and entry.details["count"] == count
    assert entry.details["filters"]["wards"] == ["cheap"] and len(entry.details["contact_ids"]) == count

    hidden = sorted(_restricted_ids(web_app))[0]
    assert messaging.request.get(f"/contacts/{hidden}").status == 404
    assert AuditLog(web_app.home).entries()[-1] == entry
    spoc = sign_in("spoc")
    spoc.goto(f"/contacts/{hidden}")
    viewed = AuditLog(web_app.home).entries()[-1]
    assert (viewed.who, viewed.action, viewed.details) == ("spoc-user", "restricted profile viewed",
                                                           {"contact_id": hidden})
    assert AuditLog(web_app.home).verify() is None


def test_filter_values_are_read_as_on_the_command_line_and_unknown_ones_listed(sign_in, web_app):
    messaging = sign_in("messaging")
    typed = messaging.request.get("/audience/count?issues=Protest&categories=Business").text()
    assert typed == messaging.request.get("/audience/count?issues=protest&categories=business").text()
    assert "Nobody matches" not in typed
    refused = messaging.request.get("/audience/count?issues=proteset&wards=Cornhil").text()
    assert "Unknown issue &#39;proteset&#39;; the known issues are: anti_social_behaviour, crime, protest" in refused
    assert "Unknown ward &#39;Cornhil&#39;; the known wards are:" in refused and "Cheap" in refused


def test_a_keyholder_call_list_downloads_with_the_premises_and_the_numbers_to_ring(sign_in, web_app, capsys,
                                                                                  tmp_path):
    cli = _cli_rows(web_app, capsys, "--keyholders", "--ward", "Cheap")
    assert cli
    page = _in_cheap(sign_in, "messaging")
    page.get_by_label("Keyholders of premises in the area, by phone (whatever their marketing consent)").check()
    _wait_for_count(page, len(cli))
    path = _download(page, "Download CSV", tmp_path)
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert tuple(header.split(",")) == KEYHOLDER_COLUMNS
    rows = _csv_rows(path)
    assert rows == [{k: neutralise(v) for k, v in row.items()} for row in cli]
    consent = {r["id"]: r for r in _read(web_app, "MATCH (c:Contact) WHERE c.id IN $ids RETURN c.id AS id, "
                                                  "c.consent_email AS email, c.consent_sms AS sms",
                                         ids=[r["contact_id"] for r in rows])}
    for row in rows:
        assert row["premises_name"] and row["premises_postcode"] and (row["call_phone"] or row["call_mobile"])
        assert not row["email"] or consent[row["contact_id"]]["email"]
        assert not row["mobile"] or consent[row["contact_id"]]["sms"]
    assert any(not consent[r["contact_id"]]["email"] for r in rows), "someone on the list said no to email"


def test_saved_audiences_reload_and_can_be_excluded(sign_in, web_app):
    page = _in_cheap(sign_in, "spoc")
    page.get_by_label("Save these filters as").fill("cheap ward")
    page.get_by_role("button", name="Save audience").click()
    expect(page.locator(".flash")).to_contain_text("Saved the audience 'cheap ward'")
    expect(page.get_by_label("Cheap", exact=True)).to_be_checked()
    cheap = int(page.locator("#audience-count").inner_text())
    assert cheap > 0

    page.goto("/audience")
    page.get_by_label("Cheap", exact=True).check()
    page.get_by_label("Exclude a saved audience").select_option("cheap ward")
    _wait_for_count(page, 0)
    page.get_by_label("Cheap", exact=True).uncheck()
    page.get_by_label("Exclude a saved audience").select_option("")
    page.get_by_label("Include a saved audience").select_option("cheap ward")
    _wait_for_count(page, cheap)


def test_formula_looking_names_are_text_in_the_downloads(sign_in, web_app, tmp_path):
    victim = sorted(r["contact_id"] for r in web_app.store.audience(AudienceFilter()))[0]
    formula = '=HYPERLINK("http://x","y")'
    original = _read(web_app, "MATCH (c:Contact {id: $id}) RETURN c.name AS name", id=victim)[0]["name"]
    _read(web_app, "MATCH (c:Contact {id: $id}) SET c.name = $name", id=victim, name=formula)
    try:
        page = sign_in("messaging")
        page.goto("/audience")
        page.get_by_label("Include contacts (IDs)").fill(victim)
        _wait_for_count(page, 1)
        expect(page.locator("#audience-preview")).to_contain_text(formula)  # shown as text on the page
        for button, read in (("Download CSV", _csv_rows), ("Download Excel (.xlsx)", _xlsx_rows)):
            (row,) = read(_download(page, button, tmp_path))
            assert row["name"] == "'" + formula
    finally:
        _read(web_app, "MATCH (c:Contact {id: $id}) SET c.name = $name", id=victim, name=original)



def test_must_be_keeps_only_the_people_also_in_its_list(sign_in, web_app):
    page = _in_cheap(sign_in, "spoc")
    page.get_by_label("Save these filters as").fill("cheap people")
    page.get_by_role("button", name="Save audience").click()
    expect(page.locator(".flash")).to_contain_text("Saved the audience 'cheap people'")
    cheap = int(page.locator("#audience-count").inner_text())
    assert cheap > 1
    page.goto("/audience")
    everyone = int(page.locator("#audience-count").inner_text())
    page.get_by_label("Must be in a saved audience").select_option("cheap people")
    _wait_for_count(page, cheap)  # everyone, but only those also in the saved audience
    assert everyone > cheap
    one = next(iter(web_app.store.audience(AudienceFilter(role="spoc"))))["contact_id"]
    page.get_by_label("Must be in a saved audience").select_option("")
    page.get_by_label("Must be these contacts (IDs)").fill(one)
    _wait_for_count(page, 1)
